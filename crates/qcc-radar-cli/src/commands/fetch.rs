//! `fetch`: the cron job. Order (or resume) a report, wait for it, download and extract it.
//!
//! The journal decides between ordering and resuming, for the report type and the current
//! period (Beijing day, ISO week or month):
//!
//! | newest entry for the period | what this run does |
//! |---|---|
//! | none, `failed`, `rejected` | orders a new report |
//! | `ordering` (a run died while ordering) | warns that an order may exist unseen, orders anew |
//! | `ordered` | resumes that order: waits, downloads, extracts |
//! | `downloaded`, archive and folder present | nothing is sent: prints the report again |
//! | `downloaded`, archive or folder gone | downloads the same order again (no new order) |
//! | `no_change` | nothing is sent: the period had no risk changes |
//!
//! So once a period's outcome is known, re-runs cost nothing, and cron may run the job hourly
//! as a retry. `--new-order` always orders anew (and asks again after a `no_change`). The order number is saved before the wait starts, so a run
//! killed at any later point is resumed by the next one. The archive and folder land atomically
//! (the client's job); an unfinished download of a resumed order, left by a `kill -9`, is
//! removed first, which is safe because the journal lock keeps other fetches out of the folder.

use std::path::{Path, PathBuf};
use std::time::Duration;

use qcc_radar::{Client, Error, ErrorKind, OrderNo, ReportType};
use qcc_radar_core::report_period;

use super::{list_files, prepare_out, Ctx};
use crate::args::FetchArgs;
use crate::client_config;
use crate::journal::{unix_now, JournalFile, State};
use crate::output::{report_human, Failure, ReportOut, Success};
use crate::progress;

/// How far back an order that was never downloaded is still worth a warning (45 days: past
/// that, QCC has likely dropped the report).
const UNFINISHED_WARN_SECS: u64 = 45 * 24 * 3600;

/// Runs `fetch`.
pub async fn run(ctx: &Ctx, args: FetchArgs) -> Result<Success, Failure> {
    let client = client_config::client(&ctx.global, progress::callback(ctx.mode))?;
    let out = prepare_out(&args.out)?;
    let timeout = args.timeout.unwrap_or_else(|| client.wait_timeout());
    let (report, human) = fetch_into(
        ctx,
        &client,
        args.report_type,
        &out,
        timeout,
        args.new_order,
    )
    .await?;
    Ok(Success::new(&report, human))
}

/// What to do for this period.
enum Plan {
    /// Order a new report.
    Order,
    /// Resume the order in journal entry `id`.
    Resume { id: String, order_no: OrderNo },
    /// Already downloaded: report what is on disk.
    Done(OrderNo),
    /// createReport already said there is no report for this period.
    NoChange,
}

