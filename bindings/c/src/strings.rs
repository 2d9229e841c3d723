//! Strings handed to C: the static ones (version, names) and the owned ones (order numbers,
//! paths) that the caller frees with qcc_radar_string_free().
//!
//! Owned strings are allocated by Rust's allocator, so they must come back here to be freed;
//! calling C's free() on them is undefined behaviour, which the header says next to each one.

use std::ffi::{c_char, c_int, CStr, CString};
use std::path::Path;

use crate::error::c_string_lossy;

const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => panic!("the package version has no NUL byte"),
    };

/// Moves `s` to C as an owned string (free with qcc_radar_string_free).
pub(crate) fn into_c(s: CString) -> *mut c_char {
    s.into_raw()
}

/// A C string of a path: its bytes on Unix (paths made by qcc-radar are UTF-8 anyway).
pub(crate) fn path_to_c(path: &Path) -> CString {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes: Vec<u8> = path
            .as_os_str()
            .as_bytes()
            .iter()
            .copied()
            .filter(|b| *b != 0)
            .collect();
        CString::new(bytes).expect("NUL bytes were removed")
    }
    #[cfg(not(unix))]
    {
        c_string_lossy(&path.to_string_lossy())
    }
}

/// An owned C string of `text`.
pub(crate) fn str_to_c(text: &str) -> CString {
    c_string_lossy(text)
}

/// The library's version, such as "0.1.0". The string is static: never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_version() -> *const c_char {
    VERSION.as_ptr()
}

/// Frees a string that qcc-radar handed to the caller as owned (an order number from
/// qcc_radar_create_report()). NULL is accepted and ignored. Do not pass strings lent by an
/// error or a report (they are freed with their owner), nor strings from malloc(). May be
/// called from any thread; freeing the same string twice is undefined behaviour.
#[no_mangle]
pub extern "C" fn qcc_radar_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: a non-NULL `s` came from CString::into_raw in this library and is freed once.
        drop(unsafe { CString::from_raw(s) });
    }
}

/// The snake_case name of a status value: "ok" for QCC_RADAR_STATUS_OK, otherwise the kind's
/// name ("auth", "quota" … "internal", "unconfirmed_order", "io"), as
/// qcc_radar_error_kind_name() gives it. Any other number gives "unknown". Takes an int so that
/// any value is safe to pass. The string is static: never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_status_name(status: c_int) -> *const c_char {
    use crate::status::ErrorKind as K;
    let kind = match status {
        0 => return c"ok".as_ptr(),
        1 => K::Auth,
        2 => K::Quota,
        3 => K::Permission,
        4 => K::InvalidRequest,
        5 => K::ReportFailed,
        6 => K::Timeout,
        7 => K::Transport,
        8 => K::Archive,
        9 => K::Config,
        10 => K::Cancelled,
        11 => K::Internal,
        12 => K::UnconfirmedOrder,
        13 => K::Io,
        _ => return c"unknown".as_ptr(),
    };
    crate::error::kind_name(kind).as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;

    #[test]
    fn status_names_follow_the_enum() {
        let name = |s: c_int| {
            // SAFETY: static NUL-terminated strings.
            unsafe { CStr::from_ptr(qcc_radar_status_name(s)) }
                .to_str()
                .unwrap()
        };
        assert_eq!(name(Status::Ok as c_int), "ok");
        assert_eq!(name(Status::InvalidRequest as c_int), "invalid_request");
        assert_eq!(name(Status::Internal as c_int), "internal");
        assert_eq!(name(-1), "unknown");
        assert_eq!(name(Status::UnconfirmedOrder as c_int), "unconfirmed_order");
        assert_eq!(name(Status::Io as c_int), "io");
        assert_eq!(name(14), "unknown");
    }

    #[test]
    fn version_is_the_package_version() {
        // SAFETY: static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(qcc_radar_version()) };
        assert_eq!(v.to_str().unwrap(), qcc_radar::VERSION);
    }
}
