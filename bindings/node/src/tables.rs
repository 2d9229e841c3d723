//! `report.tables()` and `readTables(folder)`: a report's files as tables (issue 17).
//!
//! Reading parses every file of the folder (CSV in GBK, workbooks, JSON envelopes), which can
//! take a while for a large report, so it runs as a napi `AsyncTask` on libuv's thread pool and
//! the event loop never waits on it. The parsed tables stay in Rust as Arrow record batches;
//! JavaScript gets a handle per table and pays for JS values only when it asks: `rows()` builds
//! plain objects on the JS thread (where napi values can be made), `toArrowIPC()` writes the
//! batch as an Arrow IPC stream into a Buffer that `apache-arrow` reads.
//!
//! Row values, decided here once for every caller:
//! - an integer column gives numbers when every value is a safe integer (±(2^53 − 1)), else
//!   every value of that column is a `bigint`, so a column has one JS type and no value is
//!   rounded;
//! - dates are ISO 8601 text, `YYYY-MM-DD`, and date-times `YYYY-MM-DDTHH:MM:SS[.fff]` with no
//!   zone: the vendor writes Beijing wall-clock time, and a JS `Date` would have to invent a
//!   zone (or shift by the machine's);
//! - null is `null`; floats, booleans and text are what they are.

use std::path::PathBuf;
use std::ptr;
use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Buffer, ToNapiValue};
use napi::{sys, Env, Task};
use napi_derive::napi;
use qcc_radar::core::tables::values::{format_date, format_datetime};
use qcc_radar::tables::arrow_array::cast::AsArray;
use qcc_radar::tables::arrow_array::types::Int64Type;
use qcc_radar::tables::arrow_schema::DataType;
use qcc_radar::tables::{Table, Tables, Value};

use crate::error::{self, IntoNapi};

/// The largest integer a JavaScript number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// One table of a report, read into Arrow. Use `Table` from `index.js`.
#[napi]
pub struct NativeTable {
    table: Arc<Table>,
}

/// A file, or a workbook sheet, that is not a table.
#[napi(object, object_from_js = false)]
pub struct NativeSkipped {
    /// Named as a table would be (`说明.txt`, `汇总.xlsx#图表`).
    pub name: String,
    /// The file.
    pub path: String,
    /// A stable code: `empty`, `empty_sheet`, `binary`, `unknown_extension`, `not_a_table`,
    /// `unreadable`.
    pub kind: String,
    /// Why, as a sentence.
    pub reason: String,
}

/// Every table of a folder and the files that are not tables.
#[napi(object, object_from_js = false)]
pub struct NativeTables {
    /// The tables, sorted by name (a workbook's sheets in workbook order).
    pub tables: Vec<NativeTable>,
    /// The files and sheets that are not tables, sorted by name.
    pub skipped: Vec<NativeSkipped>,
}

impl From<Tables> for NativeTables {
    fn from(t: Tables) -> Self {
        NativeTables {
            skipped: t
                .skipped
                .iter()
                .map(|s| NativeSkipped {
                    name: s.name.clone(),
                    path: s.path.to_string_lossy().into_owned(),
                    kind: s.reason.kind().to_string(),
                    reason: s.reason.to_string(),
                })
                .collect(),
            tables: t
                .tables
                .into_iter()
                .map(|table| NativeTable {
                    table: Arc::new(table),
                })
                .collect(),
        }
    }
}

/// Reads a folder's files into tables on libuv's thread pool.
pub struct ReadTables {
    folder: PathBuf,
}

impl Task for ReadTables {
    type Output = Tables;
    type JsValue = NativeTables;

    fn compute(&mut self) -> napi::Result<Tables> {
        // napi does not catch a panic on the pool thread; a bug must reject, not abort Node.
        let folder = &self.folder;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            qcc_radar::read_tables(folder)
        }))
        .unwrap_or_else(|_| {
            Err(qcc_radar::Error::new(
                qcc_radar::ErrorKind::Internal,
                format!(
                    "reading the tables of {} panicked; please report this bug",
                    folder.display()
                ),
            ))
        })
        .into_napi()
    }

    fn resolve(&mut self, _env: Env, output: Tables) -> napi::Result<NativeTables> {
        Ok(output.into())
    }
}

/// Reads every file under `folder` (a report's extracted folder) into tables, off the JS
/// thread. Rejects with kind `io` when the folder cannot be read.
#[napi(catch_unwind, ts_return_type = "Promise<NativeTables>")]
pub fn read_tables(folder: String) -> napi::Result<AsyncTask<ReadTables>> {
    if folder.is_empty() {
        return Err(error::config("the folder is empty; give a folder path"));
    }
    Ok(AsyncTask::new(ReadTables {
        folder: PathBuf::from(folder),
    }))
}

#[napi]
impl NativeTable {
    /// The file's path inside the report folder with `/` separators, plus `#` and the sheet
    /// name for a workbook sheet.
    #[napi(getter, catch_unwind)]
    pub fn name(&self) -> String {
        self.table.name().to_string()
    }

    /// The file it was read from.
    #[napi(getter, catch_unwind)]
    pub fn path(&self) -> String {
        self.table.path().to_string_lossy().into_owned()
    }

    /// The workbook sheet it was read from, if any.
    #[napi(getter, catch_unwind)]
    pub fn sheet(&self) -> Option<String> {
        self.table.sheet().map(str::to_string)
    }

    /// The text encoding of a CSV or JSON file (`UTF-8`, `UTF-8 with BOM`, `GB18030` …).
    #[napi(getter, catch_unwind)]
    pub fn encoding(&self) -> Option<String> {
        self.table.encoding().map(str::to_string)
    }

