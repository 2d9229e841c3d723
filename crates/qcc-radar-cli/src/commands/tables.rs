//! `tables`: a report folder's contents as tables, summarised or written out as CSV, JSON
//! Lines or Parquet; and the export `fetch --export` runs after a fetch.
//!
//! Reading is the library's (`qcc_radar::read_tables`), so the command shows exactly what
//! Python's `report.tables()` or Java's `Report.tables()` give. The CSV is UTF-8 with a
//! byte-order mark, because that is the one UTF-8 CSV that Excel on a Chinese-locale Windows
//! opens without mojibake. Each output file lands atomically (written beside its final name,
//! then renamed), so a cron job that reads the export folder never sees half a table.
//! Reading and writing are blocking work, run off the async threads so Ctrl-C still stops
//! the command.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use qcc_radar::tables::{Table, Tables};
use qcc_radar::{Error, ErrorKind};
use serde::Serialize;

use super::Ctx;
pub use crate::args::ExportFormat;
use crate::args::TablesArgs;
use crate::output::{path_text, Failure, Success};

/// One column in the summary.
#[derive(Debug, Serialize)]
struct ColumnOut {
    name: String,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// One table in the summary.
#[derive(Debug, Serialize)]
pub struct TableOut {
    name: String,
    rows: usize,
    columns: Vec<ColumnOut>,
    /// Where it was written, with `--to`.
    file: Option<String>,
}

/// A file or sheet that is not a table.
#[derive(Debug, Serialize)]
pub struct SkippedOut {
    name: String,
    kind: &'static str,
    reason: String,
}

/// `{"folder", "format", "to", "tables": [...], "skipped": [...]}`.
#[derive(Debug, Serialize)]
struct TablesOut {
    folder: String,
    format: Option<&'static str>,
    to: Option<String>,
    tables: Vec<TableOut>,
    skipped: Vec<SkippedOut>,
}

/// What an export wrote: each table's summary (with its file) and the skipped files.
pub struct Export {
    /// The tables, with the files written.
    pub tables: Vec<TableOut>,
    /// The files that are not tables.
    pub skipped: Vec<SkippedOut>,
}

impl Export {
    /// The files written, in table order.
    pub fn files(&self) -> Vec<String> {
        self.tables.iter().filter_map(|t| t.file.clone()).collect()
    }

    /// Lines for people: one per table, then the skipped files.
    pub fn human(&self, folder: &Path) -> String {
        let mut s = format!("{} tables in {}\n", self.tables.len(), folder.display());
        for t in &self.tables {
            let cols: Vec<String> = t
                .columns
                .iter()
                .map(|c| format!("{}:{}", c.name, c.kind))
                .collect();
            s.push_str(&format!(
                "  {}  {} rows × {} columns: {}\n",
                t.name,
                t.rows,
                t.columns.len(),
                cols.join(", ")
            ));
            if let Some(f) = &t.file {
                s.push_str(&format!("    -> {f}\n"));
            }
        }
        if !self.skipped.is_empty() {
            s.push_str("skipped (not tables):\n");
            for k in &self.skipped {
                s.push_str(&format!("  {}: {}\n", k.name, k.reason));
            }
        }
        s
    }
}

fn summary(t: &Table, file: Option<String>) -> TableOut {
    TableOut {
        name: t.name().to_string(),
        rows: t.num_rows(),
        columns: t
            .columns()
            .iter()
            .zip(t.column_kinds())
            .map(|(n, k)| ColumnOut {
                name: n.to_string(),
                kind: k.as_str(),
            })
            .collect(),
        file,
    }
}

/// The output path of each table under `to`: its name's folders kept, its file's extension
/// replaced by the format's, a sheet added as `#sheet` (`汇总#企业变更.csv`); when two tables
/// would share a path (`a.csv` and `a.json`), the later one keeps its source extension
/// (`a.json.csv`). Characters a file name cannot hold become `_`.
fn output_paths(tables: &Tables, to: &Path, format: ExportFormat) -> Vec<PathBuf> {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_control()
                    || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
                {
                    '_'
                } else {
                    c
                }
            })
            .collect()
    };
    let mut used = HashSet::new();
    tables
        .iter()
        .map(|t| {
            let file_part = t.name().split('#').next().unwrap_or(t.name());
            let (dirs, file) = match file_part.rsplit_once('/') {
                Some((d, f)) => (Some(d), f),
                None => (None, file_part),
            };
            let stem = Path::new(file)
                .file_stem()
                .map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned());
            let sheet = t
                .sheet()
                .map(|s| format!("#{}", clean(s)))
                .unwrap_or_default();
            let base = dirs.map_or_else(|| to.to_path_buf(), |d| to.join(d));
            let mut path = base.join(format!("{stem}{sheet}.{}", format.ext()));
            if !used.insert(path.clone()) {
                path = base.join(format!("{file}{sheet}.{}", format.ext()));
                used.insert(path.clone());
            }
            path
        })
        .collect()
}

