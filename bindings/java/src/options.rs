//! Settings and fetch options by name: `RadarClientBuilder` and `FetchOptions` record pairs,
//! the client's one table maps them.
//!
//! Before, the builder kept a field per setting with `-1`/NaN for "unset", and this file
//! re-checked ranges with messages of its own — which drifted from the other bindings
//! (`pollMax < pollInitial` was never checked in Java, and a zero attempt count was an error
//! here but "default" in C). Now Java only records `(name, value)` in the order given (a
//! `Duration` as its milliseconds, a count or fraction as a number, a flag as a flag, text as
//! text, or whatever a configuration file said through `set(name, text)`), and each pair goes
//! to `ClientBuilder::set(Host::Java, …)` or `FetchOptions::set(Host::Java, …)`, which parse
//! units and name the setting in Java's spelling (`pollMax`, `requestTimeout`);
//! `ClientBuilder::build` and `FetchOptions::check` apply the rules. Nothing is checked here,
//! so no message can differ from the other languages'.
//!
//! The pairs cross JNI as parallel arrays (`com.qccradar.NamedValues`): names, a kind per pair
//! ([`TEXT`], [`NUMBER`], [`FLAG`]), texts and numbers. Arrays of plain types need no class
//! lookup and no boxing on either side.

use jni::objects::{JObjectArray, JPrimitiveArray, JString};
use jni::sys::{jbyte, jdouble};
use jni::Env;
use qcc_radar::settings::{self, Host, SettingValue};
use qcc_radar::{ClientBuilder, FetchOptions};

use crate::errors::{internal, BridgeResult};

/// A pair whose value is text (`texts[i]`).
const TEXT: jbyte = 0;
/// A pair whose value is a number (`numbers[i]`; a time in milliseconds).
const NUMBER: jbyte = 1;
/// A pair whose value is a flag (`numbers[i] != 0`).
const FLAG: jbyte = 2;

/// Settings as Java spelled and gave them, in order.
pub(crate) type Pairs = Vec<(String, SettingValue)>;

/// The pairs of a `NamedValues`: `names`, `kinds`, `texts` and `numbers` of one length
/// (all null for none).
pub(crate) fn read(
    env: &mut Env,
    names: &JObjectArray<JString>,
    kinds: &JPrimitiveArray<jbyte>,
    texts: &JObjectArray<JString>,
    numbers: &JPrimitiveArray<jdouble>,
) -> BridgeResult<Pairs> {
    if names.is_null() {
        return Ok(Vec::new());
    }
    let n = names.len(env)?;
    if kinds.is_null()
        || texts.is_null()
        || numbers.is_null()
        || kinds.len(env)? != n
        || texts.len(env)? != n
        || numbers.len(env)? != n
    {
        return Err(internal("the settings arrays from Java differ in length").into());
    }
    let mut kind = vec![0 as jbyte; n];
    kinds.get_region(env, 0, &mut kind)?;
    let mut number = vec![0.0 as jdouble; n];
    numbers.get_region(env, 0, &mut number)?;
    let mut pairs = Vec::with_capacity(n);
    for i in 0..n {
        let name = names.get_element(env, i)?;
        let name_text = crate::args::string(env, &name, "a setting's name")?;
        env.delete_local_ref(name);
        let value = match kind[i] {
            TEXT => {
                let text = texts.get_element(env, i)?;
                let value = crate::args::opt_string(env, &text)?;
                env.delete_local_ref(text);
                // A null text never gets here (the builder drops the setting instead), but a
                // null must not become a panic: it is the text "null" no setting accepts.
                SettingValue::Text(value.unwrap_or_else(|| "null".to_string()))
            }
            NUMBER => SettingValue::Number(number[i]),
            FLAG => SettingValue::Bool(number[i] != 0.0),
            other => return Err(internal(format!("unknown setting kind {other} from Java")).into()),
        };
        pairs.push((name_text, value));
    }
    Ok(pairs)
}

