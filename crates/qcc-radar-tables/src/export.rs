//! Writing a table as CSV or JSON Lines, and handing it over as Arrow IPC or a C stream.
//!
//! The CSV is for people opening it in Excel: UTF-8 with a byte-order mark (without one,
//! Chinese Excel reads UTF-8 as GBK and shows mojibake), CRLF line ends, RFC 4180 quoting.
//! JSON Lines writes one object per row with keys in column order (a `serde_json::Map` would
//! sort them). Both write dates as `YYYY-MM-DD` and date-times as `YYYY-MM-DD HH:MM:SS`.
//! Values are written as they are: a text cell starting with `=` stays as it is, so a
//! spreadsheet user opening vendor text should know that Excel may read it as a formula.

use std::io::{self, Write};

use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{RecordBatchIterator, RecordBatchReader};
use arrow_ipc::writer::StreamWriter;
use arrow_schema::ArrowError;

use crate::table::{Table, Value};

fn csv_field(w: &mut impl Write, v: &Value<'_>) -> io::Result<()> {
    match v {
        Value::Text(s) => {
            if s.contains([',', '"', '\r', '\n']) || s.starts_with(' ') || s.ends_with(' ') {
                w.write_all(b"\"")?;
                w.write_all(s.replace('"', "\"\"").as_bytes())?;
                w.write_all(b"\"")
            } else {
                w.write_all(s.as_bytes())
            }
        }
        other => write!(w, "{other}"),
    }
}

/// Writes `table` as CSV: UTF-8 with a byte-order mark, a header row of the column names, CRLF
/// line ends, fields quoted when they hold `,` `"` or a line break.
pub fn write_csv(table: &Table, mut w: impl Write) -> io::Result<()> {
    w.write_all(b"\xef\xbb\xbf")?;
    let names = table.columns();
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        csv_field(&mut w, &Value::Text(n))?;
    }
    w.write_all(b"\r\n")?;
    for row in table.rows() {
        for (i, v) in row.iter().enumerate() {
            if i > 0 {
                w.write_all(b",")?;
            }
            csv_field(&mut w, v)?;
        }
        w.write_all(b"\r\n")?;
    }
    w.flush()
}

/// Writes `table` as JSON Lines: one object per row, keys in column order, nulls included.
pub fn write_jsonl(table: &Table, mut w: impl Write) -> io::Result<()> {
    let keys: Vec<String> = table
        .columns()
        .iter()
        .map(|n| serde_json::Value::from(*n).to_string())
        .collect();
    for row in table.rows() {
        w.write_all(b"{")?;
        for (i, v) in row.iter().enumerate() {
            if i > 0 {
                w.write_all(b",")?;
            }
            w.write_all(keys[i].as_bytes())?;
            w.write_all(b":")?;
            serde_json::to_writer(&mut w, &v.to_json())?;
        }
        w.write_all(b"}\n")?;
    }
    w.flush()
}

impl Table {
    /// The table as an Arrow IPC stream (the schema, its metadata and one batch), as
    /// `apache-arrow`'s `tableFromIPC` and `pyarrow.ipc.open_stream` read it.
    pub fn to_arrow_ipc(&self) -> Result<Vec<u8>, ArrowError> {
        let mut w = StreamWriter::try_new(Vec::new(), self.batch().schema_ref())?;
        w.write(self.batch())?;
        w.finish()?;
        w.into_inner()
    }

    /// A reader over the table's one batch, for Arrow consumers in Rust.
    pub fn to_reader(&self) -> impl RecordBatchReader + Send + 'static {
        let batch = self.batch().clone();
        let schema = batch.schema();
        RecordBatchIterator::new(vec![Ok(batch)], schema)
    }

    /// The table as an Arrow C stream (`struct ArrowArrayStream` of the Arrow C stream
    /// interface) yielding its one batch. The stream shares the table's buffers (no copy)
    /// and owns a reference to them: it stays valid after the table is dropped, until the
    /// consumer calls its `release`. Move it into the consumer's struct (`std::ptr::write`,
    /// then forget the Rust value) or pass a pointer to it to a consumer that takes it over.
    pub fn to_arrow_c_stream(&self) -> FFI_ArrowArrayStream {
        FFI_ArrowArrayStream::new(Box::new(self.to_reader()))
    }
}
