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

/// An order number that may be `null` (unset).
pub(crate) fn opt_order_no(env: &Env, s: &JString) -> BridgeResult<Option<OrderNo>> {
    match opt_string(env, s)? {
        Some(o) => Ok(Some(OrderNo::new(o)?)),
        None => Ok(None),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use qcc_radar::ErrorKind;

    fn kind<T: std::fmt::Debug>(r: BridgeResult<T>) -> ErrorKind {
        match r {
            Err(crate::error::BridgeError::Qcc(e)) => e.kind(),
            other => panic!("expected a qcc error, got {other:?}"),
        }
    }

    #[test]
    fn unset_numbers_are_none_and_negative_ones_are_config() {
        assert_eq!(millis(-1, "t").unwrap(), None);
        assert_eq!(millis(0, "t").unwrap(), Some(Duration::ZERO));
        assert_eq!(
            millis(1500, "t").unwrap(),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(kind(millis(-2, "t")), ErrorKind::Config);
        assert_eq!(count(-1, "n").unwrap(), None);
        assert_eq!(count(3, "n").unwrap(), Some(3));
        assert_eq!(kind(count(0, "n")), ErrorKind::Config);
        assert_eq!(fraction(f64::NAN, "f", 0.0, 1.0).unwrap(), None);
        assert_eq!(fraction(0.5, "f", 0.0, 1.0).unwrap(), Some(0.5));
        assert_eq!(
            kind(fraction(f64::INFINITY, "f", 0.0, 1.0)),
            ErrorKind::Config
        );
        assert_eq!(kind(fraction(2.0, "f", 0.0, 1.0)), ErrorKind::Config);
        assert_eq!(flag(-1), None);
        assert_eq!(flag(0), Some(false));
        assert_eq!(flag(1), Some(true));
    }

    #[test]
    fn timespans_are_unsigned_seconds() {
        assert_eq!(timespan(0).unwrap(), 0);
        assert_eq!(timespan(1_700_000_000).unwrap(), 1_700_000_000);
        assert_eq!(kind(timespan(-1)), ErrorKind::Config);
    }
}
