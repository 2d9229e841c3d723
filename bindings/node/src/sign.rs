//! Request signing, exposed for users who call the API themselves (or check a Token by hand).

use napi::bindgen_prelude::BigInt;
use napi_derive::napi;

use crate::error;

/// The Token for `appKey`, `timespan` (Unix seconds) and `secretKey`: upper-case hex MD5 of the
/// three concatenated. The timespan arrives as a BigInt so no JavaScript number is ever
/// rounded; `index.js` converts safe integers.
#[napi(js_name = "sign", catch_unwind)]
pub fn sign_token(app_key: String, timespan: BigInt, secret_key: String) -> napi::Result<String> {
    let value = timespan.words.first().copied().unwrap_or(0);
    let negative = timespan.sign_bit && value != 0;
    if negative || timespan.words.iter().skip(1).any(|w| *w != 0) {
        return Err(error::config(
            "timespan must be a whole number of seconds between 0 and 2^64-1",
        ));
    }
    Ok(qcc_radar::sign(&app_key, value, &secret_key))
}
