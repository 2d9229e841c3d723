//! Plain arguments from Java: strings that may be `null`, report types, order numbers, folders.
//!
//! Java hands over `null`s and free text; each becomes either a typed value or the `config`
//! error the client gives for it (`OrderNo::new`, `ReportType::from_str`), naming the argument.
//! Settings are not here: they go by name to the client's one table ([`crate::options`]), which
//! parses and checks them, so no value is checked twice or differently in Java.

use std::path::PathBuf;

use jni::objects::JString;
use jni::Env;
use qcc_radar::{Error, OrderNo, ReportType};

use crate::errors::BridgeResult;

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
