//! CSV into a table, fed in pieces, in UTF-8 or GB18030.
//!
//! The parser is push-based (the caller reads the file and hands over chunks), so a large
//! report never sits in memory twice: only the columns grow. Fields are split on the raw bytes
//! and decoded one by one straight into their column. That is sound for GBK and GB18030 too:
//! their trail bytes are 0x30–0x39 or 0x40 and above, never `,` `"` CR or LF, so a delimiter
//! byte is always a delimiter. The caller picks the encoding (see `qcc_radar_tables`: a
//! byte-order mark, else UTF-8 when the whole file is valid UTF-8, else GB18030, the superset
//! of GBK that Chinese Windows tooling writes).
//!
//! Quoted fields may hold delimiters, quotes (`""`) and line breaks. A row whose field count
//! differs from the header's (an unquoted comma inside a company name, a truncated line) cannot
//! be lined up with the columns without guessing, so it is kept whole instead: its cells are
//! null and its original text goes into an extra text column, [`RAW_ROW_COLUMN`]. That holds
//! even when the extra fields are empty: `5,广州港航（广州,南沙）,…,` has as many fields as
//! a good row with a trailing comma, and only counting catches it. Rows with no value at all
//! are skipped, as blank lines are.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

use super::column::{ParsedTable, TableBuilder, TableError};
use super::grid::{find_header, header_names, RowShape, HEADER_SCAN_ROWS};

/// The column that holds the original text of rows that do not fit the header.
pub const RAW_ROW_COLUMN: &str = "_raw_row";

/// A text encoding a CSV is read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 (a byte-order mark, if any, is skipped).
    Utf8,
    /// GB18030, which reads GBK and GB2312 alike.
    Gb18030,
}

/// Reads a CSV fed in chunks (see the module comment).
#[derive(Debug)]
pub struct CsvParser {
    reader: Reader,
    encoding: TextEncoding,
    label: &'static str,
    out: Vec<u8>,
    outlen: usize,
    ends: Vec<usize>,
    endlen: usize,
    raw: Vec<u8>,
    size_hint: Option<u64>,
    stats: Stats,
    head: Option<Vec<u8>>,
    state: State,
}

#[derive(Debug)]
struct Pending {
    fields: Vec<String>,
    raw: String,
}

#[derive(Debug)]
enum State {
    Scanning(Vec<Pending>),
    Reading {
        table: TableBuilder,
        width: usize,
        raw_col: Option<usize>,
        preamble: Vec<String>,
    },
}

/// What decoding has met so far, and its scratch space.
#[derive(Clone, Debug, Default)]
struct Stats {
    /// Fields with bytes that were not valid in the encoding.
    invalid: usize,
    /// Fields with valid non-ASCII text.
    non_ascii: usize,
    /// Where GB18030 fields are decoded before they are appended to their column.
    scratch: String,
}

fn decode_into(encoding: TextEncoding, bytes: &[u8], buf: &mut String, stats: &mut Stats) {
    if bytes.is_ascii() {
        // ASCII reads the same in both encodings.
        buf.push_str(std::str::from_utf8(bytes).unwrap_or_default());
        return;
    }
    match encoding {
        TextEncoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(s) => {
                stats.non_ascii += 1;
                buf.push_str(s);
            }
            Err(_) => {
                stats.invalid += 1;
                buf.push_str(&String::from_utf8_lossy(bytes));
            }
        },
        TextEncoding::Gb18030 => {
            // Into a reused scratch `str`, then appended: `Decoder::decode_to_string` would
            // first make the column's whole spare capacity (reserved for the file) part of the
            // string, once per field, which made a 200,000-row GBK file 25 times slower.
            let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
            let need = decoder
                .max_utf8_buffer_length(bytes.len())
                .unwrap_or(bytes.len() * 4);
            let scratch = &mut stats.scratch;
            if scratch.len() < need {
                *scratch = "\0".repeat(need.max(256));
            }
            let (_, _, written, had_errors) =
                decoder.decode_to_str(bytes, scratch.as_mut_str(), true);
            buf.push_str(&scratch[..written]);
            if had_errors {
                stats.invalid += 1;
            } else {
                stats.non_ascii += 1;
            }
        }
    }
}

fn trim_line(raw: &[u8]) -> &[u8] {
    let start = raw
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .unwrap_or(raw.len());
    let end = raw
        .iter()
        .rposition(|&b| b != b'\r' && b != b'\n')
        .map_or(start, |e| e + 1);
    &raw[start..end.max(start)]
}

