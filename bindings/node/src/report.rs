//! What the client's answers look like on the JavaScript side.
//!
//! Plain objects, not classes: a report is data a caller logs, serialises and compares.
//! `expiresAt` crosses as Unix seconds and becomes a `Date` in `index.js`, because a napi
//! `Date` can only be made on the JS thread and these objects are built on a worker.

use napi_derive::napi;
use qcc_radar::{Report, ReportInfo};

/// getReportInfo's answer, as the native layer returns it.
#[napi(object)]
pub struct NativeReportInfo {
    /// `P` (being made), `S` (made) or `F` (failed).
    pub status: String,
    /// The signed download link when `S`; a bearer credential until it expires.
    pub url: Option<String>,
    /// The link's expiry, Unix seconds.
    pub expires_at_secs: Option<f64>,
}

impl From<ReportInfo> for NativeReportInfo {
    fn from(info: ReportInfo) -> Self {
        NativeReportInfo {
            status: info.status.as_letter().to_string(),
            url: info.link.as_ref().map(|l| l.expose().to_string()),
            expires_at_secs: info.expires_at.map(|s| s as f64),
        }
    }
}

/// A report on disk, as the native layer returns it.
#[napi(object)]
pub struct NativeReport {
    /// The order it was made for.
    pub order_no: String,
    /// `day`, `week` or `month`, when known.
    pub report_type: Option<String>,
    /// The kept zip: `<outDir>/<orderNo>.zip`.
    pub archive: String,
    /// The folder it was extracted into: `<outDir>/<orderNo>/`.
    pub folder: String,
    /// The extracted files, sorted.
    pub files: Vec<String>,
}

impl From<Report> for NativeReport {
    fn from(r: Report) -> Self {
        NativeReport {
            order_no: r.order_no.as_str().to_string(),
            report_type: r.report_type.map(|t| t.as_str().to_string()),
            archive: r.archive.to_string_lossy().into_owned(),
            folder: r.folder.to_string_lossy().into_owned(),
            files: r
                .files
                .iter()
                .map(|f| f.to_string_lossy().into_owned())
                .collect(),
        }
    }
}
