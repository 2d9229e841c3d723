//! `struct qcc_radar_error`: a failure's kind, API status code and messages, owned by the caller.
//!
//! C has no exceptions, so a failure is a heap object handed to the caller through an optional
//! out-pointer. It owns its NUL-terminated strings, and the accessors lend them for as long as
//! the error lives, so reading a message never allocates or needs its own free. Interior NUL
//! bytes (possible only in the server's free text) are dropped rather than truncating a message.

use std::ffi::{c_char, CStr, CString};

use crate::status::ErrorKind;

/// An error returned through a `struct qcc_radar_error **err` out-argument. Opaque: read it with
/// qcc_radar_error_kind(), qcc_radar_error_kind_name(), qcc_radar_error_code(),
/// qcc_radar_error_message(), qcc_radar_error_server_message() and qcc_radar_error_order_no();
/// free it with qcc_radar_error_free(). An error is immutable, so it may be read from any thread.
pub struct Error {
    kind: ErrorKind,
    name: &'static CStr,
    code: i32,
    message: CString,
    server_message: Option<CString>,
    order_no: Option<CString>,
}

/// A C string of `text`, without any interior NUL byte.
pub(crate) fn c_string_lossy(text: &str) -> CString {
    CString::new(text.replace('\0', "")).expect("NUL bytes were removed")
}

pub(crate) fn kind_name(kind: ErrorKind) -> &'static CStr {
    match kind {
        ErrorKind::None => c"none",
        ErrorKind::Auth => c"auth",
        ErrorKind::Quota => c"quota",
        ErrorKind::Permission => c"permission",
        ErrorKind::InvalidRequest => c"invalid_request",
        ErrorKind::ReportFailed => c"report_failed",
        ErrorKind::Timeout => c"timeout",
        ErrorKind::Transport => c"transport",
        ErrorKind::Archive => c"archive",
        ErrorKind::Config => c"config",
        ErrorKind::Cancelled => c"cancelled",
        ErrorKind::Internal => c"internal",
        ErrorKind::UnconfirmedOrder => c"unconfirmed_order",
        ErrorKind::Io => c"io",
    }
}

impl Error {
    /// The C error for a client error. The message is the full English text (with the status
    /// code and the server's `msg` when there were some), which never holds a secret.
    pub(crate) fn from_core(e: &qcc_radar::Error) -> Error {
        let kind = ErrorKind::from_core(e.kind());
        Error {
            kind,
            name: kind_name(kind),
            code: e.code().unwrap_or(0),
            message: c_string_lossy(&e.to_string()),
            server_message: e.server_message().map(c_string_lossy),
            order_no: e.order_no().map(|o| c_string_lossy(o.as_str())),
        }
    }
}

/// The kind of `err`: one of `enum qcc_radar_error_kind`, equal to the status the failing call
/// returned. A NULL `err` gives QCC_RADAR_ERROR_KIND_NONE. Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_error_kind(err: *const Error) -> ErrorKind {
    // SAFETY: the caller passes NULL or an error from this library that it has not freed.
    match unsafe { err.as_ref() } {
        Some(e) => e.kind,
        None => ErrorKind::None,
    }
}

/// The kind of `err` as its snake_case name: "auth", "quota", "permission", "invalid_request",
/// "report_failed", "timeout", "transport", "archive", "config", "cancelled", "internal",
/// "unconfirmed_order" or "io" (the names every qcc-radar binding uses); "none" for a NULL
/// `err`. The string is static: never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_error_kind_name(err: *const Error) -> *const c_char {
    // SAFETY: the caller passes NULL or an error from this library that it has not freed.
    match unsafe { err.as_ref() } {
        Some(e) => e.name.as_ptr(),
        None => kind_name(ErrorKind::None).as_ptr(),
    }
}

/// The API's status code when the API answered with one (107 for a bad signature, 112 for an
/// exhausted balance …), otherwise 0; 0 for a NULL `err`. Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_error_code(err: *const Error) -> i32 {
    // SAFETY: the caller passes NULL or an error from this library that it has not freed.
    unsafe { err.as_ref() }.map_or(0, |e| e.code)
}

