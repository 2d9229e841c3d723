//! Columns that decide their type once every value is in, and tables built from them.
//!
//! "Typed only when every value agrees" cannot be decided row by row, and keeping every value
//! twice (as text and as a number) until the end would double the memory of a large report. So
//! a column keeps one representation: values typed at the source (a JSON number, a workbook's
//! date cell) stay in a typed vector while they all agree; everything else is text in one
//! contiguous buffer with Arrow-style offsets, plus the set of types every value so far could
//! still be read as. Only at the end is the text parsed, once, into the type that survived,
//! and the buffers are handed over as they are (Arrow wraps a `Vec` without copying). A
//! conflict (a number after a date, a word after numbers) turns the column into text, rendering
//! what came before, so no value is ever dropped.
//!
//! Where a value came from matters: CSV text may become a number (`Cell::Text`), but a string
//! the source itself typed as a string (`Cell::Str`: a JSON string, a workbook's text cell) may
//! only become a date: a producer that wrote `"11"` in quotes meant a code.

use std::collections::HashMap;

use super::values::{
    format_date, format_datetime, is_plain_decimal, is_plain_int, parse_date, parse_datetime,
    MS_PER_DAY,
};

const INT: u8 = 1;
const FLOAT: u8 = 2;
const DATE: u8 = 4;
const DATETIME: u8 = 8;
const BOOL: u8 = 16;
const ALL: u8 = INT | FLOAT | DATE | DATETIME | BOOL;

/// The largest integer a double holds exactly (2^53): integers beyond it are never mixed into
/// a float column.
const EXACT_IN_F64: i64 = 1 << 53;

/// One value as a source hands it over.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    /// No value (an empty CSV field, a missing JSON key, an empty workbook cell).
    Empty,
    /// Text of unknown type (CSV): may be read as a number, a date, a date-time or a boolean
    /// (`true`/`false` in any of three casings).
    Text(&'a str),
    /// Text the source typed as text (a JSON string, a workbook text cell): may be read as a
    /// date or a date-time, never as a number.
    Str(&'a str),
    /// An integer.
    Int(i64),
    /// A floating-point number; integral values in a column of them make an integer column.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// A workbook date or date-time cell, as wall-clock milliseconds from 1970-01-01: a column
    /// of them is a date column when no value has a time of day, else a date-time column.
    When(i64),
}

/// A finished column's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    /// UTF-8 text (Arrow `Utf8`).
    Text,
    /// 64-bit signed integers (Arrow `Int64`).
    Int,
    /// 64-bit floats (Arrow `Float64`).
    Float,
    /// Booleans (Arrow `Boolean`).
    Bool,
    /// Days from 1970-01-01 (Arrow `Date32`).
    Date,
    /// Wall-clock milliseconds from 1970-01-01, no zone (Arrow `Timestamp(Millisecond, None)`).
    DateTime,
}

impl ColumnKind {
    /// The kind's lower-case name: `text`, `int`, `float`, `bool`, `date` or `datetime`.
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnKind::Text => "text",
            ColumnKind::Int => "int",
            ColumnKind::Float => "float",
            ColumnKind::Bool => "bool",
            ColumnKind::Date => "date",
            ColumnKind::DateTime => "datetime",
        }
    }
}

/// A finished column's values, in the layout Arrow uses (a null's slot holds a default).
#[derive(Clone, Debug, PartialEq)]
pub enum ColumnData {
    /// Text: value `i` is `values[offsets[i]..offsets[i + 1]]`; `offsets` has `len + 1` items.
    Text {
        /// Every value, back to back.
        values: String,
        /// Where each value starts, then where the last one ends.
        offsets: Vec<i32>,
    },
    /// Integers.
    Int(Vec<i64>),
    /// Floats.
    Float(Vec<f64>),
    /// Booleans.
    Bool(Vec<bool>),
    /// Days from 1970-01-01.
    Date(Vec<i32>),
    /// Wall-clock milliseconds from 1970-01-01.
    DateTime(Vec<i64>),
}

/// A finished column.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// Its name, as the source wrote it (made unique within the table).
    pub name: String,
    /// Its values.
    pub data: ColumnData,
    /// Which values are present (`None`: all of them).
    pub valid: Option<Vec<bool>>,
}

