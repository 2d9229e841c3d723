//! What a report's tables look like to callers: [`Table`], [`Value`], [`Tables`], [`Skipped`].
//!
//! The shape is the one every binding wraps (DESIGN.md, "Report contents as tables"): a name
//! (the file's path inside the report, `#sheet` added for a workbook sheet), the column names,
//! the rows as typed values, and the Arrow batch itself for zero-copy hand-over. Row values
//! borrow from the batch, so reading rows costs no allocation per text value.

use std::fmt;
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int64Type, TimestampMillisecondType};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, SchemaRef};
use qcc_radar_core::tables::values::{format_date, format_datetime};
use qcc_radar_core::tables::ColumnKind;

use crate::arrow::{META_ENCODING, META_PREAMBLE};

/// One table: a JSON or CSV file, or one sheet of a workbook.
#[derive(Clone, Debug)]
pub struct Table {
    name: String,
    path: PathBuf,
    sheet: Option<String>,
    batch: RecordBatch,
}

impl Table {
    pub(crate) fn new(
        name: String,
        path: PathBuf,
        sheet: Option<String>,
        batch: RecordBatch,
    ) -> Self {
        Table {
            name,
            path,
            sheet,
            batch,
        }
    }

    /// The table's name: its file's path inside the report folder with `/` separators
    /// (`风险监控日报/明细/法律诉讼.csv`), plus `#` and the sheet name for a workbook sheet
    /// (`汇总.xlsx#变更明细`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file it was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The workbook sheet it was read from, if any.
    pub fn sheet(&self) -> Option<&str> {
        self.sheet.as_deref()
    }

    /// The column names, in the source's order, as the source wrote them (a repeated name gets
    /// `_2`, a blank one `column_N`).
    pub fn columns(&self) -> Vec<&str> {
        self.batch
            .schema_ref()
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect()
    }

    /// Each column's type, in column order.
    pub fn column_kinds(&self) -> Vec<ColumnKind> {
        self.batch
            .schema_ref()
            .fields()
            .iter()
            .map(|f| kind_of(f.data_type()))
            .collect()
    }

    /// How many rows.
    pub fn num_rows(&self) -> usize {
        self.batch.num_rows()
    }

    /// How many columns.
    pub fn num_columns(&self) -> usize {
        self.batch.num_columns()
    }

    /// The rows and columns as one Arrow record batch. Its schema's metadata holds
    /// `qcc_radar.name`, `qcc_radar.encoding` for text files, `qcc_radar.preamble` (a JSON
    /// array of the lines above a header) when there were any, and a JSON envelope's other keys
    /// (`pushDate`, `totalSize`) as they are.
    pub fn batch(&self) -> &RecordBatch {
        &self.batch
    }

    /// The batch's schema.
    pub fn schema(&self) -> SchemaRef {
        self.batch.schema()
    }

    /// The batch, consuming the table.
    pub fn into_batch(self) -> RecordBatch {
        self.batch
    }

    /// The text encoding a CSV or JSON file was read in: `UTF-8`, `UTF-8 with BOM`, `GB18030`
    /// (which covers GBK), `UTF-16LE`, `UTF-16BE`; `None` for a workbook sheet.
    pub fn encoding(&self) -> Option<&str> {
        self.meta(META_ENCODING)
    }

    /// Lines above the header row (a title, a "generated at" line), kept rather than dropped.
    pub fn preamble(&self) -> Vec<String> {
        self.meta(META_PREAMBLE)
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or_default()
    }

    /// The value of the schema metadata `key` (a JSON envelope's `pushDate`, say).
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.batch
            .schema_ref()
            .metadata()
            .get(key)
            .map(String::as_str)
    }

    /// The value at `row`, `column`. Panics when either is out of range.
    pub fn value(&self, row: usize, column: usize) -> Value<'_> {
        value_at(self.batch.column(column).as_ref(), row)
    }

    /// The index of the column named `name`.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.batch.schema_ref().index_of(name).ok()
    }

    /// The rows, each a vector of values in column order.
    pub fn rows(&self) -> Rows<'_> {
        Rows {
            table: self,
            next: 0,
        }
    }

    /// The row at `row`. Panics when it is out of range.
    pub fn row(&self, row: usize) -> Vec<Value<'_>> {
        (0..self.num_columns())
            .map(|c| self.value(row, c))
            .collect()
    }
}

/// The column type behind an Arrow data type (the ones this crate writes).
fn kind_of(dt: &DataType) -> ColumnKind {
    match dt {
        DataType::Int64 => ColumnKind::Int,
        DataType::Float64 => ColumnKind::Float,
        DataType::Boolean => ColumnKind::Bool,
        DataType::Date32 => ColumnKind::Date,
        DataType::Timestamp(_, _) => ColumnKind::DateTime,
        _ => ColumnKind::Text,
    }
}

fn value_at(a: &dyn Array, row: usize) -> Value<'_> {
    if a.is_null(row) {
        return Value::Null;
    }
    match a.data_type() {
        DataType::Utf8 => Value::Text(a.as_string::<i32>().value(row)),
        DataType::Int64 => Value::Int(a.as_primitive::<Int64Type>().value(row)),
        DataType::Float64 => Value::Float(a.as_primitive::<Float64Type>().value(row)),
        DataType::Boolean => Value::Bool(a.as_boolean().value(row)),
        DataType::Date32 => Value::Date(a.as_primitive::<Date32Type>().value(row)),
        DataType::Timestamp(_, _) => {
            Value::DateTime(a.as_primitive::<TimestampMillisecondType>().value(row))
        }
        _ => Value::Null,
    }
}

/// The rows of a [`Table`], in order.
#[derive(Clone, Debug)]
pub struct Rows<'a> {
    table: &'a Table,
    next: usize,
}

