//! The native client behind `new Client({ … })`.
//!
//! Each call converts its arguments on the JS thread (so a bad report type or order number is
//! a rejection before anything is sent), registers a cancellable operation under the id the
//! JS layer passes, and hands the client crate's future to napi's runtime; the promise settles
//! through napi's thread-safe bridge, so the event loop never waits on the network or the disk.
//! `close()` is the client crate's `Client::close`, the rule every binding shares: calls in
//! flight end `cancelled`, later calls `config`, closing twice does nothing more.

use std::path::PathBuf;

use napi::bindgen_prelude::{AsyncBlock, AsyncBlockBuilder, Function, Object};
use napi::Env;
use napi_derive::napi;
use qcc_radar::{OrderNo, ReportType};

use crate::error::{self, IntoNapi};
use crate::operations::Operations;
use crate::options;
use crate::progress::{self, ProgressEvent};
use crate::report::{NativeReport, NativeReportInfo};

/// The native client. Use `Client` from `index.js`, which adds `AbortSignal`s and `QccError`s.
#[napi]
pub struct NativeClient {
    client: qcc_radar::Client,
    ops: Operations,
}

/// Every report type, as `createReport` takes them (`ReportType::ALL`), so the package's
/// `REPORT_TYPES` cannot fall behind the core.
#[napi(catch_unwind)]
pub fn report_types() -> Vec<String> {
    ReportType::ALL
        .iter()
        .map(|t| t.as_str().to_string())
        .collect()
}

fn parse_report_type(value: &str) -> napi::Result<ReportType> {
    value.parse::<ReportType>().into_napi()
}

fn parse_order_no(value: &str) -> napi::Result<OrderNo> {
    OrderNo::new(value).into_napi()
}

fn out_dir(value: &str) -> napi::Result<PathBuf> {
    if value.is_empty() {
        return Err(error::config(
            "the output folder is empty; give a folder path",
        ));
    }
    Ok(PathBuf::from(value))
}

#[napi]
impl NativeClient {
    /// Builds a client from the settings in `options`, by name (`requestTimeoutMs`, …; see
    /// `options.rs`); unset ones fall back to the environment. Throws a `config` error.
    /// `onProgress` receives progress events on the JS thread. The first client of the process
    /// reads `QCC_RADAR_LOG` (else `RUST_LOG`): when set, the Rust core's log lines go to stderr.
    #[napi(constructor, catch_unwind)]
    pub fn new(
        options: Option<Object<'_>>,
        on_progress: Option<Function<'_, ProgressEvent, ()>>,
    ) -> napi::Result<Self> {
        // Once per process (later calls return at once); never panics.
        qcc_radar::stderr_log::init_from_env("node");
        let mut builder = options::client_builder(options::entries(options)?)?;
        if let Some(callback) = on_progress {
            builder = builder.on_progress(progress::forwarder(callback)?);
        }
        Ok(NativeClient {
            client: builder.build().into_napi()?,
            ops: Operations::default(),
        })
    }

    /// The base URL requests go to.
    #[napi(getter, catch_unwind)]
    pub fn base_url(&self) -> String {
        self.client.base_url().to_string()
    }

    /// The app key in use.
    #[napi(getter, catch_unwind)]
    pub fn app_key(&self) -> String {
        self.client.app_key().to_string()
    }

    /// Whether `close()` was called.
    #[napi(getter, catch_unwind)]
    pub fn closed(&self) -> bool {
        self.client.is_closed()
    }

    /// How many calls are still running.
    #[napi(getter, catch_unwind)]
    pub fn running(&self) -> u32 {
        u32::try_from(self.ops.running()).unwrap_or(u32::MAX)
    }

    fn spawn<T, F>(
        &self,
        env: &Env,
        op: u32,
        what: &'static str,
        work: impl FnOnce(qcc_radar::Client) -> F,
    ) -> napi::Result<AsyncBlock<T>>
    where
        T: napi::bindgen_prelude::ToNapiValue + Send + 'static,
        F: std::future::Future<Output = napi::Result<T>> + Send + 'static,
    {
        // A clone for this call: made now, it ends `cancelled` (not `config`) if close()
        // comes before its task first runs.
        let client = self.client.admit().into_napi()?;
        let registration = self.ops.register(op)?;
        let fut = self.ops.clone().run(op, registration, what, work(client));
        AsyncBlockBuilder::new(fut).build(env)
    }

