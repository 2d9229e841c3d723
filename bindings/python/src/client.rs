//! `NativeClient`: one Rust client behind both `qcc_radar.Client` and `qcc_radar.AsyncClient`.
//!
//! Each operation is described once as a boxed future over a clone of the (cheap, `Arc`-shared)
//! Rust client; the sync method waits for it with the GIL released ([`crate::blocking`]) and
//! the `*_async` method spawns it and returns a [`Task`] ([`crate::task`]). Arguments are
//! validated before anything is spawned, so a bad report type or order number raises
//! `ConfigError` at the call, in both flavours. The class is `frozen` and the Rust client is
//! `Send + Sync`, so one instance may be shared by any number of threads.
//!
//! Settings and fetch options are only mapped here ([`crate::options`]): the client crate
//! checks them, once for every binding. `close()` is the client crate's: calls in flight on any
//! thread or task end `cancelled`, later calls `config`.

use std::path::PathBuf;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use qcc_radar::{OrderNo, ReportType};

use crate::blocking;
use crate::convert::{OpFuture, Outcome};
use crate::errors::to_py_err;
use crate::options::{client_builder, fetch_options, timeout};
use crate::progress::forward_to;
use crate::task::{spawn, Task};

/// The native client. Use `qcc_radar.Client` or `qcc_radar.AsyncClient`.
#[pyclass(frozen, module = "qcc_radar._native")]
pub struct NativeClient {
    inner: qcc_radar::Client,
}

fn report_type(py: Python<'_>, s: &str) -> PyResult<ReportType> {
    s.parse::<ReportType>().map_err(|e| to_py_err(py, &e))
}

fn order_no(py: Python<'_>, s: &str) -> PyResult<OrderNo> {
    OrderNo::new(s).map_err(|e| to_py_err(py, &e))
}

impl NativeClient {
    /// A clone for one call made now: it ends `cancelled` (not `config`) if `close()` comes
    /// before its task first runs, and fails `config` if the client is closed already.
    fn admit(&self, py: Python<'_>) -> PyResult<qcc_radar::Client> {
        self.inner.admit().map_err(|e| to_py_err(py, &e))
    }

    fn create_op(&self, py: Python<'_>, rt: &str) -> PyResult<OpFuture> {
        let (c, t) = (self.admit(py)?, report_type(py, rt)?);
        Ok(Box::pin(async move {
            c.create_report(t).await.map(Outcome::Ordered)
        }))
    }

    fn info_op(&self, py: Python<'_>, order: &str) -> PyResult<OpFuture> {
        let (c, o) = (self.admit(py)?, order_no(py, order)?);
        Ok(Box::pin(async move {
            c.report_info(&o).await.map(Outcome::Info)
        }))
    }

