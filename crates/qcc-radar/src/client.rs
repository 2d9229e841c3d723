//! The asynchronous client: order, ask, wait, download, and the whole flow.
//!
//! A `Client` is an `Arc` around its settings, the fork-aware HTTP client and the learned
//! clock offset: cheap to clone, `Send + Sync`, one connection pool for every clone. Cancelling
//! any of its futures (dropping it) stops the work and removes temporary files.

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use qcc_radar_core::{
    parse_create_report, parse_report_info, ApiRequest, CreateReportOutcome, Error, ErrorKind,
    OrderNo, ReportInfo, ReportStatus, ReportType, Result,
};

use crate::builder::{ClientBuilder, Settings};
use crate::clock::ServerClock;
use crate::download::download_archive;
use crate::extract::extract_archive;
use crate::progress::Progress;
use crate::report::Report;
use crate::transport::{call_api, random_unit, ForkAwareHttp, HttpFactory, Repeat};

pub(crate) struct Inner {
    pub(crate) settings: Settings,
    pub(crate) http: ForkAwareHttp,
    pub(crate) clock: ServerClock,
}

/// The QCC risk-monitoring report client. Cheap to clone; share one per process.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.settings.base_url)
            .field("credentials", &self.inner.settings.credentials)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder; unset values fall back to the environment.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `QCC_APP_KEY`, `QCC_SECRET_KEY` and `QCC_BASE_URL`.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::new().build()
    }

    pub(crate) fn from_parts(settings: Settings, factory: HttpFactory) -> Result<Client> {
        Ok(Client {
            inner: Arc::new(Inner {
                settings,
                http: ForkAwareHttp::new(factory)?,
                clock: ServerClock::default(),
            }),
        })
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.inner.settings.base_url.as_str()
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

    pub(crate) fn emit(&self, event: Progress) {
        if let Some(cb) = &self.inner.settings.progress {
            cb(&event);
        }
    }

    /// Orders a report. `None` means createReport answered 201: no monitored company had a
    /// risk change, so there is no report (not an error). Never retried once the request may
    /// have reached the server: a second attempt could pay for a second order.
    pub async fn create_report(&self, report_type: ReportType) -> Result<Option<OrderNo>> {
        let s = &self.inner.settings;
        let outcome = call_api(
            &self.inner.http,
            s,
            &self.inner.clock,
            Repeat::OnlyBeforeSending,
            |ts| ApiRequest::create_report(&s.base_url, &s.credentials, report_type, ts),
            parse_create_report,
        )
        .await?;
        match outcome {
            CreateReportOutcome::Ordered(order_no) => {
                tracing::info!(order_no = %order_no, %report_type, "report ordered");
                self.emit(Progress::Ordered {
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
        call_api(
            &self.inner.http,
            s,
            &self.inner.clock,
            Repeat::Safe,
            |ts| ApiRequest::report_info(&s.base_url, &s.credentials, order_no, ts),
            parse_report_info,
        )
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
        let started = Instant::now();
        let mut delays = self.inner.settings.poll.delays(timeout, random_unit);
        let mut polls = 0u32;
        loop {
            let info = self.report_info(order_no).await?;
            polls += 1;
            self.emit(Progress::Polled {
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
                    ))
                }
            }
        }
    }

    /// Downloads a made report into `out_dir` as `<orderNo>.zip` and extracts it into
    /// `<orderNo>/`, both atomically: nothing stands under a final name until it is complete
    /// and verified, and a refused archive leaves nothing behind. The order must be `S`
    /// (call [`Client::wait_for_report`] first); an expired link is refreshed.
    pub async fn download_report(&self, order_no: &OrderNo, out_dir: &Path) -> Result<Report> {
        prepare_out_dir(out_dir)?;
        let archive = download_archive(self, order_no, out_dir, None).await?;
        self.finish_report(order_no, out_dir, archive).await
    }

    /// Like [`Client::download_report`], starting from a link already in hand (from a wait).
    pub async fn download_report_from(
        &self,
        order_no: &OrderNo,
        info: &ReportInfo,
        out_dir: &Path,
    ) -> Result<Report> {
        prepare_out_dir(out_dir)?;
        let archive = download_archive(self, order_no, out_dir, info.link.clone()).await?;
        self.finish_report(order_no, out_dir, archive).await
    }

    async fn finish_report(
        &self,
        order_no: &OrderNo,
        out_dir: &Path,
        archive: std::path::PathBuf,
    ) -> Result<Report> {
        let extracted = extract_archive(self, order_no, &archive, out_dir).await;
        let (folder, files) = match extracted {
            Ok(v) => v,
            Err(e) => {
                // A refused archive leaves nothing behind, the kept zip included.
                let _ = std::fs::remove_file(&archive);
                return Err(e);
            }
        };
        Ok(Report {
            order_no: order_no.clone(),
            report_type: order_no.report_type(),
            archive,
            folder,
            files,
        })
    }

    /// The whole flow: order, wait (up to the client's wait timeout), download, extract.
    /// `None` when there were no risk changes, so no report.
    pub async fn fetch_report(
        &self,
        report_type: ReportType,
        out_dir: &Path,
    ) -> Result<Option<Report>> {
        self.fetch_report_within(report_type, out_dir, self.inner.settings.wait_timeout)
            .await
    }

    /// [`Client::fetch_report`] with an explicit wait deadline.
    pub async fn fetch_report_within(
        &self,
        report_type: ReportType,
        out_dir: &Path,
        timeout: Duration,
    ) -> Result<Option<Report>> {
        prepare_out_dir(out_dir)?;
        let Some(order_no) = self.create_report(report_type).await? else {
            return Ok(None);
        };
        let info = self.wait_for_report(&order_no, timeout).await?;
        let mut report = self.download_report_from(&order_no, &info, out_dir).await?;
        report.report_type = Some(report_type);
        Ok(Some(report))
    }
}

pub(crate) fn report_failed(order_no: &OrderNo) -> Error {
    Error::new(
        ErrorKind::ReportFailed,
        format!("QCC could not make report {order_no} (reportStatus F); order a new one"),
    )
}

/// Creates `out_dir` if needed and checks that it is a writable folder, before anything is sent.
pub fn prepare_out_dir(out_dir: &Path) -> Result<()> {
    if out_dir.as_os_str().is_empty() {
        return Err(Error::config(
            "the output folder is empty; give a folder path",
        ));
    }
    if out_dir.exists() && !out_dir.is_dir() {
        return Err(Error::config(format!(
            "the output path {} exists and is not a folder",
            out_dir.display()
        )));
    }
    std::fs::create_dir_all(out_dir).map_err(|e| {
        Error::config(format!(
            "cannot create the output folder {}: {e}",
            out_dir.display()
        ))
    })?;
    tempfile::Builder::new()
        .prefix(".qcc-radar-write-check")
        .tempfile_in(out_dir)
        .map_err(|e| {
            Error::config(format!(
                "the output folder {} is not writable: {e}",
                out_dir.display()
            ))
        })?;
    Ok(())
}
