//! Reading a report folder: which files are tables, and how each is read.
//!
//! Every regular file under the folder is looked at, in name order, and either becomes tables
//! or is listed as skipped with a reason: a report whose digest is silently missing would be
//! worse than one that says why. The extension decides the reader (`.json`; `.csv` and `.tsv`;
//! `.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`), since content sniffing would turn a stray
//! `说明.txt` into a one-column table. Symbolic links are not followed (extraction never
//! makes them; a folder from elsewhere might point outside itself).
//!
//! A CSV's encoding is decided while it is read, in one pass: a byte-order mark says UTF-8 or
//! UTF-16; otherwise it is read as UTF-8, and if the first non-ASCII fields do not decode
//! (the parser's `looks_misdecoded`) it is read again from the start as GB18030, the superset
//! of GBK. A large CSV is fed in pieces and never held whole.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use qcc_radar_core::tables::{read_json, CsvParser, ParsedTable, TextEncoding};
use qcc_radar_core::{Error, Result};

use crate::arrow::to_batch;
use crate::table::{SkipReason, Skipped, Table, Tables};
use crate::workbook::read_workbook;

/// How much of a file is read at a time.
const CHUNK: usize = 256 * 1024;

/// Reads every file under `folder` (a report's extracted folder, or any folder) into tables.
///
/// Fails only when the folder itself cannot be listed (kind `io`); a file that cannot be read
/// is listed in [`Tables::skipped`] with the reason.
pub fn read_tables(folder: impl AsRef<Path>) -> Result<Tables> {
    let folder = folder.as_ref();
    let mut files = Vec::new();
    walk(folder, folder, &mut files)?;
    files.sort();
    let mut out = Tables::default();
    for (name, path) in files {
        match read_one(&path, &name) {
            Ok((tables, skipped)) => {
                out.tables.extend(tables);
                out.skipped.extend(skipped);
            }
            Err(reason) => out.skipped.push(Skipped { name, path, reason }),
        }
    }
    Ok(out)
}

/// Reads one file into tables, naming them after its file name (a workbook gives one per
/// sheet; a sheet that is not a table is left out). The error says why the file is not a table.
pub fn read_file(path: impl AsRef<Path>) -> std::result::Result<Vec<Table>, SkipReason> {
    let path = path.as_ref();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    read_one(path, &name).map(|(t, _)| t)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Error::io(
            "cannot list the report folder",
            dir,
            &e,
            "check that the folder exists and is readable",
        )
    })?;
    for entry in entries {
        let entry = entry
            .map_err(|e| Error::io("cannot list the report folder", dir, &e, "check the folder"))?;
        let path = entry.path();
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            walk(root, &path, out)?;
        } else if ft.is_file() {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((name, path));
        }
    }
    Ok(())
}

type Read1 = (Vec<Table>, Vec<Skipped>);

fn unreadable(e: impl std::fmt::Display) -> SkipReason {
    SkipReason::Unreadable(e.to_string())
}

