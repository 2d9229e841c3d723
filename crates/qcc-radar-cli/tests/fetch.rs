//! `qcc-radar fetch` against the sandbox: every outcome's exit status and JSON, the journal,
//! and resuming instead of paying twice.

mod common;

use std::path::Path;
use std::time::Duration;

use common::*;
use qcc_radar_sandbox::{Endpoint, Scenario};
use serde_json::Value;

fn fetch(sb: &qcc_radar_sandbox::Sandbox, out: &Path, extra: &[&str]) -> Run {
    let mut c = cmd(sb);
    c.args(["fetch", "--type", "day", "--out"])
        .arg(out)
        .arg("--json")
        .args(extra);
    run(&mut c)
}

fn assert_ready_shape(v: &Value, out: &Path) -> String {
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 5, "exactly the contract's keys: {v}");
    assert_eq!(v["status"], "ready", "{v}");
    assert_eq!(v["report_type"], "day");
    let order = v["order_no"].as_str().unwrap().to_string();
    assert!(order.starts_with("JKDAY-"), "{order}");
    let out = out.canonicalize().unwrap();
    let archive = v["archive"].as_str().unwrap();
    assert_eq!(Path::new(archive), out.join(format!("{order}.zip")));
    assert!(Path::new(archive).is_file());
    let files = v["files"].as_array().unwrap();
    assert!(!files.is_empty());
    for f in files {
        let f = Path::new(f.as_str().unwrap());
        assert!(f.is_file(), "{}", f.display());
        assert!(f.starts_with(out.join(&order)), "{}", f.display());
    }
    order
}

