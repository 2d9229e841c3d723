//! Converting C arguments into Rust values, with a `config` error instead of a crash.
//!
//! Every pointer from C is checked for NULL before use and every string for UTF-8, and the error
//! names the argument, so `qcc_radar_fetch_report(client, NULL, ...)` tells the caller which
//! argument was wrong. What cannot be checked (a dangling pointer, a string without its NUL) is
//! the caller's side of the header's contract.

use std::ffi::{c_char, CStr};

use qcc_radar::{Error, Result};

/// A required string argument.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that outlives `'a`.
pub(crate) unsafe fn required_str<'a>(p: *const c_char, what: &str) -> Result<&'a str> {
    optional_str(p, what)?.ok_or_else(|| Error::config(format!("{what} is NULL; pass a string")))
}

/// An optional string argument: NULL is `None`.
///
/// # Safety
/// As for [`required_str`].
pub(crate) unsafe fn optional_str<'a>(p: *const c_char, what: &str) -> Result<Option<&'a str>> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL and NUL-terminated per this function's contract.
    let c = unsafe { CStr::from_ptr(p) };
    c.to_str()
        .map(Some)
        .map_err(|_| Error::config(format!("{what} is not valid UTF-8; pass UTF-8 text")))
}

/// A required handle argument.
///
/// # Safety
/// `p` is NULL or points to a live `T`.
pub(crate) unsafe fn required_ref<'a, T>(p: *const T, what: &str) -> Result<&'a T> {
    // SAFETY: per this function's contract.
    unsafe { p.as_ref() }.ok_or_else(|| Error::config(format!("{what} is NULL")))
}

/// A required out-argument, cleared to NULL so that it is NULL unless the call succeeds.
///
/// # Safety
/// `p` is NULL or points to writable storage for one pointer.
pub(crate) unsafe fn out_ptr<T>(p: *mut *mut T, what: &str) -> Result<OutPtr<T>> {
    if p.is_null() {
        return Err(Error::config(format!(
            "{what} is NULL; pass the address of a pointer to receive the result"
        )));
    }
    // SAFETY: non-NULL and writable per this function's contract.
    unsafe { p.write(std::ptr::null_mut()) };
    Ok(OutPtr(p))
}

/// A checked, cleared out-argument.
pub(crate) struct OutPtr<T>(*mut *mut T);

impl<T> OutPtr<T> {
    /// Hands `value` to the caller.
    pub(crate) fn set(self, value: *mut T) {
        // SAFETY: checked non-NULL and writable in `out_ptr`.
        unsafe { self.0.write(value) };
    }
}