fn read_one(path: &Path, name: &str) -> std::result::Result<Read1, SkipReason> {
    let len = std::fs::metadata(path).map_err(unreadable)?.len();
    if len == 0 {
        return Err(SkipReason::Empty);
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let single = |parsed: ParsedTable| -> std::result::Result<Read1, SkipReason> {
        let batch = to_batch(name, parsed).map_err(unreadable)?;
        Ok((
            vec![Table::new(
                name.to_string(),
                path.to_path_buf(),
                None,
                batch,
            )],
            Vec::new(),
        ))
    };
    match ext.as_str() {
        "json" => single(read_json_file(path)?),
        "csv" => single(read_csv(path, len, b',')?),
        "tsv" => single(read_csv(path, len, b'\t')?),
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => {
            let mut tables = Vec::new();
            let mut skipped = Vec::new();
            for (sheet, parsed) in read_workbook(path, &ext)? {
                let sheet_name = format!("{name}#{sheet}");
                match parsed.and_then(|p| to_batch(&sheet_name, p).map_err(unreadable)) {
                    Ok(batch) => tables.push(Table::new(
                        sheet_name,
                        path.to_path_buf(),
                        Some(sheet),
                        batch,
                    )),
                    Err(reason) => skipped.push(Skipped {
                        name: sheet_name,
                        path: path.to_path_buf(),
                        reason,
                    }),
                }
            }
            Ok((tables, skipped))
        }
        _ => Err(SkipReason::UnknownExtension(ext)),
    }
}

/// Text encodings a byte-order mark announces.
fn bom(head: &[u8]) -> Option<(&'static encoding_rs::Encoding, &'static str, usize)> {
    if head.starts_with(b"\xef\xbb\xbf") {
        Some((encoding_rs::UTF_8, "UTF-8 with BOM", 3))
    } else if head.starts_with(b"\xff\xfe") {
        Some((encoding_rs::UTF_16LE, "UTF-16LE", 2))
    } else if head.starts_with(b"\xfe\xff") {
        Some((encoding_rs::UTF_16BE, "UTF-16BE", 2))
    } else {
        None
    }
}

fn looks_binary(head: &[u8]) -> bool {
    head[..head.len().min(8192)].contains(&0)
}

fn read_json_file(path: &Path) -> std::result::Result<ParsedTable, SkipReason> {
    let bytes = std::fs::read(path).map_err(unreadable)?;
    let (text, label) = match bom(&bytes) {
        Some((enc, label, n)) => (enc.decode_without_bom_handling(&bytes[n..]).0, label),
        None if looks_binary(&bytes) => return Err(SkipReason::Binary),
        None => match std::str::from_utf8(&bytes) {
            Ok(s) => (s.into(), "UTF-8"),
            Err(_) => (
                encoding_rs::GB18030.decode_without_bom_handling(&bytes).0,
                "GB18030",
            ),
        },
    };
    if text.trim().is_empty() {
        return Err(SkipReason::Empty);
    }
    let mut parsed = read_json(&text).map_err(|e| SkipReason::NotATable(e.0))?;
    parsed.encoding = Some(label);
    Ok(parsed)
}

fn read_csv(path: &Path, len: u64, delimiter: u8) -> std::result::Result<ParsedTable, SkipReason> {
    let mut file = File::open(path).map_err(unreadable)?;
    let mut buf = vec![0u8; CHUNK];
    let n = fill(&mut file, &mut buf).map_err(unreadable)?;
    let head = &buf[..n];
    if let Some((enc, label, skip)) = bom(head) {
        if enc != encoding_rs::UTF_8 {
            // UTF-16 is rare in reports; decode it whole and read it as UTF-8.
            let mut bytes = head.to_vec();
            file.read_to_end(&mut bytes).map_err(unreadable)?;
            let text = enc.decode_without_bom_handling(&bytes[skip..]).0;
            let mut p =
                CsvParser::new(TextEncoding::Utf8, label, delimiter).size_hint(text.len() as u64);
            p.feed(text.as_bytes());
            return finish(p);
        }
        return stream(
            &mut file,
            &mut buf,
            n,
            len,
            TextEncoding::Utf8,
            label,
            delimiter,
        );
    }
    if looks_binary(head) {
        return Err(SkipReason::Binary);
    }
    let mut p = CsvParser::new(TextEncoding::Utf8, "UTF-8", delimiter).size_hint(len);
    let mut filled = n;
    loop {
        p.feed(&buf[..filled]);
        if p.looks_misdecoded() {
            file.seek(SeekFrom::Start(0)).map_err(unreadable)?;
            let n = fill(&mut file, &mut buf).map_err(unreadable)?;
            return stream(
                &mut file,
                &mut buf,
                n,
                len,
                TextEncoding::Gb18030,
                "GB18030",
                delimiter,
            );
        }
        filled = fill(&mut file, &mut buf).map_err(unreadable)?;
        if filled == 0 {
            return finish(p);
        }
    }
}

/// Feeds the rest of `file` (the first `n` bytes already in `buf`) to a new parser.
fn stream(
    file: &mut File,
    buf: &mut [u8],
    mut n: usize,
    len: u64,
    encoding: TextEncoding,
    label: &'static str,
    delimiter: u8,
) -> std::result::Result<ParsedTable, SkipReason> {
    let mut p = CsvParser::new(encoding, label, delimiter).size_hint(len);
    while n > 0 {
        p.feed(&buf[..n]);
        n = fill(file, buf).map_err(unreadable)?;
    }
    finish(p)
}

fn finish(p: CsvParser) -> std::result::Result<ParsedTable, SkipReason> {
    let parsed = p.finish().map_err(unreadable)?;
    if parsed.columns.is_empty() {
        return Err(SkipReason::Empty);
    }
    Ok(parsed)
}

/// Reads until `buf` is full or the file ends; how many bytes.
fn fill(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
