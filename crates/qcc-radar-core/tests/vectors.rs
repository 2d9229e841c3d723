//! The shared cross-language vectors in `tests/vectors/` (written by `generate.py` there,
//! independently of this crate), checked against the core's public API.
//!
//! Every binding's suite reads the same files; if this test and a binding's disagree, one of
//! them has drifted from the protocol. Each failure names the case, and all failures of a file
//! are reported together rather than stopping at the first.

use std::path::PathBuf;

use qcc_radar_core::{
    decode_entry_name, parse_create_report, parse_report_info, plan_archive, safe_entry_path, sign,
    ArchiveLimits, CreateReportOutcome, Encryption, EntryDescription, Error, ReportInfo,
};
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/vectors")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn cases(doc: &Value) -> &Vec<Value> {
    doc["cases"].as_array().expect("a \"cases\" array")
}

fn str_field<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("case {case} has no string {key:?}"))
}

/// Standard base64 (RFC 4648, with padding), decoded by hand so the test needs no new
/// dependency.
fn base64_decode(text: &str) -> Vec<u8> {
    fn value(c: u8) -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c:?}"),
        }
    }
    let bytes = text.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut acc = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            acc |= value(c) << (18 - 6 * i);
        }
        let n = chunk.len() - 1; // 2 chars give 1 byte, 3 give 2, 4 give 3
        for i in 0..n {
            out.push((acc >> (16 - 8 * i)) as u8);
        }
    }
    out
}

