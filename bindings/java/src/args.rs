//! Arguments from Java, checked before anything is sent.
//!
//! Java hands over `null`s, negative numbers and free text; each becomes either a typed value
//! or a `config` error that names the argument, just as the Rust builder would report it.
//! Unset optional numbers travel as `-1` (or NaN for fractions), the convention of
//! `com.qccradar.RadarClientBuilder`.

use std::path::PathBuf;
use std::time::Duration;

use jni::objects::JString;
use jni::sys::{jdouble, jint, jlong};
use jni::Env;
use qcc_radar::{Error, OrderNo, ReportType};

use crate::error::BridgeResult;

/// A Java string that may be `null`.
pub(crate) fn opt_string(env: &Env, s: &JString) -> BridgeResult<Option<String>> {
    if s.is_null() {
        Ok(None)
    } else {
        Ok(Some(s.try_to_string(env)?))
    }
}

/// A Java string that must not be `null`; `what` names it in the error.
pub(crate) fn string(env: &Env, s: &JString, what: &str) -> BridgeResult<String> {
    opt_string(env, s)?.ok_or_else(|| Error::config(format!("{what} is required, got null")).into())
}

/// `day`, `week` or `month` (any case).
pub(crate) fn report_type(env: &Env, s: &JString) -> BridgeResult<ReportType> {
    Ok(string(env, s, "the report type")?.parse::<ReportType>()?)
}

/// A validated order number.
pub(crate) fn order_no(env: &Env, s: &JString) -> BridgeResult<OrderNo> {
    Ok(OrderNo::new(string(env, s, "the order number")?)?)
}

/// An output folder.
pub(crate) fn out_dir(env: &Env, s: &JString) -> BridgeResult<PathBuf> {
    Ok(PathBuf::from(string(env, s, "the output folder")?))
}

/// Milliseconds, `-1` for unset.
pub(crate) fn millis(ms: jlong, what: &str) -> BridgeResult<Option<Duration>> {
    match ms {
        -1 => Ok(None),
        ms if ms < 0 => {
            Err(Error::config(format!("{what} must not be negative, got {ms} ms")).into())
        }
        ms => Ok(Some(Duration::from_millis(ms.unsigned_abs()))),
    }
}

/// A count, `-1` for unset.
pub(crate) fn count(n: jint, what: &str) -> BridgeResult<Option<u32>> {
    match n {
        -1 => Ok(None),
        n if n < 1 => Err(Error::config(format!("{what} must be at least 1, got {n}")).into()),
        n => Ok(Some(n.unsigned_abs())),
    }
}

/// A finite number, NaN for unset; must lie in `min..=max`.
pub(crate) fn fraction(x: jdouble, what: &str, min: f64, max: f64) -> BridgeResult<Option<f64>> {
    if x.is_nan() {
        Ok(None)
    } else if x.is_finite() && (min..=max).contains(&x) {
        Ok(Some(x))
    } else {
        Err(Error::config(format!("{what} must be between {min} and {max}, got {x}")).into())
    }
}

/// A tri-state flag: `-1` unset, `0` off, `1` on.
pub(crate) fn flag(n: jint) -> Option<bool> {
    match n {
        0 => Some(false),
        1 => Some(true),
        _ => None,
    }
}

/// A Unix time in seconds for signing.
pub(crate) fn timespan(t: jlong) -> BridgeResult<u64> {
    u64::try_from(t).map_err(|_| {
        Error::config(format!(
            "the timespan must be Unix seconds (0 or more), got {t}"
        ))
        .into()
    })
}
