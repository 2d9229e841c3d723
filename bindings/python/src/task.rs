//! The async bridge: the same Rust futures as the sync API, settled into asyncio.
//!
//! pyo3's async integrations lag its releases, so the bridge is written out here and does not
//! depend on one. A call spawns its future on the shared runtime and returns a [`Task`] at
//! once (nothing blocks while the GIL is held, so runtime threads that need the GIL, to log or
//! to deliver, can always get it). When the future ends, the runtime thread attaches to Python
//! and calls `done(exception, value)`; the Python half turns that into
//! `loop.call_soon_threadsafe(...)` on an asyncio future.
//!
//! Cancelling an asyncio task calls [`Task::cancel`]: the future is dropped *inside* the
//! runtime task (a `select!`), which removes its temporary files, and only then is `done`
//! called, with a `cancelled` error, so the Python side can wait for the cleanup to finish
//! before it re-raises `CancelledError`. Dropping the `Task` without cancelling (an abandoned
//! coroutine) cancels too.
//!
//! A panic in the Rust future is caught inside the runtime task and delivered as an `internal`
//! error, so `done` is called exactly once whatever happens and the awaiting coroutine always
//! returns (the sync path turns the same panic into `internal` too, in
//! `qcc_radar::blocking::run_interruptible`).

use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::sync::Mutex;

use futures_util::FutureExt;
use pyo3::prelude::*;
use tokio::sync::oneshot;

use crate::convert::OpFuture;
use crate::errors::to_py_exception;

/// A running operation of `AsyncClient`. `cancel()` stops its Rust work.
#[pyclass(frozen, module = "qcc_radar._native")]
pub struct Task {
    cancel: Mutex<Option<oneshot::Sender<()>>>,
}

#[pymethods]
impl Task {
    /// Asks the operation to stop. Its `done` callback is still called, with a `cancelled`
    /// error, once the Rust work has been dropped and its temporary files removed. Returns
    /// False if it was already asked to stop.
    fn cancel(&self) -> bool {
        let sender = self.cancel.lock().unwrap_or_else(|p| p.into_inner()).take();
        match sender {
            Some(tx) => {
                let _ = tx.send(());
                true
            }
            None => false,
        }
    }

    fn __repr__(&self) -> &'static str {
        "<qcc_radar._native.Task>"
    }
}

/// Spawns `fut` on the shared runtime; `done(exception, value)` is called exactly once when it
/// ends: with its outcome, with a `cancelled` error, or with an `internal` error if it panicked.
pub(crate) fn spawn(fut: OpFuture, done: Py<PyAny>) -> Task {
    let (tx, rx) = oneshot::channel::<()>();
    qcc_radar::blocking::runtime().spawn(async move {
        // `fut` is moved into the select and dropped when it returns, before `done` runs. A
        // panic is caught here rather than left to end the runtime task, which would drop
        // `done` uncalled and leave the coroutine awaiting forever.
        let outcome = tokio::select! {
            biased;
            _ = rx => None,
            r = AssertUnwindSafe(fut).catch_unwind() => Some(r.unwrap_or_else(|p| Err(panicked(p)))),
        };
        // During interpreter shutdown there is no one left to tell.
        Python::try_attach(|py| deliver(py, &done, outcome));
    });
    Task {
        cancel: Mutex::new(Some(tx)),
    }
}

/// The `internal` error for a panic of an operation (the panic hook has already printed it).
fn panicked(payload: Box<dyn Any + Send>) -> qcc_radar::Error {
    let text = if let Some(s) = payload.downcast_ref::<&'static str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_owned()
    };
    // Dropping a payload can itself panic; leak it rather than risk unwinding here.
    std::mem::forget(payload);
    qcc_radar::Error::new(
        qcc_radar::ErrorKind::Internal,
        format!("the qcc-radar operation panicked ({text}); please report this bug"),
    )
}

fn deliver(
    py: Python<'_>,
    done: &Py<PyAny>,
    outcome: Option<qcc_radar::Result<crate::convert::Outcome>>,
) {
    let (exc, value) = match outcome {
        None => {
            let e = qcc_radar::Error::new(
                qcc_radar::ErrorKind::Cancelled,
                "the operation was cancelled",
            );
            (Some(to_py_exception(py, &e)), py.None())
        }
        Some(Err(e)) => (Some(to_py_exception(py, &e)), py.None()),
        Some(Ok(v)) => match v.into_py(py) {
            Ok(obj) => (None, obj),
            Err(err) => (
                Some(err.into_value(py).into_bound(py).into_any()),
                py.None(),
            ),
        },
    };
    if let Err(err) = done.call1(py, (exc, value)) {
        err.write_unraisable(py, Some(done.bind(py)));
    }
}
