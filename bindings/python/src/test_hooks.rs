//! Test-only hooks, compiled in only with the `test-hooks` feature (python/ci.sh builds the
//! package it tests with it; the shipped wheels and sdists are built without it).
//!
//! The panic hooks run an operation that panics inside the shared runtime, through the same
//! bridges as the client's operations, to prove that a panic reaches Python as an `internal`
//! error instead of hanging the caller. The log hook emits a `tracing` event as the client's
//! crates do, to prove what the logging bridge lets through.

use pyo3::prelude::*;

use crate::blocking;
use crate::convert::OpFuture;
use crate::task::{spawn, Task};

/// An operation that panics on a runtime thread, after one suspension (so the panic happens in
/// the spawned task, not while it is being set up).
fn panicking_op() -> OpFuture {
    Box::pin(async {
        tokio::task::yield_now().await;
        panic!("deliberate panic for the test suite (test-hooks)")
    })
}

/// The sync bridge on a panicking operation: raises `InternalError`.
#[pyfunction]
#[pyo3(name = "_test_panic")]
fn test_panic(py: Python<'_>) -> PyResult<Py<PyAny>> {
    blocking::wait(py, panicking_op())?.into_py(py)
}

/// The async bridge on a panicking operation: `done` is called with an `InternalError`.
#[pyfunction]
#[pyo3(name = "_test_panic_async")]
fn test_panic_async(done: Py<PyAny>) -> Task {
    spawn(panicking_op(), done)
}

/// A WARN event on `qcc_radar::test_hooks` with `message` and a field `detail`, as the client's
/// crates log: it reaches the `qcc_radar.test_hooks` logger through the logging bridge.
#[pyfunction]
#[pyo3(name = "_test_log")]
fn test_log(message: &str, detail: &str) {
    tracing::warn!(target: "qcc_radar::test_hooks", detail = %detail, "{message}");
}

/// Adds the hooks to the module.
pub(crate) fn add(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(test_log, m)?)?;
    m.add_function(wrap_pyfunction!(test_panic, m)?)?;
    m.add_function(wrap_pyfunction!(test_panic_async, m)?)?;
    Ok(())
}
