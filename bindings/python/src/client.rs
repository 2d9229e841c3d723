//! `NativeClient`: one Rust client behind both `qcc_radar.Client` and `qcc_radar.AsyncClient`.
//!
//! Each operation is described once as a boxed future over a clone of the (cheap, `Arc`-shared)
//! Rust client; the sync method waits for it with the GIL released ([`crate::blocking`]) and
//! the `*_async` method spawns it and returns a [`Task`] ([`crate::task`]). Arguments are
//! validated before anything is spawned, so a bad report type or order number raises
//! `ConfigError` at the call, in both flavours. The class is `frozen` and the Rust client is
//! `Send + Sync`, so one instance may be shared by any number of threads.

use std::path::PathBuf;
use std::time::Duration;

use pyo3::prelude::*;
use qcc_radar::{FetchOptions, OrderNo, ReportType};

use crate::blocking;
use crate::convert::{OpFuture, Outcome};
use crate::errors::to_py_err;
use crate::options::{seconds, ClientOptions};
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

fn timeout(py: Python<'_>, t: Option<f64>, default: Duration) -> PyResult<Duration> {
    match t {
        None => Ok(default),
        Some(v) => seconds("timeout", v).map_err(|e| to_py_err(py, &e)),
    }
}

impl NativeClient {
    fn create_op(&self, py: Python<'_>, rt: &str) -> PyResult<OpFuture> {
        let (c, t) = (self.inner.clone(), report_type(py, rt)?);
        Ok(Box::pin(async move {
            c.create_report(t).await.map(Outcome::Ordered)
        }))
    }

    fn info_op(&self, py: Python<'_>, order: &str) -> PyResult<OpFuture> {
        let (c, o) = (self.inner.clone(), order_no(py, order)?);
        Ok(Box::pin(async move {
            c.report_info(&o).await.map(Outcome::Info)
        }))
    }

    fn wait_op(&self, py: Python<'_>, order: &str, t: Option<f64>) -> PyResult<OpFuture> {
        let (c, o) = (self.inner.clone(), order_no(py, order)?);
        let t = timeout(py, t, self.inner.wait_timeout())?;
        Ok(Box::pin(async move {
            c.wait_for_report(&o, t).await.map(Outcome::Info)
        }))
    }

    fn download_op(&self, py: Python<'_>, order: &str, out_dir: PathBuf) -> PyResult<OpFuture> {
        let (c, o) = (self.inner.clone(), order_no(py, order)?);
        Ok(Box::pin(async move {
            c.download_report(&o, &out_dir).await.map(Outcome::Report)
        }))
    }

    fn fetch_op(
        &self,
        py: Python<'_>,
        rt: &str,
        out_dir: PathBuf,
        t: Option<f64>,
        new_order: bool,
        resume: Option<&str>,
    ) -> PyResult<OpFuture> {
        let (c, rt) = (self.inner.clone(), report_type(py, rt)?);
        let mut options = FetchOptions::new().new_order(new_order);
        if let Some(o) = resume {
            options = options.order_no(order_no(py, o)?);
        }
        if let Some(t) = t {
            options = options.timeout(seconds("timeout", t).map_err(|e| to_py_err(py, &e))?);
        }
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
    /// Builds the client; unset credentials and base URL come from `QCC_APP_KEY`,
    /// `QCC_SECRET_KEY` and `QCC_BASE_URL`. Times are in seconds.
    #[new]
    #[pyo3(signature = (
        app_key=None, secret_key=None, base_url=None, *, connect_timeout=None,
        request_timeout=None, read_timeout=None, wait_timeout=None, max_attempts=None,
        poll_initial=None, poll_max=None, clock_skew_correction=None, ca_file=None, proxy=None,
        user_agent_suffix=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        app_key: Option<String>,
        secret_key: Option<String>,
        base_url: Option<String>,
        connect_timeout: Option<f64>,
        request_timeout: Option<f64>,
        read_timeout: Option<f64>,
        wait_timeout: Option<f64>,
        max_attempts: Option<u32>,
        poll_initial: Option<f64>,
        poll_max: Option<f64>,
        clock_skew_correction: Option<bool>,
        ca_file: Option<PathBuf>,
        proxy: Option<String>,
        user_agent_suffix: Option<String>,
    ) -> PyResult<Self> {
        let options = ClientOptions {
            app_key,
            secret_key,
            base_url,
            connect_timeout,
            request_timeout,
            read_timeout,
            wait_timeout,
            max_attempts,
            poll_initial,
            poll_max,
            clock_skew_correction,
            ca_file,
            proxy,
            user_agent_suffix,
        };
        // Reading a CA file is disk work: done without the GIL.
        let built = py.detach(move || options.into_builder().and_then(|b| b.build()));
        built
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

    /// Polls until the report is made.
    #[pyo3(signature = (order_no, timeout=None))]
    fn wait_for_report(
        &self,
        py: Python<'_>,
        order_no: &str,
        timeout: Option<f64>,
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
    /// changes. `new_order` orders whatever the ledger says; `order_no` resumes that order as
    /// the period's instead of ordering (after an `unconfirmed_order`).
    #[pyo3(signature = (report_type, out_dir, timeout=None, *, new_order=false, order_no=None))]
    fn fetch_report(
        &self,
        py: Python<'_>,
        report_type: &str,
        out_dir: PathBuf,
        timeout: Option<f64>,
        new_order: bool,
        order_no: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        let op = self.fetch_op(py, report_type, out_dir, timeout, new_order, order_no)?;
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
        timeout: Option<f64>,
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
        timeout: Option<f64>,
        new_order: bool,
        order_no: Option<&str>,
        done: Py<PyAny>,
    ) -> PyResult<Task> {
        Ok(spawn(
            self.fetch_op(py, report_type, out_dir, timeout, new_order, order_no)?,
            done,
        ))
    }

    fn __repr__(&self) -> String {
        format!(
            "NativeClient(base_url={:?}, app_key={:?})",
            self.inner.base_url(),
            self.inner.app_key()
        )
    }
}
