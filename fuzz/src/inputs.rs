//! Input layouts: how a fuzz input's bytes become the function's arguments.
//!
//! Kept byte-oriented and trivial so that seeds can be written by a script and a crash file read
//! by eye; the whole-archive input ([`PlanInput`]) is a structure, like `extract_entries`'s.

use arbitrary::Arbitrary;

/// An API response: which endpoint answered, its Content-Type and its body.
///
/// Layout: byte 0 bit 0 selects the endpoint (0 createReport, 1 getReportInfo); byte 1 is the
/// content type's length in bytes, or 255 for none; then the content type (read as UTF-8,
/// lossily) and the rest is the body.
#[derive(Debug)]
pub struct Response<'a> {
    /// `true` for getReportInfo, `false` for createReport.
    pub report_info: bool,
    /// The Content-Type header, if any.
    pub content_type: Option<String>,
    /// The body.
    pub body: &'a [u8],
}

impl<'a> Response<'a> {
    /// Splits `data`; `None` when it is too short to hold the header bytes.
    pub fn split(data: &'a [u8]) -> Option<Self> {
        let (&selector, rest) = data.split_first()?;
        let (&ct_len, rest) = rest.split_first()?;
        let (content_type, body) = if ct_len == 255 {
            (None, rest)
        } else {
            let n = usize::from(ct_len).min(rest.len());
            let (ct, body) = rest.split_at(n);
            (Some(String::from_utf8_lossy(ct).into_owned()), body)
        };
        Some(Response {
            report_info: selector & 1 == 1,
            content_type,
            body,
        })
    }

    /// The bytes that [`Response::split`] turns back into this response.
    pub fn encode(report_info: bool, content_type: Option<&str>, body: &[u8]) -> Vec<u8> {
        let mut out = vec![u8::from(report_info)];
        match content_type {
            Some(ct) if ct.len() < 255 => {
                out.push(ct.len() as u8);
                out.extend_from_slice(ct.as_bytes());
            }
            _ => out.push(255),
        }
        out.extend_from_slice(body);
        out
    }
}

/// A raw zip entry name and its UTF-8 flag.
///
/// Layout: byte 0 bit 0 is the zip UTF-8 flag (general-purpose bit 11); the rest is the name.
pub fn split_name(data: &[u8]) -> Option<(bool, &[u8])> {
    let (&flag, raw) = data.split_first()?;
    Some((flag & 1 == 1, raw))
}

/// Pieces of names that meet under case folding or Unicode normalisation, Windows device names,
/// Windows's trimmed and forbidden characters, separators and GBK text: what an archive judged
/// whole ([`PlanEntry`]) is built from, so that the fuzzer finds collisions quickly.
pub const PLAN_PIECES: [&str; 40] = [
    "a",
    "A",
    "b",
    "\u{e9}",
    "e\u{301}",
    "\u{c9}",
    "E\u{301}",
    "\u{df}",
    "\u{1e9e}",
    "ss",
    "\u{17f}",
    "s",
    "S",
    "\u{212a}",
    "k",
    "\u{3a3}",
    "\u{3c3}",
    "\u{3c2}",
    "\u{130}",
    "i",
    "\u{307}",
    "\u{fb01}",
    "fi",
    "\u{212b}",
    "\u{c5}",
    ".",
    " ",
    "/",
    "\\",
    "..",
    "CON",
    "nul",
    "Com1",
    "LPT\u{b9}",
    ".txt",
    "?",
    "报告",
    "運",
    "\u{feff}",
    "\u{200d}",
];

/// An entry's name: raw bytes, or a string of [`PLAN_PIECES`] (each byte picks one).
#[derive(Arbitrary, Clone, Debug)]
pub enum PlanName {
    /// Any bytes at all.
    Raw(Vec<u8>),
    /// Pieces, by index modulo their number.
    Pieces(Vec<u8>),
}

impl PlanName {
    /// The raw name bytes.
    pub fn bytes(&self) -> Vec<u8> {
        match self {
            PlanName::Raw(b) => b.clone(),
            PlanName::Pieces(ix) => ix
                .iter()
                .map(|&i| PLAN_PIECES[usize::from(i) % PLAN_PIECES.len()])
                .collect::<String>()
                .into_bytes(),
        }
    }
}

/// One entry of an archive judged by `qcc_radar_core::plan_archive`, as its central directory
/// would declare it.
#[derive(Arbitrary, Clone, Debug)]
pub struct PlanEntry {
    /// The name.
    pub name: PlanName,
    /// General-purpose bit 11.
    pub utf8_flag: bool,
    /// The Unix mode.
    pub kind: crate::zip_builder::Kind,
    /// General-purpose bit 0.
    pub encrypted: bool,
    /// The declared uncompressed size.
    pub size: u32,
    /// The declared compressed size.
    pub compressed_size: u32,
}

/// A whole archive's declarations, for `archive_plan`.
#[derive(Arbitrary, Clone, Debug)]
pub struct PlanInput {
    /// The entries, in order.
    pub entries: Vec<PlanEntry>,
    /// The archive's length in bytes.
    pub archive_bytes: u32,
    /// Whether the caller can decrypt.
    pub decrypt: bool,
}