/// The whole job into the absolute folder `out` (shared with `demo`): the result object and
/// its plain text.
pub async fn fetch_into(
    ctx: &Ctx,
    client: &Client,
    report_type: ReportType,
    out: &Path,
    timeout: Duration,
    new_order: bool,
) -> Result<(ReportOut, String), Failure> {
    let mut jf = JournalFile::open(out).await?;
    ctx.set_journal(jf.path());
    let period = report_period(report_type, i64::try_from(unix_now()).unwrap_or(i64::MAX));

    let recent = unix_now().saturating_sub(UNFINISHED_WARN_SECS);
    for e in jf
        .journal
        .unfinished_elsewhere(report_type, &period, recent)
        .iter()
        .rev()
        .take(3)
    {
        if let Some(o) = &e.order_no {
            tracing::warn!(
                "order {o} ({} report for {}) was never downloaded; `qcc-radar wait {o}` then `qcc-radar download {o} --out {}` fetches it",
                e.report_type,
                e.period,
                out.display()
            );
        }
    }

    let plan = match jf.journal.latest(report_type, &period) {
        _ if new_order => Plan::Order,
        Some(e) => match (e.state, e.order()) {
            (State::Downloaded, Some(o))
                if archive_of(out, &o).is_file() && out.join(o.as_str()).is_dir() =>
            {
                Plan::Done(o)
            }
            (State::Ordered | State::Downloaded, Some(o)) => Plan::Resume {
                id: e.id.clone(),
                order_no: o,
            },
            (State::NoChange, _) => Plan::NoChange,
            (State::Ordering, _) => {
                tracing::warn!(
                    "a run {} stopped while ordering a {report_type} report for {period}; an order may have been placed that this journal cannot resume; ordering again",
                    ago(e.created_at)
                );
                Plan::Order
            }
            _ => Plan::Order,
        },
        None => Plan::Order,
    };

    let (id, order_no) = match plan {
        Plan::Done(o) => {
            tracing::info!(
                "{report_type} report {o} for {period} is already in {}; nothing to do (--new-order orders another)",
                out.display()
            );
            return Ok(report_success(
                report_type,
                &o,
                out,
                list_files(&out.join(o.as_str())),
            ));
        }
        Plan::NoChange => {
            tracing::info!(
                "QCC said there were no risk changes for the {report_type} report of {period}; nothing to do (--new-order asks again)"
            );
            return Ok(no_change(report_type, &period));
        }
        Plan::Resume { id, order_no } => {
            tracing::info!(
                "resuming order {order_no} ({report_type} report for {period}) from {}",
                jf.path().display()
            );
            remove_unfinished_files(out, &order_no);
            (id, order_no)
        }
        Plan::Order => {
            let id = jf.journal.push(report_type, &period, State::Ordering);
            // Nothing is sent unless the journal can record the order.
            jf.save()?;
            match client.create_report(report_type).await {
                Ok(None) => {
                    record(&mut jf, &id, |e| e.state = State::NoChange);
                    tracing::info!(
                        "no risk changes: QCC made no {report_type} report for {period}"
                    );
                    return Ok(no_change(report_type, &period));
                }
                Ok(Some(o)) => {
                    let on = o.as_str().to_string();
                    record(&mut jf, &id, |e| {
                        e.state = State::Ordered;
                        e.order_no = Some(on);
                    });
                    (id, o)
                }
                Err(err) => {
                    // The API answered or could not be reached: no order this run knows of.
                    jf.journal.remove(&id);
                    let _ = jf.save();
                    return Err(err.into());
                }
            }
        }
    };
    ctx.set_order(&order_no);
    let fail = |jf: &mut JournalFile, err: Error, state: Option<State>| {
        let text = format!("{}: {}", err.kind().as_str(), err.message());
        record(jf, &id, |e| {
            if let Some(s) = state {
                e.state = s;
            }
            e.last_error = Some(text);
        });
        let mut err = err;
        if err.kind() == ErrorKind::Timeout {
            err = err.context(format!(
                "order {order_no} is recorded in {}; run the same fetch again to keep waiting for it",
                jf.path().display()
            ));
        }
        Failure::from(err).with_order(Some(order_no.clone()))
    };

    let info = match client.wait_for_report(&order_no, timeout).await {
        Ok(info) => info,
        Err(err) => {
            let state = match (err.kind(), err.code()) {
                (ErrorKind::ReportFailed, _) => Some(State::Failed),
                (ErrorKind::InvalidRequest, Some(201)) => Some(State::Rejected),
                _ => None,
            };
            return Err(fail(&mut jf, err, state));
        }
    };
    match client.download_report_from(&order_no, &info, out).await {
        Ok(report) => {
            record(&mut jf, &id, |e| {
                e.state = State::Downloaded;
                e.last_error = None;
            });
            Ok(report_success(report_type, &order_no, out, report.files))
        }
        Err(err) => {
            let state = (err.kind() == ErrorKind::ReportFailed).then_some(State::Failed);
            Err(fail(&mut jf, err, state))
        }
    }
}

fn no_change(report_type: ReportType, period: &str) -> (ReportOut, String) {
    (
        ReportOut::no_change(report_type),
        format!("no risk changes: no {report_type} report for {period}"),
    )
}

/// "12 min ago" for a Unix time.
fn ago(then: u64) -> String {
    let secs = unix_now().saturating_sub(then);
    match secs {
        0..=119 => format!("{secs} s ago"),
        120..=7199 => format!("{} min ago", secs / 60),
        _ => format!("{} h ago", secs / 3600),
    }
}

fn archive_of(out: &Path, order_no: &OrderNo) -> PathBuf {
    out.join(format!("{order_no}.zip"))
}

fn report_success(
    report_type: ReportType,
    o: &OrderNo,
    out: &Path,
    files: Vec<PathBuf>,
) -> (ReportOut, String) {
    let archive = archive_of(out, o);
    let folder = out.join(o.as_str());
    (
        ReportOut::ready(o, Some(report_type), &archive, &files),
        report_human(o, &archive, &folder, &files),
    )
}

/// Updates the journal; a failure to write is logged, not fatal: the order is still usable by
/// this run, and the log names how to pick it up by hand.
fn record(jf: &mut JournalFile, id: &str, f: impl FnOnce(&mut crate::journal::Entry)) {
    let order = jf
        .journal
        .entries
        .iter()
        .find(|e| e.id == id)
        .and_then(|e| e.order_no.clone());
    if let Err(e) = jf.update(id, f) {
        let order = order.unwrap_or_else(|| "(none yet)".into());
        tracing::error!(
            "could not update the journal: {e}; order {order} may not be resumed automatically"
        );
    }
}

/// Removes the temporary download and extraction files of `order_no` that a killed run left.
fn remove_unfinished_files(out: &Path, order_no: &OrderNo) {
    let part = format!(".{order_no}.zip.part-");
    let extracting = format!(".{order_no}.extracting-");
    let Ok(rd) = std::fs::read_dir(out) else {
        return;
    };
    for entry in rd.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with(&part) {
            tracing::debug!("removing an unfinished download {}", path.display());
            let _ = std::fs::remove_file(&path);
        } else if name.starts_with(&extracting) {
            tracing::debug!("removing an unfinished extraction {}", path.display());
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}