impl Column {
    /// The column's type.
    pub fn kind(&self) -> ColumnKind {
        match self.data {
            ColumnData::Text { .. } => ColumnKind::Text,
            ColumnData::Int(_) => ColumnKind::Int,
            ColumnData::Float(_) => ColumnKind::Float,
            ColumnData::Bool(_) => ColumnKind::Bool,
            ColumnData::Date(_) => ColumnKind::Date,
            ColumnData::DateTime(_) => ColumnKind::DateTime,
        }
    }

    /// How many values (nulls included) it holds.
    pub fn len(&self) -> usize {
        match &self.data {
            ColumnData::Text { offsets, .. } => offsets.len() - 1,
            ColumnData::Int(v) => v.len(),
            ColumnData::Float(v) => v.len(),
            ColumnData::Bool(v) => v.len(),
            ColumnData::Date(v) => v.len(),
            ColumnData::DateTime(v) => v.len(),
        }
    }

    /// Whether it holds no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Why a table could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableError {
    /// One column's text passed 2 GiB, more than an Arrow `Utf8` column addresses.
    TooLarge(String),
}

impl std::fmt::Display for TableError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TableError::TooLarge(c) => write!(f, "column {c:?} holds more than 2 GiB of text"),
        }
    }
}

impl std::error::Error for TableError {}

#[derive(Debug)]
enum Repr {
    /// Nothing but nulls so far.
    Nulls,
    Text {
        buf: String,
        offsets: Vec<i32>,
        /// The types every value so far can be read as.
        can: u8,
    },
    Int(Vec<i64>),
    Float(Vec<f64>),
    Bool(Vec<bool>),
    When(Vec<i64>),
}

/// Builds one column, value by value (see the module comment).
#[derive(Debug)]
pub struct ColumnBuilder {
    name: String,
    len: usize,
    present: usize,
    valid: Option<Vec<bool>>,
    repr: Repr,
    too_large: bool,
}

