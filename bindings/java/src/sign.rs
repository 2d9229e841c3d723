//! `RadarClient.sign`: the Token header, for calling the API by other means (curl…).
//!
//! The digest is the core's `qcc_radar::sign`, the same function every binding and the client
//! itself use, so the shared vectors (`tests/vectors/signing.json`) hold Java to it. Only the
//! timespan needs care here: Java's `long` is signed, and a negative Unix time is a `config`
//! error rather than a wrapped-around number.

use jni::objects::{JClass, JObject, JString};
use jni::sys::jlong;
use jni::{jni_mangle, EnvUnowned};
use qcc_radar::Error;

use crate::args;
use crate::errors::{BridgeResult, ToSink};
use crate::results::{self, Payload};

/// A Unix time in seconds for signing.
fn timespan(t: jlong) -> BridgeResult<u64> {
    u64::try_from(t).map_err(|_| {
        Error::config(format!(
            "the timespan must be Unix seconds (0 or more), got {t}"
        ))
        .into()
    })
}

/// The Token for `app_key`, `timespan` and `secret_key`.
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn sign<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    app_key: JString<'local>,
    timespan_secs: jlong,
    secret_key: JString<'local>,
    sink: JObject<'local>,
) {
    unowned
        .with_env(|env| -> BridgeResult<()> {
            let app_key = args::string(env, &app_key, "the app key")?;
            let secret_key = args::string(env, &secret_key, "the secret key")?;
            let token = qcc_radar::sign(&app_key, timespan(timespan_secs)?, &secret_key);
            results::deliver(env, &sink, Ok(Payload::Text(token)));
            Ok(())
        })
        .resolve_with::<ToSink, _>(|| &sink)
}

#[cfg(test)]
mod tests {
    use super::*;
    use qcc_radar::ErrorKind;

    #[test]
    fn timespans_are_unsigned_seconds() {
        assert_eq!(timespan(0).unwrap(), 0);
        assert_eq!(timespan(1_700_000_000).unwrap(), 1_700_000_000);
        match timespan(-1) {
            Err(crate::errors::BridgeError::Qcc(e)) => assert_eq!(e.kind(), ErrorKind::Config),
            other => panic!("expected a config error, got {other:?}"),
        }
    }
}
