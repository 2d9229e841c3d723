//! The client's settings, defined once: names, units, defaults and the rules they must follow.
//!
//! Every binding exposes the same list under its own conventions (`request_timeout=2.5` in
//! Python, `requestTimeoutMs: 2500` in Node, `"request_timeout", "2.5s"` in C,
//! `requestTimeout(Duration)` in Java). Before this table each binding checked values itself
//! and they disagreed (a zero `max_attempts` was "default" in one language and an error in the
//! others). Now a binding only maps names: it hands each value to [`ClientBuilder::set`] with
//! its [`Host`], which parses units in one place, and [`ClientBuilder::build`] checks every rule
//! once, with one message per rule that names the setting as the caller spelled it.
//!
//! The table also renders each binding's README settings section ([`settings_markdown`]) and
//! heads the shared vector `tests/settings.json` that every binding's suite runs; a Rust test
//! fails when either drifts from it.
//!
//! This module is the table, the parsing of a host's value to a setting's unit and the rules'
//! messages; it uses nothing else of the crate. Where a parsed value goes is said beside the
//! field it sets: [`ClientBuilder::set`] in `builder.rs`, [`FetchOptions::set`] in `fetch.rs`.

use std::fmt;
use std::time::Duration;

use qcc_radar_core::{Error, Result};

#[cfg(doc)]
use crate::{ClientBuilder, FetchOptions};

/// The caller's conventions: how a setting is spelled and what unit a bare number of time is in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Host {
    /// Rust: `snake_case`; time as seconds.
    #[default]
    Rust,
    /// Python keyword arguments: `snake_case`; time as float seconds.
    Python,
    /// Node options objects: `camelCase`, times suffixed `Ms` and in milliseconds.
    Node,
    /// C name/value pairs: `snake_case`; every value is text, time with a unit (`30s`, `1500ms`;
    /// a bare number is seconds).
    C,
    /// Java builder methods: `camelCase`; time as milliseconds (`Duration.toMillis()`).
    Java,
    /// The command line's `--set NAME=VALUE`: `snake_case`; values are text as in C.
    Cli,
}

impl Host {
    /// Every host, in the order the docs list them.
    pub const ALL: [Host; 6] = [
        Host::Rust,
        Host::Python,
        Host::Node,
        Host::C,
        Host::Java,
        Host::Cli,
    ];

    /// The host's name in the vector and the README markers (`rust`, `python`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Host::Rust => "rust",
            Host::Python => "python",
            Host::Node => "node",
            Host::C => "c",
            Host::Java => "java",
            Host::Cli => "cli",
        }
    }

    /// How many seconds a bare number of time means for this host.
    fn time_unit_secs(self) -> f64 {
        match self {
            Host::Node | Host::Java => 0.001,
            Host::Rust | Host::Python | Host::C | Host::Cli => 1.0,
        }
    }

    fn time_unit_name(self) -> &'static str {
        match self {
            Host::Node | Host::Java => "milliseconds",
            Host::Rust | Host::Python | Host::C | Host::Cli => "seconds",
        }
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of value a setting takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unit {
    /// Free text (a key, a URL).
    Text,
    /// Text that is a secret: never printed.
    Secret,
    /// A file path.
    Path,
    /// A length of time.
    Duration,
    /// A whole number.
    Count,
    /// A whole number of bytes (text may say `16GiB`).
    Bytes,
    /// A real number.
    Number,
    /// On or off.
    Bool,
}

impl Unit {
    fn as_str(self) -> &'static str {
        match self {
            Unit::Text => "text",
            Unit::Secret => "secret",
            Unit::Path => "path",
            Unit::Duration => "duration",
            Unit::Count => "count",
            Unit::Bytes => "bytes",
            Unit::Number => "number",
            Unit::Bool => "bool",
        }
    }
}

/// Whether a setting belongs to the client or to one `fetch_report` call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scope {
    /// Given once, when the client is made.
    Client,
    /// Given to each `fetch_report` call ([`FetchOptions`]).
    Fetch,
}

/// One setting: its canonical (`snake_case`) name, unit, default and meaning.
#[derive(Clone, Copy, Debug)]
pub struct Setting {
    /// The canonical name, `snake_case`.
    pub name: &'static str,
    /// What kind of value it takes.
    pub unit: Unit,
    /// Where it is given.
    pub scope: Scope,
    /// The default, as the docs say it.
    pub default: &'static str,
    /// One line on what it does.
    pub doc: &'static str,
}