    /// The column names, in the source's order.
    #[napi(getter, catch_unwind)]
    pub fn columns(&self) -> Vec<String> {
        self.table
            .columns()
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    /// Each column's type: `text`, `int`, `float`, `bool`, `date` or `datetime`.
    #[napi(getter, catch_unwind)]
    pub fn column_kinds(&self) -> Vec<String> {
        self.table
            .column_kinds()
            .into_iter()
            .map(|k| k.as_str().to_string())
            .collect()
    }

    /// How many rows.
    #[napi(getter, catch_unwind)]
    pub fn num_rows(&self) -> u32 {
        u32::try_from(self.table.num_rows()).unwrap_or(u32::MAX)
    }

    /// Lines above the header row (a title, a "generated at" line).
    #[napi(getter, catch_unwind)]
    pub fn preamble(&self) -> Vec<String> {
        self.table.preamble()
    }

    /// The rows as plain objects keyed by column name (see the module comment for the types).
    #[napi(catch_unwind, ts_return_type = "Array<Record<string, unknown>>")]
    pub fn rows(&self) -> RowObjects {
        RowObjects(self.table.clone())
    }

    /// The table as an Arrow IPC stream (schema with metadata, one record batch).
    #[napi(js_name = "toArrowIPC", catch_unwind)]
    pub fn to_arrow_ipc(&self) -> napi::Result<Buffer> {
        let bytes = self.table.to_arrow_ipc().map_err(|e| {
            error::to_napi(&qcc_radar::Error::new(
                qcc_radar::ErrorKind::Internal,
                format!(
                    "writing table {} as Arrow IPC failed: {e}; please report this bug",
                    self.table.name()
                ),
            ))
        })?;
        Ok(bytes.into())
    }
}

/// A table's rows, turned into a JS array of objects when returned.
pub struct RowObjects(Arc<Table>);

impl napi::bindgen_prelude::TypeName for RowObjects {
    fn type_name() -> &'static str {
        "Array<Record<string, unknown>>"
    }

    fn value_type() -> napi::ValueType {
        napi::ValueType::Object
    }
}

/// Whether column `c` must give bigints: an integer column holding an unsafe integer.
fn needs_bigint(table: &Table, c: usize) -> bool {
    let column = table.batch().column(c);
    if column.data_type() != &DataType::Int64 {
        return false;
    }
    column
        .as_primitive::<Int64Type>()
        .iter()
        .flatten()
        .any(|v| !(-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&v))
}

fn check(status: sys::napi_status, what: &str) -> napi::Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(napi::Error::new(
            napi::Status::from(status),
            format!("failed to {what}"),
        ))
    }
}

unsafe fn string(env: sys::napi_env, s: &str) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    check(
        unsafe { sys::napi_create_string_utf8(env, s.as_ptr().cast(), s.len() as isize, &mut out) },
        "create a string",
    )?;
    Ok(out)
}

unsafe fn value(env: sys::napi_env, v: Value<'_>, bigint: bool) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    let status = unsafe {
        match v {
            Value::Null => sys::napi_get_null(env, &mut out),
            Value::Bool(b) => sys::napi_get_boolean(env, b, &mut out),
            Value::Int(i) if bigint => sys::napi_create_bigint_int64(env, i, &mut out),
            Value::Int(i) => sys::napi_create_double(env, i as f64, &mut out),
            Value::Float(f) => sys::napi_create_double(env, f, &mut out),
            Value::Text(s) => return string(env, s),
            Value::Date(d) => return string(env, &format_date(d)),
            Value::DateTime(ms) => return string(env, &format_datetime(ms).replacen(' ', "T", 1)),
        }
    };
    check(status, "create a value")?;
    Ok(out)
}

impl ToNapiValue for RowObjects {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        let table = &*val.0;
        let (rows, cols) = (table.num_rows(), table.num_columns());
        // Keys made once per call; each row gets its properties in one napi call.
        let keys = table
            .columns()
            .into_iter()
            .map(|name| unsafe { string(env, name) })
            .collect::<napi::Result<Vec<_>>>()?;
        let bigints: Vec<bool> = (0..cols).map(|c| needs_bigint(table, c)).collect();
        let mut array = ptr::null_mut();
        check(
            unsafe { sys::napi_create_array_with_length(env, rows, &mut array) },
            "create the rows array",
        )?;
        let mut props: Vec<sys::napi_property_descriptor> = Vec::with_capacity(cols);
        for r in 0..rows {
            // A handle scope per row keeps a large table's temporary handles bounded.
            let mut scope = ptr::null_mut();
            check(
                unsafe { sys::napi_open_handle_scope(env, &mut scope) },
                "open a handle scope",
            )?;
            let row = (|| -> napi::Result<()> {
                props.clear();
                for c in 0..cols {
                    props.push(sys::napi_property_descriptor {
                        utf8name: ptr::null(),
                        name: keys[c],
                        method: None,
                        getter: None,
                        setter: None,
                        value: unsafe { value(env, table.value(r, c), bigints[c])? },
                        attributes: sys::PropertyAttributes::writable
                            | sys::PropertyAttributes::enumerable
                            | sys::PropertyAttributes::configurable,
                        data: ptr::null_mut(),
                    });
                }
                let mut object = ptr::null_mut();
                check(
                    unsafe { sys::napi_create_object(env, &mut object) },
                    "create a row object",
                )?;
                check(
                    unsafe {
                        sys::napi_define_properties(env, object, props.len(), props.as_ptr())
                    },
                    "set a row's values",
                )?;
                check(
                    unsafe { sys::napi_set_element(env, array, r as u32, object) },
                    "add a row",
                )
            })();
            check(
                unsafe { sys::napi_close_handle_scope(env, scope) },
                "close a handle scope",
            )?;
            row?;
        }
        Ok(array)
    }
}
