//! Encrypted reports through the command: exit 7 with the archive kept when there is no
//! password, `--unzip-password-file` to extract it on the next run (no new order, no second
//! download), and the password nowhere in the output or in any file but the archive.

mod common;

use std::path::Path;

use common::*;
use qcc_radar_sandbox::{Endpoint, Sandbox, Scenario, UNZIP_PASSWORD};

fn fetch(sb: &Sandbox, out: &Path, extra: &[&str]) -> Run {
    let mut c = cmd(sb);
    c.args(["fetch", "--type", "day", "--out"])
        .arg(out)
        .arg("--json")
        .args(extra);
    run(&mut c)
}

fn assert_no_password(r: &Run) {
    assert!(
        !r.stdout.contains(UNZIP_PASSWORD),
        "password on stdout: {r:?}"
    );
    assert!(
        !r.stderr.contains(UNZIP_PASSWORD),
        "password on stderr: {r:?}"
    );
}

/// No file in `dir` but the archives holds the password (ZipCrypto and AES never store it).
fn assert_no_password_in_files(dir: &Path) {
    for f in all_files(dir) {
        let bytes = std::fs::read(&f).unwrap();
        let found = bytes
            .windows(UNZIP_PASSWORD.len())
            .any(|w| w == UNZIP_PASSWORD.as_bytes());
        assert!(!found, "the password is in {}", f.display());
    }
}

#[test]
fn encrypted_reports_with_the_password_in_the_answer_are_extracted() {
    for scenario in [Scenario::Encrypted, Scenario::EncryptedAes] {
        let sb = sandbox(scenario);
        let dir = tempfile::tempdir().unwrap();
        let r = fetch(&sb, dir.path(), &["-v"]);
        r.expect_code(0).assert_no_secret();
        assert_no_password(&r);
        let v = r.json();
        assert_eq!(v["status"], "ready", "{scenario}: {v}");
        assert_eq!(v["files"].as_array().unwrap().len(), 4, "{scenario}: {v}");
        assert_no_password_in_files(dir.path());
        assert_no_secret_in_files(dir.path());
    }
}

#[test]
fn without_a_password_exit_7_keeps_the_archive_and_the_password_file_extracts_it() {
    let sb = sandbox(Scenario::EncryptedNoPassword);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports");
    let r = fetch(&sb, &out, &[]);
    r.expect_code(7).assert_no_secret();
    let v = r.json();
    assert_eq!(v["kind"], "archive", "{v}");
    let order = v["order_no"]
        .as_str()
        .expect("the order is named")
        .to_string();
    let message = v["message"].as_str().unwrap();
    assert!(message.contains("password"), "{message}");
    assert!(message.contains("--unzip-password-file"), "{message}");
    assert!(message.contains(&format!("{order}.zip")), "{message}");
    assert!(out.join(format!("{order}.zip")).is_file());
    assert!(!out.join(&order).exists());
    assert!(temp_names(&out).is_empty(), "{:?}", names(&out));
    assert_eq!(sb.orders_placed(), 1);
    assert_eq!(sb.count(Endpoint::Download), 1);

    // Plain output says the same on stderr.
    let mut c = cmd(&sb);
    c.args(["fetch", "--type", "day", "--out"]).arg(&out);
    let r = run(&mut c);
    r.expect_code(7);
    assert!(r.stderr.contains("--unzip-password-file"), "{r:?}");
    assert_eq!(
        sb.count(Endpoint::Download),
        1,
        "the kept archive is not downloaded again"
    );

    // The password file, with the newline an editor leaves.
    let pw = dir.path().join("unzip-password");
    std::fs::write(&pw, format!("{UNZIP_PASSWORD}\n")).unwrap();
    let pw_arg = pw.to_str().unwrap();
    let r = fetch(&sb, &out, &["--unzip-password-file", pw_arg, "-vv"]);
    r.expect_code(0).assert_no_secret();
    assert_no_password(&r);
    let v = r.json();
    assert_eq!(v["order_no"], order.as_str(), "{v}");
    assert_eq!(v["files"].as_array().unwrap().len(), 4, "{v}");
    assert_eq!(sb.orders_placed(), 1, "no second order");
    assert_eq!(sb.count(Endpoint::CreateReport), 1);
    assert_eq!(sb.count(Endpoint::Download), 1, "no second download");
    assert_no_password_in_files(&out);
    assert_no_secret_in_files(&out);
}

#[test]
fn download_with_the_password_file_and_a_wrong_one() {
    let sb = sandbox(Scenario::EncryptedNoPassword);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports");
    let r = run_args(cmd(&sb), &["create", "--type", "week", "--json"]);
    r.expect_code(0);
    let order = r.json()["order_no"].as_str().unwrap().to_string();
    run_args(cmd(&sb), &["wait", &order, "--json"]).expect_code(0);
    let wrong = dir.path().join("wrong");
    std::fs::write(&wrong, "not the password").unwrap();
    let mut c = cmd(&sb);
    c.args(["download", &order, "--json", "--out"])
        .arg(&out)
        .arg("--unzip-password-file")
        .arg(&wrong);
    let r = run(&mut c);
    r.expect_code(7);
    let v = r.json();
    assert_eq!(v["order_no"], order.as_str(), "{v}");
    assert!(
        v["message"].as_str().unwrap().contains("does not open"),
        "{v}"
    );
    assert!(!r.stdout.contains("not the password") && !r.stderr.contains("not the password"));
    assert!(out.join(format!("{order}.zip")).is_file());

    let pw = dir.path().join("pw");
    std::fs::write(&pw, UNZIP_PASSWORD).unwrap();
    let mut c = cmd(&sb);
    c.args(["download", &order, "--json", "--out"])
        .arg(&out)
        .arg("--unzip-password-file")
        .arg(&pw);
    let r = run(&mut c);
    r.expect_code(0);
    assert_no_password(&r);
    assert_eq!(
        sb.count(Endpoint::Download),
        1,
        "the kept archive was extracted"
    );
}

#[test]
fn an_unreadable_password_file_is_a_usage_error_before_anything_is_sent() {
    let sb = sandbox(Scenario::EncryptedNoPassword);
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-file");
    let mut c = cmd(&sb);
    c.args(["fetch", "--type", "day", "--json", "--out"])
        .arg(dir.path())
        .arg("--unzip-password-file")
        .arg(&missing);
    let r = run(&mut c);
    r.expect_code(2);
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("--unzip-password-file"));
    assert_eq!(sb.requests().len(), 0);
}

#[test]
fn the_sandbox_help_lists_every_scenario() {
    let r = run_args(bare(), &["sandbox", "--help"]);
    r.expect_code(0);
    for s in Scenario::ALL {
        assert!(
            r.stdout.contains(s.as_str()),
            "{s} missing from: {}",
            r.stdout
        );
    }
}
