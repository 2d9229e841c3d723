//! The options objects of `new Client({ … })`, `fetchReport(…, { … })` and `waitForReport`, by
//! name.
//!
//! Pure name mapping, by design: every property is handed, as JavaScript typed it, to the client
//! crate's one entry for settings (`ClientBuilder::set` / `FetchOptions::set` with
//! [`Host::Node`]), which knows the names, parses milliseconds, checks every value and rule and
//! words the one `config` message each binding shows. Before, this file checked ranges itself
//! and disagreed with the other bindings (`pollMaxMs < pollInitialMs` was refused only when
//! `pollMaxMs` was given); now it has no rule of its own, so it cannot drift. An unknown name (a
//! typo such as `requestTimeout`) is the core's `config` error listing the settings, rather
//! than silently ignored. `undefined` and `null` leave a setting unset; unset settings fall
//! back, in the client crate, to `QCC_APP_KEY`, `QCC_SECRET_KEY`, `QCC_BASE_URL` and the
//! defaults.
//!
//! The one thing decided here is which *names* Node takes: only Node's spellings. The client
//! crate also accepts a setting's canonical (`snake_case`) name from any host, which in Node
//! would read `{ timeout: 5 }` or `{ request_timeout: 30 }` as milliseconds — a deadline a
//! thousand times shorter than its writer meant — so such a name is refused, saying how Node
//! spells it.

use std::time::Duration;

use napi::bindgen_prelude::{Object, Unknown};
use napi::ValueType;
use qcc_radar::settings::{self, Unit};
use qcc_radar::{ClientBuilder, FetchOptions, Host, SettingValue};

use crate::error::{self, IntoNapi};

/// One property of an options object, as JavaScript typed it.
#[derive(Clone, Debug, PartialEq)]
pub enum Given {
    /// A number, boolean or string.
    Value(SettingValue),
    /// Anything else (an object, an array, a function, a bigint): no setting takes it.
    Other,
}

/// The set properties of `options` in their order (`undefined` and `null` ones left out).
pub fn entries(options: Option<Object<'_>>) -> napi::Result<Vec<(String, Given)>> {
    let Some(options) = options else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for name in Object::keys(&options)? {
        let Some(value) = options.get::<Unknown>(&name)? else {
            continue;
        };
        // SAFETY (each `cast`): the value's type was just read, and each arm casts to that type.
        let given = match value.get_type()? {
            ValueType::Undefined | ValueType::Null => continue,
            ValueType::Number => Given::Value(SettingValue::Number(unsafe { value.cast()? })),
            ValueType::Boolean => Given::Value(SettingValue::Bool(unsafe { value.cast()? })),
            ValueType::String => Given::Value(SettingValue::Text(unsafe { value.cast()? })),
            _ => Given::Other,
        };
        out.push((name, given));
    }
    Ok(out)
}

/// The value to hand the client crate for `name`. A JavaScript value that no setting takes
/// goes as a value of a kind the setting's unit never accepts, so the refusal is the core's
/// own message for that setting (`appKey must be text`, `maxAttempts must be a whole number`)
/// rather than a second wording here.
fn value_for(name: &str, given: Given) -> SettingValue {
    match given {
        Given::Value(v) => v,
        Given::Other => match settings::find(Host::Node, name).map(|s| s.unit) {
            Some(Unit::Bool) => SettingValue::Number(f64::NAN),
            _ => SettingValue::Bool(false),
        },
    }
}

/// Refuses a name the client crate knows but Node does not spell that way (`timeout`,
/// `app_key`); Node's own names and unknown ones pass on, the latter to the core's message.
fn node_spelling(name: &str) -> napi::Result<()> {
    match settings::find(Host::Node, name) {
        Some(s) if s.name_for(Host::Node) != name => Err(error::config(format!(
            "unknown setting {name:?}; Node spells it {:?}",
            s.name_for(Host::Node)
        ))),
        _ => Ok(()),
    }
}

/// What the user agent says after `qcc-radar/<version>`: `node`, then the caller's words.
const AGENT: &str = "node";

/// A client builder from a client options object's properties. Fails with the core's
/// `config` error for an unknown name or a bad value; the rules between settings are checked
/// by `build()`.
pub fn client_builder(entries: Vec<(String, Given)>) -> napi::Result<ClientBuilder> {
    let mut builder = ClientBuilder::new()
        .set(Host::Node, "userAgentSuffix", AGENT)
        .into_napi()?;
    for (name, given) in entries {
        node_spelling(&name)?;
        let value = match value_for(&name, given) {
            SettingValue::Text(words)
                if settings::find(Host::Node, &name)
                    .is_some_and(|s| s.name == "user_agent_suffix") =>
            {
                SettingValue::Text(format!("{AGENT} {}", words.trim()))
            }
            v => v,
        };
        builder = builder.set(Host::Node, &name, value).into_napi()?;
    }
    Ok(builder)
}

