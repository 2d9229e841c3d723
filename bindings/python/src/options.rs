//! Python keyword arguments onto the client's one settings table.
//!
//! The settings, their units, defaults and rules live in `qcc_radar::settings`, shared by every
//! binding; before that each binding checked values itself and they disagreed. So this file
//! only maps: each keyword becomes a [`SettingValue`] (a bool stays a bool, an int or float is
//! a number, with times in seconds as Python's `Host::Python` convention says, a str or an
//! `os.PathLike` is text) and goes to [`ClientBuilder::set`] or [`FetchOptions::set`] under its
//! Python name. Whether the value is right, and the message when it is not, is the client's
//! business. `None` means "not given": the client's default or environment fallback applies.
//!
//! The one thing added here is the user agent: it always says `python` (before the caller's own
//! `user_agent_suffix`), so the service's logs can tell the bindings apart.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString};
use qcc_radar::{ClientBuilder, FetchOptions, Host, SettingValue};

use crate::errors::to_py_err;

const HOST: Host = Host::Python;

/// `value` as the client takes it, or None for Python's `None` (not given). A type that is
/// none of bool, number, str or path is a `TypeError`, as for any Python function.
pub(crate) fn setting_value(
    name: &str,
    value: &Bound<'_, PyAny>,
) -> PyResult<Option<SettingValue>> {
    if value.is_none() {
        return Ok(None);
    }
    // `bool` first: it is also an `int`.
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Some(SettingValue::Bool(b.is_true())));
    }
    if value.is_instance_of::<PyString>() {
        return Ok(Some(SettingValue::Text(value.extract()?)));
    }
    if value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>() {
        return Ok(Some(SettingValue::Number(number(value))));
    }
    let os = value.py().import("os")?;
    if value.is_instance(&os.getattr("PathLike")?)? {
        let path = os.call_method1("fspath", (value,))?;
        if path.is_instance_of::<PyString>() {
            return Ok(Some(SettingValue::Text(path.extract()?)));
        }
    } else if value.hasattr("__float__")? {
        // numpy scalars, Decimal, Fraction: numbers that are not int or float.
        return Ok(Some(SettingValue::Number(number(value))));
    }
    Err(PyTypeError::new_err(format!(
        "{name} takes a number, a bool, a str or a path, not {}",
        value.get_type().name()?
    )))
}

/// A Python number as f64; one too large for a float becomes infinite, for the client to refuse.
fn number(value: &Bound<'_, PyAny>) -> f64 {
    value.extract::<f64>().unwrap_or_else(|_| {
        let negative = value.lt(0).unwrap_or(false);
        if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        }
    })
}

/// The builder for `Client(**settings)`: every keyword is a setting of the table, by its Python
/// name. Unknown names and bad values are `config` errors with the client's messages.
pub(crate) fn client_builder(
    py: Python<'_>,
    settings: Option<&Bound<'_, PyDict>>,
) -> PyResult<ClientBuilder> {
    let py_err = |e: qcc_radar::Error| to_py_err(py, &e);
    let mut b = ClientBuilder::new()
        .set(HOST, "user_agent_suffix", "python")
        .map_err(py_err)?;
    for (name, value) in settings.into_iter().flatten() {
        let name: String = name.extract()?;
        let Some(mut value) = setting_value(&name, &value)? else {
            continue;
        };
        if name == "user_agent_suffix" {
            if let SettingValue::Text(words) = &value {
                value = SettingValue::Text(format!("python {words}"));
            }
        }
        b = b.set(HOST, &name, value).map_err(py_err)?;
    }
    Ok(b)
}

/// The options of one `fetch_report` call, by their Python names, checked together.
pub(crate) fn fetch_options(
    py: Python<'_>,
    options: &[(&str, Option<&Bound<'_, PyAny>>)],
) -> PyResult<FetchOptions> {
    let py_err = |e: qcc_radar::Error| to_py_err(py, &e);
    let mut o = FetchOptions::new();
    for (name, value) in options {
        let Some(value) = value else { continue };
        if let Some(v) = setting_value(name, value)? {
            o = o.set(HOST, name, v).map_err(py_err)?;
        }
    }
    o.check(HOST).map_err(py_err)?;
    Ok(o)
}

/// A call's `timeout` (seconds, as `fetch_report`'s option of that name), or None when not given.
pub(crate) fn timeout(
    py: Python<'_>,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<std::time::Duration>> {
    Ok(fetch_options(py, &[("timeout", value)])?.timeout)
}