fn render_float(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < EXACT_IN_F64 as f64 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn render_when(ms: i64) -> String {
    if ms.rem_euclid(MS_PER_DAY) == 0 {
        format_date(ms.div_euclid(MS_PER_DAY) as i32)
    } else {
        format_datetime(ms)
    }
}

/// The types a text value can be read as, among `can`.
fn text_mask(s: &str, can: u8, numbers: bool) -> u8 {
    let mut m = 0;
    if numbers {
        if can & BOOL != 0 && matches!(s, "true" | "false" | "TRUE" | "FALSE" | "True" | "False") {
            m |= BOOL;
        }
        if can & INT != 0 && is_plain_int(s) {
            m |= INT;
        }
        if can & FLOAT != 0 && is_plain_decimal(s) {
            m |= FLOAT;
        }
    }
    if can & DATE != 0 && parse_date(s).is_some() {
        m |= DATE;
    }
    if can & DATETIME != 0 && parse_datetime(s).is_some() {
        m |= DATETIME;
    }
    m
}

impl ColumnBuilder {
    /// An empty column named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        ColumnBuilder {
            name: name.into(),
            len: 0,
            present: 0,
            valid: None,
            repr: Repr::Nulls,
            too_large: false,
        }
    }

    /// An empty column expecting about `values` values of `bytes` text in all.
    pub fn with_capacity(name: impl Into<String>, values: usize, bytes: usize) -> Self {
        let mut offsets = Vec::with_capacity(values + 1);
        offsets.push(0);
        ColumnBuilder {
            repr: Repr::Text {
                buf: String::with_capacity(bytes),
                offsets,
                can: ALL,
            },
            ..ColumnBuilder::new(name)
        }
    }

    /// The column's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How many values (nulls included) it holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it holds no values.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes of text held so far (0 for a typed column).
    pub fn text_bytes(&self) -> usize {
        match &self.repr {
            Repr::Text { buf, .. } => buf.len(),
            _ => 0,
        }
    }

    fn mark(&mut self, present: bool) {
        if present {
            self.present += 1;
            if let Some(v) = &mut self.valid {
                v.push(true);
            }
        } else {
            self.valid
                .get_or_insert_with(|| vec![true; self.len])
                .push(false);
        }
        self.len += 1;
    }

    /// Adds a null.
    pub fn push_null(&mut self) {
        match &mut self.repr {
            Repr::Nulls => {}
            Repr::Text { buf, offsets, .. } => offsets.push(buf.len() as i32),
            Repr::Int(v) | Repr::When(v) => v.push(0),
            Repr::Float(v) => v.push(0.0),
            Repr::Bool(v) => v.push(false),
        }
        self.mark(false);
    }

    /// Adds nulls until the column holds `len` values.
    pub fn pad_to(&mut self, len: usize) {
        while self.len < len {
            self.push_null();
        }
    }

    /// Turns the column into text (rendering typed values), keeping the types they allow.
    fn ensure_text(&mut self) {
        let (rendered, can): (Vec<Option<String>>, u8) = match &mut self.repr {
            Repr::Text { .. } => return,
            Repr::Nulls => {
                let offsets = vec![0; self.len + 1];
                self.repr = Repr::Text {
                    buf: String::new(),
                    offsets,
                    can: ALL,
                };
                return;
            }
            Repr::Int(v) => (v.iter().map(|x| Some(x.to_string())).collect(), INT | FLOAT),
            Repr::Float(v) => {
                let integral = v.iter().all(|x| x.fract() == 0.0);
                let rendered = v.iter().map(|&x| Some(render_float(x))).collect();
                (rendered, if integral { INT | FLOAT } else { FLOAT })
            }
            Repr::Bool(v) => (v.iter().map(|b| Some(b.to_string())).collect(), BOOL),
            Repr::When(v) => {
                let timed = v.iter().any(|ms| ms.rem_euclid(MS_PER_DAY) != 0);
                let rendered = v.iter().map(|&ms| Some(render_when(ms))).collect();
                (rendered, if timed { DATETIME } else { DATE })
            }
        };
        let mut buf = String::new();
        let mut offsets = Vec::with_capacity(rendered.len() + 1);
        offsets.push(0);
        for (i, r) in rendered.iter().enumerate() {
            let present = self.valid.as_ref().is_none_or(|v| v[i]);
            if let (true, Some(s)) = (present, r) {
                buf.push_str(s);
            }
            offsets.push(buf.len() as i32);
        }
        self.repr = Repr::Text { buf, offsets, can };
    }

    /// Adds a text value written by `write` straight into the column's buffer (how CSV fields
    /// are decoded without a copy); `numbers`: whether it may be read as a number. Nothing
    /// written is a null.
    pub fn push_text_with(&mut self, numbers: bool, write: impl FnOnce(&mut String)) {
        self.ensure_text();
        let Repr::Text { buf, offsets, can } = &mut self.repr else {
            unreachable!("ensure_text makes a text column")
        };
        let start = buf.len();
        write(buf);
        if buf.len() > i32::MAX as usize {
            self.too_large = true;
            buf.truncate(start);
        }
        let present = buf.len() > start;
        if present && *can != 0 {
            *can &= text_mask(&buf[start..], *can, numbers);
        }
        offsets.push(buf.len() as i32);
        self.mark(present);
    }

    fn push_rendered(&mut self, s: &str, mask: u8) {
        self.ensure_text();
        if let Repr::Text { buf, offsets, can } = &mut self.repr {
            *can &= mask;
            if buf.len() + s.len() > i32::MAX as usize {
                self.too_large = true;
            } else {
                buf.push_str(s);
            }
            offsets.push(buf.len() as i32);
        }
        self.mark(true);
    }

    /// Adds one value.
    pub fn push(&mut self, cell: Cell<'_>) {
        match cell {
            Cell::Empty | Cell::Text("") | Cell::Str("") => self.push_null(),
            Cell::Text(s) => self.push_text_with(true, |b| b.push_str(s)),
            Cell::Str(s) => self.push_text_with(false, |b| b.push_str(s)),
            Cell::Int(x) => self.push_int(x),
            Cell::Float(x) => self.push_float(x),
            Cell::Bool(x) => match &mut self.repr {
                Repr::Bool(v) => {
                    v.push(x);
                    self.mark(true);
                }
                Repr::Nulls => {
                    let mut v = vec![false; self.len];
                    v.push(x);
                    self.repr = Repr::Bool(v);
                    self.mark(true);
                }
                _ => self.push_rendered(if x { "true" } else { "false" }, BOOL),
            },
            Cell::When(ms) => match &mut self.repr {
                Repr::When(v) => {
                    v.push(ms);
                    self.mark(true);
                }
                Repr::Nulls => {
                    let mut v = vec![0; self.len];
                    v.push(ms);
                    self.repr = Repr::When(v);
                    self.mark(true);
                }
                _ => {
                    let mask = if ms.rem_euclid(MS_PER_DAY) == 0 {
                        DATE
                    } else {
                        DATETIME
                    };
                    self.push_rendered(&render_when(ms), mask);
                }
            },
        }
    }

    fn push_int(&mut self, x: i64) {
        match &mut self.repr {
            Repr::Int(v) => v.push(x),
            Repr::Nulls => {
                let mut v = vec![0; self.len];
                v.push(x);
                self.repr = Repr::Int(v);
            }
            Repr::Float(v) if x.unsigned_abs() <= EXACT_IN_F64 as u64 => v.push(x as f64),
            _ => return self.push_rendered(&x.to_string(), INT | FLOAT),
        }
        self.mark(true);
    }

    fn push_float(&mut self, x: f64) {
        if !x.is_finite() {
            return self.push_rendered(&format!("{x}"), 0);
        }
        match &mut self.repr {
            Repr::Float(v) => v.push(x),
            Repr::Nulls => {
                let mut v = vec![0.0; self.len];
                v.push(x);
                self.repr = Repr::Float(v);
            }
            Repr::Int(v) if v.iter().all(|i| i.unsigned_abs() <= EXACT_IN_F64 as u64) => {
                let mut f: Vec<f64> = v.iter().map(|&i| i as f64).collect();
                f.push(x);
                self.repr = Repr::Float(f);
            }
            _ => {
                let mask = if x.fract() == 0.0 { INT | FLOAT } else { FLOAT };
                return self.push_rendered(&render_float(x), mask);
            }
        }
        self.mark(true);
    }

    /// The finished column: its type decided, its text parsed once if it is not text.
    pub fn finish(self) -> Result<Column, TableError> {
        if self.too_large {
            return Err(TableError::TooLarge(self.name));
        }
        let valid = self.valid.filter(|v| v.iter().any(|p| !p));
        let data = match self.repr {
            Repr::Nulls => ColumnData::Text {
                values: String::new(),
                offsets: vec![0; self.len + 1],
            },
            Repr::Int(v) => ColumnData::Int(v),
            Repr::Float(v) => {
                if v.iter()
                    .all(|x| x.fract() == 0.0 && x.abs() < EXACT_IN_F64 as f64)
                {
                    ColumnData::Int(v.into_iter().map(|x| x as i64).collect())
                } else {
                    ColumnData::Float(v)
                }
            }
            Repr::Bool(v) => ColumnData::Bool(v),
            Repr::When(v) => {
                if v.iter().all(|ms| ms.rem_euclid(MS_PER_DAY) == 0) {
                    ColumnData::Date(v.into_iter().map(|ms| (ms / MS_PER_DAY) as i32).collect())
                } else {
                    ColumnData::DateTime(v)
                }
            }
            Repr::Text {
                mut buf,
                mut offsets,
                can,
            } => {
                let texts = |f: &mut dyn FnMut(Option<&str>)| {
                    for (i, w) in offsets.windows(2).enumerate() {
                        let present = valid.as_ref().is_none_or(|v| v[i]);
                        f(present.then(|| &buf[w[0] as usize..w[1] as usize]));
                    }
                };
                let n = self.len;
                if self.present == 0 || can == 0 {
                    buf.shrink_to_fit();
                    offsets.shrink_to_fit();
                    ColumnData::Text {
                        values: buf,
                        offsets,
                    }
                } else if can & BOOL != 0 {
                    let mut out = Vec::with_capacity(n);
                    texts(&mut |s| out.push(s.is_some_and(|s| s.eq_ignore_ascii_case("true"))));
                    ColumnData::Bool(out)
                } else if can & INT != 0 {
                    let mut out = Vec::with_capacity(n);
                    texts(&mut |s| out.push(s.map_or(0, |s| s.parse().unwrap_or(0))));
                    ColumnData::Int(out)
                } else if can & FLOAT != 0 {
                    let mut out = Vec::with_capacity(n);
                    texts(&mut |s| out.push(s.map_or(0.0, |s| s.parse().unwrap_or(0.0))));
                    ColumnData::Float(out)
                } else if can & DATE != 0 {
                    let mut out = Vec::with_capacity(n);
                    texts(&mut |s| out.push(s.and_then(parse_date).unwrap_or(0)));
                    ColumnData::Date(out)
                } else {
                    let mut out = Vec::with_capacity(n);
                    texts(&mut |s| out.push(s.and_then(parse_datetime).unwrap_or(0)));
                    ColumnData::DateTime(out)
                }
            }
        };
        Ok(Column {
            name: self.name,
            data,
            valid,
        })
    }
}

