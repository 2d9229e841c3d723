//! The one wrapper every fallible entry point runs its body in.
//!
//! Two hazards meet at an `extern "C"` function: a Rust panic must never unwind into C (since
//! Rust 1.81 it aborts the whole process instead, which is no better for the caller), and the
//! optional `err` out-argument must be written the same way everywhere. [`call`] clears `*err`,
//! runs the body under `catch_unwind`, turns a panic into an `internal` error and a failure into
//! a heap-allocated [`Error`], and returns the matching [`Status`].

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::Error;
use crate::status::Status;

/// Runs `body`, reporting its failure (or panic) through `err` (which may be NULL).
pub(crate) fn call(err: *mut *mut Error, body: impl FnOnce() -> qcc_radar::Result<()>) -> Status {
    if !err.is_null() {
        // SAFETY: a non-NULL `err` points to writable storage for one pointer (header contract).
        unsafe { err.write(std::ptr::null_mut()) };
    }
    let outcome = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return Status::Ok,
        Ok(Err(e)) => e,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_string());
            qcc_radar::Error::new(
                qcc_radar::ErrorKind::Internal,
                format!("qcc-radar panicked ({what}); this is a bug, please report it"),
            )
        }
    };
    let status = Status::from_core(outcome.kind());
    if !err.is_null() {
        // Building the error only allocates strings; it cannot panic on any input.
        let boxed = Box::into_raw(Box::new(Error::from_core(&outcome)));
        // SAFETY: as above.
        unsafe { err.write(boxed) };
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{qcc_radar_error_free, qcc_radar_error_kind, qcc_radar_error_message};
    use crate::status::ErrorKind;

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let mut err: *mut Error = std::ptr::null_mut();
        let status = call(&mut err, || panic!("boom"));
        assert_eq!(status, Status::Internal);
        assert_eq!(qcc_radar_error_kind(err), ErrorKind::Internal);
        // SAFETY: the message is NUL-terminated and lives as long as `err`.
        let msg = unsafe { std::ffi::CStr::from_ptr(qcc_radar_error_message(err)) };
        assert!(msg.to_str().unwrap().contains("boom"));
        qcc_radar_error_free(err);
    }

    #[test]
    fn success_clears_a_stale_error_pointer_and_null_err_is_fine() {
        let mut err: *mut Error = std::ptr::dangling_mut::<Error>();
        assert_eq!(call(&mut err, || Ok(())), Status::Ok);
        assert!(err.is_null());
        let status = call(std::ptr::null_mut(), || {
            Err(qcc_radar::Error::config("bad argument"))
        });
        assert_eq!(status, Status::Config);
    }
}
