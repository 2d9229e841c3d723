//! The operations Java can call, as futures that end in a [`Payload`].
//!
//! Each operation is one `qcc-radar` client call; the only work here is shaping its result
//! into strings for Java. The same future serves the blocking methods (run on the calling
//! thread by [`crate::sync_call`]) and the `*Async` ones ([`crate::async_call`]).

use std::path::{Path, PathBuf};
use std::time::Duration;

use qcc_radar::{Client, Error, FetchOptions, OrderNo, Report, ReportInfo, ReportType};

use crate::error::internal;
use crate::sink::{Outcome, Payload};

/// One call on a client, with its arguments already checked.
#[derive(Debug)]
pub(crate) enum Op {
    /// `createReport`.
    Create(ReportType),
    /// `reportInfo`.
    Info(OrderNo),
    /// `waitForReport`, with the client's default deadline when `None`.
    Wait(OrderNo, Option<Duration>),
    /// `downloadReport`.
    Download(OrderNo, PathBuf),
    /// `fetchReport`: ledger-backed, with its deadline and `newOrder`.
    Fetch(ReportType, PathBuf, FetchOptions),
}

/// Runs `op` on `client`.
pub(crate) async fn run(client: Client, op: Op) -> Outcome {
    match op {
        Op::Create(t) => Ok(match client.create_report(t).await? {
            Some(order) => Payload::Text(order.as_str().to_string()),
            None => Payload::Null,
        }),
        Op::Info(order) => Ok(info_payload(&client.report_info(&order).await?)),
        Op::Wait(order, timeout) => {
            let timeout = timeout.unwrap_or_else(|| client.wait_timeout());
            Ok(info_payload(
                &client.wait_for_report(&order, timeout).await?,
            ))
        }
        Op::Download(order, dir) => report_payload(&client.download_report(&order, &dir).await?),
        Op::Fetch(t, dir, options) => match client.fetch_report_with(t, &dir, &options).await? {
            Some(report) => report_payload(&report),
            None => Ok(Payload::Null),
        },
    }
}

/// `[status letter, url, expiresAt seconds, redacted url]`, the last three possibly null.
fn info_payload(info: &ReportInfo) -> Payload {
    Payload::Texts(vec![
        Some(info.status.as_letter().to_string()),
        info.link.as_ref().map(|l| l.expose().to_string()),
        info.expires_at.map(|e| e.to_string()),
        info.link.as_ref().map(|l| l.redacted()),
    ])
}

fn path_text(path: &Path) -> qcc_radar::Result<String> {
    path.to_str().map(str::to_string).ok_or_else(|| {
        internal(format!(
            "the path {} is not valid UTF-8 and cannot be given to Java",
            path.display()
        ))
    })
}

/// `[orderNo, reportType or null, archive, folder, file...]`.
fn report_payload(report: &Report) -> Outcome {
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

/// The cancelled error for an interrupted or cancelled call.
pub(crate) fn cancelled(how: &str) -> Error {
    Error::new(
        qcc_radar::ErrorKind::Cancelled,
        format!("the call was cancelled ({how})"),
    )
}