#[test]
fn ready_exits_0_with_the_contract_json_and_a_journal() {
    let sb = sandbox(Scenario::Normal);
    let dir = tempfile::tempdir().unwrap();
    let r = fetch(&sb, dir.path(), &[]);
    r.expect_code(0).assert_no_secret();
    let order = assert_ready_shape(&r.json(), dir.path());
    assert!(
        r.stdout.starts_with(r#"{"status":"ready","order_no":"#),
        "{}",
        r.stdout
    );
    assert_eq!(sb.orders_placed(), 1);
    let e = entries(dir.path());
    assert_eq!(e.len(), 1);
    assert_eq!(e[0]["state"], "ready");
    assert_eq!(e[0]["server"], sb.base_url().as_str());
    assert_eq!(e[0]["order_no"], order.as_str());
    assert_eq!(e[0]["report_type"], "day");
    assert!(e[0]["period"].as_str().unwrap().len() == 10, "{}", e[0]);
    assert!(temp_names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    assert_no_secret_in_files(dir.path());
    // The progress went to stderr as log lines (stderr is not a terminal here).
    assert!(r.stderr.contains("waiting for"), "{}", r.stderr);
}

#[test]
fn a_finished_order_is_not_fetched_again() {
    let sb = sandbox(Scenario::Normal);
    let dir = tempfile::tempdir().unwrap();
    let first = fetch(&sb, dir.path(), &[]);
    first.expect_code(0);
    let requests = sb.requests().len();
    let again = fetch(&sb, dir.path(), &[]);
    again.expect_code(0);
    assert_eq!(again.json(), first.json(), "the same report, listed again");
    assert_eq!(
        sb.requests().len(),
        requests,
        "nothing sent for a finished order"
    );
    assert_eq!(sb.orders_placed(), 1);
}

#[test]
fn a_finished_order_whose_files_were_removed_is_downloaded_again_without_a_new_order() {
    let sb = sandbox(Scenario::Normal);
    let dir = tempfile::tempdir().unwrap();
    let first = fetch(&sb, dir.path(), &[]).json();
    std::fs::remove_file(first["archive"].as_str().unwrap()).unwrap();
    let again = fetch(&sb, dir.path(), &[]);
    again.expect_code(0);
    assert_eq!(again.json()["order_no"], first["order_no"]);
    assert!(Path::new(first["archive"].as_str().unwrap()).is_file());
    assert_eq!(sb.orders_placed(), 1);
    assert_eq!(sb.count(Endpoint::Download), 2);
}

#[test]
fn new_order_forces_a_second_order() {
    let sb = sandbox(Scenario::Normal);
    let dir = tempfile::tempdir().unwrap();
    let a = fetch(&sb, dir.path(), &[]).json();
    let b = fetch(&sb, dir.path(), &["--new-order"]);
    b.expect_code(0);
    assert_ne!(b.json()["order_no"], a["order_no"]);
    assert_eq!(sb.orders_placed(), 2);
    assert_eq!(entries(dir.path()).len(), 2);
}

#[test]
fn no_change_exits_0_with_nulls() {
    let sb = sandbox(Scenario::NoChange);
    let dir = tempfile::tempdir().unwrap();
    let r = fetch(&sb, dir.path(), &[]);
    r.expect_code(0);
    assert_eq!(
        r.json(),
        serde_json::json!({"status": "no_change", "order_no": null, "report_type": "day", "archive": null, "files": []})
    );
    assert_eq!(entries(dir.path())[0]["state"], "no_change");
    // The period's answer is known: a re-run sends nothing and says the same.
    let again = fetch(&sb, dir.path(), &[]);
    again.expect_code(0);
    assert_eq!(again.json()["status"], "no_change");
    assert_eq!(sb.requests().len(), 1);
    // --new-order asks again.
    fetch(&sb, dir.path(), &["--new-order"]).expect_code(0);
    assert_eq!(sb.count(Endpoint::CreateReport), 2);
}

fn assert_error(r: &Run, code: i32, kind: &str) -> Value {
    r.expect_code(code).assert_no_secret();
    let v = r.json();
    assert!(
        r.stdout.starts_with(r#"{"status":"error","kind":"#),
        "{}",
        r.stdout
    );
    assert_eq!(v["status"], "error", "{v}");
    assert_eq!(v["kind"], kind, "{v}");
    assert!(!v["message"].as_str().unwrap().is_empty());
    for key in ["code", "server_message", "order_no"] {
        assert!(v.get(key).is_some(), "{key} missing: {v}");
    }
    assert!(r.stderr.contains("error: "), "{}", r.stderr);
    v
}

#[test]
fn quota_exits_3() {
    let sb = sandbox(Scenario::Quota);
    let dir = tempfile::tempdir().unwrap();
    let v = assert_error(&fetch(&sb, dir.path(), &[]), 3, "quota");
    assert_eq!(v["code"], 112);
    assert!(v["server_message"].is_string(), "{v}");
    // Rejected before any order: the journal keeps nothing to resume.
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn bad_credentials_exit_3_without_the_secret() {
    let sb = sandbox(Scenario::BadCredentials);
    let dir = tempfile::tempdir().unwrap();
    let mut c = cmd(&sb);
    c.args(["-vv", "fetch", "--type", "day", "--json", "--out"])
        .arg(dir.path());
    let v = assert_error(&run(&mut c), 3, "auth");
    assert_eq!(v["code"], 107);
    assert_no_secret_in_files(dir.path());
}

#[test]
fn a_failed_report_exits_4_and_the_next_run_orders_anew() {
    let sb = sandbox(Scenario::Fail);
    let dir = tempfile::tempdir().unwrap();
    let v = assert_error(&fetch(&sb, dir.path(), &[]), 4, "report_failed");
    assert!(v["order_no"].as_str().unwrap().starts_with("JKDAY-"));
    assert_eq!(entries(dir.path())[0]["state"], "failed");
    assert_error(&fetch(&sb, dir.path(), &[]), 4, "report_failed");
    assert_eq!(sb.orders_placed(), 2, "a failed order is not resumed");
}

#[test]
fn a_slow_report_exits_5_on_timeout_and_the_next_run_resumes_it() {
    let sb = start(Scenario::Slow, |c| {
        c.slow_ready_after = Duration::from_secs(2)
    });
    let dir = tempfile::tempdir().unwrap();
    let v = assert_error(&fetch(&sb, dir.path(), &["--timeout", "0.5"]), 5, "timeout");
    let order = v["order_no"].as_str().unwrap().to_string();
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("run the same fetch again"),
        "{v}"
    );
    let e = entries(dir.path());
    assert_eq!(e[0]["state"], "ordered");
    assert!(e[0]["last_error"].as_str().unwrap().starts_with("timeout"));
    let r = fetch(&sb, dir.path(), &["--timeout", "30"]);
    r.expect_code(0);
    assert_eq!(r.json()["order_no"], order.as_str());
    assert!(r.stderr.contains("resuming order"), "{}", r.stderr);
    assert_eq!(sb.orders_placed(), 1);
}

#[test]
fn an_unreachable_service_exits_6() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = bare();
    c.env("QCC_APP_KEY", APP_KEY)
        .env("QCC_SECRET_KEY", SECRET)
        .args([
            "fetch",
            "--type",
            "day",
            "--json",
            "--base-url",
            "http://127.0.0.1:1",
            "--out",
        ])
        .arg(dir.path());
    let v = assert_error(&run(&mut c), 6, "transport");
    assert!(v["code"].is_null());
    assert!(entries(dir.path()).is_empty(), "no order was placed");
}

#[test]
fn an_unsafe_archive_exits_7_and_leaves_nothing() {
    for scenario in [Scenario::UnsafeArchive, Scenario::ZipBomb] {
        let sb = sandbox(scenario);
        let dir = tempfile::tempdir().unwrap();
        let v = assert_error(&fetch(&sb, dir.path(), &[]), 7, "archive");
        let order = v["order_no"].as_str().unwrap().to_string();
        let left = names(dir.path());
        assert!(
            left.iter()
                .all(|n| n == "qcc-radar-journal.json" || n == ".qcc-radar.lock"),
            "{scenario}: {left:?}"
        );
        assert!(!dir.path().join(&order).exists());
        assert_eq!(entries(dir.path())[0]["state"], "ordered");
    }
}

#[test]
fn kill_9_during_the_wait_is_resumed_with_exactly_one_order() {
    let sb = start(Scenario::Slow, |c| {
        c.slow_ready_after = Duration::from_secs(3)
    });
    let dir = tempfile::tempdir().unwrap();
    let mut c = cmd(&sb);
    c.args(["fetch", "--type", "day", "--json", "--out"])
        .arg(dir.path());
    let mut running = spawn(&mut c);
    let journaled = wait_until(Duration::from_secs(20), || {
        std::fs::read_to_string(dir.path().join("qcc-radar-journal.json"))
            .is_ok_and(|t| t.contains("\"ordered\""))
    });
    assert!(journaled, "the order was journaled before the wait");
    assert!(sb.count(Endpoint::GetReportInfo) >= 1 || sb.orders_placed() == 1);
    running.child.kill().unwrap(); // SIGKILL: no cleanup runs
    let killed = running.finish(Duration::from_secs(10));
    assert_ne!(killed.code, 0);
    let first_order = entries(dir.path())[0]["order_no"]
        .as_str()
        .unwrap()
        .to_string();

    let r = fetch(&sb, dir.path(), &[]);
    r.expect_code(0);
    assert_eq!(r.json()["order_no"], first_order.as_str());
    assert_eq!(
        sb.orders_placed(),
        1,
        "exactly one createReport placed an order"
    );
    assert_eq!(sb.count(Endpoint::CreateReport), 1);
    assert!(temp_names(dir.path()).is_empty());
}

#[test]
fn ctrl_c_during_the_wait_exits_130_and_keeps_the_journal() {
    let sb = start(Scenario::Slow, |c| {
        c.slow_ready_after = Duration::from_secs(3)
    });
    let dir = tempfile::tempdir().unwrap();
    let mut c = cmd(&sb);
    c.args(["fetch", "--type", "day", "--json", "--out"])
        .arg(dir.path());
    let running = spawn(&mut c);
    assert!(wait_until(Duration::from_secs(20), || sb
        .count(Endpoint::GetReportInfo)
        >= 2));
    signal(&running.child, libc::SIGINT);
    let r = running.finish(Duration::from_secs(10));
    let v = assert_error(&r, 130, "cancelled");
    let order = v["order_no"].as_str().unwrap().to_string();
    assert!(v["message"].as_str().unwrap().contains("resumes it"), "{v}");
    assert_eq!(entries(dir.path())[0]["state"], "ordered");

    let again = fetch(&sb, dir.path(), &[]);
    again.expect_code(0);
    assert_eq!(again.json()["order_no"], order.as_str());
    assert_eq!(sb.orders_placed(), 1);
}

#[test]
fn sigterm_during_a_download_removes_temporary_files() {
    let sb = start(Scenario::Large, |c| c.large_bytes = 400_000_000);
    let dir = tempfile::tempdir().unwrap();
    let mut c = cmd(&sb);
    c.args(["fetch", "--type", "day", "--json", "--out"])
        .arg(dir.path());
    let running = spawn(&mut c);
    // The download's temporary file (not the journal's, which exists only while it is saved).
    let downloading = wait_until(Duration::from_secs(60), || {
        names(dir.path()).iter().any(|n| n.contains(".zip.part-"))
    });
    assert!(downloading, "a download started: {:?}", names(dir.path()));
    std::thread::sleep(Duration::from_millis(50));
    signal(&running.child, libc::SIGTERM);
    let r = running.finish(Duration::from_secs(30));
    assert_error(&r, 143, "cancelled");
    assert!(temp_names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    assert_eq!(entries(dir.path())[0]["state"], "ordered");
}

#[test]
fn plain_output_lists_the_files_and_quiet_prints_nothing() {
    let sb = sandbox(Scenario::Normal);
    let dir = tempfile::tempdir().unwrap();
    let mut c = cmd(&sb);
    c.args(["fetch", "--type", "day", "--out"]).arg(dir.path());
    let r = run(&mut c);
    r.expect_code(0);
    assert!(r.stdout.starts_with("report JKDAY-"), "{}", r.stdout);
    assert!(r.stdout.contains(".zip"), "{}", r.stdout);

    let quiet_dir = tempfile::tempdir().unwrap();
    let mut c = cmd(&sb);
    c.args(["fetch", "--type", "day", "--quiet", "--out"])
        .arg(quiet_dir.path());
    let r = run(&mut c);
    r.expect_code(0);
    assert_eq!(r.stdout, "");
    assert_eq!(r.stderr, "");
}

#[test]
fn week_and_month_periods_are_journaled() {
    let sb = sandbox(Scenario::Normal);
    let dir = tempfile::tempdir().unwrap();
    for t in ["week", "month"] {
        let mut c = cmd(&sb);
        c.args(["fetch", "--json", "--type", t, "--out"])
            .arg(dir.path());
        let r = run(&mut c);
        r.expect_code(0);
        assert_eq!(r.json()["report_type"], t);
    }
    let e = entries(dir.path());
    assert!(e[0]["period"].as_str().unwrap().contains("-W"), "{}", e[0]);
    assert_eq!(e[1]["period"].as_str().unwrap().len(), 7, "{}", e[1]);
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn write_journal(dir: &Path, entries: Value) {
    let j = serde_json::json!({"format": "qcc-radar-journal", "version": 1, "entries": entries});
    std::fs::write(dir.join("qcc-radar-journal.json"), j.to_string()).unwrap();
}

#[test]
fn a_run_that_died_while_ordering_orders_nothing_until_new_order() {
    let sb = sandbox(Scenario::Normal);
    let dir = tempfile::tempdir().unwrap();
    let period = qcc_radar_core::report_period(qcc_radar_core::ReportType::Day, now());
    write_journal(
        dir.path(),
        serde_json::json!([{"id": "x", "report_type": "day", "period": period, "order_no": null,
            "state": "ordering", "created_at": now(), "updated_at": now()}]),
    );
    let r = fetch(&sb, dir.path(), &[]);
    let v = assert_error(&r, 8, "unconfirmed_order");
    assert!(
        v["message"].as_str().unwrap().contains("--new-order"),
        "{v}"
    );
    assert!(sb.requests().is_empty(), "something was sent");
    let r = fetch(&sb, dir.path(), &["--new-order"]);
    r.expect_code(0);
    assert_eq!(sb.orders_placed(), 1);
}

#[test]
fn kill_9_during_create_report_is_not_ordered_again() {
    let sb = sandbox(Scenario::CreateHangs);
    let dir = tempfile::tempdir().unwrap();
    let mut c = cmd(&sb);
    c.args(["fetch", "--type", "day", "--json", "--out"])
        .arg(dir.path());
    let mut running = spawn(&mut c);
    assert!(
        wait_until(Duration::from_secs(20), || sb.orders_placed() == 1),
        "createReport reached the sandbox"
    );
    running.child.kill().unwrap(); // SIGKILL while createReport's answer is outstanding
    let killed = running.finish(Duration::from_secs(10));
    assert_ne!(killed.code, 0);
    assert_eq!(entries(dir.path())[0]["state"], "ordering");
    for _ in 0..2 {
        let r = fetch(&sb, dir.path(), &[]);
        assert_error(&r, 8, "unconfirmed_order");
    }
    assert_eq!(
        sb.count(Endpoint::CreateReport),
        1,
        "the re-run ordered again"
    );
}

#[test]
fn a_lost_answer_exits_8_and_the_next_run_orders_nothing() {
    let sb = sandbox(Scenario::LostAnswer);
    let dir = tempfile::tempdir().unwrap();
    let r = fetch(&sb, dir.path(), &[]);
    let v = assert_error(&r, 8, "unconfirmed_order");
    assert!(v["order_no"].is_null(), "{v}");
    let r = fetch(&sb, dir.path(), &[]);
    assert_error(&r, 8, "unconfirmed_order");
    assert_eq!(sb.orders_placed(), 1);
    let r = fetch(&sb, dir.path(), &["--new-order"]);
    r.expect_code(0);
    assert_eq!(sb.orders_placed(), 2);
}

#[test]
fn a_corrupt_ledger_exits_9_and_sends_nothing() {
    let sb = sandbox(Scenario::Normal);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("qcc-radar-journal.json"), "{ not json").unwrap();
    let r = fetch(&sb, dir.path(), &[]);
    let v = assert_error(&r, 9, "io");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("qcc-radar-journal.json"),
        "{v}"
    );
    assert!(sb.requests().is_empty());
}

#[test]
fn a_format_1_journal_written_by_an_older_command_still_resumes() {
    let sb = sandbox(Scenario::Normal);
    let dir = tempfile::tempdir().unwrap();
    let created = run_args(cmd(&sb), &["create", "--type", "day", "--json"]);
    let order = created.json()["order_no"].as_str().unwrap().to_string();
    let period = qcc_radar_core::report_period(qcc_radar_core::ReportType::Day, now());
    write_journal(
        dir.path(),
        serde_json::json!([{"id": "x", "report_type": "day", "period": period,
            "order_no": order, "state": "ordered", "created_at": now(), "updated_at": now()}]),
    );
    let r = fetch(&sb, dir.path(), &[]);
    r.expect_code(0);
    assert_eq!(r.json()["order_no"], order.as_str());
    assert_eq!(sb.orders_placed(), 1);
}

#[test]
fn the_demo_never_stands_in_for_a_real_fetch_in_the_same_folder() {
    let dir = tempfile::tempdir().unwrap();
    for scenario in ["normal", "no_change"] {
        let demo = run_args(
            bare(),
            &[
                "demo",
                "--scenario",
                scenario,
                "--json",
                "--out",
                dir.path().to_str().unwrap(),
            ],
        );
        demo.expect_code(0);
        let sb = sandbox(Scenario::Normal);
        let r = fetch(&sb, dir.path(), &[]);
        r.expect_code(0);
        assert_eq!(r.json()["status"], "ready", "{scenario}");
        assert_eq!(sb.orders_placed(), 1, "after a {scenario} demo");
    }
}

#[test]
fn an_order_of_an_earlier_period_that_was_never_downloaded_is_named() {
    let sb = sandbox(Scenario::Normal);
    let dir = tempfile::tempdir().unwrap();
    write_journal(
        dir.path(),
        serde_json::json!([{"id": "x", "report_type": "day", "period": "2000-01-01",
            "order_no": "JKDAY-42", "state": "ordered", "created_at": now() - 86_400,
            "updated_at": now() - 86_400}]),
    );
    let r = fetch(&sb, dir.path(), &[]);
    r.expect_code(0);
    assert!(
        r.stderr.contains("JKDAY-42") && r.stderr.contains("never downloaded"),
        "{}",
        r.stderr
    );
    assert_ne!(
        r.json()["order_no"],
        "JKDAY-42",
        "another period's order is not resumed"
    );
    assert_eq!(entries(dir.path()).len(), 2, "the old entry is kept");
}

#[test]
fn two_runs_at_once_in_one_folder_place_one_order() {
    let sb = start(Scenario::Slow, |c| {
        c.slow_ready_after = Duration::from_secs(1)
    });
    let dir = tempfile::tempdir().unwrap();
    let runs: Vec<Running> = (0..2)
        .map(|_| {
            let mut c = cmd(&sb);
            c.args(["fetch", "--type", "day", "--json", "--out"])
                .arg(dir.path());
            spawn(&mut c)
        })
        .collect();
    let results: Vec<Run> = runs
        .into_iter()
        .map(|r| r.finish(Duration::from_secs(60)))
        .collect();
    for r in &results {
        r.expect_code(0);
    }
    assert_eq!(results[0].json()["order_no"], results[1].json()["order_no"]);
    assert_eq!(sb.orders_placed(), 1);
    assert!(
        results
            .iter()
            .any(|r| r.stderr.contains("another qcc-radar run is using")),
        "one run waited for the other"
    );
}

#[test]
fn kill_9_during_the_download_leaves_no_debris_after_the_resume() {
    let sb = start(Scenario::Large, |c| c.large_bytes = 120_000_000);
    let dir = tempfile::tempdir().unwrap();
    let mut c = cmd(&sb);
    c.args(["fetch", "--type", "day", "--json", "--out"])
        .arg(dir.path());
    let mut running = spawn(&mut c);
    let downloading = wait_until(Duration::from_secs(60), || {
        names(dir.path()).iter().any(|n| n.contains(".zip.part-"))
    });
    assert!(downloading, "a download started: {:?}", names(dir.path()));
    running.child.kill().unwrap();
    running.finish(Duration::from_secs(10));
    assert!(
        names(dir.path()).iter().any(|n| n.contains(".zip.part-")),
        "SIGKILL leaves the partial file: {:?}",
        names(dir.path())
    );

    let r = fetch(&sb, dir.path(), &[]);
    r.expect_code(0);
    assert!(temp_names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    assert_eq!(sb.orders_placed(), 1);
    let archive = r.json()["archive"].as_str().unwrap().to_string();
    assert!(std::fs::metadata(archive).unwrap().len() >= 100_000_000);
}

#[test]
fn after_exit_8_the_found_order_is_resumed_with_order() {
    let sb = sandbox(Scenario::LostAnswer);
    let dir = tempfile::tempdir().unwrap();
    let r = fetch(&sb, dir.path(), &[]);
    assert_error(&r, 8, "unconfirmed_order");
    let found = sb.order_numbers()[0].clone();
    let r = fetch(&sb, dir.path(), &["--order", &found, "--new-order"]);
    r.expect_code(2);
    let r = fetch(&sb, dir.path(), &["--order", &found]);
    r.expect_code(0);
    assert_eq!(r.json()["order_no"], found.as_str());
    let r = fetch(&sb, dir.path(), &[]);
    r.expect_code(0);
    assert_eq!(r.json()["order_no"], found.as_str());
    assert_eq!(sb.count(Endpoint::CreateReport), 1);
}

/// A disk that fills during the download (a file-size limit stands in for a full disk: it needs
/// no root and fails the same write with an errno): exit 9 naming the folder, the order and the
/// next step; the next run resumes the same order.
#[test]
fn a_full_disk_during_the_download_exits_9_and_the_next_run_resumes() {
    use std::os::unix::process::CommandExt;
    let sb = start(Scenario::Large, |c| c.large_bytes = 6_000_000);
    let dir = tempfile::tempdir().unwrap();
    let mut c = cmd(&sb);
    c.args(["fetch", "--type", "day", "--json", "--out"])
        .arg(dir.path());
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        c.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 2_000_000,
                rlim_max: 2_000_000,
            };
            libc::setrlimit(libc::RLIMIT_FSIZE, &limit);
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let r = run(&mut c);
    let v = assert_error(&r, 9, "io");
    let order = v["order_no"].as_str().expect("the error names the order");
    let message = v["message"].as_str().unwrap();
    let out = dir.path().canonicalize().unwrap();
    assert!(message.contains(&out.display().to_string()), "{message}");
    assert!(message.contains(order), "{message}");
    assert!(message.contains("run again"), "{message}");
    assert!(temp_names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    let r = fetch(&sb, dir.path(), &[]);
    r.expect_code(0);
    assert_eq!(r.json()["order_no"], order);
    assert_eq!(sb.orders_placed(), 1);
}
