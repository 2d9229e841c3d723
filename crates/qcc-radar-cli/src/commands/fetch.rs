//! `fetch`: the cron job. Order (or resume) a report, wait for it, download and extract it.
//!
//! All of it is the library's ledger-backed `fetch_report_with` (`qcc_radar::FetchOptions`), so
//! the command, a notebook and a Java service on one folder follow the same rules and share one
//! ledger and one lock: a re-run resumes an `ordered` order, returns a `ready` or `no_change`
//! period's result without sending anything, refuses to order over an `ordering` entry whose
//! answer was lost (`unconfirmed_order`, exit 8) and re-orders a failed period once.
//! `--new-order` orders anyway. This file only maps arguments and results.

use std::path::Path;
use std::sync::Arc;

use qcc_radar::{Client, FetchOptions, Progress, ProgressFn, ReportFolder, ReportType};

use serde::Serialize;

use super::tables::{self, ExportFormat};
use super::{prepare_out, Ctx};
use crate::args::FetchArgs;
use crate::client_config;
use crate::output::{report_human, Failure, ReportOut, Success};
use crate::progress;

/// Runs `fetch`.
pub async fn run(ctx: &Ctx, args: FetchArgs) -> Result<Success, Failure> {
    let client =
        client_config::client(&ctx.global, noting_order(ctx, progress::callback(ctx.mode)))?;
    let out = prepare_out(&args.out)?;
    let timeout = args.timeout.unwrap_or_else(|| client.wait_timeout());
    let mut options = FetchOptions::new()
        .timeout(timeout)
        .new_order(args.new_order);
    if let Some(o) = args.order {
        options = options.order_no(o);
    }
    let (report, human) = fetch_into(ctx, &client, args.report_type, &out, &options).await?;
    match args.export {
        None => Ok(Success::new(&report, human)),
        Some(format) => {
            let (exports, more) = export_tables(&out, &report, format).await?;
            let out = FetchOut { report, exports };
            Ok(Success::new(&out, human + &more))
        }
    }
}

/// `fetch`'s object with `--export`: the report's keys, then `"exports"`, the files written.
#[derive(Serialize)]
struct FetchOut {
    #[serde(flatten)]
    report: ReportOut,
    exports: Vec<String>,
}

/// `--export`: the report's tables into `DIR/<orderNo>.tables/` (nothing for no change); the
/// files written and a line for people.
async fn export_tables(
    out: &Path,
    report: &ReportOut,
    format: ExportFormat,
) -> Result<(Vec<String>, String), Failure> {
    let Some(order) = &report.order_no else {
        return Ok((Vec::new(), String::new()));
    };
    let to = out.join(format!("{order}.tables"));
    let e = tables::export_blocking(out.join(order), Some(to.clone()), format)
        .await
        .map_err(|e| {
            Failure::from(e.context("the report is fetched, but exporting its tables failed"))
                .with_order(qcc_radar::OrderNo::new(order).ok())
        })?;
    let files = e.files();
    let more = format!(
        "tables:  {} written as {} to {}\n",
        files.len(),
        format.ext(),
        to.display()
    );
    Ok((files, more))
}

/// A progress callback that also notes the order being worked on, so an interrupt can name it,
/// then passes the event on to `inner`.
pub fn noting_order(ctx: &Ctx, inner: Option<ProgressFn>) -> Option<ProgressFn> {
    let order = ctx.order.clone();
    Some(Arc::new(move |e: &Progress| {
        let placed = match e {
            Progress::Ordered { order_no } | Progress::Polled { order_no, .. } => Some(order_no),
            _ => None,
        };
        if let Some(o) = placed {
            *order.lock().unwrap_or_else(|p| p.into_inner()) = Some(o.clone());
        }
        if let Some(f) = &inner {
            f(e);
        }
    }))
}

/// The whole job into the absolute folder `out` (shared with `demo`): the result object and
/// its plain text.
pub async fn fetch_into(
    ctx: &Ctx,
    client: &Client,
    report_type: ReportType,
    out: &Path,
    options: &FetchOptions,
) -> Result<(ReportOut, String), Failure> {
    ctx.set_journal(&ReportFolder::prepare(out)?.ledger_path());
    match client.fetch_report_with(report_type, out, options).await? {
        Some(r) => Ok((
            ReportOut::ready(&r.order_no, Some(report_type), &r.archive, &r.files),
            report_human(&r.order_no, &r.archive, &r.folder, &r.files),
        )),
        None => Ok((
            ReportOut::no_change(report_type),
            format!("no risk changes: no {report_type} report for this period"),
        )),
    }
}