/// `fetchReport`'s options (`timeoutMs`, `newOrder`, `orderNo`), checked together.
pub fn fetch_options(entries: Vec<(String, Given)>) -> napi::Result<FetchOptions> {
    let mut options = FetchOptions::new();
    for (name, given) in entries {
        node_spelling(&name)?;
        let value = value_for(&name, given);
        options = options.set(Host::Node, &name, value).into_napi()?;
    }
    options.check(Host::Node).into_napi()?;
    Ok(options)
}

/// `waitForReport`'s deadline (`timeoutMs`, the same option as `fetchReport`'s); `None` uses
/// the client's `waitTimeoutMs`.
pub fn wait_timeout(entries: Vec<(String, Given)>) -> napi::Result<Option<Duration>> {
    Ok(fetch_options(entries)?.timeout)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(name: &str, v: f64) -> (String, Given) {
        (name.to_string(), Given::Value(SettingValue::Number(v)))
    }

    fn t(name: &str, v: &str) -> (String, Given) {
        (name.to_string(), Given::Value(SettingValue::Text(v.into())))
    }

    fn reason(e: napi::Error) -> String {
        e.reason
    }

    #[test]
    fn names_map_onto_the_client_crate_and_it_checks_them() {
        let base = || {
            vec![
                t("appKey", "k"),
                t("secretKey", "s"),
                t("baseUrl", "http://127.0.0.1:9"),
            ]
        };
        let mut ok = base();
        ok.extend([n("requestTimeoutMs", 2500.0), n("pollJitter", 0.0)]);
        let client = client_builder(ok).unwrap().build().unwrap();
        assert_eq!(client.app_key(), "k");

        let mut bad = base();
        bad.push(n("pollFactor", 0.5));
        let e = reason(
            client_builder(bad)
                .unwrap()
                .build()
                .into_napi()
                .err()
                .unwrap(),
        );
        assert!(e.contains("pollFactor must be at least 1"), "{e}");

        let e = reason(client_builder(vec![n("requestTimeout", 1.0)]).unwrap_err());
        assert!(e.contains("unknown setting \\\"requestTimeout\\\""), "{e}");
        assert!(e.contains("requestTimeoutMs"), "{e}");
    }

    #[test]
    fn only_nodes_spellings_are_taken() {
        let e = reason(client_builder(vec![n("request_timeout", 30.0)]).unwrap_err());
        assert!(
            e.contains(
                r#"unknown setting \"request_timeout\"; Node spells it \"requestTimeoutMs\""#
            ),
            "{e}"
        );
        let e = reason(fetch_options(vec![n("timeout", 5.0)]).unwrap_err());
        assert!(e.contains(r#"Node spells it \"timeoutMs\""#), "{e}");
        assert!(client_builder(vec![t("proxy", "http://127.0.0.1:3128")]).is_ok());
    }

    #[test]
    fn a_value_no_setting_takes_gets_the_cores_message() {
        let e = reason(client_builder(vec![("appKey".into(), Given::Other)]).unwrap_err());
        assert!(e.contains("appKey must be text"), "{e}");
        let e =
            reason(client_builder(vec![("clockSkewCorrection".into(), Given::Other)]).unwrap_err());
        assert!(
            e.contains("clockSkewCorrection must be true or false"),
            "{e}"
        );
        let e = reason(fetch_options(vec![("timeoutMs".into(), Given::Other)]).unwrap_err());
        assert!(e.contains("timeoutMs must be a finite duration"), "{e}");
    }

    #[test]
    fn fetch_options_are_set_and_checked_together() {
        let f = fetch_options(vec![
            n("timeoutMs", 250.0),
            ("newOrder".into(), Given::Value(SettingValue::Bool(true))),
        ])
        .unwrap();
        assert_eq!(f.timeout, Some(Duration::from_millis(250)));
        assert!(f.new_order);
        assert_eq!(fetch_options(Vec::new()).unwrap().timeout, None);
        let e = reason(
            fetch_options(vec![
                ("newOrder".into(), Given::Value(SettingValue::Bool(true))),
                t("orderNo", "JKDAY-42"),
            ])
            .unwrap_err(),
        );
        assert!(e.contains("newOrder and orderNo exclude each other"), "{e}");
        assert!(fetch_options(vec![t("orderNo", "")]).is_err());
        assert_eq!(
            wait_timeout(vec![n("timeoutMs", 1500.0)]).unwrap(),
            Some(Duration::from_millis(1500))
        );
        assert!(wait_timeout(vec![n("timeoutMs", -1.0)]).is_err());
    }
}
