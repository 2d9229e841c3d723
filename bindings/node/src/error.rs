//! Native errors as JavaScript sees them.
//!
//! napi turns a Rust `Err` into a plain JS `Error` whose only free-form field is its message,
//! and an `async` rejection is built off the JS thread, where we cannot attach properties. So
//! a qcc-radar error crosses the boundary as a message that is a marked JSON object
//! (`qcc-radar:{"kind":…,"code":…,"message":…,"serverMessage":…,"orderNo":…}`), and
//! `node/errors.js` turns it into a `QccError` — the one place the mapping lives. `message` is
//! the core's `Display` of the error (its text, ` [status N]`, ` (server said: …)`), so the
//! format is the core's in every binding and JavaScript does not rebuild it. `orderNo` is
//! the order the error concerns ([`Error::order_no`]: a wait that timed out, a failed report, a
//! download after ordering), so a caller can resume it instead of paying again. Messages come from the core, which
//! already keeps the secret key, Tokens and signed-link queries out of them.

use qcc_radar::{Error, ErrorKind};
use serde_json::json;

/// The prefix that marks a message as a serialised qcc-radar error (`errors.js` looks for it).
pub const MARKER: &str = "qcc-radar:";

/// A qcc-radar error as a napi error carrying the JSON payload.
pub fn to_napi(err: &Error) -> napi::Error {
    let payload = json!({
        "kind": err.kind().as_str(),
        "code": err.code(),
        "message": err.to_string(),
        "serverMessage": err.server_message(),
        "orderNo": err.order_no().map(|o| o.as_str()),
    });
    napi::Error::new(napi::Status::GenericFailure, format!("{MARKER}{payload}"))
}

/// Every error kind, as `QccError#kind` spells it (`qcc_radar::ErrorKind::ALL`), so the
/// package's `ERROR_KINDS` cannot fall behind the core.
#[napi_derive::napi(catch_unwind)]
pub fn error_kinds() -> Vec<String> {
    ErrorKind::ALL
        .iter()
        .map(|k| k.as_str().to_string())
        .collect()
}

/// A `config` error (bad arguments: nothing was sent).
pub fn config(message: impl Into<String>) -> napi::Error {
    to_napi(&Error::config(message))
}

/// A `cancelled` error.
pub fn cancelled(message: impl Into<String>) -> napi::Error {
    to_napi(&Error::new(ErrorKind::Cancelled, message))
}

/// Extension to turn a `qcc_radar::Result` into a `napi::Result`.
pub trait IntoNapi<T> {
    /// Maps the error with [`to_napi`].
    fn into_napi(self) -> napi::Result<T>;
}

impl<T> IntoNapi<T> for qcc_radar::Result<T> {
    fn into_napi(self) -> napi::Result<T> {
        self.map_err(|e| to_napi(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(e: &napi::Error) -> serde_json::Value {
        let text = e.reason.strip_prefix(MARKER).expect("marked");
        serde_json::from_str(text).expect("JSON")
    }

    #[test]
    fn payload_carries_kind_code_and_server_message() {
        let e = Error::new(ErrorKind::Quota, "balance exhausted")
            .with_code(112)
            .with_server_message("余额不足");
        let v = payload(&to_napi(&e));
        assert_eq!(v["kind"], "quota");
        assert_eq!(v["code"], 112);
        assert_eq!(
            v["message"],
            "balance exhausted [status 112] (server said: 余额不足)"
        );
        assert_eq!(v["serverMessage"], "余额不足");
    }

    #[test]
    fn absent_code_and_server_message_are_null() {
        let v = payload(&cancelled("stopped"));
        assert_eq!(v["kind"], "cancelled");
        assert!(v["code"].is_null());
        assert!(v["serverMessage"].is_null());
        assert!(v["orderNo"].is_null());
    }

    #[test]
    fn payload_carries_the_order_number() {
        let order = qcc_radar::OrderNo::new("JKDAY-42").unwrap();
        let e = Error::new(ErrorKind::Timeout, "still P").with_order_no(&order);
        let v = payload(&to_napi(&e));
        assert_eq!(v["kind"], "timeout");
        assert_eq!(v["orderNo"], "JKDAY-42");
    }

    #[test]
    fn every_kind_is_listed() {
        let kinds = error_kinds();
        assert_eq!(kinds.len(), ErrorKind::ALL.len());
        assert!(kinds.iter().any(|k| k == "unconfirmed_order"));
        assert!(kinds.iter().any(|k| k == "io"));
    }
}
