//! The whole flow, backed by the order ledger: never pay twice, never skip a real report.
//!
//! `fetch_report` is what a cron job, a notebook cell and a service call again and again, so a
//! re-run must cost nothing once the period's outcome is known, and must never place a second
//! order because the first one's answer went missing. Under the report folder's lock, the
//! newest ledger entry for (server, app key, report type, period) decides:
//!
//! | entry | what the call does |
//! |---|---|
//! | none | orders (writing `ordering` first) |
//! | `ordered` | resumes that order: waits, downloads; sends no createReport |
//! | `ready`, `no_change` | returns the same result; sends nothing (a `ready` report whose files were removed is downloaded again, without a new order) |
//! | `ordering` | orders nothing: `unconfirmed_order`, saying when the request went out |
//! | `failed` | orders once more; after a second failure in the period, `report_failed` |
//!
//! A createReport that was refused (auth, quota, permission, bad request) or never reached the
//! server clears its `ordering` entry: nothing was billed. One whose answer was lost keeps it,
//! and fails with `unconfirmed_order`. `new_order` orders whatever the ledger says.
//!
//! The period is taken on the server's clock as far as the client knows it (corrected after a
//! 115), and taken again after createReport, which may have learned the offset.

use std::path::Path;
use std::time::Duration;

use qcc_radar_core::{report_period, Error, ErrorKind, OrderNo, ReportType, Result};

use crate::client::Client;
use crate::clock::unix_now;
use crate::ledger::{Ledger, LedgerKey, LedgerState};
use crate::report::Report;
use crate::report_folder::{FolderLock, ReportFolder};
use crate::settings::{self, rule_error, Host, Parsed, Rule, Scope, SettingValue};

/// How far back an order that was never downloaded is still worth a warning (45 days: past
/// that, QCC has likely dropped the report).
const UNFINISHED_WARN_SECS: u64 = 45 * 24 * 3600;
/// Failed orders in one period after which nothing more is ordered automatically.
const MAX_FAILED_ORDERS: usize = 2;

/// How [`Client::fetch_report_with`] runs. `FetchOptions::default()` is what
/// [`Client::fetch_report`] does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FetchOptions {
    /// The wait's deadline; `None` uses the client's wait timeout.
    pub timeout: Option<Duration>,
    /// Order a new report whatever the ledger says (after an `unconfirmed_order` you have
    /// checked, or to ask again after `no_change`).
    pub new_order: bool,
    /// Resume this order for the period instead of ordering: the one you found in QCC's order
    /// list after an `unconfirmed_order`. It is recorded as the period's order, then waited for
    /// and downloaded. Not with `new_order`.
    pub order_no: Option<OrderNo>,
}

impl FetchOptions {
    /// The defaults: the client's wait timeout, the ledger decides whether to order.
    pub fn new() -> Self {
        FetchOptions::default()
    }

    /// Sets the wait's deadline.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Orders a new report whatever the ledger says.
    pub fn new_order(mut self, new_order: bool) -> Self {
        self.new_order = new_order;
        self
    }

    /// Resumes `order_no` as the period's order instead of ordering.
    pub fn order_no(mut self, order_no: OrderNo) -> Self {
        self.order_no = Some(order_no);
        self
    }

    /// Sets the fetch option `name` (`timeout`, `new_order`, `order_no`, spelled as `host`
    /// spells them) from a host value, with the same messages as the client's settings.
    /// [`FetchOptions::check`] applies the rules between them.
    pub fn set(mut self, host: Host, name: &str, value: impl Into<SettingValue>) -> Result<Self> {
        let (setting, value) = settings::parse(host, Scope::Fetch, name, value.into())?;
        match (setting.name, value) {
            ("timeout", Parsed::Duration(d)) => self.timeout = Some(d),
            ("new_order", Parsed::Bool(on)) => self.new_order = on,
            ("order_no", Parsed::Text(t)) => self.order_no = Some(OrderNo::new(t)?),
            (other, _) => unreachable!("fetch option {other} is not mapped to its parsed value"),
        }
        Ok(self)
    }

    /// Checks the rules between options: `new_order` and `order_no` exclude each other.
    pub fn check(&self, host: Host) -> Result<()> {
        if self.new_order && self.order_no.is_some() {
            return Err(rule_error(host, Rule::Excludes("new_order", "order_no")));
        }
        Ok(())
    }
}