/// A table read from one file (or one workbook sheet), before it becomes Arrow.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedTable {
    /// The columns, in the source's order.
    pub columns: Vec<Column>,
    /// How many rows.
    pub rows: usize,
    /// Lines above the header row (a workbook's title, a CSV's "generated at" line), kept
    /// rather than dropped.
    pub preamble: Vec<String>,
    /// What the source said beside its records (`corp.json`'s `pushDate` and `totalSize`),
    /// as `(key, text)`: strings as they are, anything else as JSON.
    pub metadata: Vec<(String, String)>,
    /// The text encoding it was read in (`UTF-8`, `GB18030` …), for text sources.
    pub encoding: Option<&'static str>,
}

/// Builds a table of named columns, row by row; columns may appear at any row.
#[derive(Debug, Default)]
pub struct TableBuilder {
    columns: Vec<ColumnBuilder>,
    index: HashMap<String, usize>,
    rows: usize,
}

impl TableBuilder {
    /// An empty table.
    pub fn new() -> Self {
        TableBuilder::default()
    }

    /// How many rows are finished.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// How many columns so far.
    pub fn width(&self) -> usize {
        self.columns.len()
    }

    /// The column at `i`.
    pub fn column_mut(&mut self, i: usize) -> &mut ColumnBuilder {
        &mut self.columns[i]
    }

