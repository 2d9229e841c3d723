//! The JSON (and plain) output of every subcommand besides `fetch`, against the sandbox.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::*;
use qcc_radar_sandbox::{Endpoint, Scenario};
use serde_json::Value;

/// A spawned sandbox that a failing assertion must not leave running.
struct KillOnDrop(std::process::Child);

impl std::ops::Deref for KillOnDrop {
    type Target = std::process::Child;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for KillOnDrop {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Asserts `v` has exactly `want` as keys.
fn assert_keys(v: &Value, want: &[&str]) {
    let mut got: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let mut want = want.to_vec();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want, "{v}");
}

#[test]
fn create_prints_the_order_or_no_change() {
    let sb = sandbox(Scenario::Normal);
    let r = run_args(cmd(&sb), &["create", "--type", "week", "--json"]);
    r.expect_code(0).assert_no_secret();
    let v = r.json();
    assert_keys(&v, &["status", "order_no", "report_type"]);
    assert_eq!(v["status"], "ordered");
    assert_eq!(v["report_type"], "week");
    assert!(v["order_no"].as_str().unwrap().starts_with("JKWEEK-"));

    let plain = run_args(cmd(&sb), &["create", "--type", "day"]);
    plain.expect_code(0);
    assert!(
        plain.stdout.trim().starts_with("JKDAY-"),
        "{:?}",
        plain.stdout
    );
    assert_eq!(plain.stdout.lines().count(), 1);
    // --quiet silences logs, not the answer: ORDER=$(qcc-radar -q create ...) works.
    let quiet = run_args(cmd(&sb), &["-q", "create", "--type", "day"]);
    quiet.expect_code(0);
    assert!(
        quiet.stdout.trim().starts_with("JKDAY-"),
        "{:?}",
        quiet.stdout
    );
    assert_eq!(quiet.stderr, "");
    assert_eq!(sb.orders_placed(), 3);

    let none = sandbox(Scenario::NoChange);
    let r = run_args(cmd(&none), &["create", "--type", "day", "--json"]);
    r.expect_code(0);
    assert_eq!(
        r.json(),
        serde_json::json!({"status": "no_change", "order_no": null, "report_type": "day"})
    );
    let plain = run_args(cmd(&none), &["create", "--type", "day"]);
    plain.expect_code(0);
    assert_eq!(
        plain.stdout, "",
        "nothing to capture when there is no report"
    );
}

fn order(sb: &qcc_radar_sandbox::Sandbox, t: &str) -> String {
    let r = run_args(cmd(sb), &["create", "--type", t, "--json"]);
    r.expect_code(0);
    r.json()["order_no"].as_str().unwrap().to_string()
}

#[test]
fn status_reports_pending_then_ready_with_the_link() {
    let sb = start(Scenario::Normal, |c| c.polls_until_ready = 1);
    let o = order(&sb, "day");
    let r = run_args(cmd(&sb), &["status", &o, "--json"]);
    r.expect_code(0).assert_no_secret();
    let v = r.json();
    assert_keys(
        &v,
        &[
            "status",
            "report_status",
            "order_no",
            "report_type",
            "url",
            "expires_at",
        ],
    );
    assert_eq!(v["status"], "pending");
    assert_eq!(v["report_status"], "P");
    assert_eq!(v["order_no"], o.as_str());
    assert_eq!(v["report_type"], "day");
    assert!(v["url"].is_null() && v["expires_at"].is_null());

    let v = run_args(cmd(&sb), &["status", &o, "--json"]).json();
    assert_eq!(v["status"], "ready");
    assert_eq!(v["report_status"], "S");
    let url = v["url"].as_str().unwrap();
    assert!(
        url.starts_with(&sb.base_url()) && url.contains("Signature="),
        "{url}"
    );
    assert!(v["expires_at"].as_u64().unwrap() > 1_700_000_000);

    let plain = run_args(cmd(&sb), &["status", &o]);
    plain.expect_code(0);
    assert!(
        plain.stdout.starts_with(&format!("{o} ready (S)")),
        "{}",
        plain.stdout
    );
}

#[test]
fn status_of_a_failed_report_is_an_answer_not_an_error() {
    let sb = start(Scenario::Fail, |c| c.polls_until_ready = 0);
    let o = order(&sb, "month");
    let r = run_args(cmd(&sb), &["status", &o, "--json"]);
    r.expect_code(0);
    assert_eq!(r.json()["status"], "failed");
    assert_eq!(r.json()["report_type"], "month");
}

#[test]
fn status_of_an_unknown_order_exits_3() {
    let sb = sandbox(Scenario::Normal);
    let r = run_args(cmd(&sb), &["status", "JKDAY-404", "--json"]);
    r.expect_code(3);
    let v = r.json();
    assert_eq!(v["kind"], "invalid_request");
    assert_eq!(v["code"], 201);
    assert_eq!(v["order_no"], "JKDAY-404");
}

#[test]
fn wait_prints_the_ready_status_and_exits_by_outcome() {
    let sb = sandbox(Scenario::Normal);
    let o = order(&sb, "day");
    let r = run_args(cmd(&sb), &["wait", &o, "--json"]);
    r.expect_code(0).assert_no_secret();
    let v = r.json();
    assert_eq!(v["status"], "ready");
    assert!(v["url"].is_string());

    let fail = sandbox(Scenario::Fail);
    let o = order(&fail, "day");
    let r = run_args(cmd(&fail), &["wait", &o, "--json"]);
    r.expect_code(4);
    assert_eq!(r.json()["kind"], "report_failed");

    let slow = start(Scenario::Slow, |c| {
        c.slow_ready_after = Duration::from_secs(30)
    });
    let o = order(&slow, "day");
    let r = run_args(cmd(&slow), &["wait", &o, "--timeout", "0.3", "--json"]);
    r.expect_code(5);
    assert_eq!(r.json()["kind"], "timeout");
    assert_eq!(r.json()["order_no"], o.as_str());
}

#[test]
fn download_lands_the_archive_and_folder() {
    let sb = start(Scenario::Normal, |c| c.polls_until_ready = 0);
    let o = order(&sb, "day");
    let dir = tempfile::tempdir().unwrap();
    let mut c = cmd(&sb);
    c.args(["download", &o, "--json", "--out"]).arg(dir.path());
    let r = run(&mut c);
    r.expect_code(0).assert_no_secret();
    let v = r.json();
    assert_keys(
        &v,
        &["status", "order_no", "report_type", "archive", "files"],
    );
    assert_eq!(v["status"], "ready");
    assert_eq!(v["order_no"], o.as_str());
    let out = dir.path().canonicalize().unwrap();
    assert_eq!(
        Path::new(v["archive"].as_str().unwrap()),
        out.join(format!("{o}.zip"))
    );
    for f in v["files"].as_array().unwrap() {
        assert!(Path::new(f.as_str().unwrap()).is_file());
    }
    assert!(temp_names(dir.path()).is_empty());
    assert_no_secret_in_files(dir.path());

    let unsafe_sb = start(Scenario::UnsafeArchive, |c| c.polls_until_ready = 0);
    let o = order(&unsafe_sb, "day");
    let mut c = cmd(&unsafe_sb);
    c.args(["download", &o, "--json", "--out"]).arg(dir.path());
    let r = run(&mut c);
    r.expect_code(7);
    assert_eq!(r.json()["kind"], "archive");
    assert!(!dir.path().join(&o).exists());
}

#[test]
fn sign_prints_the_headers_the_sandbox_accepts() {
    let r = run_args(
        {
            let mut c = bare();
            c.env("QCC_APP_KEY", APP_KEY).env("QCC_SECRET_KEY", SECRET);
            c
        },
        &["sign", "--timespan", "1700000000", "--json"],
    );
    r.expect_code(0).assert_no_secret();
    let v = r.json();
    assert_keys(&v, &["app_key", "timespan", "token"]);
    assert_eq!(v["app_key"], APP_KEY);
    assert_eq!(v["timespan"], 1_700_000_000u64);
    assert_eq!(
        v["token"],
        qcc_radar_core::sign(APP_KEY, 1_700_000_000, SECRET)
    );

    // The plain form is two header lines; a request signed with them is accepted.
    let sb = sandbox(Scenario::Normal);
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("secret");
    std::fs::write(&key_file, format!("{SECRET}\n")).unwrap();
    let mut c = bare();
    c.args(["sign", "--app-key", APP_KEY, "--secret-key-file"])
        .arg(&key_file);
    let plain = run(&mut c);
    plain.expect_code(0).assert_no_secret();
    let lines: Vec<&str> = plain.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", plain.stdout);
    let token = lines[0].strip_prefix("Token: ").unwrap();
    let timespan = lines[1].strip_prefix("Timespan: ").unwrap();
    assert_eq!(
        token,
        qcc_radar_core::sign(APP_KEY, timespan.parse().unwrap(), SECRET)
    );
    assert_eq!(sb.requests().len(), 0, "sign sends nothing");
}

#[test]
fn the_sandbox_subcommand_prints_one_json_line_then_serves_until_sigterm() {
    let mut c = bare();
    c.args(["sandbox", "--scenario", "no-change"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = KillOnDrop(c.spawn().unwrap());
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let v: Value = serde_json::from_str(&line).unwrap();
    assert_keys(&v, &["base_url", "app_key", "secret_key", "scenario"]);
    assert_eq!(v["scenario"], "no_change");
    let base = v["base_url"].as_str().unwrap();
    assert!(base.starts_with("http://127.0.0.1:"));

    // A client pointed at it with its keys gets the scenario's answer.
    let mut client = bare();
    client
        .env("QCC_BASE_URL", base)
        .env("QCC_APP_KEY", v["app_key"].as_str().unwrap())
        .env("QCC_SECRET_KEY", v["secret_key"].as_str().unwrap());
    let r = run_args(client, &["create", "--type", "day", "--json"]);
    r.expect_code(0);
    assert_eq!(r.json()["status"], "no_change");

    signal(&child, libc::SIGTERM);
    let ok = wait_until(Duration::from_secs(10), || {
        child.try_wait().unwrap().is_some()
    });
    assert!(ok, "the sandbox stops on SIGTERM");
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn the_sandbox_stops_when_its_stdin_closes_if_asked_and_prints_its_record() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("secret");
    std::fs::write(&key_file, "qcc-expected-secret-7f\n").unwrap();
    let mut c = bare();
    c.args(["sandbox", "--until-stdin-closes", "--port", "0"])
        .arg("--expected-secret-key-file")
        .arg(&key_file)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = KillOnDrop(c.spawn().unwrap());
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let first: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(first["secret_key"], "qcc-expected-secret-7f");
    assert!(child.try_wait().unwrap().is_none(), "still serving");

    // One order signed with the expected secret, one status call signed with another.
    let with_secret = |secret: &str| {
        let mut client = bare();
        client
            .env("QCC_BASE_URL", first["base_url"].as_str().unwrap())
            .env("QCC_APP_KEY", first["app_key"].as_str().unwrap())
            .env("QCC_SECRET_KEY", secret);
        client
    };
    let r = run_args(
        with_secret("qcc-expected-secret-7f"),
        &["create", "--type", "week", "--json"],
    );
    r.expect_code(0);
    let order = r.json()["order_no"].as_str().unwrap().to_string();
    run_args(
        with_secret("sandbox-secret-key"),
        &["status", &order, "--json"],
    )
    .expect_code(3);

    // A line on stdin asks for the record so far, and the sandbox keeps serving.
    let stdin = child.stdin.as_mut().unwrap();
    std::io::Write::write_all(stdin, b"record\n").unwrap();
    std::io::Write::flush(stdin).unwrap();
    line.clear();
    stdout.read_line(&mut line).unwrap();
    let so_far: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(so_far["stopped"], false);
    assert_eq!(so_far["orders_placed"], 1);
    assert_eq!(so_far["requests"]["getReportInfo"], 1);
    assert!(child.try_wait().unwrap().is_none(), "still serving");

    drop(child.stdin.take());
    let ok = wait_until(Duration::from_secs(10), || {
        child.try_wait().unwrap().is_some()
    });
    assert!(ok, "the sandbox stops when stdin closes");
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    let lines: Vec<&str> = rest.lines().collect();
    assert_eq!(lines.len(), 1, "exactly one more line: {rest:?}");
    let record: Value = serde_json::from_str(lines[0]).unwrap();
    assert_keys(&record, &["stopped", "orders_placed", "requests"]);
    assert_eq!(record["stopped"], true);
    assert_eq!(record["orders_placed"], 1);
    assert_keys(
        &record["requests"],
        &["createReport", "getReportInfo", "download", "other"],
    );
    assert_eq!(record["requests"]["createReport"], 1);
    assert_eq!(record["requests"]["getReportInfo"], 1);
    assert_eq!(record["requests"]["download"], 0);
}

#[test]
fn an_unreadable_expected_secret_key_file_exits_2_naming_the_flag() {
    let r = run_args(
        bare(),
        &[
            "sandbox",
            "--json",
            "--expected-secret-key-file",
            "/nonexistent/qcc-secret",
        ],
    );
    r.expect_code(2);
    assert_eq!(r.json()["kind"], "config");
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("--expected-secret-key-file"));
}

#[test]
fn a_busy_sandbox_port_exits_2() {
    let sb = sandbox(Scenario::Normal);
    let port = sb.port().to_string();
    let r = run_args(bare(), &["sandbox", "--port", &port, "--json"]);
    r.expect_code(2);
    assert_eq!(r.json()["kind"], "config");
    assert!(r.json()["message"].as_str().unwrap().contains("--port"));
}

#[test]
fn demo_runs_the_whole_fetch_without_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let mut c = bare();
    c.env_remove("QCC_RADAR_POLL_MS")
        .args(["demo", "--json", "--out"])
        .arg(&out);
    let r = run(&mut c);
    r.expect_code(0);
    let v = r.json();
    assert_keys(
        &v,
        &[
            "status",
            "order_no",
            "report_type",
            "archive",
            "files",
            "out",
            "base_url",
            "tables",
        ],
    );
    assert_eq!(v["status"], "ready");
    assert!(Path::new(v["archive"].as_str().unwrap()).is_file());
    assert!(!v["files"].as_array().unwrap().is_empty());
    assert_eq!(
        Path::new(v["out"].as_str().unwrap()),
        out.canonicalize().unwrap()
    );
    assert_eq!(entries(&out)[0]["state"], "ready");

    // The plain form says where the files are; a second demo in the same folder works too.
    let mut c = bare();
    c.args(["demo", "--out"]).arg(&out);
    let r = run(&mut c);
    r.expect_code(0);
    assert!(r
        .stdout
        .contains(&out.canonicalize().unwrap().display().to_string()));
    assert!(r.stdout.contains("QCC_APP_KEY"), "{}", r.stdout);

    let mut c = bare();
    c.args(["demo", "--scenario", "quota", "--json", "--out"])
        .arg(&out);
    let r = run(&mut c);
    r.expect_code(3);
    assert_eq!(r.json()["kind"], "quota");
}

#[test]
fn trace_logs_never_show_the_secret() {
    let sb = start(Scenario::Flaky, |_| {});
    let dir = tempfile::tempdir().unwrap();
    let mut c = cmd(&sb);
    c.env("RUST_LOG", "trace")
        .args(["fetch", "--type", "day", "--json", "--out"])
        .arg(dir.path());
    let r = run(&mut c);
    r.expect_code(0).assert_no_secret();
    assert!(
        sb.count(Endpoint::GetReportInfo) >= 2,
        "the flaky 502 was retried"
    );
    assert_no_secret_in_files(dir.path());
}