impl Setting {
    /// The setting's name as `host` spells it (`request_timeout`, `requestTimeoutMs`,
    /// `requestTimeout`).
    pub fn name_for(&self, host: Host) -> String {
        match host {
            Host::Rust | Host::Python | Host::C | Host::Cli => self.name.to_string(),
            Host::Java => camel(self.name),
            Host::Node => {
                let mut n = camel(self.name);
                if self.unit == Unit::Duration {
                    n.push_str("Ms");
                }
                n
            }
        }
    }
}

fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

macro_rules! setting {
    ($name:literal, $unit:ident, $scope:ident, $default:literal, $doc:literal) => {
        Setting {
            name: $name,
            unit: Unit::$unit,
            scope: Scope::$scope,
            default: $default,
            doc: $doc,
        }
    };
}

/// Every setting, client settings first, in the order the docs list them.
pub const SETTINGS: &[Setting] = &[
    setting!("app_key", Text, Client, "`QCC_APP_KEY`", "The app key."),
    setting!(
        "secret_key",
        Secret,
        Client,
        "`QCC_SECRET_KEY`",
        "The secret key; never printed."
    ),
    setting!(
        "base_url",
        Text,
        Client,
        "`QCC_BASE_URL`, else `https://pro.qcc.com`",
        "Where requests go."
    ),
    setting!(
        "connect_timeout",
        Duration,
        Client,
        "10 s",
        "Time allowed to open a connection; more than 0."
    ),
    setting!(
        "request_timeout",
        Duration,
        Client,
        "30 s",
        "Time allowed for one API request, answer included; more than 0."
    ),
    setting!(
        "read_timeout",
        Duration,
        Client,
        "60 s",
        "Time a download may go without a byte before it is retried; more than 0."
    ),
    setting!(
        "wait_timeout",
        Duration,
        Client,
        "30 min",
        "Default deadline of a wait for a report; 0 looks once."
    ),
    setting!(
        "max_attempts",
        Count,
        Client,
        "5",
        "Most attempts of a request that is safe to repeat; 1 means no retries."
    ),
    setting!(
        "retry_base",
        Duration,
        Client,
        "250 ms",
        "Bound of the first back-off between attempts."
    ),
    setting!(
        "retry_cap",
        Duration,
        Client,
        "8 s",
        "Largest back-off bound; not below `retry_base`."
    ),
    setting!(
        "retry_budget",
        Duration,
        Client,
        "60 s",
        "No retry starts once this much time has passed since the first attempt."
    ),
    setting!(
        "poll_initial",
        Duration,
        Client,
        "2 s",
        "First delay between polls while waiting; more than 0."
    ),
    setting!(
        "poll_factor",
        Number,
        Client,
        "1.5",
        "Growth of the poll delay; at least 1."
    ),
    setting!(
        "poll_max",
        Duration,
        Client,
        "30 s",
        "Largest delay between polls; not below `poll_initial`."
    ),
    setting!(
        "poll_jitter",
        Number,
        Client,
        "0.2",
        "Fraction of each poll delay randomised away; 0 to 1."
    ),
    setting!(
        "max_archive_entries",
        Count,
        Client,
        "100000",
        "Most entries extracted from one archive; at least 1."
    ),
    setting!(
        "max_archive_entry_bytes",
        Bytes,
        Client,
        "16 GiB",
        "Largest single entry extracted; at least 1."
    ),
    setting!(
        "max_archive_bytes",
        Bytes,
        Client,
        "64 GiB",
        "Largest total extracted from one archive; at least 1."
    ),
    setting!(
        "max_archive_ratio",
        Count,
        Client,
        "250",
        "Largest expansion ratio of an entry or archive above 16 MiB; at least 1."
    ),
    setting!(
        "clock_skew_correction",
        Bool,
        Client,
        "on",
        "Learn the server's clock after a 115 answer and retry."
    ),
    setting!(
        "ca_file",
        Path,
        Client,
        "none",
        "A PEM file of extra CA certificates to trust, besides the system's."
    ),
    setting!(
        "proxy",
        Text,
        Client,
        "`HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY`",
        "An HTTP(S) proxy for every request."
    ),
    setting!(
        "user_agent_suffix",
        Text,
        Client,
        "none",
        "Words appended to the user agent."
    ),
    setting!(
        "unzip_password",
        Secret,
        Client,
        "none",
        "Password of encrypted archives when getReportInfo gives none; never printed."
    ),
    setting!(
        "timeout",
        Duration,
        Fetch,
        "the client's `wait_timeout`",
        "This call's wait deadline."
    ),
    setting!(
        "new_order",
        Bool,
        Fetch,
        "off",
        "Order a new report whatever the folder's ledger says."
    ),
    setting!(
        "order_no",
        Text,
        Fetch,
        "none",
        "Resume this order as the period's report instead of ordering; not with `new_order`."
    ),
];