/// A builder with every pair set, in order; `binding` (`java/17.0.2`) heads the user agent's
/// suffix, followed by the caller's `userAgentSuffix` when there is one.
pub(crate) fn client_builder(pairs: Pairs, binding: &str) -> qcc_radar::Result<ClientBuilder> {
    let mut b = ClientBuilder::new().user_agent_suffix(binding);
    for (name, value) in pairs {
        let is_suffix =
            settings::find(Host::Java, &name).is_some_and(|s| s.name == "user_agent_suffix");
        let value = match value {
            SettingValue::Text(t) if is_suffix && !t.trim().is_empty() => {
                SettingValue::Text(format!("{binding} {}", t.trim()))
            }
            SettingValue::Text(_) if is_suffix => SettingValue::Text(binding.to_string()),
            v => v,
        };
        b = b.set(Host::Java, &name, value)?;
    }
    Ok(b)
}

/// The options of one `fetchReport` (or the deadline of one `waitForReport`): each pair set,
/// then the rules between them checked.
pub(crate) fn fetch_options(pairs: Pairs) -> qcc_radar::Result<FetchOptions> {
    let mut options = FetchOptions::new();
    for (name, value) in pairs {
        options = options.set(Host::Java, &name, value)?;
    }
    options.check(Host::Java)?;
    Ok(options)
}

/// The message of `result`'s error, for tests.
#[cfg(test)]
fn message<T>(result: qcc_radar::Result<T>) -> String {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => {
            assert_eq!(e.kind(), qcc_radar::ErrorKind::Config, "{e}");
            e.message().to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, SettingValue)]) -> Pairs {
        items
            .iter()
            .map(|(n, v)| (n.to_string(), v.clone()))
            .collect()
    }

    fn base() -> Vec<(&'static str, SettingValue)> {
        vec![
            ("appKey", SettingValue::Text("k".into())),
            ("secretKey", SettingValue::Text("s".into())),
            ("baseUrl", SettingValue::Text("http://127.0.0.1:9".into())),
        ]
    }

    #[test]
    fn rules_name_settings_in_java_spelling() {
        let mut p = base();
        p.push(("pollInitial", SettingValue::Number(5000.0)));
        p.push(("pollMax", SettingValue::Number(1000.0)));
        let b = client_builder(pairs(&p), "java/17").unwrap();
        assert_eq!(
            message(b.build()),
            "pollMax must not be smaller than pollInitial"
        );
    }

    #[test]
    fn unknown_names_list_the_java_settings() {
        let m = message(client_builder(
            pairs(&[("nope", SettingValue::Number(1.0))]),
            "java/17",
        ));
        assert!(m.contains("requestTimeout"), "{m}");
        assert!(m.contains("maxArchiveEntryBytes"), "{m}");
    }

    #[test]
    fn text_with_a_unit_and_flags_are_taken() {
        let mut p = base();
        p.push(("requestTimeout", SettingValue::Text("1500ms".into())));
        p.push(("clockSkewCorrection", SettingValue::Bool(false)));
        p.push(("userAgentSuffix", SettingValue::Text(" nightly ".into())));
        client_builder(pairs(&p), "java/17")
            .unwrap()
            .build()
            .unwrap();
    }

    #[test]
    fn fetch_options_are_set_and_checked() {
        let o = fetch_options(pairs(&[("timeout", SettingValue::Number(2500.0))])).unwrap();
        assert_eq!(o.timeout, Some(std::time::Duration::from_millis(2500)));
        assert_eq!(
            message(fetch_options(pairs(&[(
                "timeout",
                SettingValue::Number(-1.0)
            )]))),
            "timeout must be a finite duration of 0 or more"
        );
        assert_eq!(
            message(fetch_options(pairs(&[
                ("newOrder", SettingValue::Bool(true)),
                ("orderNo", SettingValue::Text("JKDAY-1".into())),
            ]))),
            "newOrder and orderNo exclude each other: give an order to resume, or ask for a new one"
        );
    }
}