impl CsvParser {
    /// A parser for text in `encoding`, fields separated by `delimiter` (`b','`, `b'\t'`);
    /// `label` names the encoding in the finished table (`UTF-8 with BOM`, `GB18030` …).
    pub fn new(encoding: TextEncoding, label: &'static str, delimiter: u8) -> Self {
        CsvParser {
            reader: ReaderBuilder::new().delimiter(delimiter).build(),
            encoding,
            label,
            out: vec![0; 4096],
            outlen: 0,
            ends: vec![0; 64],
            endlen: 0,
            raw: Vec::new(),
            size_hint: None,
            stats: Stats::default(),
            head: Some(Vec::new()),
            state: State::Scanning(Vec::new()),
        }
    }

    /// Tells the parser the input's total size, so columns can reserve their room once instead
    /// of growing many times.
    pub fn size_hint(mut self, bytes: u64) -> Self {
        self.size_hint = Some(bytes);
        self
    }

    /// Parses the next piece of input (any size; records may span pieces).
    pub fn feed(&mut self, input: &[u8]) {
        // A UTF-8 byte-order mark is dropped even when it arrives split across pieces.
        if let Some(head) = &mut self.head {
            head.extend_from_slice(input);
            if head.len() < 3 {
                return;
            }
            let head = self.head.take().unwrap_or_default();
            let body = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&head);
            self.feed_body(body);
            return;
        }
        self.feed_body(input);
    }

    fn feed_body(&mut self, mut input: &[u8]) {
        while !input.is_empty() {
            if !self.step(&mut input) {
                break;
            }
        }
    }

    /// One call into the reader; false once the input is used up.
    fn step(&mut self, input: &mut &[u8]) -> bool {
        let (res, nin, nout, nend) = self.reader.read_record(
            input,
            &mut self.out[self.outlen..],
            &mut self.ends[self.endlen..],
        );
        self.raw.extend_from_slice(&input[..nin]);
        *input = &input[nin..];
        self.outlen += nout;
        self.endlen += nend;
        match res {
            ReadRecordResult::InputEmpty => false,
            ReadRecordResult::OutputFull => {
                let n = self.out.len() * 2;
                self.out.resize(n, 0);
                true
            }
            ReadRecordResult::OutputEndsFull => {
                let n = self.ends.len() * 2;
                self.ends.resize(n, 0);
                true
            }
            ReadRecordResult::Record => {
                self.record();
                true
            }
            ReadRecordResult::End => false,
        }
    }

    fn record(&mut self) {
        let fields = &self.ends[..self.endlen];
        let out = &self.out[..self.outlen];
        let field = |i: usize| &out[if i == 0 { 0 } else { fields[i - 1] }..fields[i]];
        let n = fields.len();
        let blank = (0..n).all(|i| field(i).is_empty());
        if !blank {
            let (encoding, replaced) = (self.encoding, &mut self.stats);
            let raw = &self.raw;
            match &mut self.state {
                State::Scanning(rows) => {
                    let fields = (0..n)
                        .map(|i| {
                            let mut s = String::new();
                            decode_into(encoding, field(i), &mut s, replaced);
                            s
                        })
                        .collect();
                    let mut text = String::new();
                    decode_into(encoding, trim_line(raw), &mut text, replaced);
                    rows.push(Pending { fields, raw: text });
                    if rows.len() >= HEADER_SCAN_ROWS {
                        self.start_reading();
                    }
                }
                State::Reading {
                    table,
                    width,
                    raw_col,
                    ..
                } => {
                    let fits = n == *width;
                    if fits {
                        for i in 0..*width {
                            table.column_mut(i).push_text_with(true, |b| {
                                decode_into(encoding, field(i), b, replaced)
                            });
                        }
                    } else {
                        let c = *raw_col.get_or_insert_with(|| table.add_column(RAW_ROW_COLUMN));
                        table.column_mut(c).push_text_with(false, |b| {
                            decode_into(encoding, trim_line(raw), b, replaced)
                        });
                    }
                    table.end_row();
                }
            }
        }
        self.outlen = 0;
        self.endlen = 0;
        self.raw.clear();
    }

    /// Picks the header among the rows seen so far and replays the rest as data.
    fn start_reading(&mut self) {
        if !matches!(self.state, State::Scanning(_)) {
            return;
        }
        let State::Scanning(rows) = std::mem::replace(&mut self.state, State::Scanning(Vec::new()))
        else {
            unreachable!("checked above")
        };
        let shapes: Vec<RowShape> = rows
            .iter()
            .map(|r| RowShape {
                span: r
                    .fields
                    .iter()
                    .rposition(|f| !f.is_empty())
                    .map_or(0, |i| i + 1),
                filled: r.fields.iter().filter(|f| !f.is_empty()).count(),
            })
            .collect();
        let h = find_header(&shapes);
        let mut table = TableBuilder::new();
        let mut preamble = Vec::new();
        let mut width = 0;
        let mut rest = rows.into_iter();
        for r in rest.by_ref().take(h) {
            preamble.push(r.raw);
        }
        if let Some(header) = rest.next() {
            width = header.fields.len();
            let names = header_names(header.fields.iter().map(String::as_str));
            let sample: Vec<Pending> = rest.collect();
            // Room for the whole file, estimated from the rows seen so far.
            let est_rows = match (self.size_hint, sample.is_empty()) {
                (Some(size), false) => {
                    let raw_per_row =
                        sample.iter().map(|r| r.raw.len() + 2).sum::<usize>() / sample.len();
                    (size as usize / raw_per_row.max(1)) + sample.len()
                }
                _ => sample.len(),
            };
            for (i, name) in names.iter().enumerate() {
                let bytes: usize = sample
                    .iter()
                    .map(|r| r.fields.get(i).map_or(0, String::len))
                    .sum();
                let per_row = bytes.div_ceil(sample.len().max(1));
                table.add_column_with_capacity(name, est_rows, per_row * est_rows);
            }
            self.state = State::Reading {
                table,
                width,
                raw_col: None,
                preamble,
            };
            for r in sample {
                self.replay(r);
            }
            return;
        }
        self.state = State::Reading {
            table,
            width,
            raw_col: None,
            preamble,
        };
    }

    fn replay(&mut self, r: Pending) {
        let State::Reading {
            table,
            width,
            raw_col,
            ..
        } = &mut self.state
        else {
            return;
        };
        let n = r.fields.len();
        let fits = n == *width;
        if fits {
            for (i, f) in r.fields.iter().take(*width).enumerate() {
                table.column_mut(i).push_text_with(true, |b| b.push_str(f));
            }
        } else {
            let c = *raw_col.get_or_insert_with(|| table.add_column(RAW_ROW_COLUMN));
            table
                .column_mut(c)
                .push_text_with(false, |b| b.push_str(&r.raw));
        }
        table.end_row();
    }

    /// Whether the text read so far looks like it is not in the parser's encoding: some fields
    /// failed to decode, at least as many as decoded to non-ASCII text. A UTF-8 parser that
    /// says so early is reading GBK; the caller starts again in GB18030. (A UTF-8 file with a
    /// few damaged bytes is not misread as GBK for them: its valid fields outnumber them.)
    pub fn looks_misdecoded(&self) -> bool {
        self.stats.invalid > 0 && self.stats.invalid >= self.stats.non_ascii
    }

    /// Ends the input and returns the table.
    pub fn finish(mut self) -> Result<ParsedTable, TableError> {
        if let Some(head) = self.head.take() {
            let body = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&head);
            self.feed_body(body);
        }
        let mut empty: &[u8] = &[];
        loop {
            let before = (self.outlen, self.endlen);
            let (res, _, nout, nend) = self.reader.read_record(
                empty,
                &mut self.out[self.outlen..],
                &mut self.ends[self.endlen..],
            );
            self.outlen += nout;
            self.endlen += nend;
            match res {
                ReadRecordResult::Record => self.record(),
                ReadRecordResult::OutputFull => {
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::End => break,
                ReadRecordResult::InputEmpty => {
                    if before == (self.outlen, self.endlen) {
                        break;
                    }
                }
            }
            empty = &[];
        }
        self.start_reading();
        let State::Reading {
            table, preamble, ..
        } = self.state
        else {
            unreachable!("start_reading leaves the parser reading")
        };
        let mut parsed = table.finish()?;
        parsed.preamble = preamble;
        parsed.encoding = Some(self.label);
        if self.stats.invalid > 0 {
            parsed.metadata.push((
                "qcc_radar.decode_errors".into(),
                format!(
                    "some bytes were not valid {}; they read as U+FFFD",
                    self.label
                ),
            ));
        }
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::super::column::{ColumnData, ColumnKind};
    use super::*;

    fn parse(bytes: &[u8], encoding: TextEncoding, chunk: usize) -> ParsedTable {
        let mut p = CsvParser::new(encoding, "test", b',');
        for c in bytes.chunks(chunk) {
            p.feed(c);
        }
        p.finish().unwrap()
    }

    fn text(t: &ParsedTable, col: usize, row: usize) -> Option<String> {
        let c = &t.columns[col];
        if !c.valid.as_ref().is_none_or(|v| v[row]) {
            return None;
        }
        match &c.data {
            ColumnData::Text { values, offsets } => {
                Some(values[offsets[row] as usize..offsets[row + 1] as usize].to_string())
            }
            ColumnData::Int(v) => Some(v[row].to_string()),
            other => Some(format!("{other:?}")),
        }
    }

    #[test]
    fn quoted_fields_bom_and_pieces() {
        let csv = "\u{feff}名称,金额,备注\r\n\"甲公司,北京\",12,\"多\r\n行 \"\"引号\"\"\"\r\n乙公司,7,\r\n";
        for chunk in [1, 2, 3, 7, 4096] {
            let t = parse(csv.as_bytes(), TextEncoding::Utf8, chunk);
            let names: Vec<_> = t.columns.iter().map(|c| c.name.as_str()).collect();
            assert_eq!(names, ["名称", "金额", "备注"], "chunk {chunk}");
            assert_eq!(t.rows, 2);
            assert_eq!(text(&t, 0, 0).as_deref(), Some("甲公司,北京"));
            assert_eq!(text(&t, 2, 0).as_deref(), Some("多\r\n行 \"引号\""));
            assert_eq!(text(&t, 2, 1), None);
            assert_eq!(t.columns[1].kind(), ColumnKind::Int);
        }
    }

    #[test]
    fn gbk_is_decoded_per_field() {
        let (gbk, _, _) =
            encoding_rs::GBK.encode("企业名称,变更日期\r\n示例科技有限公司,2024-05-01\r\n");
        for chunk in [1, 5, 4096] {
            let t = parse(&gbk, TextEncoding::Gb18030, chunk);
            assert_eq!(t.columns[0].name, "企业名称");
            assert_eq!(text(&t, 0, 0).as_deref(), Some("示例科技有限公司"));
            assert_eq!(t.columns[1].kind(), ColumnKind::Date);
            assert!(t.metadata.is_empty());
        }
    }

    #[test]
    fn a_row_that_does_not_fit_is_kept_whole() {
        let csv = "风险监控日报\n\na,b,c\n1,2,3\n4,5,6\n7,8,9,10\n11,12\n";
        let t = parse(csv.as_bytes(), TextEncoding::Utf8, 3);
        assert_eq!(t.preamble, ["风险监控日报"]);
        let names: Vec<_> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", RAW_ROW_COLUMN]);
        assert_eq!(t.rows, 4);
        assert_eq!(t.columns[0].kind(), ColumnKind::Int);
        assert_eq!(text(&t, 3, 2).as_deref(), Some("7,8,9,10"));
        assert_eq!(text(&t, 3, 3).as_deref(), Some("11,12"));
        assert_eq!(text(&t, 0, 2), None);
        assert_eq!(text(&t, 3, 0), None);
    }

    #[test]
    fn many_rows_past_the_scan() {
        let mut csv = String::from("id,name\n");
        for i in 0..100 {
            csv.push_str(&format!("{i},n{i}\n"));
        }
        let t = {
            let mut p =
                CsvParser::new(TextEncoding::Utf8, "UTF-8", b',').size_hint(csv.len() as u64);
            p.feed(csv.as_bytes());
            p.finish().unwrap()
        };
        assert_eq!(t.rows, 100);
        assert_eq!(t.columns[0].data, ColumnData::Int((0..100).collect()));
        assert_eq!(text(&t, 1, 99).as_deref(), Some("n99"));
        assert_eq!(t.encoding, Some("UTF-8"));
    }

    #[test]
    fn gbk_read_as_utf8_says_so() {
        let (gbk, _, _) = encoding_rs::GBK.encode("企业名称\r\n示例科技\r\n");
        let mut p = CsvParser::new(TextEncoding::Utf8, "UTF-8", b',');
        p.feed(&gbk);
        assert!(p.looks_misdecoded());
        let mut p = CsvParser::new(TextEncoding::Utf8, "UTF-8", b',');
        p.feed("名称\n甲\n乙\n".as_bytes());
        p.feed(b"\xff\n");
        assert!(!p.looks_misdecoded());
        let t = p.finish().unwrap();
        assert!(t.metadata[0].1.contains("U+FFFD"));
    }

    #[test]
    fn nothing_but_blank_lines() {
        let t = parse(b"\r\n\r\n", TextEncoding::Utf8, 4096);
        assert_eq!((t.rows, t.columns.len()), (0, 0));
    }
}