fn write_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Io,
        format!(
            "cannot write {}: {e}; check the folder is writable and has room",
            path.display()
        ),
    )
}

/// Writes `table` to `path` atomically in `format`.
fn write_table(table: &Table, path: &Path, format: ExportFormat) -> Result<(), Error> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".qcc-radar-")
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(|e| write_error(dir, e))?;
    {
        let file: &File = tmp.as_file();
        match format {
            ExportFormat::Csv => qcc_radar::tables::write_csv(table, BufWriter::new(file))
                .map_err(|e| write_error(path, e))?,
            ExportFormat::Jsonl => qcc_radar::tables::write_jsonl(table, BufWriter::new(file))
                .map_err(|e| write_error(path, e))?,
            ExportFormat::Parquet => {
                use parquet::arrow::ArrowWriter;
                use parquet::basic::Compression;
                use parquet::file::properties::WriterProperties;
                let props = WriterProperties::builder()
                    .set_compression(Compression::SNAPPY)
                    .build();
                let mut w = ArrowWriter::try_new(BufWriter::new(file), table.schema(), Some(props))
                    .map_err(|e| write_error(path, e))?;
                w.write(table.batch()).map_err(|e| write_error(path, e))?;
                let mut inner = w.into_inner().map_err(|e| write_error(path, e))?;
                inner.flush().map_err(|e| write_error(path, e))?;
            }
        }
        file.sync_all().map_err(|e| write_error(path, e))?;
    }
    tmp.persist(path).map_err(|e| write_error(path, e.error))?;
    Ok(())
}

/// Reads `folder` and, with `to`, writes every table there in `format`. Blocking.
pub fn export(folder: &Path, to: Option<&Path>, format: ExportFormat) -> Result<Export, Error> {
    let tables = qcc_radar::read_tables(folder)?;
    let mut out = Vec::with_capacity(tables.len());
    match to {
        Some(to) => {
            for (t, path) in tables.iter().zip(output_paths(&tables, to, format)) {
                write_table(t, &path, format)?;
                out.push(summary(t, Some(path_text(&path))));
            }
        }
        None => out.extend(tables.iter().map(|t| summary(t, None))),
    }
    let skipped = tables
        .skipped
        .iter()
        .map(|s| SkippedOut {
            name: s.name.clone(),
            kind: s.reason.kind(),
            reason: s.reason.to_string(),
        })
        .collect();
    Ok(Export {
        tables: out,
        skipped,
    })
}

/// [`export`] off the async threads.
pub async fn export_blocking(
    folder: PathBuf,
    to: Option<PathBuf>,
    format: ExportFormat,
) -> Result<Export, Error> {
    tokio::task::spawn_blocking(move || export(&folder, to.as_deref(), format))
        .await
        .unwrap_or_else(|e| {
            Err(Error::new(
                ErrorKind::Internal,
                format!("reading the tables stopped unexpectedly: {e}; please report this"),
            ))
        })
}

/// Runs `tables`.
pub async fn run(_ctx: &Ctx, args: TablesArgs) -> Result<Success, Failure> {
    let TablesArgs { dir, format, to } = args;
    let format = format.unwrap_or(ExportFormat::Csv);
    if !dir.is_dir() {
        return Err(Error::config(format!(
            "{} is not a folder; pass the report's folder (DIR/<orderNo>/ after a fetch)",
            dir.display()
        ))
        .into());
    }
    let e = export_blocking(dir.clone(), to.clone(), format).await?;
    let human = e.human(&dir);
    let out = TablesOut {
        folder: path_text(&dir),
        format: to.as_ref().map(|_| format.ext()),
        to: to.as_deref().map(path_text),
        tables: e.tables,
        skipped: e.skipped,
    };
    Ok(Success::new(&out, human))
}
