//! The asynchronous client and its API calls: order, ask, wait.
//!
//! A `Client` is an `Arc` around its settings, the fork-aware HTTP client, the learned clock
//! offset, its closed flag and its progress sink: cheap to clone, `Send + Sync`, one connection
//! pool for every clone. Cancelling any of its futures (dropping it) stops the work and removes
//! temporary files. This file holds what a client is and the calls that only talk to the API;
//! putting a made report on disk is `delivery.rs`, the ledger-backed whole flow `fetch.rs`, and
//! making a client `builder.rs`.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use qcc_radar_core::{
    parse_create_report, parse_report_info, ApiRequest, ArchiveLimits, CreateReportOutcome,
    Credentials, Error, ErrorKind, OrderNo, PollSchedule, ReportInfo, ReportStatus, ReportType,
    Result, UnzipPassword,
};

use crate::clock::ServerClock;
use crate::closing::Closing;
use crate::progress::{Progress, ProgressSink};
use crate::retry::{random_unit, Repeat};
use crate::transport::{call_api, ApiSettings, ForkAwareHttp};

/// The validated settings a client runs with (made by [`crate::ClientBuilder::build`]).
#[derive(Clone)]
pub(crate) struct Settings {
    pub(crate) credentials: Credentials,
    /// What the API calls need: base URL, request timeout, retries, skew correction.
    pub(crate) api: ApiSettings,
    pub(crate) wait_timeout: Duration,
    pub(crate) poll: PollSchedule,
    pub(crate) limits: ArchiveLimits,
    /// The password of encrypted archives when getReportInfo gives none.
    pub(crate) unzip_password: Option<UnzipPassword>,
}

pub(crate) struct Inner {
    pub(crate) settings: Settings,
    pub(crate) http: ForkAwareHttp,
    pub(crate) clock: ServerClock,
    pub(crate) closing: Closing,
    pub(crate) progress: ProgressSink,
}