/// The setting called `name` in `host`'s spelling (or the canonical one), if there is one.
pub fn find(host: Host, name: &str) -> Option<&'static Setting> {
    SETTINGS
        .iter()
        .find(|s| s.name == name || s.name_for(host) == name)
}

/// A value for [`ClientBuilder::set`] or [`FetchOptions::set`], as the host has it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum SettingValue {
    /// Text; for a time, bytes, count or flag it is parsed (`30s`, `16GiB`, `5`, `true`); a
    /// time without a unit is in the host's unit, as a number is.
    Text(String),
    /// A number; a time is in the host's unit (seconds in Python and C, ms in Node and Java).
    Number(f64),
    /// A flag.
    Bool(bool),
}

impl From<&str> for SettingValue {
    fn from(v: &str) -> Self {
        SettingValue::Text(v.to_string())
    }
}

impl From<String> for SettingValue {
    fn from(v: String) -> Self {
        SettingValue::Text(v)
    }
}

impl From<f64> for SettingValue {
    fn from(v: f64) -> Self {
        SettingValue::Number(v)
    }
}

impl From<bool> for SettingValue {
    fn from(v: bool) -> Self {
        SettingValue::Bool(v)
    }
}

/// A setting's name as the host spells it, for messages.
pub(crate) fn spelled(host: Host, name: &str) -> String {
    match SETTINGS.iter().find(|s| s.name == name) {
        Some(s) => s.name_for(host),
        None => name.to_string(),
    }
}

/// The one message of each rule, naming the setting as `host` spells it.
pub(crate) fn rule_error(host: Host, rule: Rule) -> Error {
    let n = |name: &str| spelled(host, name);
    Error::config(match rule {
        Rule::Positive(name) => format!("{} must be more than 0", n(name)),
        Rule::AtLeastOne(name) if name == "max_attempts" => {
            format!("{} must be at least 1 (1 means no retries)", n(name))
        }
        Rule::AtLeastOne(name) => format!("{} must be at least 1", n(name)),
        Rule::NotBelow(name, other) => {
            format!("{} must not be smaller than {}", n(name), n(other))
        }
        Rule::Fraction(name) => format!("{} must be between 0 and 1", n(name)),
        Rule::Excludes(name, other) => format!(
            "{} and {} exclude each other: give an order to resume, or ask for a new one",
            n(name),
            n(other)
        ),
    })
}