    fn wait_op(
        &self,
        py: Python<'_>,
        order: &str,
        t: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<OpFuture> {
        let (c, o) = (self.admit(py)?, order_no(py, order)?);
        let t = timeout(py, t)?.unwrap_or_else(|| self.inner.wait_timeout());
        Ok(Box::pin(async move {
            c.wait_for_report(&o, t).await.map(Outcome::Info)
        }))
    }

    fn download_op(&self, py: Python<'_>, order: &str, out_dir: PathBuf) -> PyResult<OpFuture> {
        let (c, o) = (self.admit(py)?, order_no(py, order)?);
        Ok(Box::pin(async move {
            c.download_report(&o, &out_dir).await.map(Outcome::Report)
        }))
    }

    fn fetch_op(
        &self,
        py: Python<'_>,
        rt: &str,
        out_dir: PathBuf,
        options: [Option<&Bound<'_, PyAny>>; 3],
    ) -> PyResult<OpFuture> {
        let (c, rt) = (self.admit(py)?, report_type(py, rt)?);
        let [t, new_order, resume] = options;
        let options = fetch_options(
            py,
            &[
                ("timeout", t),
                ("new_order", new_order),
                ("order_no", resume),
            ],
        )?;
        Ok(Box::pin(async move {
            c.fetch_report_with(rt, &out_dir, &options)
                .await
                .map(Outcome::Fetched)
        }))
    }
}

fn run(py: Python<'_>, op: OpFuture) -> PyResult<Py<PyAny>> {
    blocking::wait(py, op)?.into_py(py)
}

#[pymethods]
impl NativeClient {
    /// Builds the client from settings given by name (every client setting of the table in
    /// `qcc_radar::settings`, as Python spells it; times in seconds). Unset credentials and base
    /// URL come from `QCC_APP_KEY`, `QCC_SECRET_KEY` and `QCC_BASE_URL`. `progress` is called
    /// with each progress event, on the client's threads.
    #[new]
    #[pyo3(signature = (*, progress=None, **settings))]
    fn new(
        py: Python<'_>,
        progress: Option<Py<PyAny>>,
        settings: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let mut builder = client_builder(py, settings)?;
        if let Some(callback) = progress.filter(|p| !p.is_none(py)) {
            if !callback.bind(py).is_callable() {
                return Err(PyTypeError::new_err(
                    "progress takes a callable (or True for a tqdm bar), not a value",
                ));
            }
            builder = builder.on_progress(forward_to(callback));
        }
        // Reading a CA file is disk work: done without the GIL.
        py.detach(move || builder.build())
            .map(|inner| NativeClient { inner })
            .map_err(|e| to_py_err(py, &e))
    }

    /// The base URL requests go to.
    #[getter]
    fn base_url(&self) -> &str {
        self.inner.base_url()
    }

    /// The app key in use (not a secret: it travels in every query).
    #[getter]
    fn app_key(&self) -> &str {
        self.inner.app_key()
    }

    /// The default wait deadline, in seconds.
    #[getter]
    fn wait_timeout(&self) -> f64 {
        self.inner.wait_timeout().as_secs_f64()
    }

    /// The server's clock minus ours, in seconds, as learned from a 115 answer (0 until then).
    #[getter]
    fn clock_offset(&self) -> i64 {
        self.inner.clock_offset()
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.inner.is_closed()
    }

    /// Closes the client: calls in flight end with a `cancelled` error, later calls with a
    /// `config` error. Closing twice is harmless.
    fn close(&self) {
        self.inner.close();
    }

    /// Orders a report; None when there were no risk changes.
    fn create_report(&self, py: Python<'_>, report_type: &str) -> PyResult<Py<PyAny>> {
        let op = self.create_op(py, report_type)?;
        run(py, op)
    }

    /// Asks where an order stands.
    fn report_info(&self, py: Python<'_>, order_no: &str) -> PyResult<Py<PyAny>> {
        let op = self.info_op(py, order_no)?;
        run(py, op)
    }

    /// Polls until the report is made; `timeout` in seconds, default the client's.
    #[pyo3(signature = (order_no, timeout=None))]
    fn wait_for_report(
        &self,
        py: Python<'_>,
        order_no: &str,
        timeout: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let op = self.wait_op(py, order_no, timeout)?;
        run(py, op)
    }

    /// Downloads and extracts a made report into `out_dir`.
    fn download_report(
        &self,
        py: Python<'_>,
        order_no: &str,
        out_dir: PathBuf,
    ) -> PyResult<Py<PyAny>> {
        let op = self.download_op(py, order_no, out_dir)?;
        run(py, op)
    }

    /// The whole flow, backed by the ledger in `out_dir`; None when there were no risk
    /// changes. The options are the fetch options of the settings table: `timeout` (seconds),
    /// `new_order` (order whatever the ledger says) and `order_no` (resume that order as the
    /// period's instead of ordering, after an `unconfirmed_order`).
    #[pyo3(signature = (report_type, out_dir, timeout=None, *, new_order=None, order_no=None))]
    fn fetch_report(
        &self,
        py: Python<'_>,
        report_type: &str,
        out_dir: PathBuf,
        timeout: Option<&Bound<'_, PyAny>>,
        new_order: Option<&Bound<'_, PyAny>>,
        order_no: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let op = self.fetch_op(py, report_type, out_dir, [timeout, new_order, order_no])?;
        run(py, op)
    }

    /// `create_report`, spawned; `done(exception, value)` is called when it ends.
    fn create_report_async(
        &self,
        py: Python<'_>,
        report_type: &str,
        done: Py<PyAny>,
    ) -> PyResult<Task> {
        Ok(spawn(self.create_op(py, report_type)?, done))
    }

    /// `report_info`, spawned.
    fn report_info_async(&self, py: Python<'_>, order_no: &str, done: Py<PyAny>) -> PyResult<Task> {
        Ok(spawn(self.info_op(py, order_no)?, done))
    }

    /// `wait_for_report`, spawned.
    #[pyo3(signature = (order_no, timeout, done))]
    fn wait_for_report_async(
        &self,
        py: Python<'_>,
        order_no: &str,
        timeout: Option<&Bound<'_, PyAny>>,
        done: Py<PyAny>,
    ) -> PyResult<Task> {
        Ok(spawn(self.wait_op(py, order_no, timeout)?, done))
    }

    /// `download_report`, spawned.
    fn download_report_async(
        &self,
        py: Python<'_>,
        order_no: &str,
        out_dir: PathBuf,
        done: Py<PyAny>,
    ) -> PyResult<Task> {
        Ok(spawn(self.download_op(py, order_no, out_dir)?, done))
    }

    /// `fetch_report`, spawned.
    #[pyo3(signature = (report_type, out_dir, timeout, new_order, order_no, done))]
    #[allow(clippy::too_many_arguments)]
    fn fetch_report_async(
        &self,
        py: Python<'_>,
        report_type: &str,
        out_dir: PathBuf,
        timeout: Option<&Bound<'_, PyAny>>,
        new_order: Option<&Bound<'_, PyAny>>,
        order_no: Option<&Bound<'_, PyAny>>,
        done: Py<PyAny>,
    ) -> PyResult<Task> {
        let op = self.fetch_op(py, report_type, out_dir, [timeout, new_order, order_no])?;
        Ok(spawn(op, done))
    }

    fn __repr__(&self) -> String {
        format!(
            "NativeClient(base_url={:?}, app_key={:?})",
            self.inner.base_url(),
            self.inner.app_key()
        )
    }
}