/// The QCC risk-monitoring report client. Cheap to clone; share one per process.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
    /// Made by [`Client::admit`]: its calls were made before any `close()` (see there).
    pub(crate) admitted: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.settings.api.base_url)
            .field("credentials", &self.inner.settings.credentials)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub(crate) fn from_parts(
        settings: Settings,
        http: ForkAwareHttp,
        progress: ProgressSink,
    ) -> Client {
        Client {
            inner: Arc::new(Inner {
                settings,
                http,
                clock: ServerClock::default(),
                closing: Closing::default(),
                progress,
            }),
            admitted: false,
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.inner.settings.api.base_url.as_str()
    }

    /// The app key in use.
    pub fn app_key(&self) -> &str {
        self.inner.settings.credentials.app_key()
    }

    /// The default wait deadline.
    pub fn wait_timeout(&self) -> Duration {
        self.inner.settings.wait_timeout
    }

    /// The server's clock minus ours, in seconds, as learned from a 115 answer (0 until then).
    pub fn clock_offset(&self) -> i64 {
        self.inner.clock.offset()
    }

    /// Closes the client and every clone of it: calls in flight end with a `cancelled` error
    /// (their temporary files removed, the folder's lock released), later calls with a
    /// `config` error. Closing again does nothing. Dropping the last clone without closing
    /// also ends everything, but only once nothing runs.
    pub fn close(&self) {
        self.inner.closing.close();
    }

    /// Whether [`Client::close`] was called on this client or a clone.
    pub fn is_closed(&self) -> bool {
        self.inner.closing.is_closed()
    }

    /// A clone for one call being made now, for a binding that hands the call to a task which
    /// runs later: fails with the closed client's `config` error if the client is closed
    /// already; otherwise, if `close()` comes before the task first runs, the call still ends
    /// `cancelled`, as a call in flight does, not `config`. (A future of this crate starts when
    /// first polled, so without this a call made just before `close()` would count as a later
    /// one.) Use the clone for that one call only.
    pub fn admit(&self) -> Result<Client> {
        if self.is_closed() {
            return Err(crate::closing::closed_error());
        }
        Ok(Client {
            inner: self.inner.clone(),
            admitted: true,
        })
    }

    /// Orders a report. `None` means createReport answered 201: no monitored company had a
    /// risk change, so there is no report (not an error). Never retried once the request may
    /// have reached the server: a second attempt could pay for a second order.
    pub async fn create_report(&self, report_type: ReportType) -> Result<Option<OrderNo>> {
        self.inner
            .closing
            .guard(
                "ordering a report",
                self.admitted,
                self.create_report_unguarded(report_type),
            )
            .await
    }

    async fn create_report_unguarded(&self, report_type: ReportType) -> Result<Option<OrderNo>> {
        let s = &self.inner.settings;
        let outcome = call_api(
            &self.inner.http,
            &s.api,
            &self.inner.clock,
            Repeat::OnlyBeforeSending,
            |ts| ApiRequest::create_report(&s.api.base_url, &s.credentials, report_type, ts),
            parse_create_report,
        )
        .await?;
        match outcome {
            CreateReportOutcome::Ordered(order_no) => {
                tracing::info!(order_no = %order_no, %report_type, "report ordered");
                self.inner.progress.emit(Progress::Ordered {
                    order_no: order_no.clone(),
                });
                Ok(Some(order_no))
            }
            CreateReportOutcome::NoChange => {
                tracing::info!(%report_type, "no risk changes: no report");
                Ok(None)
            }
        }
    }

    /// Asks where an order stands: `P`, `S` (with the link) or `F`. Safe to repeat; retried.
    pub async fn report_info(&self, order_no: &OrderNo) -> Result<ReportInfo> {
        let s = &self.inner.settings;
        let ask = call_api(
            &self.inner.http,
            &s.api,
            &self.inner.clock,
            Repeat::Safe,
            |ts| ApiRequest::report_info(&s.api.base_url, &s.credentials, order_no, ts),
            parse_report_info,
        );
        self.inner
            .closing
            .guard("asking for the report", self.admitted, ask)
            .await
    }

    /// Polls until the report is made (`S`), following the poll schedule. `F` is a
    /// `report_failed` error; past `timeout` a `timeout` error (the order stays valid: wait
    /// again later). `P` and 205 keep waiting.
    pub async fn wait_for_report(
        &self,
        order_no: &OrderNo,
        timeout: Duration,
    ) -> Result<ReportInfo> {
        self.inner
            .closing
            .guard(
                "waiting for the report",
                self.admitted,
                self.wait_for_report_unguarded(order_no, timeout),
            )
            .await
    }

    async fn wait_for_report_unguarded(
        &self,
        order_no: &OrderNo,
        timeout: Duration,
    ) -> Result<ReportInfo> {
        let started = Instant::now();
        let mut delays = self.inner.settings.poll.delays(timeout, random_unit);
        let mut polls = 0u32;
        loop {
            let info = self
                .report_info(order_no)
                .await
                .map_err(|e| e.with_order_no(order_no))?;
            polls += 1;
            self.inner.progress.emit(Progress::Polled {
                order_no: order_no.clone(),
                status: info.status,
                polls,
                elapsed: started.elapsed(),
            });
            match info.status {
                ReportStatus::Succeeded => return Ok(info),
                ReportStatus::Failed => return Err(report_failed(order_no)),
                ReportStatus::Pending => {}
            }
            let left = timeout.saturating_sub(started.elapsed());
            match delays.next() {
                Some(delay) if !left.is_zero() => tokio::time::sleep(delay.min(left)).await,
                _ => {
                    return Err(Error::new(
                        ErrorKind::Timeout,
                        format!(
                            "report {order_no} was still being made after {:.0} s ({polls} polls); the order stays valid, wait for it again later",
                            started.elapsed().as_secs_f64()
                        ),
                    )
                    .with_order_no(order_no))
                }
            }
        }
    }

    /// getReportInfo for an order that must be made (`S`): its link and password.
    pub(crate) async fn ready_info(&self, order_no: &OrderNo) -> Result<ReportInfo> {
        let info = self.report_info(order_no).await?;
        match info.status {
            ReportStatus::Succeeded => Ok(info),
            ReportStatus::Failed => Err(report_failed(order_no)),
            ReportStatus::Pending => Err(Error::new(
                ErrorKind::InvalidRequest,
                format!(
                    "report {order_no} is not ready yet (status P); wait for it before downloading"
                ),
            )),
        }
    }
}

/// The error of an order QCC could not make (reportStatus F).
fn report_failed(order_no: &OrderNo) -> Error {
    Error::new(
        ErrorKind::ReportFailed,
        format!("QCC could not make report {order_no} (reportStatus F); order a new one"),
    )
    .with_order_no(order_no)
}
