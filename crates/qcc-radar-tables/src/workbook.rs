//! Workbook sheets (xlsx, xlsm, xlsb, xls, ods) through calamine.
//!
//! An xlsx or xlsb sheet is streamed cell by cell (calamine's cells reader) into the core's
//! `SheetBuilder`, so a 200,000-row sheet never exists as a grid of boxed cells beside its
//! columns; xls and ods have no such reader and are read as a range (xls sheets stop at
//! 65,536 rows anyway). Calamine reports a cell's type from its number format: a date cell
//! becomes a wall-clock date or date-time, a text cell is text (never read as a number, since
//! a workbook that stores `00123` as text means a code), an error cell (`#N/A`) is its text.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use calamine::{
    open_workbook, open_workbook_auto, Data, DataRef, ExcelDateTime, Reader, Xlsb, Xlsx,
};
use qcc_radar_core::tables::values::{days_from_civil, MS_PER_DAY};
use qcc_radar_core::tables::{Cell, ParsedTable, SheetBuilder};

use crate::table::SkipReason;

/// Each sheet's name and table (or why it is not one), in workbook order.
pub(crate) type Sheets = Vec<(String, Result<ParsedTable, SkipReason>)>;

fn unreadable(e: impl std::fmt::Display) -> SkipReason {
    SkipReason::Unreadable(format!("not a readable workbook: {e}"))
}

fn when(dt: &ExcelDateTime) -> Cell<'static> {
    if dt.is_duration() {
        return Cell::Float(dt.as_f64());
    }
    let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
    let day = days_from_civil(i32::from(y), u32::from(mo), u32::from(d));
    let in_day = ((i64::from(h) * 60 + i64::from(mi)) * 60 + i64::from(s)) * 1000 + i64::from(ms);
    Cell::When(i64::from(day) * MS_PER_DAY + in_day)
}

fn cell_ref<'a>(v: &'a DataRef<'_>, scratch: &'a mut String) -> Cell<'a> {
    match v {
        DataRef::Int(i) => Cell::Int(*i),
        DataRef::Float(f) => Cell::Float(*f),
        DataRef::String(s) => Cell::Str(s),
        DataRef::SharedString(s) => Cell::Str(s),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => when(dt),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Str(s),
        DataRef::Error(e) => {
            *scratch = e.to_string();
            Cell::Str(scratch)
        }
        DataRef::Empty => Cell::Empty,
    }
}

fn cell<'a>(v: &'a Data, scratch: &'a mut String) -> Cell<'a> {
    match v {
        Data::Int(i) => Cell::Int(*i),
        Data::Float(f) => Cell::Float(*f),
        Data::String(s) => Cell::Str(s),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => when(dt),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Str(s),
        Data::Error(e) => {
            *scratch = e.to_string();
            Cell::Str(scratch)
        }
        Data::Empty => Cell::Empty,
    }
}

fn finish(b: SheetBuilder) -> Result<ParsedTable, SkipReason> {
    if b.is_empty() {
        return Err(SkipReason::EmptySheet);
    }
    b.finish()
        .map_err(|e| SkipReason::Unreadable(e.to_string()))
}

/// Every sheet of `$wb`, read cell by cell through its `worksheet_cells_reader`. A macro, not a
/// function: calamine gives that reader to `Xlsx` and `Xlsb` as inherent methods, not through a
/// trait, and the two readers are the same code.
macro_rules! sheets_cell_by_cell {
    ($wb:ident) => {{
        let mut wb = $wb;
        let names = wb.sheet_names();
        let mut out = Vec::with_capacity(names.len());
        for name in names {
            let table = (|| {
                let mut cells = wb.worksheet_cells_reader(&name).map_err(unreadable)?;
                let mut b = SheetBuilder::new();
                let mut scratch = String::new();
                while let Some(c) = cells.next_cell().map_err(unreadable)? {
                    let (row, col) = c.get_position();
                    b.push(row, col, cell_ref(c.get_value(), &mut scratch));
                }
                finish(b)
            })();
            out.push((name, table));
        }
        out
    }};
}

/// Reads every sheet of the workbook at `path` (`ext`: its lower-case extension).
pub(crate) fn read_workbook(path: &Path, ext: &str) -> Result<Sheets, SkipReason> {
    match ext {
        "xlsx" | "xlsm" => {
            let wb: Xlsx<BufReader<File>> = open_workbook(path).map_err(unreadable)?;
            Ok(sheets_cell_by_cell!(wb))
        }
        "xlsb" => {
            let wb: Xlsb<BufReader<File>> = open_workbook(path).map_err(unreadable)?;
            Ok(sheets_cell_by_cell!(wb))
        }
        _ => {
            let mut wb = open_workbook_auto(path).map_err(unreadable)?;
            let names = wb.sheet_names();
            let mut out = Vec::with_capacity(names.len());
            for name in names {
                let table = wb
                    .worksheet_range(&name)
                    .map_err(unreadable)
                    .and_then(|range| {
                        let mut b = SheetBuilder::new();
                        let mut scratch = String::new();
                        for (row, col, v) in range.used_cells() {
                            let (r0, c0) = range.start().unwrap_or((0, 0));
                            b.push(r0 + row as u32, c0 + col as u32, cell(v, &mut scratch));
                        }
                        finish(b)
                    });
                out.push((name, table));
            }
            Ok(out)
        }
    }
}