impl<'a> Iterator for Rows<'a> {
    type Item = Vec<Value<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.table.num_rows() {
            return None;
        }
        self.next += 1;
        Some(self.table.row(self.next - 1))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.table.num_rows() - self.next;
        (n, Some(n))
    }
}

impl ExactSizeIterator for Rows<'_> {}

/// One value of a table, typed as its column is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    /// No value.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// Text.
    Text(&'a str),
    /// A date: days from 1970-01-01 (Java `LocalDate.ofEpochDay`; see [`Value::ymd`]).
    Date(i32),
    /// A wall-clock date-time with no zone (the vendor writes Beijing time): milliseconds from
    /// 1970-01-01 00:00.
    DateTime(i64),
}

impl Value<'_> {
    /// Whether it is [`Value::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The text, for a text value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// `(year, month, day)` of a date or date-time value.
    pub fn ymd(&self) -> Option<(i32, u32, u32)> {
        use qcc_radar_core::tables::values::{civil_from_days, MS_PER_DAY};
        match *self {
            Value::Date(d) => Some(civil_from_days(d)),
            Value::DateTime(ms) => Some(civil_from_days(ms.div_euclid(MS_PER_DAY) as i32)),
            _ => None,
        }
    }

    /// The value as JSON: null, a boolean, a number (a float that is not finite is null), a
    /// string; dates as `YYYY-MM-DD`, date-times as `YYYY-MM-DD HH:MM:SS[.fff]`.
    pub fn to_json(&self) -> serde_json::Value {
        match *self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => b.into(),
            Value::Int(i) => i.into(),
            Value::Float(f) => {
                serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into)
            }
            Value::Text(s) => s.into(),
            Value::Date(_) | Value::DateTime(_) => self.to_string().into(),
        }
    }
}

/// Text as a CSV cell would hold it: empty for null, dates as `YYYY-MM-DD`, date-times as
/// `YYYY-MM-DD HH:MM:SS[.fff]`, numbers in their shortest exact form.
impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Value::Null => Ok(()),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Text(s) => f.write_str(s),
            Value::Date(d) => f.write_str(&format_date(d)),
            Value::DateTime(ms) => f.write_str(&format_datetime(ms)),
        }
    }
}

/// Why a file (or a workbook sheet) is not a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// The file has no bytes (or nothing but a byte-order mark and blank lines).
    Empty,
    /// The workbook sheet has no cells.
    EmptySheet,
    /// The file holds binary data where text was expected.
    Binary,
    /// The file's extension is not one read as a table (`.txt`, `.pdf` …); the text holds it.
    UnknownExtension(String),
    /// The file is readable but holds no table (a JSON number, say); the text says why.
    NotATable(String),
    /// The file could not be read or parsed (permissions, a broken workbook); the text says why.
    Unreadable(String),
}

impl SkipReason {
    /// A stable code for the reason: `empty`, `empty_sheet`, `binary`, `unknown_extension`,
    /// `not_a_table` or `unreadable`.
    pub fn kind(&self) -> &'static str {
        match self {
            SkipReason::Empty => "empty",
            SkipReason::EmptySheet => "empty_sheet",
            SkipReason::Binary => "binary",
            SkipReason::UnknownExtension(_) => "unknown_extension",
            SkipReason::NotATable(_) => "not_a_table",
            SkipReason::Unreadable(_) => "unreadable",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Empty => f.write_str("empty file"),
            SkipReason::EmptySheet => f.write_str("empty sheet"),
            SkipReason::Binary => f.write_str("binary content, not text"),
            SkipReason::UnknownExtension(e) if e.is_empty() => {
                f.write_str("no file extension: not read as a table")
            }
            SkipReason::UnknownExtension(e) => {
                write!(f, "unknown extension .{e}: not read as a table (json, csv, tsv, xlsx, xlsm, xlsb, xls and ods are)")
            }
            SkipReason::NotATable(why) => write!(f, "not a table: {why}"),
            SkipReason::Unreadable(why) => write!(f, "unreadable: {why}"),
        }
    }
}

/// A file, or a workbook sheet, that is not a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// Named as a table would be (`说明.txt`, `汇总.xlsx#图表`).
    pub name: String,
    /// The file.
    pub path: PathBuf,
    /// Why it is not a table.
    pub reason: SkipReason,
}

/// Every table of a report folder, and the files that are not tables.
#[derive(Clone, Debug, Default)]
pub struct Tables {
    /// The tables, sorted by name (a workbook's sheets in workbook order).
    pub tables: Vec<Table>,
    /// The files and sheets that are not tables, with the reason, sorted by name.
    pub skipped: Vec<Skipped>,
}

impl Tables {
    /// The table named `name`.
    pub fn get(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The skipped entry named `name`.
    pub fn skipped(&self, name: &str) -> Option<&Skipped> {
        self.skipped.iter().find(|s| s.name == name)
    }

    /// The table names, in order.
    pub fn names(&self) -> Vec<&str> {
        self.tables.iter().map(|t| t.name.as_str()).collect()
    }

    /// How many tables.
    pub fn len(&self) -> usize {
        self.tables.len()
    }

    /// Whether there are no tables.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }

    /// The tables, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Table> {
        self.tables.iter()
    }
}

impl IntoIterator for Tables {
    type Item = Table;
    type IntoIter = std::vec::IntoIter<Table>;

    fn into_iter(self) -> Self::IntoIter {
        self.tables.into_iter()
    }
}

impl<'a> IntoIterator for &'a Tables {
    type Item = &'a Table;
    type IntoIter = std::slice::Iter<'a, Table>;

    fn into_iter(self) -> Self::IntoIter {
        self.tables.iter()
    }
}
