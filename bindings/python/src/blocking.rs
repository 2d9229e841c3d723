//! The sync bridge: wait for the shared runtime with the GIL released.
//!
//! The future runs on `qcc_radar::blocking`'s fork-aware runtime, never on a runtime of our
//! own, so a call works from any thread, from inside a running asyncio loop (Jupyter) and in a
//! child after `os.fork()`. While it waits, the GIL is released so other Python threads run,
//! and every [`CHECK_EVERY`] the thread briefly re-attaches to run pending signal handlers:
//! Ctrl-C raises `KeyboardInterrupt` within a fraction of a second and the Rust work is aborted
//! (its temporary files removed). Signal handlers only run on the main thread; elsewhere the
//! check is a no-op.

use std::time::Duration;

use pyo3::prelude::*;

use crate::convert::{OpFuture, Outcome};
use crate::errors::to_py_err;

/// How often a waiting call checks for signals.
const CHECK_EVERY: Duration = Duration::from_millis(100);

/// Runs `fut` to completion with the GIL released; a signal handler's exception (such as
/// `KeyboardInterrupt`) aborts it.
pub(crate) fn wait(py: Python<'_>, fut: OpFuture) -> PyResult<Outcome> {
    let result = py.detach(move || {
        qcc_radar::blocking::run_interruptible(fut, CHECK_EVERY, || {
            Python::attach(|py| py.check_signals())
        })
    });
    match result {
        Err(interrupted) => Err(interrupted),
        Ok(Err(e)) => Err(to_py_err(py, &e)),
        Ok(Ok(outcome)) => Ok(outcome),
    }
}