/// The rules checked when a client is built (and a fetch is started).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Rule {
    /// More than zero.
    Positive(&'static str),
    /// At least one.
    AtLeastOne(&'static str),
    /// The first not below the second.
    NotBelow(&'static str, &'static str),
    /// Between 0 and 1.
    Fraction(&'static str),
    /// Not both.
    Excludes(&'static str, &'static str),
}

fn value_error(host: Host, setting: &Setting) -> Error {
    let name = setting.name_for(host);
    Error::config(match setting.unit {
        Unit::Text | Unit::Secret | Unit::Path => format!("{name} must be text"),
        Unit::Duration => format!("{name} must be a finite duration of 0 or more"),
        Unit::Count | Unit::Bytes => format!("{name} must be a whole number"),
        Unit::Number => format!("{name} must be a finite number"),
        Unit::Bool => format!("{name} must be true or false"),
    })
}

/// A time from `value`: a number in the host's unit, or text with a unit.
fn parse_duration(host: Host, value: &SettingValue) -> Option<Duration> {
    let secs = match value {
        SettingValue::Number(n) => n * host.time_unit_secs(),
        SettingValue::Text(t) => {
            let t = t.trim();
            let split = t
                .find(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
                .unwrap_or(t.len());
            let (number, unit) = t.split_at(split);
            let n: f64 = number.trim().parse().ok()?;
            let scale = match unit.trim() {
                // A bare number is in the host's unit, as a number would be: "1500" from a
                // Java configuration file is 1500 ms, from C or the command line 1500 s.
                "" => host.time_unit_secs(),
                "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
                "ms" => 0.001,
                "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
                "h" | "hour" | "hours" => 3600.0,
                _ => return None,
            };
            n * scale
        }
        SettingValue::Bool(_) => return None,
    };
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    Duration::try_from_secs_f64(secs).ok()
}

/// A whole number from `value`; bytes may carry a binary or decimal unit in text.
fn parse_whole(value: &SettingValue, bytes: bool) -> Option<Whole> {
    let n = match value {
        SettingValue::Number(n) => *n,
        SettingValue::Text(t) => {
            let t = t.trim();
            let split = t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len());
            let (number, unit) = t.split_at(split);
            let scale: f64 = match (unit.trim(), bytes) {
                ("", _) => 1.0,
                ("B", true) => 1.0,
                ("KiB", true) => 1024.0,
                ("MiB", true) => 1024.0 * 1024.0,
                ("GiB", true) => 1024.0 * 1024.0 * 1024.0,
                ("TiB", true) => 1024.0 * 1024.0 * 1024.0 * 1024.0,
                ("KB" | "kB", true) => 1e3,
                ("MB", true) => 1e6,
                ("GB", true) => 1e9,
                ("TB", true) => 1e12,
                _ => return None,
            };
            number.trim().parse::<f64>().ok()? * scale
        }
        SettingValue::Bool(_) => return None,
    };
    if !n.is_finite() || n.fract() != 0.0 {
        return None;
    }
    if n < 1.0 {
        return Some(Whole::BelowOne);
    }
    // Past 2^53 a double is not exact; past u64 it does not fit. Both saturate.
    Some(Whole::Value(if n >= u64::MAX as f64 {
        u64::MAX
    } else {
        n as u64
    }))
}

enum Whole {
    BelowOne,
    Value(u64),
}

fn parse_number(value: &SettingValue) -> Option<f64> {
    let n = match value {
        SettingValue::Number(n) => *n,
        SettingValue::Text(t) => t.trim().parse().ok()?,
        SettingValue::Bool(_) => return None,
    };
    n.is_finite().then_some(n)
}

fn parse_bool(value: &SettingValue) -> Option<bool> {
    match value {
        SettingValue::Bool(b) => Some(*b),
        SettingValue::Text(t) => match t.trim().to_ascii_lowercase().as_str() {
            "true" | "on" | "yes" | "1" => Some(true),
            "false" | "off" | "no" | "0" => Some(false),
            _ => None,
        },
        SettingValue::Number(_) => None,
    }
}

fn text(value: SettingValue) -> Option<String> {
    match value {
        SettingValue::Text(t) => Some(t),
        _ => None,
    }
}

fn unknown(host: Host, name: &str, scope: Scope) -> Error {
    let known: Vec<String> = SETTINGS
        .iter()
        .filter(|s| s.scope == scope)
        .map(|s| s.name_for(host))
        .collect();
    Error::config(format!(
        "unknown setting {name:?}; the settings are: {}",
        known.join(", ")
    ))
}

/// A host's value, parsed to its setting's unit.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Parsed {
    /// A [`Unit::Duration`].
    Duration(Duration),
    /// A [`Unit::Count`] or [`Unit::Bytes`], at least 1.
    Whole(u64),
    /// A [`Unit::Number`], finite.
    Number(f64),
    /// A [`Unit::Bool`].
    Bool(bool),
    /// A [`Unit::Text`], [`Unit::Secret`] or [`Unit::Path`].
    Text(String),
}

/// Finds the setting called `name` (spelled as `host` spells it, or canonically) among those of
/// `scope`, and parses `value` to its unit: the one way in of every binding's values, used by
/// [`ClientBuilder::set`] and [`FetchOptions::set`]. An unknown name or a value of the wrong
/// kind (text for a count, a negative or non-finite time) is a `config` error naming the
/// setting; a count below 1 breaks its rule.
pub(crate) fn parse(
    host: Host,
    scope: Scope,
    name: &str,
    value: SettingValue,
) -> Result<(&'static Setting, Parsed)> {
    let setting = find(host, name)
        .filter(|s| s.scope == scope)
        .ok_or_else(|| unknown(host, name, scope))?;
    let bad = || value_error(host, setting);
    let parsed = match setting.unit {
        Unit::Duration => Parsed::Duration(parse_duration(host, &value).ok_or_else(bad)?),
        Unit::Count | Unit::Bytes => {
            match parse_whole(&value, setting.unit == Unit::Bytes).ok_or_else(bad)? {
                Whole::BelowOne => return Err(rule_error(host, Rule::AtLeastOne(setting.name))),
                Whole::Value(n) => Parsed::Whole(n),
            }
        }
        Unit::Number => Parsed::Number(parse_number(&value).ok_or_else(bad)?),
        Unit::Bool => Parsed::Bool(parse_bool(&value).ok_or_else(bad)?),
        Unit::Text | Unit::Secret | Unit::Path => Parsed::Text(text(value).ok_or_else(bad)?),
    };
    Ok((setting, parsed))
}

/// The settings section of `host`'s README: a Markdown table of every setting as that host
/// spells it, its unit, default and meaning. A test checks each README carries it unchanged.
pub fn settings_markdown(host: Host) -> String {
    let unit = |s: &Setting| match s.unit {
        Unit::Duration => match host {
            Host::C | Host::Cli => "duration text (`30s`, `1500ms`, `2m`)".to_string(),
            _ => format!("duration ({})", host.time_unit_name()),
        },
        u => u.as_str().to_string(),
    };
    let mut out = String::new();
    for (scope, title) in [
        (Scope::Client, "Client settings"),
        (Scope::Fetch, "fetch_report options"),
    ] {
        out.push_str(&format!(
            "| {title} | unit | default | meaning |\n|---|---|---|---|\n"
        ));
        // The doc and default name other settings in this host's spelling too.
        let respell = |text: &str| {
            let mut text = text.to_string();
            for other in SETTINGS {
                text = text.replace(
                    &format!("`{}`", other.name),
                    &format!("`{}`", other.name_for(host)),
                );
            }
            text
        };
        for s in SETTINGS.iter().filter(|s| s.scope == scope) {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                s.name_for(host),
                unit(s),
                respell(s.default),
                respell(s.doc),
            ));
        }
        out.push('\n');
    }
    out.pop();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_each_hosts_convention() {
        let s = find(Host::Rust, "request_timeout").unwrap();
        assert_eq!(s.name_for(Host::Python), "request_timeout");
        assert_eq!(s.name_for(Host::Node), "requestTimeoutMs");
        assert_eq!(s.name_for(Host::Java), "requestTimeout");
        assert_eq!(
            find(Host::Node, "maxArchiveEntryBytes").unwrap().name,
            "max_archive_entry_bytes"
        );
        assert!(find(Host::Node, "nope").is_none());
    }

    #[test]
    fn durations_parse_in_the_hosts_unit_or_with_a_unit() {
        let d = |h, v: SettingValue| parse_duration(h, &v);
        assert_eq!(
            d(Host::Python, 2.5.into()),
            Some(Duration::from_millis(2500))
        );
        assert_eq!(
            d(Host::Node, 2500.0.into()),
            Some(Duration::from_millis(2500))
        );
        assert_eq!(
            d(Host::C, "1500ms".into()),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(d(Host::C, "2m".into()), Some(Duration::from_secs(120)));
        assert_eq!(d(Host::C, "1e1s".into()), Some(Duration::from_secs(10)));
        assert_eq!(d(Host::C, " 3 ".into()), Some(Duration::from_secs(3)));
        assert_eq!(
            d(Host::Java, "1500".into()),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(d(Host::Node, "2s".into()), Some(Duration::from_secs(2)));
        assert_eq!(d(Host::C, "-1s".into()), None);
        assert_eq!(d(Host::C, "3 fortnights".into()), None);
        assert_eq!(d(Host::Python, f64::NAN.into()), None);
        assert_eq!(d(Host::Python, f64::INFINITY.into()), None);
        assert_eq!(d(Host::Python, 1e300.into()), None);
    }

    #[test]
    fn bytes_take_units_and_counts_do_not() {
        let w = |v: &str, b| match parse_whole(&v.into(), b) {
            Some(Whole::Value(n)) => Some(n),
            _ => None,
        };
        assert_eq!(w("16GiB", true), Some(16 << 30));
        assert_eq!(w("2 MB", true), Some(2_000_000));
        assert_eq!(w("2MB", false), None);
        assert_eq!(w("1.5", false), None);
        assert!(matches!(
            parse_whole(&0.0.into(), false),
            Some(Whole::BelowOne)
        ));
        assert!(matches!(
            parse_whole(&(-3.0).into(), false),
            Some(Whole::BelowOne)
        ));
    }

    #[test]
    fn the_markdown_lists_every_setting() {
        let md = settings_markdown(Host::Node);
        for s in SETTINGS {
            assert!(
                md.contains(&format!("`{}`", s.name_for(Host::Node))),
                "{}",
                s.name
            );
        }
    }
}