/// What to do for the key.
enum Plan {
    Order,
    Resume { id: String, order_no: OrderNo },
    Return(Option<Report>),
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

/// `2026-12-07 01:02:03 UTC` for a Unix time.
fn utc(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let (y, m, d) = qcc_radar_core::period::civil_from_days(days);
    let rem = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The error for an `ordering` entry nobody finished.
fn unconfirmed(key: &LedgerKey, sent_at: u64, ledger: &Path, cause: Option<&Error>) -> Error {
    let what = match cause {
        Some(e) => format!("its answer was lost ({})", e.message()),
        None => {
            "no answer was ever recorded (the answer was lost, or the process stopped)".to_string()
        }
    };
    Error::new(
        ErrorKind::UnconfirmedOrder,
        format!(
            "a createReport for the {} report of {} was sent at {} ({}) and {what}, so an order may have been placed and billed. Nothing more is ordered for this period until you decide: check the order list in QCC's console; if the order is there, fetch again giving its number (the order_no option; `--order ORDER` on the command line) and it is resumed without a new order; if none is, fetch again with the new_order option (`--new-order`). The record is in {}",
            key.report_type,
            key.period,
            utc(sent_at),
            ago(sent_at),
            ledger.display()
        ),
    )
}

impl Client {
    /// The whole flow: order (or resume) a report, wait for it (up to the client's wait
    /// timeout), download and extract it, backed by the folder's order ledger, so calling it
    /// again never pays twice (see [`Client::fetch_report_with`]). `None` when there were no
    /// risk changes, so no report.
    pub async fn fetch_report(
        &self,
        report_type: ReportType,
        out_dir: &Path,
    ) -> Result<Option<Report>> {
        self.fetch_report_with(report_type, out_dir, &FetchOptions::default())
            .await
    }

    /// [`Client::fetch_report`] with an explicit wait deadline.
    pub async fn fetch_report_within(
        &self,
        report_type: ReportType,
        out_dir: &Path,
        timeout: Duration,
    ) -> Result<Option<Report>> {
        self.fetch_report_with(report_type, out_dir, &FetchOptions::new().timeout(timeout))
            .await
    }

    /// The ledger key for `report_type` now, on the server's clock as corrected for skew.
    fn ledger_key(&self, report_type: ReportType) -> LedgerKey {
        let now = i64::try_from(self.inner.clock.now()).unwrap_or(i64::MAX);
        LedgerKey {
            server: self.base_url().to_string(),
            app_key: self.app_key().to_string(),
            report_type,
            period: report_period(report_type, now),
        }
    }

    /// The whole flow with `options`: order (or resume) a report, wait for it, download and
    /// extract it into `out_dir`, recording every step in the folder's order ledger (see the
    /// module documentation of `fetch` for the table). `None` when there were no risk changes.
    ///
    /// Errors after an order exists carry its number ([`Error::order_no`]).
    pub async fn fetch_report_with(
        &self,
        report_type: ReportType,
        out_dir: &Path,
        options: &FetchOptions,
    ) -> Result<Option<Report>> {
        self.inner
            .closing
            .guard(
                "fetching the report",
                self.admitted,
                self.fetch_report_unguarded(report_type, out_dir, options),
            )
            .await
    }

    async fn fetch_report_unguarded(
        &self,
        report_type: ReportType,
        out_dir: &Path,
        options: &FetchOptions,
    ) -> Result<Option<Report>> {
        options.check(Host::Rust)?;
        if let Some(o) = &options.order_no {
            if o.report_type().is_some_and(|t| t != report_type) {
                return Err(Error::config(format!(
                    "order {o} is not a {report_type} report; give the order of the report type you fetch"
                )));
            }
        }
        let folder = ReportFolder::prepare(out_dir)?;
        let lock = folder.lock().await?;
        folder.clean_leftovers(&lock);
        let mut ledger = Ledger::read(&folder.ledger_path())?;
        let timeout = options.timeout.unwrap_or(self.inner.settings.wait_timeout);
        let key = self.ledger_key(report_type);
        warn_unfinished(&ledger, &key, &folder);

        let plan = if let Some(o) = &options.order_no {
            adopt(&mut ledger, &key, o)?
        } else if options.new_order {
            Plan::Order
        } else {
            plan(&ledger, &key, &folder)?
        };
        let (id, order_no) = match plan {
            Plan::Return(result) => return Ok(result),
            Plan::Resume { id, order_no } => {
                tracing::info!(
                    "resuming order {order_no} ({report_type} report for {}) from {}",
                    key.period,
                    ledger.path().display()
                );
                (id, order_no)
            }
            Plan::Order => match self.order(&mut ledger, key.clone()).await? {
                Some(placed) => placed,
                None => return Ok(None),
            },
        };
        self.finish(
            &folder,
            &lock,
            &mut ledger,
            &id,
            &order_no,
            report_type,
            timeout,
        )
        .await
        .map(Some)
        .map_err(|e| e.with_order_no(&order_no))
    }

    /// Places the order for `key`, recording `ordering` first. `None` for no change.
    async fn order(
        &self,
        ledger: &mut Ledger,
        mut key: LedgerKey,
    ) -> Result<Option<(String, OrderNo)>> {
        let id = ledger.push(&key, LedgerState::Ordering);
        let sent_at = unix_now();
        ledger.update(&id, |e| e.sent_at = Some(sent_at));
        // Nothing is sent unless the ledger can record that it is.
        ledger.save()?;
        let outcome = self.create_report(key.report_type).await;
        // createReport may have learned the server's clock: the period is the server's.
        let corrected = self.ledger_key(key.report_type);
        if corrected.period != key.period {
            ledger.update(&id, |e| e.period = corrected.period.clone());
            key = corrected;
        }
        match outcome {
            Ok(None) => {
                ledger.update(&id, |e| e.state = LedgerState::NoChange);
                if let Err(e) = ledger.save() {
                    tracing::warn!("no risk changes, but the ledger could not record it: {e}");
                }
                Ok(None)
            }
            Ok(Some(order_no)) => {
                ledger.update(&id, |e| {
                    e.state = LedgerState::Ordered;
                    e.order_no = Some(order_no.clone());
                });
                ledger.save().map_err(|e| {
                    Error::new(
                        ErrorKind::Io,
                        format!(
                            "order {order_no} was placed but could not be recorded: {}; once the disk is fixed, fetch again giving this order (the order_no option; `--order {order_no}` on the command line) so that it is resumed, not ordered again",
                            e.message()
                        ),
                    )
                    .with_order_no(&order_no)
                })?;
                Ok(Some((id, order_no)))
            }
            Err(e) if e.kind() == ErrorKind::UnconfirmedOrder => {
                let text = format!("{}: {}", e.kind(), e.message());
                ledger.update(&id, |entry| entry.last_error = Some(text));
                if let Err(save) = ledger.save() {
                    tracing::warn!("the ledger could not record the lost answer: {save}");
                }
                Err(unconfirmed(&key, sent_at, ledger.path(), Some(&e)))
            }
            Err(e) => {
                // Refused by the API, or never reached it: nothing was billed.
                ledger.remove(&id);
                if let Err(save) = ledger.save() {
                    tracing::warn!("the ledger could not drop the refused order: {save}");
                }
                Err(e)
            }
        }
    }

    /// Waits for `order_no`, downloads and extracts it, and records the outcome.
    #[allow(clippy::too_many_arguments)]
    async fn finish(
        &self,
        folder: &ReportFolder,
        lock: &FolderLock,
        ledger: &mut Ledger,
        id: &str,
        order_no: &OrderNo,
        report_type: ReportType,
        timeout: Duration,
    ) -> Result<Report> {
        // A report whose ledger entry could not be marked ready is already complete on disk.
        if let Some(report) = folder.existing_report(order_no, Some(report_type)) {
            record(ledger, id, LedgerState::Ready, None);
            return Ok(report);
        }
        let failed = |ledger: &mut Ledger, e: &Error| {
            let state = match (e.kind(), e.code()) {
                (ErrorKind::ReportFailed, _) | (ErrorKind::InvalidRequest, Some(201)) => {
                    Some(LedgerState::Failed)
                }
                _ => None,
            };
            let text = format!("{}: {}", e.kind(), e.message());
            match state {
                Some(s) => record(ledger, id, s, Some(text)),
                None => {
                    ledger.update(id, |entry| entry.last_error = Some(text));
                    let _ = ledger.save();
                }
            }
        };
        let info = match self.wait_for_report(order_no, timeout).await {
            Ok(info) => info,
            Err(e) => {
                failed(ledger, &e);
                let e = if e.kind() == ErrorKind::Timeout {
                    e.context(format!(
                        "order {order_no} is recorded in {}; run the same fetch again to keep waiting for it",
                        ledger.path().display()
                    ))
                } else {
                    e
                };
                return Err(e);
            }
        };
        match self
            .download_locked(order_no, Some(info), folder, lock)
            .await
        {
            Ok(mut report) => {
                report.report_type = Some(report_type);
                record(ledger, id, LedgerState::Ready, None);
                Ok(report)
            }
            Err(e) => {
                failed(ledger, &e);
                Err(e)
            }
        }
    }
}

/// Records `order_no` as the period's order (the one the caller found after an
/// `unconfirmed_order`): the unfinished `ordering` entry takes it, else a new entry does.
fn adopt(ledger: &mut Ledger, key: &LedgerKey, order_no: &OrderNo) -> Result<Plan> {
    let id = match ledger.latest(key) {
        Some(e) if e.state == LedgerState::Ordering => e.id.clone(),
        _ => ledger.push(key, LedgerState::Ordered),
    };
    ledger.update(&id, |e| {
        e.state = LedgerState::Ordered;
        e.order_no = Some(order_no.clone());
    });
    ledger.save().map_err(|e| e.with_order_no(order_no))?;
    tracing::info!(
        "resuming order {order_no} as the {} report of {}",
        key.report_type,
        key.period
    );
    Ok(Plan::Resume {
        id,
        order_no: order_no.clone(),
    })
}

/// Decides from the newest entry for `key`.
fn plan(ledger: &Ledger, key: &LedgerKey, folder: &ReportFolder) -> Result<Plan> {
    let Some(entry) = ledger.latest(key) else {
        return Ok(Plan::Order);
    };
    let resume = |o: &OrderNo| Plan::Resume {
        id: entry.id.clone(),
        order_no: o.clone(),
    };
    Ok(match (entry.state, &entry.order_no) {
        (LedgerState::Ready, Some(o)) => match folder.existing_report(o, Some(key.report_type)) {
            Some(report) => {
                tracing::info!(
                    "the {} report {o} for {} is already in {}; nothing sent (new_order orders another)",
                    key.report_type,
                    key.period,
                    folder.path().display()
                );
                Plan::Return(Some(report))
            }
            None => {
                tracing::info!("the files of report {o} are gone; downloading it again");
                resume(o)
            }
        },
        (LedgerState::Ordered, Some(o)) => resume(o),
        (LedgerState::NoChange, _) => {
            tracing::info!(
                "QCC said there were no risk changes for the {} report of {}; nothing sent (new_order asks again)",
                key.report_type,
                key.period
            );
            Plan::Return(None)
        }
        (LedgerState::Failed, _) => {
            let failures = ledger.failures(key);
            if failures.len() >= MAX_FAILED_ORDERS {
                let orders: Vec<String> = failures
                    .iter()
                    .filter_map(|e| e.order_no.as_ref().map(|o| o.to_string()))
                    .collect();
                let mut err = Error::new(
                    ErrorKind::ReportFailed,
                    format!(
                        "QCC failed to make the {} report of {} {} times (orders {}); nothing more is ordered for this period automatically. Order again with new_order (`--new-order`), or wait for the next period",
                        key.report_type,
                        key.period,
                        failures.len(),
                        orders.join(", ")
                    ),
                );
                if let Some(o) = failures.last().and_then(|e| e.order_no.as_ref()) {
                    err = err.with_order_no(o);
                }
                return Err(err);
            }
            Plan::Order
        }
        // `ordering`, or an entry that lost its order number: an order may exist.
        (LedgerState::Ordering, _) | (LedgerState::Ordered | LedgerState::Ready, None) => {
            let sent_at = entry.sent_at.unwrap_or(entry.created_at);
            return Err(unconfirmed(key, sent_at, ledger.path(), None));
        }
    })
}

/// Marks entry `id` as `state` and saves; a failed save is logged, not fatal (the result is in
/// hand, and the next run finds the files).
fn record(ledger: &mut Ledger, id: &str, state: LedgerState, error: Option<String>) {
    ledger.update(id, |e| {
        e.state = state;
        e.last_error = error;
    });
    if let Err(e) = ledger.save() {
        let order = ledger
            .get(id)
            .and_then(|e| e.order_no.as_ref())
            .map_or_else(|| "(none)".to_string(), |o| o.to_string());
        tracing::error!(
            "could not record order {order} as {} in the ledger: {e}",
            state.as_str()
        );
    }
}

fn warn_unfinished(ledger: &Ledger, key: &LedgerKey, folder: &ReportFolder) {
    let recent = unix_now().saturating_sub(UNFINISHED_WARN_SECS);
    for e in ledger
        .unfinished_elsewhere(key, recent)
        .iter()
        .rev()
        .take(3)
    {
        if let Some(o) = &e.order_no {
            tracing::warn!(
                "order {o} ({} report for {}) was never downloaded; `qcc-radar wait {o}` then `qcc-radar download {o} --out {}` fetches it",
                e.report_type,
                e.period,
                folder.path().display()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The period is the server's: a client that learned the server runs a day ahead files its
    /// orders under the server's date.
    #[test]
    fn the_period_follows_the_servers_clock() {
        let client = Client::builder()
            .app_key("k")
            .secret_key("s")
            .base_url("http://127.0.0.1:1")
            .build()
            .unwrap();
        let local = client.ledger_key(ReportType::Day);
        client.inner.clock.set_offset(86_400);
        let server = client.ledger_key(ReportType::Day);
        let tomorrow = report_period(ReportType::Day, i64::try_from(unix_now()).unwrap() + 86_400);
        assert_eq!(server.period, tomorrow);
        assert_ne!(server.period, local.period);
        assert_eq!(server.server, "http://127.0.0.1:1");
    }

    #[test]
    fn utc_formats_a_known_time() {
        assert_eq!(utc(1_796_000_523), "2026-11-30 01:02:03 UTC");
    }
}
