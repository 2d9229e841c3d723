//! Finding the header row of a sheet or CSV, and naming the columns from it.
//!
//! Exports meant for people often open with a title (`风险监控日报 2024-05-01`), a blank row or
//! a "generated at" line before the real header, so "the first row is the header" would name
//! the columns after the title and push the header into the data. The rule here is small enough
//! to predict: among the first [`HEADER_SCAN_ROWS`] non-blank rows, take the most common width
//! (the span up to the last filled cell; ties go to the wider), and the header is the first row
//! filling at least two thirds of that width (at least two cells when the table is wider than
//! one column). A one-cell title never qualifies; rows above the header are kept as the
//! table's preamble, not dropped.

use super::column::{Cell, ParsedTable, TableBuilder, TableError};
use super::values::{format_date, format_datetime, MS_PER_DAY};

/// How many non-blank rows the header search looks at.
pub const HEADER_SCAN_ROWS: usize = 30;

/// A row's shape, for the header search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowShape {
    /// One past the last filled cell.
    pub span: usize,
    /// How many cells are filled.
    pub filled: usize,
}

/// The index (into `rows`) of the header row; 0 when no row qualifies or `rows` is empty.
pub fn find_header(rows: &[RowShape]) -> usize {
    let rows = &rows[..rows.len().min(HEADER_SCAN_ROWS)];
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for r in rows.iter().filter(|r| r.filled > 0) {
        match counts.iter_mut().find(|(w, _)| *w == r.span) {
            Some((_, n)) => *n += 1,
            None => counts.push((r.span, 1)),
        }
    }
    let Some(&(width, _)) = counts.iter().max_by_key(|&&(w, n)| (n, w)) else {
        return 0;
    };
    let need = (width * 2).div_ceil(3).max(if width > 1 { 2 } else { 1 });
    rows.iter().position(|r| r.filled >= need).unwrap_or(0)
}

