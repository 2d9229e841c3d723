//! The core's errors as the package's exceptions.
//!
//! The exception classes and the table from kind to class live in Python
//! (`qcc_radar/_errors.py`), where users read them, subclass them and where mypy sees them.
//! Rust only hands over the facts (kind name, message, code, server message, order number) to
//! that module's `_from_native`, so the mapping exists in exactly one place. The message is the
//! core's `Display`, which never holds a secret, a Token or a signed link's query.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

static FROM_NATIVE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The exception instance for `e` (an `ImportError` if the package is broken).
pub(crate) fn to_py_exception<'py>(py: Python<'py>, e: &qcc_radar::Error) -> Bound<'py, PyAny> {
    to_py_err(py, e).into_value(py).into_bound(py).into_any()
}

/// `e` as a `PyErr` of the matching `QccError` subclass.
pub(crate) fn to_py_err(py: Python<'_>, e: &qcc_radar::Error) -> PyErr {
    let made = FROM_NATIVE
        .import(py, "qcc_radar._errors", "_from_native")
        .and_then(|factory| {
            factory.call1((
                e.kind().as_str(),
                e.to_string(),
                e.code(),
                e.server_message(),
                e.order_no().map(|o| o.as_str()),
            ))
        });
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(err) => err,
    }
}

/// A `config` error with `message`, as a `PyErr` (`ConfigError`, also a `ValueError`).
pub(crate) fn config_err(py: Python<'_>, message: impl Into<String>) -> PyErr {
    to_py_err(py, &qcc_radar::Error::config(message))
}
