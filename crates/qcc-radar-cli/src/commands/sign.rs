//! `sign`: the Token and Timespan headers of a signed request, for trying the API with curl.
//!
//! The Token is `MD5(AppKey + Timespan + SecretKey)` in upper-case hex; printing it reveals
//! nothing of the secret, and it expires with its Timespan. The plain output is two header
//! lines, ready for `curl -H`.

use qcc_radar_core::Credentials;
use serde::Serialize;

use super::Ctx;
use crate::args::SignArgs;
use crate::client_config;
use crate::output::{Failure, Success};

/// `{"app_key", "timespan", "token"}`.
#[derive(Serialize)]
struct SignOut<'a> {
    app_key: &'a str,
    timespan: u64,
    token: &'a str,
}

/// Runs `sign`.
pub fn run(ctx: &Ctx, args: SignArgs) -> Result<Success, Failure> {
    let keys = client_config::keys(&ctx.global)?;
    let credentials = Credentials::new(keys.app_key, keys.secret_key)?;
    let timespan = args.timespan.unwrap_or_else(unix_now);
    let signed = credentials.sign(timespan);
    let out = SignOut {
        app_key: credentials.app_key(),
        timespan,
        token: &signed.token,
    };
    Ok(Success::answer(
        &out,
        format!("Token: {}\nTimespan: {}\n", signed.token, signed.timespan),
    ))
}

/// Seconds since the Unix epoch, floored.
fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