/// Column names from a header row's cell texts: an empty cell is named `column_N` (`N` counted
/// from 1 across the whole row), every name kept as written otherwise. Duplicates are made
/// unique by the table (`name_2`).
pub fn header_names<'a>(cells: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    cells
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            if c.is_empty() {
                format!("column_{}", i + 1)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A cell held while the header is searched for.
#[derive(Clone, Debug, PartialEq)]
enum Held {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    When(i64),
}

impl Held {
    fn new(cell: Cell<'_>) -> Option<Held> {
        Some(match cell {
            Cell::Empty | Cell::Text("") | Cell::Str("") => return None,
            Cell::Text(s) | Cell::Str(s) => Held::Str(s.to_string()),
            Cell::Int(v) => Held::Int(v),
            Cell::Float(v) => Held::Float(v),
            Cell::Bool(v) => Held::Bool(v),
            Cell::When(v) => Held::When(v),
        })
    }

    fn cell(&self) -> Cell<'_> {
        match self {
            Held::Str(s) => Cell::Str(s),
            Held::Int(v) => Cell::Int(*v),
            Held::Float(v) => Cell::Float(*v),
            Held::Bool(v) => Cell::Bool(*v),
            Held::When(v) => Cell::When(*v),
        }
    }

    /// The cell as a header name or preamble text.
    fn text(&self) -> String {
        match self {
            Held::Str(s) => s.clone(),
            Held::Int(v) => v.to_string(),
            Held::Float(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{}", *v as i64),
            Held::Float(v) => v.to_string(),
            Held::Bool(v) => v.to_string(),
            Held::When(ms) if ms.rem_euclid(MS_PER_DAY) == 0 => {
                format_date(ms.div_euclid(MS_PER_DAY) as i32)
            }
            Held::When(ms) => format_datetime(*ms),
        }
    }
}

type HeldRow = Vec<(u32, Held)>;

#[derive(Debug)]
enum SheetState {
    Scanning(Vec<HeldRow>),
    Reading {
        table: TableBuilder,
        /// Sheet column → table column.
        columns: Vec<Option<usize>>,
    },
}

/// Builds a table from a workbook sheet's cells, fed in row order (the order a sheet's XML
/// holds them): finds the header among the first rows, names the columns after it, and puts
/// every later cell in its column. A cell right of the header (or in a column whose header is
/// blank) gets a column `column_N` (`N` the sheet column, from 1); rows with no cell are
/// skipped; rows above the header become the preamble.
#[derive(Debug)]
pub struct SheetBuilder {
    state: SheetState,
    row: Option<u32>,
    current: HeldRow,
    row_has_value: bool,
    preamble: Vec<String>,
}

impl Default for SheetBuilder {
    fn default() -> Self {
        SheetBuilder::new()
    }
}

impl SheetBuilder {
    /// An empty sheet.
    pub fn new() -> Self {
        SheetBuilder {
            state: SheetState::Scanning(Vec::new()),
            row: None,
            current: Vec::new(),
            row_has_value: false,
            preamble: Vec::new(),
        }
    }

    /// Adds the cell at `row`, `col` (0-based); rows must not go backwards.
    pub fn push(&mut self, row: u32, col: u32, cell: Cell<'_>) {
        if matches!(cell, Cell::Empty | Cell::Text("") | Cell::Str("")) {
            return;
        }
        if self.row != Some(row) {
            self.end_row();
            self.row = Some(row);
        }
        match &mut self.state {
            SheetState::Scanning(_) => {
                if let Some(h) = Held::new(cell) {
                    self.current.push((col, h));
                }
            }
            SheetState::Reading { table, columns } => {
                let c = col as usize;
                if columns.len() <= c {
                    columns.resize(c + 1, None);
                }
                let i = *columns[c]
                    .get_or_insert_with(|| table.add_column(&format!("column_{}", c + 1)));
                table.column_mut(i).push(cell);
                self.row_has_value = true;
            }
        }
    }

    fn end_row(&mut self) {
        match &mut self.state {
            SheetState::Scanning(rows) => {
                if !self.current.is_empty() {
                    rows.push(std::mem::take(&mut self.current));
                    if rows.len() >= HEADER_SCAN_ROWS {
                        self.start_reading();
                    }
                }
            }
            SheetState::Reading { table, .. } => {
                if self.row_has_value {
                    table.end_row();
                    self.row_has_value = false;
                }
            }
        }
    }

    fn start_reading(&mut self) {
        let SheetState::Scanning(rows) = &mut self.state else {
            return;
        };
        let rows = std::mem::take(rows);
        let shapes: Vec<RowShape> = rows
            .iter()
            .map(|r| {
                let first = r.first().map_or(0, |c| c.0 as usize);
                RowShape {
                    span: r.last().map_or(0, |c| c.0 as usize + 1 - first),
                    filled: r.len(),
                }
            })
            .collect();
        let h = find_header(&shapes);
        let mut table = TableBuilder::new();
        let mut columns: Vec<Option<usize>> = Vec::new();
        let mut rest = rows.into_iter();
        for r in rest.by_ref().take(h) {
            let texts: Vec<String> = r.iter().map(|(_, c)| c.text()).collect();
            self.preamble.push(texts.join("\t"));
        }
        if let Some(header) = rest.next() {
            let first = header.first().map_or(0, |c| c.0);
            let last = header.last().map_or(0, |c| c.0);
            columns.resize(last as usize + 1, None);
            let mut named = header.iter().peekable();
            for col in first..=last {
                let name = match named.peek() {
                    Some((c, h)) if *c == col => {
                        named.next();
                        h.text()
                    }
                    _ => format!("column_{}", col + 1),
                };
                columns[col as usize] = Some(table.add_column(&name));
            }
        }
        self.state = SheetState::Reading { table, columns };
        for r in rest {
            for (col, h) in &r {
                self.push_held(*col, h);
            }
            self.end_row();
        }
    }

    fn push_held(&mut self, col: u32, h: &Held) {
        if let SheetState::Reading { table, columns } = &mut self.state {
            let c = col as usize;
            if columns.len() <= c {
                columns.resize(c + 1, None);
            }
            let i =
                *columns[c].get_or_insert_with(|| table.add_column(&format!("column_{}", c + 1)));
            table.column_mut(i).push(h.cell());
            self.row_has_value = true;
        }
    }

    /// Whether no cell has been pushed.
    pub fn is_empty(&self) -> bool {
        match &self.state {
            SheetState::Scanning(rows) => rows.is_empty() && self.current.is_empty(),
            SheetState::Reading { .. } => false,
        }
    }

    /// The finished table.
    pub fn finish(mut self) -> Result<ParsedTable, TableError> {
        self.end_row();
        self.start_reading();
        let SheetState::Reading { table, .. } = self.state else {
            unreachable!("start_reading leaves the sheet reading")
        };
        let mut parsed = table.finish()?;
        parsed.preamble = self.preamble;
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(span: usize, filled: usize) -> RowShape {
        RowShape { span, filled }
    }

    #[test]
    fn titles_are_not_headers() {
        assert_eq!(find_header(&[]), 0);
        assert_eq!(find_header(&[shape(1, 1)]), 0);
        assert_eq!(find_header(&[shape(5, 5), shape(5, 5)]), 0);
        // Title, blank, header, data (one data row with trailing blanks).
        let rows = [
            shape(1, 1),
            shape(0, 0),
            shape(6, 6),
            shape(6, 6),
            shape(4, 3),
            shape(6, 5),
        ];
        assert_eq!(find_header(&rows), 2);
        // A malformed wider row does not move the header.
        let rows = [shape(6, 6), shape(6, 6), shape(7, 7), shape(6, 6)];
        assert_eq!(find_header(&rows), 0);
        // Two columns: a one-cell title is skipped.
        assert_eq!(find_header(&[shape(1, 1), shape(2, 2), shape(2, 2)]), 1);
    }

    #[test]
    fn a_sheet_with_a_title_and_extra_cells() {
        use crate::tables::column::ColumnKind;
        let mut s = SheetBuilder::new();
        s.push(0, 0, Cell::Str("企业风险变化汇总"));
        s.push(2, 1, Cell::Str("企业名称"));
        s.push(2, 2, Cell::Str("类型"));
        s.push(2, 4, Cell::Str("日期"));
        for r in 3..40u32 {
            s.push(r, 1, Cell::Str("甲公司"));
            s.push(r, 2, Cell::Float(11.0));
            s.push(r, 4, Cell::When(i64::from(r) * MS_PER_DAY));
        }
        s.push(40, 6, Cell::Str("备注"));
        let t = s.finish().unwrap();
        let names: Vec<_> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["企业名称", "类型", "column_4", "日期", "column_7"]);
        assert_eq!(t.rows, 38);
        assert_eq!(t.preamble, ["企业风险变化汇总"]);
        assert_eq!(t.columns[1].kind(), ColumnKind::Int);
        assert_eq!(t.columns[3].kind(), ColumnKind::Date);
        assert_eq!(
            t.columns[4]
                .valid
                .as_ref()
                .unwrap()
                .iter()
                .filter(|v| **v)
                .count(),
            1
        );
        assert!(SheetBuilder::new().is_empty());
    }

    #[test]
    fn names() {
        assert_eq!(header_names(["a", "", "a"]), ["a", "column_2", "a"]);
    }
}
