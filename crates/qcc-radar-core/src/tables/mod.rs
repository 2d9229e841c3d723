//! A report's contents as tables: the pure half (no I/O, no Arrow).
//!
//! Users want a report's rows (which company, what changed, when), not a folder of files in
//! whatever encoding the vendor's tooling chose. Reading those files correctly is the hard part
//! and it is the same in every language, so it lives here once, free of I/O so it can be tested
//! byte for byte: CSV fed in pieces in UTF-8 or GB18030 ([`csv`]), JSON records and the older
//! API's envelopes ([`json`]), the header-row search workbooks and CSVs share ([`grid`]), and
//! columns that decide their type only when every value agrees ([`column`], [`values`]).
//!
//! The result is a [`ParsedTable`] whose columns are already laid out the way Arrow lays them
//! out (one text buffer and offsets, or one typed vector, plus validity), so the `qcc-radar`
//! crates hand the buffers to Arrow without copying them. Reading files, workbooks (calamine)
//! and building Arrow arrays happens in `qcc-radar-tables`, which keeps this crate light.

pub mod column;
pub mod csv;
pub mod grid;
pub mod json;
pub mod values;

pub use column::{
    Cell, Column, ColumnBuilder, ColumnData, ColumnKind, ParsedTable, TableBuilder, TableError,
};
pub use csv::{CsvParser, TextEncoding, RAW_ROW_COLUMN};
pub use grid::{find_header, header_names, RowShape, SheetBuilder, HEADER_SCAN_ROWS};
pub use json::{read_json, NotATable, VALUE_COLUMN};
