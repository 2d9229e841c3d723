//! The native half of the Python package `qcc_radar`: the module `qcc_radar._native`.
//!
//! This crate is deliberately thin. It converts arguments, maps the core's errors onto the
//! package's exception classes, and bridges two runtimes: a sync call waits for the shared
//! fork-aware tokio runtime with the GIL released (checking for Ctrl-C), and an async call
//! spawns the same future there and settles an asyncio future from the runtime thread. The
//! Python half (`python/qcc_radar`) owns the public classes, the asyncio glue and the exception
//! table, so each concept is written once, in the language where it is simplest.

use pyo3::prelude::*;

mod blocking;
mod client;
mod convert;
mod errors;
mod logging;
mod options;
mod progress;
mod sandbox;
mod tables;
mod task;
#[cfg(feature = "test-hooks")]
mod test_hooks;

/// The token for `app_key`, `timespan` (Unix seconds) and `secret_key`: upper-case hex MD5 of
/// the three concatenated. Fails with `ConfigError` for a negative or non-integer timespan.
#[pyfunction]
fn sign(
    py: Python<'_>,
    app_key: &str,
    timespan: &Bound<'_, PyAny>,
    secret_key: &str,
) -> PyResult<String> {
    let timespan: u64 = timespan.extract().map_err(|_| {
        errors::to_py_err(
            py,
            &qcc_radar::Error::config("the timespan must be a non-negative integer (Unix seconds)"),
        )
    })?;
    Ok(qcc_radar::sign(app_key, timespan, secret_key))
}

/// `url` without its query, fragment and user information (`?<redacted>` where a query was):
/// the client's own redaction, safe to print or log.
#[pyfunction]
fn redact_url(url: &str) -> String {
    qcc_radar::core::redact::redact_url(url)
}

/// `text` with every URL's query and every bare `Signature=`, `OSSAccessKeyId=` or
/// `security-token=` value replaced by `<redacted>`: the client's own scrubbing of free text.
#[pyfunction]
fn redact_text(text: &str) -> String {
    qcc_radar::core::redact::redact_text(text)
}

/// qcc-radar's native module: the Rust client, its runtime bridge and the sandbox emulator.
/// Use it through the `qcc_radar` package, not directly.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    logging::install();
    m.add("VERSION", qcc_radar::VERSION)?;
    m.add("SCENARIOS", sandbox::scenario_names(m.py())?)?;
    m.add_function(wrap_pyfunction!(sign, m)?)?;
    m.add_function(wrap_pyfunction!(redact_url, m)?)?;
    m.add_function(wrap_pyfunction!(redact_text, m)?)?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<task::Task>()?;
    m.add_class::<sandbox::NativeSandbox>()?;
    m.add_class::<tables::NativeTable>()?;
    m.add_function(wrap_pyfunction!(tables::read_tables, m)?)?;
    #[cfg(feature = "test-hooks")]
    test_hooks::add(m)?;
    Ok(())
}