fn report(failures: Vec<String>, file: &str, total: usize) {
    assert!(
        failures.is_empty(),
        "{} of {total} cases in {file} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn base64_decoder_is_sound() {
    assert_eq!(base64_decode(""), b"");
    assert_eq!(base64_decode("Zg=="), b"f");
    assert_eq!(base64_decode("Zm8="), b"fo");
    assert_eq!(base64_decode("Zm9v"), b"foo");
    assert_eq!(base64_decode("Zm9vYmFy"), b"foobar");
    assert_eq!(base64_decode("/+8="), [0xFF, 0xEF]);
}

#[test]
fn signing_vectors() {
    let doc = load("signing.json");
    let all = cases(&doc);
    assert!(all.len() >= 10, "at least 10 signing cases");
    let mut failures = Vec::new();
    for case in all {
        let app_key = str_field(case, "app_key");
        let secret_key = str_field(case, "secret_key");
        let timespan = case["timespan"].as_u64().expect("timespan is a u64");
        let expected = str_field(case, "token");
        let got = sign(app_key, timespan, secret_key);
        if got != expected {
            failures.push(format!(
                "  {app_key:?} {timespan} {secret_key:?}: expected {expected}, got {got}"
            ));
        }
    }
    report(failures, "signing.json", all.len());
}

/// What a parse produced, in the vectors' own terms, for comparison with `expect`.
fn describe_error(e: &Error) -> Value {
    serde_json::json!({
        "outcome": "error",
        "kind": e.kind().as_str(),
        "code": e.code(),
        "retryable": e.is_retryable(),
        "server_message": e.server_message(),
    })
}

fn describe_create(r: Result<CreateReportOutcome, Error>) -> Value {
    match r {
        Ok(CreateReportOutcome::Ordered(o)) => {
            serde_json::json!({"outcome": "ordered", "order_no": o.as_str()})
        }
        Ok(CreateReportOutcome::NoChange) => serde_json::json!({"outcome": "no_change"}),
        Err(e) => describe_error(&e),
    }
}

fn describe_info(r: Result<ReportInfo, Error>) -> Value {
    match r {
        Ok(info) => serde_json::json!({
            "outcome": "info",
            "status": info.status.as_letter(),
            "expires_at": info.expires_at,
            "has_link": info.link.is_some(),
            "has_unzip_password": info.unzip_password.is_some(),
        }),
        Err(e) => describe_error(&e),
    }
}

/// `got` matches `expect` when every field `expect` names has the same value; `server_message`
/// is only compared when the case gives one.
fn matches(expect: &Value, got: &Value) -> bool {
    let Some(fields) = expect.as_object() else {
        return false;
    };
    fields.iter().all(|(k, v)| &got[k] == v)
}

#[test]
fn response_vectors() {
    let doc = load("responses.json");
    let all = cases(&doc);
    let mut failures = Vec::new();
    let mut endpoints_seen = [false; 2];
    for case in all {
        let name = str_field(case, "name");
        let content_type = case["content_type"].as_str();
        let body: Vec<u8> = match (case.get("body"), case.get("body_base64")) {
            (Some(Value::String(s)), None) => s.as_bytes().to_vec(),
            (None, Some(Value::String(b))) => base64_decode(b),
            _ => panic!("case {name:?} needs exactly one of body and body_base64"),
        };
        let expect = &case["expect"];
        let got = match str_field(case, "endpoint") {
            "createReport" => {
                endpoints_seen[0] = true;
                describe_create(parse_create_report(&body, content_type))
            }
            "getReportInfo" => {
                endpoints_seen[1] = true;
                describe_info(parse_report_info(&body, content_type))
            }
            other => panic!("case {name:?}: unknown endpoint {other:?}"),
        };
        let outcome = expect["outcome"].as_str().unwrap_or("");
        assert!(
            ["ordered", "no_change", "info", "error"].contains(&outcome),
            "case {name:?}: unknown outcome {outcome:?}"
        );
        if !matches(expect, &got) {
            failures.push(format!("  {name}: expected {expect}, got {got}"));
        }
    }
    assert_eq!(endpoints_seen, [true, true], "both endpoints are covered");
    report(failures, "responses.json", all.len());
}

#[test]
fn archive_name_vectors() {
    let doc = load("archive_names.json");
    let all = cases(&doc);
    let mut failures = Vec::new();
    for case in all {
        let name = str_field(case, "name");
        let raw = base64_decode(str_field(case, "raw_base64"));
        let flag = case["utf8_flag"].as_bool().expect("utf8_flag is a bool");
        let decoded = decode_entry_name(&raw, flag);
        let expected_decoded = str_field(case, "decoded");
        if decoded != expected_decoded {
            failures.push(format!(
                "  {name}: decoded {decoded:?}, expected {expected_decoded:?}"
            ));
            continue;
        }
        let safe = case["safe"].as_bool().expect("safe is a bool");
        match (safe, safe_entry_path(&decoded)) {
            (true, Ok(p)) => {
                let components: Vec<&str> = case["components"]
                    .as_array()
                    .expect("a safe case lists its components")
                    .iter()
                    .map(|c| c.as_str().expect("components are strings"))
                    .collect();
                let is_dir = case["is_dir"].as_bool().expect("a safe case gives is_dir");
                if p.components != components || p.is_dir != is_dir {
                    failures.push(format!(
                        "  {name}: got {:?} (is_dir {}), expected {components:?} (is_dir {is_dir})",
                        p.components, p.is_dir
                    ));
                }
            }
            (false, Err(e)) => {
                assert!(case["components"].is_null() && case["is_dir"].is_null());
                if e.kind().as_str() != "archive" {
                    failures.push(format!("  {name}: refused with kind {}", e.kind()));
                }
            }
            (true, Err(e)) => failures.push(format!("  {name}: refused as unsafe: {e}")),
            (false, Ok(p)) => failures.push(format!("  {name}: accepted as {:?}", p.components)),
        }
    }
    report(failures, "archive_names.json", all.len());
}

#[test]
fn archive_plan_vectors() {
    let doc = load("archive_plans.json");
    let all = cases(&doc);
    let mut failures = Vec::new();
    for case in all {
        let name = str_field(case, "name");
        let entries: Vec<EntryDescription> = case["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .enumerate()
            .map(|(index, e)| EntryDescription {
                index,
                raw_name: base64_decode(str_field(e, "raw_base64")),
                utf8_flag: e["utf8_flag"].as_bool().expect("utf8_flag is a bool"),
                unix_mode: None,
                encrypted: false,
                size: 10,
                compressed_size: 10,
            })
            .collect();
        let expect = &case["expect"];
        let got = plan_archive(
            &entries,
            1 << 20,
            &ArchiveLimits::default(),
            Encryption::Refuse,
        );
        match (str_field(expect, "outcome"), got) {
            ("ok", Ok(plan)) => {
                let files: Vec<String> = plan.iter().map(|f| f.path.display()).collect();
                let wanted: Vec<&str> = expect["files"]
                    .as_array()
                    .expect("files")
                    .iter()
                    .map(|f| f.as_str().expect("a path"))
                    .collect();
                if files != wanted {
                    failures.push(format!("  {name}: planned {files:?}, expected {wanted:?}"));
                }
            }
            ("refused", Err(e)) => {
                if e.kind().as_str() != "archive" {
                    failures.push(format!("  {name}: refused with kind {}", e.kind()));
                }
                for quoted in expect["quoted"].as_array().expect("quoted") {
                    let shown = format!("{:?}", quoted.as_str().expect("a name"));
                    if !e.message().contains(&shown) {
                        failures.push(format!("  {name}: {shown} not in {:?}", e.message()));
                    }
                }
            }
            (_, Ok(plan)) => failures.push(format!("  {name}: accepted as {plan:?}")),
            (_, Err(e)) => failures.push(format!("  {name}: refused: {e}")),
        }
    }
    report(failures, "archive_plans.json", all.len());
}
