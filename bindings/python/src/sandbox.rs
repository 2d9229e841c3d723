//! `NativeSandbox`: the in-process emulator, for users' own tests and for ours.
//!
//! The emulator runs on a thread and runtime of its own, so it serves while the calling thread
//! blocks in a sync client call. Starting and stopping it (joining that thread) happen with the
//! GIL released. After `os.fork()` the child has this object but not the emulator's thread:
//! there, closing or dropping it only forgets it (joining a thread that does not exist, or
//! waking a runtime whose workers are gone, would hang), and the parent's emulator keeps
//! serving the child over TCP.

use std::sync::Mutex;
use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use qcc_radar_sandbox::{Endpoint, Sandbox, SandboxConfig, Scenario};

use crate::errors::{config_err, to_py_err};

/// A running sandbox. Use `qcc_radar.Sandbox`.
#[pyclass(frozen, module = "qcc_radar._native")]
pub struct NativeSandbox {
    inner: Mutex<Option<Sandbox>>,
    pid: u32,
    base_url: String,
    app_key: String,
    secret_key: String,
    scenario: &'static str,
}

/// A knob of the emulator in seconds (these are the sandbox's own, not client settings).
fn duration(py: Python<'_>, what: &str, v: Option<f64>, slot: &mut Duration) -> PyResult<()> {
    if let Some(v) = v {
        *slot = Duration::try_from_secs_f64(v).map_err(|_| {
            config_err(
                py,
                format!("{what} must be a finite number of seconds, 0 or more (got {v})"),
            )
        })?;
    }
    Ok(())
}

fn endpoint(py: Python<'_>, name: &str) -> PyResult<Endpoint> {
    [
        Endpoint::CreateReport,
        Endpoint::GetReportInfo,
        Endpoint::Download,
        Endpoint::Other,
    ]
    .into_iter()
    .find(|e| e.as_str() == name)
    .ok_or_else(|| {
        config_err(
            py,
            format!(
                "unknown endpoint {name:?}; use createReport, getReportInfo, download or other"
            ),
        )
    })
}

/// Every scenario name, in the sandbox crate's order: the package's `SCENARIOS`, so a scenario
/// added to the emulator needs no second list in Python.
pub(crate) fn scenario_names(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
    PyTuple::new(py, Scenario::ALL.iter().map(|s| s.as_str()))
}

impl NativeSandbox {
    fn with<T>(&self, py: Python<'_>, f: impl FnOnce(&Sandbox) -> T) -> PyResult<T> {
        let guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_ref() {
            Some(sb) if self.pid == std::process::id() => Ok(f(sb)),
            Some(_) => Err(config_err(
                py,
                "this sandbox belongs to the parent process; start a new one after fork()",
            )),
            None => Err(config_err(py, "the sandbox is closed")),
        }
    }

    fn stop(&self) {
        let taken = self.inner.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(sb) = taken {
            if self.pid == std::process::id() {
                drop(sb);
            } else {
                std::mem::forget(sb);
            }
        }
    }
}

#[pymethods]
impl NativeSandbox {
    /// Starts an emulator of `scenario` on 127.0.0.1. Times are in seconds.
    #[new]
    #[pyo3(signature = (
        scenario="normal", *, app_key=None, secret_key=None, polls_until_ready=None,
        slow_ready_after=None, link_ttl=None, timespan_window=None, clock_skew=None,
        large_bytes=None, port=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        scenario: &str,
        app_key: Option<String>,
        secret_key: Option<String>,
        polls_until_ready: Option<u32>,
        slow_ready_after: Option<f64>,
        link_ttl: Option<f64>,
        timespan_window: Option<f64>,
        clock_skew: Option<f64>,
        large_bytes: Option<u64>,
        port: Option<u16>,
    ) -> PyResult<Self> {
        let scenario: Scenario = scenario
            .parse()
            .map_err(|e| config_err(py, format!("{e}")))?;
        let mut config = SandboxConfig::new(scenario);
        if let Some(v) = app_key {
            config.app_key = v;
        }
        if let Some(v) = secret_key {
            config.secret_key = v;
        }
        if let Some(v) = polls_until_ready {
            config.polls_until_ready = v;
        }
        duration(
            py,
            "slow_ready_after",
            slow_ready_after,
            &mut config.slow_ready_after,
        )?;
        duration(py, "link_ttl", link_ttl, &mut config.link_ttl)?;
        duration(
            py,
            "timespan_window",
            timespan_window,
            &mut config.timespan_window,
        )?;
        duration(py, "clock_skew", clock_skew, &mut config.clock_skew)?;
        if let Some(v) = large_bytes {
            config.large_bytes = v;
        }
        if let Some(v) = port {
            config.port = v;
        }
        let sb = py
            .detach(move || Sandbox::start_with(config))
            .map_err(|e| {
                to_py_err(
                    py,
                    &qcc_radar::Error::config(format!("cannot start the sandbox: {e}")),
                )
            })?;
        Ok(NativeSandbox {
            pid: std::process::id(),
            base_url: sb.base_url(),
            app_key: sb.app_key().to_string(),
            secret_key: sb.secret_key().to_string(),
            scenario: sb.scenario().as_str(),
            inner: Mutex::new(Some(sb)),
        })
    }

    /// `http://127.0.0.1:PORT`.
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The app key a client should use.
    #[getter]
    fn app_key(&self) -> &str {
        &self.app_key
    }

    /// The secret key a client should use (in `bad_credentials` the server expects another).
    #[getter]
    fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// The scenario's name.
    #[getter]
    fn scenario(&self) -> &str {
        self.scenario
    }

    /// Whether it is still serving.
    #[getter]
    fn running(&self) -> bool {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }

    /// How many createReport calls placed an order (status 200).
    #[getter]
    fn orders_placed(&self, py: Python<'_>) -> PyResult<usize> {
        self.with(py, |sb| sb.orders_placed())
    }

    /// The numbers of every order placed, oldest first: the service's order list, as a user
    /// reads it in QCC's console (orders whose createReport answer was lost included).
    fn order_numbers(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        self.with(py, |sb| sb.order_numbers())
    }

    /// How many requests reached `endpoint` (createReport, getReportInfo, download, other).
    fn count(&self, py: Python<'_>, endpoint_name: &str) -> PyResult<usize> {
        let e = endpoint(py, endpoint_name)?;
        self.with(py, |sb| sb.count(e))
    }

    /// Every request so far, oldest first, as dicts.
    fn requests<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let records = self.with(py, |sb| sb.requests())?;
        let list = PyList::empty(py);
        for r in records {
            let d = PyDict::new(py);
            d.set_item("endpoint", r.endpoint.as_str())?;
            d.set_item("query", r.query)?;
            d.set_item("timespan", r.timespan)?;
            d.set_item("token_valid", r.token_valid)?;
            d.set_item("api_status", r.api_status)?;
            d.set_item("http_status", r.http_status)?;
            d.set_item("range", r.range)?;
            list.append(d)?;
        }
        Ok(list)
    }

    /// Stops serving and joins its thread. Closing twice is harmless.
    fn close(&self, py: Python<'_>) {
        py.detach(|| self.stop());
    }

    fn __repr__(&self) -> String {
        format!(
            "NativeSandbox(scenario={:?}, base_url={:?})",
            self.scenario, self.base_url
        )
    }
}

impl Drop for NativeSandbox {
    fn drop(&mut self) {
        // Joining the emulator's thread must not hold the GIL.
        let this = &*self;
        if Python::try_attach(|py| py.detach(|| this.stop())).is_none() {
            this.stop();
        }
    }
}
