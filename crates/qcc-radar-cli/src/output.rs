//! What the command prints, and where.
//!
//! Scripts read stdout and people read stderr, so the two never mix: with `--json`, stdout holds
//! exactly one JSON object (the result, or `{"status": "error", ...}`) and everything else goes
//! to stderr; without it, stdout holds a short plain result (an order number, paths) that
//! `$(...)` can capture and `--quiet` silences. Errors always reach stderr, even with
//! `--quiet`, since a cron job's only reader is its mail. The JSON shapes are part of the
//! contract (DESIGN.md and this crate's README) and are built only in this file.

use std::io::Write;
use std::path::{Path, PathBuf};

use qcc_radar::{Error, OrderNo, ReportInfo, ReportStatus, ReportType};
use serde_json::{json, Value};

use crate::progress;

/// A command's result: its JSON object and its plain text.
pub struct Success {
    /// The object printed with `--json`.
    pub json: Option<Value>,
    /// The text printed on stdout without `--json` (unless `--quiet`).
    pub human: String,
}

impl Success {
    /// A result with nothing further to print (the sandbox already printed its line).
    pub fn nothing() -> Success {
        Success {
            json: None,
            human: String::new(),
        }
    }
}

/// A command's failure: the error, and the order it concerns when there is one (so a timed-out
/// wait says which order to resume).
#[derive(Debug)]
pub struct Failure {
    /// What went wrong.
    pub error: Error,
    /// The order concerned, if any.
    pub order_no: Option<OrderNo>,
    /// An exit status other than the kind's (143 after SIGTERM).
    pub exit_code: Option<i32>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            error,
            order_no: None,
            exit_code: None,
        }
    }
}

impl Failure {
    /// Attaches the order concerned.
    pub fn with_order(mut self, order_no: Option<OrderNo>) -> Self {
        if self.order_no.is_none() {
            self.order_no = order_no;
        }
        self
    }

    /// The process exit status (DESIGN.md's table; 130 for an interrupt).
    pub fn exit_code(&self) -> i32 {
        self.exit_code
            .unwrap_or_else(|| self.error.kind().exit_code())
    }
}

/// How results are printed, from the global options.
#[derive(Clone, Copy, Debug)]
pub struct Printer {
    /// `--json`.
    pub json: bool,
    /// `--quiet`.
    pub quiet: bool,
}

fn write_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed stdout (`| head`) is not worth a panic; the exit status still tells.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

impl Printer {
    /// Prints a success.
    pub fn success(&self, s: &Success) {
        if self.json {
            if let Some(v) = &s.json {
                write_stdout(&format!("{v}\n"));
            }
        } else if !self.quiet && !s.human.is_empty() {
            let mut text = s.human.clone();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            write_stdout(&text);
        }
    }

    /// Prints a failure: the message on stderr always, and the JSON error object on stdout
    /// with `--json`.
    pub fn failure(&self, f: &Failure) {
        if self.json {
            write_stdout(&format!("{}\n", error_json(&f.error, f.order_no.as_ref())));
        }
        progress::eprint_line(&format!("error: {}", f.error));
    }
}

/// `{"status": "error", "kind", "code", "message", "server_message", "order_no"}`.
pub fn error_json(e: &Error, order_no: Option<&OrderNo>) -> Value {
    json!({
        "status": "error",
        "kind": e.kind().as_str(),
        "code": e.code(),
        "message": e.message(),
        "server_message": e.server_message(),
        "order_no": order_no.map(OrderNo::as_str),
    })
}

/// A path for output: as text, lossily for non-UTF-8 names.
pub fn path_text(p: &Path) -> String {
    p.display().to_string()
}

/// The shape shared by `fetch`, `download` and `demo`:
/// `{"status", "order_no", "report_type", "archive", "files"}`.
pub fn report_json(
    status: &str,
    order_no: Option<&OrderNo>,
    report_type: Option<ReportType>,
    archive: Option<&Path>,
    files: &[PathBuf],
) -> Value {
    json!({
        "status": status,
        "order_no": order_no.map(OrderNo::as_str),
        "report_type": report_type.map(ReportType::as_str),
        "archive": archive.map(path_text),
        "files": files.iter().map(|f| path_text(f)).collect::<Vec<_>>(),
    })
}

/// The plain text of a report on disk.
pub fn report_human(
    order_no: &OrderNo,
    archive: &Path,
    folder: &Path,
    files: &[PathBuf],
) -> String {
    let mut s = format!(
        "report {order_no} ready\narchive: {}\nfolder:  {}\nfiles:   {}\n",
        archive.display(),
        folder.display(),
        files.len()
    );
    for f in files {
        s.push_str(&format!("  {}\n", f.display()));
    }
    s
}

/// The word for a report status: `pending`, `ready` or `failed`.
pub fn status_word(status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::Pending => "pending",
        ReportStatus::Succeeded => "ready",
        ReportStatus::Failed => "failed",
    }
}

/// The shape of `status` and `wait`: `{"status", "report_status", "order_no", "report_type",
/// "url", "expires_at"}`. `url` is the signed download link (valid until `expires_at`).
pub fn info_json(order_no: &OrderNo, info: &ReportInfo) -> Value {
    json!({
        "status": status_word(info.status),
        "report_status": info.status.as_letter(),
        "order_no": order_no.as_str(),
        "report_type": order_no.report_type().map(ReportType::as_str),
        "url": info.link.as_ref().map(|l| l.expose()),
        "expires_at": info.expires_at,
    })
}

/// The plain text of `status` and `wait`.
pub fn info_human(order_no: &OrderNo, info: &ReportInfo) -> String {
    let mut s = format!(
        "{order_no} {} ({})\n",
        status_word(info.status),
        info.status.as_letter()
    );
    if let Some(link) = &info.link {
        s.push_str(link.expose());
        s.push('\n');
    }
    s
}