    /// The columns so far.
    pub fn columns(&self) -> &[ColumnBuilder] {
        &self.columns
    }

    /// A new column named `name` (or `name_2`, `name_3` … if that is taken), filled with nulls
    /// for the rows so far; its index.
    pub fn add_column(&mut self, name: &str) -> usize {
        self.add_builder(name, ColumnBuilder::new)
    }

    /// Like [`TableBuilder::add_column`], with room for `values` values of `bytes` text.
    pub fn add_column_with_capacity(&mut self, name: &str, values: usize, bytes: usize) -> usize {
        self.add_builder(name, |n| ColumnBuilder::with_capacity(n, values, bytes))
    }

    fn add_builder(&mut self, name: &str, make: impl FnOnce(String) -> ColumnBuilder) -> usize {
        let mut unique = name.to_string();
        let mut n = 1;
        while self.index.contains_key(&unique) {
            n += 1;
            unique = format!("{name}_{n}");
        }
        let mut c = make(unique.clone());
        c.pad_to(self.rows);
        self.index.insert(unique, self.columns.len());
        self.columns.push(c);
        self.columns.len() - 1
    }

    /// The column named `name` that has no value yet in the current row, created if needed
    /// (a key repeated within one JSON record goes to `name_2`).
    pub fn column_for(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            if self.columns[i].len() == self.rows {
                return i;
            }
            let mut n = 2;
            loop {
                let alt = format!("{name}_{n}");
                match self.index.get(&alt) {
                    Some(&j) if self.columns[j].len() == self.rows => return j,
                    Some(_) => n += 1,
                    None => return self.add_column(&alt),
                }
            }
        }
        self.add_column(name)
    }

    /// Ends the current row: columns without a value in it get a null.
    pub fn end_row(&mut self) {
        self.rows += 1;
        let rows = self.rows;
        for c in &mut self.columns {
            c.pad_to(rows);
        }
    }

    /// The finished table.
    pub fn finish(self) -> Result<ParsedTable, TableError> {
        let rows = self.rows;
        let columns = self
            .columns
            .into_iter()
            .map(|mut c| {
                c.pad_to(rows);
                c.finish()
            })
            .collect::<Result<_, _>>()?;
        Ok(ParsedTable {
            columns,
            rows,
            ..ParsedTable::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(cells: &[Cell<'_>]) -> Column {
        let mut b = ColumnBuilder::new("c");
        for &c in cells {
            b.push(c);
        }
        b.finish().unwrap()
    }

    fn texts(c: &Column) -> Vec<Option<&str>> {
        let ColumnData::Text { values, offsets } = &c.data else {
            panic!("{:?} is not text", c.kind())
        };
        offsets
            .windows(2)
            .enumerate()
            .map(|(i, w)| {
                let present = c.valid.as_ref().is_none_or(|v| v[i]);
                present.then(|| &values[w[0] as usize..w[1] as usize])
            })
            .collect()
    }

    #[test]
    fn text_is_typed_only_when_every_value_agrees() {
        use Cell::*;
        let c = col(&[Text("1"), Empty, Text("-20")]);
        assert_eq!(c.data, ColumnData::Int(vec![1, 0, -20]));
        assert_eq!(c.valid, Some(vec![true, false, true]));
        assert_eq!(
            col(&[Text("1"), Text("2.5")]).data,
            ColumnData::Float(vec![1.0, 2.5])
        );
        assert_eq!(
            col(&[Text("2024-05-01"), Text("2024/5/2")]).data,
            ColumnData::Date(vec![19_844, 19_845])
        );
        assert_eq!(
            col(&[Text("2024-05-01 08:00")]).kind(),
            ColumnKind::DateTime
        );
        let mixed = col(&[Text("2024-05-01"), Text("2024-05-01 08:00")]);
        assert_eq!(
            texts(&mixed),
            [Some("2024-05-01"), Some("2024-05-01 08:00")]
        );
        let codes = col(&[Text("00123"), Text("456")]);
        assert_eq!(texts(&codes), [Some("00123"), Some("456")]);
        // A JSON string never becomes a number, but may become a date.
        assert_eq!(col(&[Str("11")]).kind(), ColumnKind::Text);
        assert_eq!(col(&[Str("2024-05-01")]).kind(), ColumnKind::Date);
        assert_eq!(col(&[Empty, Empty]).kind(), ColumnKind::Text);
        assert_eq!(
            col(&[Text("TRUE"), Text("false")]).data,
            ColumnData::Bool(vec![true, false])
        );
        assert_eq!(col(&[Text("true"), Text("是")]).kind(), ColumnKind::Text);
        assert_eq!(col(&[Str("true")]).kind(), ColumnKind::Text);
    }

    #[test]
    fn typed_values_keep_their_type_until_a_conflict() {
        use Cell::*;
        assert_eq!(
            col(&[Float(11.0), Float(9.0)]).data,
            ColumnData::Int(vec![11, 9])
        );
        assert_eq!(
            col(&[Int(1), Float(0.5)]).data,
            ColumnData::Float(vec![1.0, 0.5])
        );
        assert_eq!(col(&[Bool(true), Empty]).kind(), ColumnKind::Bool);
        assert_eq!(
            col(&[When(19_844 * MS_PER_DAY), When(0)]).data,
            ColumnData::Date(vec![19_844, 0])
        );
        assert_eq!(col(&[When(1), When(0)]).kind(), ColumnKind::DateTime);
        let c = col(&[Int(7), Empty, Str("n/a"), Bool(true), When(0), Float(1.5)]);
        assert_eq!(
            texts(&c),
            [
                Some("7"),
                None,
                Some("n/a"),
                Some("true"),
                Some("1970-01-01"),
                Some("1.5")
            ]
        );
        // A workbook date beside a text date of the same form is still a date.
        assert_eq!(col(&[When(0), Str("2024-05-01")]).kind(), ColumnKind::Date);
    }

    #[test]
    fn tables_pad_and_rename() {
        let mut t = TableBuilder::new();
        let a = t.column_for("a");
        t.column_mut(a).push(Cell::Int(1));
        t.end_row();
        let b = t.column_for("b");
        t.column_mut(b).push(Cell::Int(2));
        let a2 = t.column_for("b");
        t.column_mut(a2).push(Cell::Int(3));
        t.end_row();
        let p = t.finish().unwrap();
        let names: Vec<_> = p.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "b_2"]);
        assert_eq!(p.rows, 2);
        assert_eq!(p.columns[1].valid, Some(vec![false, true]));
    }
}
