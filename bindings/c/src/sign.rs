//! qcc_radar_sign(): the request Token, for callers that build their own requests (or curl).
//!
//! The Token is written into a caller-supplied buffer rather than returned as an owned string:
//! it has a fixed size (32 hex characters), so the caller can use a stack array and there is
//! nothing to free.

use std::ffi::c_char;

use crate::args::required_str;
use crate::error::Error;
use crate::guard::call;
use crate::status::Status;

/// The size of the buffer qcc_radar_sign() needs: 32 hex characters and the terminating NUL.
pub const QCC_RADAR_TOKEN_BUFFER_SIZE: usize = 33;

/// Computes the request Token: the upper-case hex MD5 of `app_key`, the decimal `timespan` (Unix
/// seconds, the same value sent in the `Timespan` header) and `secret_key`, concatenated.
///
/// Writes the 32 characters and a NUL into `out`, which the caller owns; `out_len` is its size
/// and must be at least QCC_RADAR_TOKEN_BUFFER_SIZE (33). Nothing is allocated and nothing needs
/// freeing. `app_key` and `secret_key` are borrowed for the call and must be non-NULL UTF-8;
/// otherwise, or when `out` is NULL or too small, returns QCC_RADAR_STATUS_CONFIG (leaving `out`
/// holding an empty string when it is not NULL). Pure and thread-safe: no client, no network.
#[no_mangle]
pub extern "C" fn qcc_radar_sign(
    app_key: *const c_char,
    timespan: u64,
    secret_key: *const c_char,
    out: *mut c_char,
    out_len: usize,
    err: *mut *mut Error,
) -> Status {
    call(err, || {
        if out.is_null() {
            return Err(qcc_radar::Error::config(
                "out is NULL; pass a buffer of QCC_RADAR_TOKEN_BUFFER_SIZE bytes",
            ));
        }
        if out_len == 0 {
            return Err(qcc_radar::Error::config(
                "out_len is 0; pass a buffer of QCC_RADAR_TOKEN_BUFFER_SIZE bytes",
            ));
        }
        // SAFETY: `out` is non-NULL and at least `out_len` (>= 1) bytes long per the contract.
        unsafe { out.write(0) };
        if out_len < QCC_RADAR_TOKEN_BUFFER_SIZE {
            return Err(qcc_radar::Error::config(format!(
                "out_len is {out_len}; the Token needs QCC_RADAR_TOKEN_BUFFER_SIZE ({QCC_RADAR_TOKEN_BUFFER_SIZE}) bytes"
            )));
        }
        // SAFETY: NULL or NUL-terminated strings per the contract.
        let app_key = unsafe { required_str(app_key, "app_key") }?;
        // SAFETY: as above.
        let secret_key = unsafe { required_str(secret_key, "secret_key") }?;
        let token = qcc_radar::sign(app_key, timespan, secret_key);
        debug_assert_eq!(token.len() + 1, QCC_RADAR_TOKEN_BUFFER_SIZE);
        // SAFETY: `out` holds at least 33 bytes; the token is 32 ASCII bytes, then the NUL.
        unsafe {
            std::ptr::copy_nonoverlapping(token.as_ptr().cast::<c_char>(), out, token.len());
            out.add(token.len()).write(0);
        }
        Ok(())
    })
}
