//! The native client behind `new Client({ … })`.
//!
//! Each call converts its arguments on the JS thread (so a bad report type or order number is
//! a rejection before anything is sent), registers a cancellable operation under the id the
//! JS layer passes, and hands the client crate's future to napi's runtime; the promise settles
//! through napi's thread-safe bridge, so the event loop never waits on the network or the disk.
//! `close()` aborts what is running and drops the client, which releases its connection pool.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use napi::bindgen_prelude::{AsyncBlock, AsyncBlockBuilder, Function};
use napi::Env;
use napi_derive::napi;
use qcc_radar::{OrderNo, ReportType};

use crate::error::{self, IntoNapi};
use crate::operations::{closed_error, AbortReason, Operations};
use crate::options::{millis, ClientOptions, NativeFetchOptions};
use crate::progress::{self, ProgressEvent};
use crate::report::{NativeReport, NativeReportInfo};

/// The native client. Use `Client` from `index.js`, which adds `AbortSignal`s and `QccError`s.
#[napi]
pub struct NativeClient {
    client: Arc<Mutex<Option<qcc_radar::Client>>>,
    ops: Operations,
    base_url: String,
    app_key: String,
    wait_timeout_ms: f64,
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
    /// Builds a client; unset options fall back to the environment. Throws a `config` error.
    /// `onProgress` receives progress events on the JS thread. The first client of the process
    /// reads `QCC_RADAR_LOG` (else `RUST_LOG`): when set, the Rust core's log lines go to stderr.
    #[napi(constructor, catch_unwind)]
    pub fn new(
        options: Option<ClientOptions>,
        on_progress: Option<Function<'_, ProgressEvent, ()>>,
    ) -> napi::Result<Self> {
        // Once per process (later calls return at once); never panics.
        qcc_radar::stderr_log::init_from_env("node");
        let mut builder = options.unwrap_or_default().to_builder()?;
        if let Some(callback) = on_progress {
            builder = builder.on_progress(progress::forwarder(callback)?);
        }
        let client = builder.build().into_napi()?;
        Ok(NativeClient {
            base_url: client.base_url().to_string(),
            app_key: client.app_key().to_string(),
            wait_timeout_ms: client.wait_timeout().as_secs_f64() * 1000.0,
            client: Arc::new(Mutex::new(Some(client))),
            ops: Operations::default(),
        })
    }

    /// The base URL requests go to.
    #[napi(getter, catch_unwind)]
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The app key in use.
    #[napi(getter, catch_unwind)]
    pub fn app_key(&self) -> String {
        self.app_key.clone()
    }

    /// The default wait deadline, ms.
    #[napi(getter, catch_unwind)]
    pub fn wait_timeout_ms(&self) -> f64 {
        self.wait_timeout_ms
    }

    /// Whether `close()` was called.
    #[napi(getter, catch_unwind)]
    pub fn closed(&self) -> bool {
        self.ops.is_closed()
    }

    /// How many calls are still running.
    #[napi(getter, catch_unwind)]
    pub fn running(&self) -> u32 {
        u32::try_from(self.ops.running()).unwrap_or(u32::MAX)
    }

    fn client(&self) -> napi::Result<qcc_radar::Client> {
        self.client
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or_else(closed_error)
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
        let client = self.client()?;
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

    /// Polls until the report is made; `timeoutMs` defaults to the client's wait timeout.
    #[napi(catch_unwind)]
    pub fn wait_for_report(
        &self,
        env: &Env,
        order_no: String,
        timeout_ms: Option<f64>,
        op: u32,
    ) -> napi::Result<AsyncBlock<NativeReportInfo>> {
        let order_no = parse_order_no(&order_no)?;
        let timeout = match timeout_ms {
            Some(ms) => millis("timeoutMs", ms)?,
            None => millis("waitTimeoutMs", self.wait_timeout_ms)?,
        };
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
    /// when there were no risk changes.
    #[napi(catch_unwind)]
    pub fn fetch_report(
        &self,
        env: &Env,
        report_type: String,
        out_dir: String,
        options: Option<NativeFetchOptions>,
        op: u32,
    ) -> napi::Result<AsyncBlock<Option<NativeReport>>> {
        let report_type = parse_report_type(&report_type)?;
        let dir = self::out_dir(&out_dir)?;
        let options = options
            .unwrap_or_default()
            .to_fetch_options(self.wait_timeout_ms)?;
        self.spawn(env, op, "fetching the report", move |c| async move {
            let report = c
                .fetch_report_with(report_type, &dir, &options)
                .await
                .into_napi()?;
            Ok(report.map(NativeReport::from))
        })
    }

    /// Aborts operation `op` if it is still running; returns whether it was.
    #[napi(catch_unwind)]
    pub fn cancel(&self, op: u32) -> bool {
        self.ops.cancel(op, AbortReason::Signal)
    }

    /// Aborts every running call (they reject with kind `cancelled`), drops the client and
    /// its connections, and refuses further calls. Safe to call twice.
    #[napi(catch_unwind)]
    pub fn close(&self) {
        self.ops.close();
        self.client.lock().unwrap_or_else(|p| p.into_inner()).take();
    }
}
