//! The shared settings vector (`tests/settings.json`) against the settings table, for every
//! host's conventions, and the README settings sections against the table.
//!
//! The bindings' suites run the same vector through their own API; this test is the source
//! they are checked against. `QCC_BLESS=1` rewrites the vector's header and the README
//! sections from the table (the cases are written by hand).

use std::path::{Path, PathBuf};

use qcc_radar::settings::{settings_markdown, Host, SettingValue, SETTINGS};
use qcc_radar::{Client, ErrorKind, FetchOptions, ReportType};
use serde_json::{json, Map, Value};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bless() -> bool {
    std::env::var_os("QCC_BLESS").is_some()
}

fn vector() -> Value {
    let text = std::fs::read_to_string(repo().join("tests/settings.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The header the table gives: each setting's unit, scope and spelling in every host.
fn header() -> Value {
    Value::Array(
        SETTINGS
            .iter()
            .map(|s| {
                let mut m = Map::new();
                m.insert("name".into(), json!(s.name));
                m.insert("unit".into(), json!(format!("{:?}", s.unit).to_lowercase()));
                m.insert(
                    "scope".into(),
                    json!(format!("{:?}", s.scope).to_lowercase()),
                );
                for h in Host::ALL {
                    m.insert(h.as_str().into(), json!(s.name_for(h)));
                }
                Value::Object(m)
            })
            .collect(),
    )
}

#[test]
fn the_vector_header_is_the_table() {
    let mut v = vector();
    if v["settings"] != header() {
        if bless() {
            v["settings"] = header();
            let text = serde_json::to_string_pretty(&v).unwrap() + "\n";
            std::fs::write(repo().join("tests/settings.json"), text).unwrap();
        } else {
            panic!("tests/settings.json's `settings` differ from the table in settings.rs; run with QCC_BLESS=1");
        }
    }
}

/// `value` as `host` hands it over.
fn host_value(host: Host, value: &Value) -> SettingValue {
    let c = matches!(host, Host::C | Host::Cli);
    match value {
        Value::Object(o) => {
            let secs = o["seconds"].as_f64().unwrap();
            match host {
                Host::C | Host::Cli => SettingValue::Text(format!("{secs}s")),
                Host::Node | Host::Java => SettingValue::Number(secs * 1000.0),
                _ => SettingValue::Number(secs),
            }
        }
        Value::Number(n) if c => SettingValue::Text(n.to_string()),
        Value::Number(n) => SettingValue::Number(n.as_f64().unwrap()),
        Value::Bool(b) if c => SettingValue::Text(b.to_string()),
        Value::Bool(b) => SettingValue::Bool(*b),
        Value::String(s) => SettingValue::Text(s.clone()),
        other => panic!("no value like {other} in the vector"),
    }
}

/// `message` with each `{name}` in `host`'s spelling.
fn expected(host: Host, message: &str) -> String {
    let mut m = message.to_string();
    for s in SETTINGS {
        m = m.replace(&format!("{{{}}}", s.name), &s.name_for(host));
    }
    m
}

fn build(host: Host, base: &Value, settings: Option<&Value>) -> qcc_radar::Result<Client> {
    let mut b = Client::builder();
    for (name, value) in base.as_object().unwrap() {
        b = b.set(host, name, host_value(host, value))?;
    }
    if let Some(settings) = settings {
        for (name, value) in settings.as_object().unwrap() {
            let s = SETTINGS.iter().find(|s| s.name == name).unwrap();
            b = b.set(host, &s.name_for(host), host_value(host, value))?;
        }
    }
    b.build()
}

fn fetch(host: Host, client: &Client, options: &Value) -> qcc_radar::Result<()> {
    let mut o = FetchOptions::new();
    for (name, value) in options.as_object().unwrap() {
        let s = SETTINGS.iter().find(|s| s.name == name).unwrap();
        o = o.set(host, &s.name_for(host), host_value(host, value))?;
    }
    o.check(host)?;
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(client.fetch_report_with(ReportType::Day, dir.path(), &o))
        .map(|_| ())
}

#[test]
fn every_case_in_every_host() {
    let v = vector();
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 30);
    let mut failures = Vec::new();
    for host in Host::ALL {
        for case in cases {
            let name = case["name"].as_str().unwrap();
            let result = match case.get("fetch") {
                Some(options) => {
                    build(host, &v["base"], None).and_then(|c| fetch(host, &c, options))
                }
                None => build(host, &v["base"], case.get("settings")).map(|_| ()),
            };
            match (case.get("error").and_then(Value::as_str), result) {
                (None, Ok(())) => {}
                (None, Err(e)) => {
                    failures.push(format!("{host}: {name}: expected success, got {e}"))
                }
                (Some(m), Ok(())) => {
                    failures.push(format!("{host}: {name}: expected {m:?}, got success"))
                }
                (Some(m), Err(e)) => {
                    let want = expected(host, m);
                    if e.kind() != ErrorKind::Config || e.message() != want {
                        failures.push(format!(
                            "{host}: {name}: expected config {want:?}, got {} {:?}",
                            e.kind(),
                            e.message()
                        ));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn unknown_names_list_the_settings_in_the_hosts_spelling() {
    let e = Client::builder()
        .set(Host::Node, "requestTimeout", 5.0)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(
        e.message()
            .starts_with("unknown setting \"requestTimeout\""),
        "{e}"
    );
    assert!(e.message().contains("requestTimeoutMs"), "{e}");
    let e = FetchOptions::new()
        .set(Host::Python, "colour", true)
        .unwrap_err();
    assert!(e.message().contains("timeout, new_order, order_no"), "{e}");
}

#[test]
fn a_value_of_the_wrong_kind_names_the_setting() {
    let e = Client::builder()
        .set(Host::C, "max_attempts", "five")
        .unwrap_err();
    assert_eq!(e.message(), "max_attempts must be a whole number");
    let e = Client::builder()
        .set(Host::Node, "proxyUrl", 1.0)
        .unwrap_err();
    assert!(e.message().starts_with("unknown setting"), "{e}");
    let e = Client::builder().set(Host::Java, "proxy", 1.0).unwrap_err();
    assert_eq!(e.message(), "proxy must be text");
    let e = Client::builder()
        .set(Host::C, "clock_skew_correction", "maybe")
        .unwrap_err();
    assert_eq!(e.message(), "clock_skew_correction must be true or false");
    let e = Client::builder()
        .set(Host::Python, "poll_factor", f64::NAN)
        .unwrap_err();
    assert_eq!(e.message(), "poll_factor must be a finite number");
}

/// The README of each binding, with its settings section between the markers.
const READMES: [(Host, &str); 4] = [
    (Host::Python, "python/README.md"),
    (Host::Node, "node/README.md"),
    (Host::C, "bindings/c/README.md"),
    (Host::Java, "bindings/java/README.md"),
];
const BEGIN: &str = "<!-- settings-table: generated from crates/qcc-radar/src/settings.rs; QCC_BLESS=1 cargo test -p qcc-radar --test settings_vector rewrites it -->\n";
const END: &str = "<!-- /settings-table -->";

#[test]
fn each_readme_lists_the_settings_as_its_binding_spells_them() {
    let mut failures = Vec::new();
    for (host, path) in READMES {
        let path = repo().join(path);
        let text = std::fs::read_to_string(&path).unwrap();
        let (Some(start), Some(end)) = (text.find(BEGIN), text.find(END)) else {
            failures.push(format!("{}: no settings section markers", path.display()));
            continue;
        };
        let inside = &text[start + BEGIN.len()..end];
        let want = settings_markdown(host) + "\n";
        if inside != want {
            if bless() {
                let new = format!("{}{BEGIN}{want}{}", &text[..start], &text[end..]);
                std::fs::write(&path, new).unwrap();
            } else {
                failures.push(format!(
                    "{}: the settings section differs from the table; run QCC_BLESS=1 cargo test -p qcc-radar --test settings_vector",
                    path.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
