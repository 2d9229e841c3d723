//! What the command prints, and where.
//!
//! Scripts read stdout and people read stderr, so the two never mix: with `--json`, stdout holds
//! exactly one JSON object (the result, or `{"status": "error", ...}`) and everything else goes
//! to stderr; without it, stdout holds a short plain result (an order number, paths) that
//! `$(...)` can capture. `--quiet` silences a job's summary (so cron mails only failures) but
//! not an answer that is the point of the command (`create`'s order number). Errors always
//! reach stderr, even with `--quiet`, since a cron job's only reader is its mail. The JSON
//! shapes are part of the contract (DESIGN.md and this crate's README); they are serialised
//! from structs, so their keys keep the documented order.

use std::io::Write;
use std::path::{Path, PathBuf};

use qcc_radar::{Error, OrderNo, ReportInfo, ReportStatus, ReportType};
use serde::Serialize;

use crate::progress;

/// A command's result: its JSON object and its plain text.
pub struct Success {
    /// The object printed with `--json`, serialised (fields in the documented order).
    pub json: Option<String>,
    /// The text printed on stdout without `--json`.
    pub human: String,
    /// Whether the text is the answer itself (an order number, a status, headers), printed even
    /// with `--quiet`; a job's summary (`fetch`, `download`, `demo`) is not.
    pub is_answer: bool,
}

impl Success {
    /// A result printing `json` with `--json` and `human` otherwise.
    pub fn new(json: &impl Serialize, human: String) -> Success {
        Success {
            json: Some(to_json(json)),
            human,
            is_answer: false,
        }
    }

    /// Like [`Success::new`], for text that `--quiet` must not silence.
    pub fn answer(json: &impl Serialize, human: String) -> Success {
        Success {
            is_answer: true,
            ..Success::new(json, human)
        }
    }

    /// A result with nothing further to print (the sandbox already printed its line).
    pub fn nothing() -> Success {
        Success {
            json: None,
            human: String::new(),
            is_answer: false,
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
            order_no: error.order_no().cloned(),
            error,
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

/// Writes `text` to stdout and flushes it, ignoring a closed stdout.
pub fn write_stdout(text: &str) {
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
        } else if (!self.quiet || s.is_answer) && !s.human.is_empty() {
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
            write_stdout(&format!(
                "{}\n",
                to_json(&ErrorOut::new(&f.error, f.order_no.as_ref()))
            ));
        }
        progress::eprint_line(&format!("error: {}", f.error));
    }
}

/// Serialises an output object. Our shapes hold only strings, numbers and lists, which
/// always serialise; the fallback keeps stdout valid JSON all the same.
pub fn to_json(v: &impl Serialize) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| {
        r#"{"status":"error","kind":"internal","message":"the result could not be encoded as JSON"}"#
            .to_string()
    })
}

/// `{"status": "error", "kind", "code", "message", "server_message", "order_no"}`.
#[derive(Debug, Serialize)]
pub struct ErrorOut<'a> {
    /// Always `error`.
    pub status: &'static str,
    /// The error kind (`auth`, `quota`, `timeout` …).
    pub kind: &'static str,
    /// The API's status code, when it answered with one.
    pub code: Option<i32>,
    /// What happened and what to do.
    pub message: &'a str,
    /// The server's own `msg`, when there was one.
    pub server_message: Option<&'a str>,
    /// The order concerned, when there is one.
    pub order_no: Option<&'a str>,
}

impl<'a> ErrorOut<'a> {
    /// The object for `e`.
    pub fn new(e: &'a Error, order_no: Option<&'a OrderNo>) -> Self {
        ErrorOut {
            status: "error",
            kind: e.kind().as_str(),
            code: e.code(),
            message: e.message(),
            server_message: e.server_message(),
            order_no: order_no.map(OrderNo::as_str),
        }
    }
}

/// A path for output: as text, lossily for non-UTF-8 names.
pub fn path_text(p: &Path) -> String {
    p.display().to_string()
}

/// The shape shared by `fetch`, `download` and `demo` (DESIGN.md):
/// `{"status": "ready"|"no_change", "order_no", "report_type", "archive", "files"}`.
#[derive(Clone, Debug, Serialize)]
pub struct ReportOut {
    /// `ready` or `no_change`.
    pub status: &'static str,
    /// The order, or null for no change.
    pub order_no: Option<String>,
    /// `day`, `week` or `month`.
    pub report_type: Option<&'static str>,
    /// The kept zip, or null.
    pub archive: Option<String>,
    /// The extracted files.
    pub files: Vec<String>,
}

impl ReportOut {
    /// A report on disk.
    pub fn ready(
        order_no: &OrderNo,
        report_type: Option<ReportType>,
        archive: &Path,
        files: &[PathBuf],
    ) -> Self {
        ReportOut {
            status: "ready",
            order_no: Some(order_no.to_string()),
            report_type: report_type.map(ReportType::as_str),
            archive: Some(path_text(archive)),
            files: files.iter().map(|f| path_text(f)).collect(),
        }
    }

    /// No risk changes, so no report.
    pub fn no_change(report_type: ReportType) -> Self {
        ReportOut {
            status: "no_change",
            order_no: None,
            report_type: Some(report_type.as_str()),
            archive: None,
            files: Vec::new(),
        }
    }
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

/// The shape of `status` and `wait`: `{"status": "pending"|"ready"|"failed", "report_status":
/// "P"|"S"|"F", "order_no", "report_type", "url", "expires_at"}`. `url` is the signed
/// download link, valid until `expires_at` (Unix seconds).
#[derive(Debug, Serialize)]
pub struct InfoOut {
    /// `pending`, `ready` or `failed`.
    pub status: &'static str,
    /// The API's letter.
    pub report_status: &'static str,
    /// The order.
    pub order_no: String,
    /// From the order number's prefix, when it has a known one.
    pub report_type: Option<&'static str>,
    /// The signed download link, when ready.
    pub url: Option<String>,
    /// When the link expires.
    pub expires_at: Option<u64>,
}

impl InfoOut {
    /// The object for `info`.
    pub fn new(order_no: &OrderNo, info: &ReportInfo) -> Self {
        InfoOut {
            status: status_word(info.status),
            report_status: info.status.as_letter(),
            order_no: order_no.to_string(),
            report_type: order_no.report_type().map(ReportType::as_str),
            url: info.link.as_ref().map(|l| l.expose().to_string()),
            expires_at: info.expires_at,
        }
    }
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
