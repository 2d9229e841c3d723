//! A report and a report's status, as Java receives them.
//!
//! `com.qccradar.Report` and `ReportInfo` are built on the Java side from a `String[]`, because
//! building Java records from Rust would mean looking their classes up by name (which depends
//! on the calling thread's class loader, and fails on runtime threads). The layouts below are
//! the contract with `Report.fromNative` and `ReportInfo.fromNative`.

use std::path::Path;

use qcc_radar::{Report, ReportInfo};

use crate::errors::internal;
use crate::results::{Outcome, Payload};

/// `[status letter, url, expiresAt seconds, redacted url]`, the last three possibly null.
pub(crate) fn info_payload(info: &ReportInfo) -> Payload {
    Payload::Texts(vec![
        Some(info.status.as_letter().to_string()),
        info.link.as_ref().map(|l| l.expose().to_string()),
        info.expires_at.map(|e| e.to_string()),
        info.link.as_ref().map(|l| l.redacted()),
    ])
}

/// `[orderNo, reportType or null, archive, folder, file...]`.
pub(crate) fn report_payload(report: &Report) -> Outcome {
    let mut items = vec![
        Some(report.order_no.as_str().to_string()),
        report.report_type.map(|t| t.as_str().to_string()),
        Some(path_text(&report.archive)?),
        Some(path_text(&report.folder)?),
    ];
    for file in &report.files {
        items.push(Some(path_text(file)?));
    }
    Ok(Payload::Texts(items))
}

/// A path as a Java string; Java's file names are Unicode, so a non-UTF-8 one cannot cross.
pub(crate) fn path_text(path: &Path) -> qcc_radar::Result<String> {
    path.to_str().map(str::to_string).ok_or_else(|| {
        internal(format!(
            "the path {} is not valid UTF-8 and cannot be given to Java",
            path.display()
        ))
    })
}
