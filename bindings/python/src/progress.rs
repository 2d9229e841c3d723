//! The client's progress events into a Python callable (`Client(progress=...)`).
//!
//! The client thins the stream once for every binding (download and extraction events at most
//! every 100 ms, plus the first and the last), so nothing is throttled here. Each event is
//! handed to `qcc_radar._progress._emit`, which makes the `ProgressEvent` and calls the
//! caller's function; the event class and the "an exception in the callback is logged, the
//! download goes on" rule are written once, in Python, where the caller reads them.
//!
//! Hazards, and the choices made:
//! - The callback runs on the client's runtime threads, which attach to Python to call it. As
//!   for logging (`logging.rs`), that is only safe because no thread ever waits for the runtime
//!   while holding the GIL.
//! - During interpreter shutdown attaching is impossible; the event is dropped.
//! - An exception that escapes `_emit` (it catches `Exception`, so only a `BaseException` or a
//!   broken package) is reported through `sys.unraisablehook` and never reaches the operation.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use qcc_radar::{Progress, ProgressFn};

static EMIT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A progress function that calls `callback(event)` with the GIL held.
pub(crate) fn forward_to(callback: Py<PyAny>) -> ProgressFn {
    Arc::new(move |event: &Progress| {
        Python::try_attach(|py| {
            if let Err(e) = deliver(py, &callback, event) {
                e.write_unraisable(py, Some(callback.bind(py)));
            }
        });
    })
}

/// The facts `_emit` takes: kind, order number, status, polls, elapsed seconds, bytes received,
/// total (bytes or entries), entries done; None where the kind has no such fact.
type Facts<'a> = (
    &'static str,
    &'a str,
    Option<&'static str>,
    Option<u32>,
    Option<f64>,
    Option<u64>,
    Option<u64>,
    Option<u64>,
);

fn facts(event: &Progress) -> Option<Facts<'_>> {
    Some(match event {
        Progress::Ordered { order_no } => (
            "ordered",
            order_no.as_str(),
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        Progress::Polled {
            order_no,
            status,
            polls,
            elapsed,
        } => (
            "polled",
            order_no.as_str(),
            Some(status.as_letter()),
            Some(*polls),
            Some(elapsed.as_secs_f64()),
            None,
            None,
            None,
        ),
        Progress::Downloading {
            order_no,
            received,
            total,
        } => (
            "downloading",
            order_no.as_str(),
            None,
            None,
            None,
            Some(*received),
            *total,
            None,
        ),
        Progress::Extracting {
            order_no,
            done,
            total,
        } => (
            "extracting",
            order_no.as_str(),
            None,
            None,
            None,
            None,
            Some(*total),
            Some(*done),
        ),
        // A kind added to the client later: this version of the package does not know it.
        _ => return None,
    })
}

fn deliver(py: Python<'_>, callback: &Py<PyAny>, event: &Progress) -> PyResult<()> {
    let Some(facts) = facts(event) else {
        return Ok(());
    };
    let emit = EMIT.import(py, "qcc_radar._progress", "_emit")?;
    let (kind, order_no, status, polls, elapsed, received, total, done) = facts;
    emit.call1((
        callback, kind, order_no, status, polls, elapsed, received, total, done,
    ))?;
    Ok(())
}