    /// Orders a report (`day`, `week` or `month`); resolves to the order number, or `null`
    /// when there were no risk changes. Never retried once sent: a retry could pay twice.
    #[napi(catch_unwind)]
    pub fn create_report(
        &self,
        env: &Env,
        report_type: String,
        op: u32,
    ) -> napi::Result<AsyncBlock<Option<String>>> {
        let report_type = parse_report_type(&report_type)?;
        self.spawn(env, op, "ordering a report", move |c| async move {
            let order = c.create_report(report_type).await.into_napi()?;
            Ok(order.map(|o| o.as_str().to_string()))
        })
    }

    /// Asks where an order stands.
    #[napi(catch_unwind)]
    pub fn report_info(
        &self,
        env: &Env,
        order_no: String,
        op: u32,
    ) -> napi::Result<AsyncBlock<NativeReportInfo>> {
        let order_no = parse_order_no(&order_no)?;
        self.spawn(env, op, "asking for the report", move |c| async move {
            Ok(c.report_info(&order_no).await.into_napi()?.into())
        })
    }

    /// Polls until the report is made; `options.timeoutMs` defaults to the client's
    /// `waitTimeoutMs`.
    #[napi(catch_unwind)]
    pub fn wait_for_report(
        &self,
        env: &Env,
        order_no: String,
        options: Option<Object<'_>>,
        op: u32,
    ) -> napi::Result<AsyncBlock<NativeReportInfo>> {
        let order_no = parse_order_no(&order_no)?;
        let timeout = options::wait_timeout(options::entries(options)?)?
            .unwrap_or_else(|| self.client.wait_timeout());
        self.spawn(env, op, "waiting for the report", move |c| async move {
            Ok(c.wait_for_report(&order_no, timeout)
                .await
                .into_napi()?
                .into())
        })
    }

    /// Downloads a made report into `outDir` and extracts it.
    #[napi(catch_unwind)]
    pub fn download_report(
        &self,
        env: &Env,
        order_no: String,
        out_dir: String,
        op: u32,
    ) -> napi::Result<AsyncBlock<NativeReport>> {
        let order_no = parse_order_no(&order_no)?;
        let dir = self::out_dir(&out_dir)?;
        self.spawn(env, op, "downloading the report", move |c| async move {
            Ok(c.download_report(&order_no, &dir).await.into_napi()?.into())
        })
    }

    /// The whole flow: order (or resume), wait, download, extract, recorded in the order ledger
    /// of `outDir` (`qcc-radar-journal.json`), so a re-run never pays twice. Resolves to `null`
    /// when there were no risk changes. `options`: `timeoutMs`, `newOrder`, `orderNo`.
    #[napi(catch_unwind)]
    pub fn fetch_report(
        &self,
        env: &Env,
        report_type: String,
        out_dir: String,
        options: Option<Object<'_>>,
        op: u32,
    ) -> napi::Result<AsyncBlock<Option<NativeReport>>> {
        let report_type = parse_report_type(&report_type)?;
        let dir = self::out_dir(&out_dir)?;
        let options = options::fetch_options(options::entries(options)?)?;
        self.spawn(env, op, "fetching the report", move |c| async move {
            let report = c
                .fetch_report_with(report_type, &dir, &options)
                .await
                .into_napi()?;
            Ok(report.map(NativeReport::from))
        })
    }

    /// Aborts operation `op` (its `AbortSignal` fired) if it is still running; returns whether
    /// it was.
    #[napi(catch_unwind)]
    pub fn cancel(&self, op: u32) -> bool {
        self.ops.cancel(op)
    }

    /// Closes the client (`qcc_radar::Client::close`): running calls reject with kind
    /// `cancelled` (their work dropped: connections closed, temporary files removed), later
    /// calls with `config`. Safe to call twice.
    #[napi(catch_unwind)]
    pub fn close(&self) {
        self.client.close();
    }
}
