//! A QCC Pro risk-monitoring report's files, read into Arrow tables.
//!
//! Users of a report want its rows (which company, what changed, when) in pandas, polars, a
//! database or a Java list, not a folder of GBK CSVs, workbooks and JSON envelopes. This crate
//! turns an extracted report folder into [`Tables`]: one [`Table`] per JSON or CSV file and per
//! workbook sheet, each an Arrow [`RecordBatch`](arrow_array::RecordBatch), with the files that
//! are not tables listed as [`Skipped`] with the reason. The parsing rules (encodings, header
//! rows, when a column is typed) are `qcc_radar_core::tables`' and are explained there; this
//! crate adds the file reading, workbooks (calamine) and Arrow.
//!
//! Arrow is the interchange because every binding has a zero-copy door for it: the C stream
//! interface ([`Table::to_arrow_c_stream`]) for C and Python's `__arrow_c_stream__`, the IPC
//! stream ([`Table::to_arrow_ipc`]) for Node's `apache-arrow`, and typed row values
//! ([`Table::rows`], [`Value`]) for Java maps and Python dicts. Only the Arrow sub-crates used
//! are dependencies (arrow-array, -schema, -buffer, -ipc), never the `arrow` umbrella, to keep
//! build times in check; they are re-exported so bindings use the same versions.
//!
//! The crate sits between the core and the client: `qcc-radar` depends on it for
//! `Report::tables()`, and it depends on nothing that does network I/O.
//!
//! ```
//! # fn main() -> qcc_radar_core::Result<()> {
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(dir.path().join("corp.json"), r#"{"result": [{"corpName": "示例科技有限公司", "type": 11}]}"#).unwrap();
//! let tables = qcc_radar_tables::read_tables(dir.path())?;
//! let corp = tables.get("corp.json").unwrap();
//! assert_eq!(corp.columns(), ["corpName", "type"]);
//! assert_eq!(corp.value(0, 1), qcc_radar_tables::Value::Int(11));
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod arrow;
mod export;
mod read;
mod table;
mod workbook;

pub use export::{write_csv, write_jsonl};
pub use read::{read_file, read_tables};
pub use table::{Rows, SkipReason, Skipped, Table, Tables, Value};

pub use qcc_radar_core::tables::{ColumnKind, RAW_ROW_COLUMN, VALUE_COLUMN};

/// The Arrow crates this one builds on, re-exported so bindings use the same versions.
pub use arrow_array;
/// See [`arrow_array`].
pub use arrow_schema;