/// The error's English message: what happened and what to do, with the API status code and the
/// server's own `msg` appended when there were some. Never NULL: "" for a NULL `err`. The string
/// is owned by `err` and valid until qcc_radar_error_free(err); do not free it. Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_error_message(err: *const Error) -> *const c_char {
    // SAFETY: the caller passes NULL or an error from this library that it has not freed.
    match unsafe { err.as_ref() } {
        Some(e) => e.message.as_ptr(),
        None => c"".as_ptr(),
    }
}

/// The server's own `msg` (often Chinese, UTF-8) when the API answered with one, otherwise NULL
/// (also for a NULL `err`). Owned by `err` and valid until qcc_radar_error_free(err); do not
/// free it. Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_error_server_message(err: *const Error) -> *const c_char {
    // SAFETY: the caller passes NULL or an error from this library that it has not freed.
    match unsafe { err.as_ref() }.and_then(|e| e.server_message.as_ref()) {
        Some(m) => m.as_ptr(),
        None => std::ptr::null(),
    }
}

/// The number of the order this error concerns, or NULL when there is none (also for a NULL
/// `err`). Set whenever an order exists: a wait that timed out (the order stays valid: fetch
/// again to resume it, or qcc_radar_wait_for_report() on it), a report whose generation failed,
/// a download or archive failure after ordering, a resumed order. NULL for
/// QCC_RADAR_STATUS_UNCONFIRMED_ORDER (createReport's answer, with the number, never arrived)
/// and for failures before any order. The string is owned by `err` and valid until
/// qcc_radar_error_free(err); do not free it, copy it to keep it longer. Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_error_order_no(err: *const Error) -> *const c_char {
    // SAFETY: the caller passes NULL or an error from this library that it has not freed.
    match unsafe { err.as_ref() }.and_then(|e| e.order_no.as_ref()) {
        Some(o) => o.as_ptr(),
        None => std::ptr::null(),
    }
}

/// Frees an error returned through an `err` out-argument, with the strings it lent. NULL is
/// accepted and ignored. May be called from any thread, once no thread still reads the error;
/// freeing the same error twice is undefined behaviour.
#[no_mangle]
pub extern "C" fn qcc_radar_error_free(err: *mut Error) {
    if !err.is_null() {
        // SAFETY: a non-NULL `err` came from Box::into_raw in this library and is freed once.
        drop(unsafe { Box::from_raw(err) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_keep_code_and_server_text_without_nul() {
        let core = qcc_radar::Error::new(qcc_radar::ErrorKind::Quota, "balance exhausted")
            .with_code(112)
            .with_server_message("余额\0不足");
        let e = Box::into_raw(Box::new(Error::from_core(&core)));
        assert_eq!(qcc_radar_error_kind(e), ErrorKind::Quota);
        assert_eq!(qcc_radar_error_code(e), 112);
        // SAFETY: the strings are NUL-terminated and owned by `e`, alive until it is freed.
        unsafe {
            let msg = CStr::from_ptr(qcc_radar_error_message(e)).to_str().unwrap();
            assert!(
                msg.contains("[status 112]") && msg.contains("余额不足"),
                "{msg}"
            );
            let name = CStr::from_ptr(qcc_radar_error_kind_name(e))
                .to_str()
                .unwrap();
            assert_eq!(name, "quota");
        }
        assert!(qcc_radar_error_order_no(e).is_null());
        qcc_radar_error_free(e);
    }

    #[test]
    fn order_no_is_lent_when_the_core_error_has_one() {
        let order = qcc_radar::OrderNo::new("JKDAY-20240101000000000001").unwrap();
        let core = qcc_radar::Error::new(qcc_radar::ErrorKind::Timeout, "still not made")
            .with_order_no(&order);
        let e = Box::into_raw(Box::new(Error::from_core(&core)));
        let p = qcc_radar_error_order_no(e);
        assert!(!p.is_null());
        // SAFETY: NUL-terminated, owned by `e`, alive until it is freed.
        let got = unsafe { CStr::from_ptr(p) }.to_str().unwrap();
        assert_eq!(got, order.as_str());
        qcc_radar_error_free(e);
        assert!(qcc_radar_error_order_no(std::ptr::null()).is_null());
    }

    #[test]
    fn names_match_the_core() {
        for kind in qcc_radar::ErrorKind::ALL {
            assert_eq!(
                kind_name(ErrorKind::from_core(kind)).to_str().unwrap(),
                kind.as_str()
            );
        }
    }
}
