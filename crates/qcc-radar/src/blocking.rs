//! The same client for callers without an async runtime: C, Java, scripts, Python's sync API.
//!
//! Each call runs on one shared multi-threaded runtime owned by this module and the calling
//! thread waits on a plain channel. That avoids `Runtime::block_on`, which panics when the
//! caller is itself inside a tokio runtime (a Jupyter kernel's loop, a test, a server), and it
//! lets [`run_interruptible`] poll for Ctrl-C while waiting. After `fork()` the runtime's
//! threads do not exist in the child, so a new runtime is made when the process id changes (the
//! old one is leaked, since dropping it would wait for threads that are gone).

use std::future::Future;
use std::path::Path;
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use std::time::Duration;

use qcc_radar_core::{Error, ErrorKind, OrderNo, ReportInfo, ReportType, Result};

use crate::report::Report;
use crate::ClientBuilder;

static RUNTIME: OnceLock<Mutex<(u32, Arc<tokio::runtime::Runtime>)>> = OnceLock::new();

fn build_runtime() -> Arc<tokio::runtime::Runtime> {
    Arc::new(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("qcc-radar")
            .enable_all()
            .build()
            .expect("a tokio runtime can be built"),
    )
}

/// The shared runtime of this process (rebuilt after `fork()`).
pub fn runtime() -> Arc<tokio::runtime::Runtime> {
    let pid = std::process::id();
    let cell = RUNTIME.get_or_init(|| Mutex::new((pid, build_runtime())));
    let mut slot = cell.lock().unwrap_or_else(|p| p.into_inner());
    if slot.0 != pid {
        let old = std::mem::replace(&mut slot.1, build_runtime());
        std::mem::forget(old);
        slot.0 = pid;
    }
    slot.1.clone()
}

/// Runs `fut` on the shared runtime and waits for it on this thread.
pub fn run<T, F>(fut: F) -> Result<T>
where
    T: Send + 'static,
    F: Future<Output = Result<T>> + Send + 'static,
{
    match run_interruptible(fut, Duration::from_secs(3600), || Ok::<(), Error>(())) {
        Ok(r) => r,
        Err(e) => Err(e),
    }
}

/// Runs `fut` on the shared runtime; every `every` while waiting calls `check`, and if it fails
/// the work is cancelled (its temporary files removed) and `check`'s error is returned. Python
/// passes a check for pending signals, so Ctrl-C interrupts a wait.
pub fn run_interruptible<T, F, E>(
    fut: F,
    every: Duration,
    mut check: impl FnMut() -> std::result::Result<(), E>,
) -> std::result::Result<Result<T>, E>
where
    T: Send + 'static,
    F: Future<Output = Result<T>> + Send + 'static,
{
    let rt = runtime();
    let (tx, rx) = mpsc::sync_channel(1);
    let handle = rt.spawn(async move {
        let _ = tx.send(fut.await);
    });
    loop {
        match rx.recv_timeout(every) {
            Ok(result) => return Ok(result),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let Err(e) = check() {
                    handle.abort();
                    return Err(e);
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(Err(Error::new(
                ErrorKind::Internal,
                "the qcc-radar task stopped without an answer (it panicked); please report this",
            ))),
        }
    }
}

/// The blocking client: the same methods as [`crate::Client`], waiting on this thread.
#[derive(Clone, Debug)]
pub struct Client {
    inner: crate::Client,
}

impl Client {
    /// A builder; call [`Client::from_async`] on what it builds, or use [`Client::new`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// Builds from `builder`.
    pub fn new(builder: ClientBuilder) -> Result<Client> {
        Ok(Client {
            inner: builder.build()?,
        })
    }

    /// A client configured from the environment.
    pub fn from_env() -> Result<Client> {
        Client::new(ClientBuilder::new())
    }

    /// Wraps an async client (they share one connection pool).
    pub fn from_async(inner: crate::Client) -> Client {
        Client { inner }
    }

    /// The async client inside.
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }

    /// See [`crate::Client::create_report`].
    pub fn create_report(&self, report_type: ReportType) -> Result<Option<OrderNo>> {
        let c = self.inner.admit()?;
        run(async move { c.create_report(report_type).await })
    }

    /// See [`crate::Client::report_info`].
    pub fn report_info(&self, order_no: &OrderNo) -> Result<ReportInfo> {
        let (c, o) = (self.inner.admit()?, order_no.clone());
        run(async move { c.report_info(&o).await })
    }

    /// See [`crate::Client::wait_for_report`].
    pub fn wait_for_report(&self, order_no: &OrderNo, timeout: Duration) -> Result<ReportInfo> {
        let (c, o) = (self.inner.admit()?, order_no.clone());
        run(async move { c.wait_for_report(&o, timeout).await })
    }

    /// See [`crate::Client::download_report`].
    pub fn download_report(&self, order_no: &OrderNo, out_dir: &Path) -> Result<Report> {
        let (c, o, d) = (self.inner.admit()?, order_no.clone(), out_dir.to_path_buf());
        run(async move { c.download_report(&o, &d).await })
    }

    /// See [`crate::Client::fetch_report`].
    pub fn fetch_report(&self, report_type: ReportType, out_dir: &Path) -> Result<Option<Report>> {
        let (c, d) = (self.inner.admit()?, out_dir.to_path_buf());
        run(async move { c.fetch_report(report_type, &d).await })
    }

    /// See [`crate::Client::fetch_report_within`].
    pub fn fetch_report_within(
        &self,
        report_type: ReportType,
        out_dir: &Path,
        timeout: Duration,
    ) -> Result<Option<Report>> {
        let (c, d) = (self.inner.admit()?, out_dir.to_path_buf());
        run(async move { c.fetch_report_within(report_type, &d, timeout).await })
    }
}
