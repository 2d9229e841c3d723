//! The shared fault matrix (`tests/fault-matrix.json`), run against the `qcc-radar` binary.
//!
//! The same table the Rust client suite reads, so the command is held to the client's
//! behaviour: for each case the binary runs with `--json -vv` against a sandbox started in this
//! process, and its exit status, JSON object (outcome, kind, code, report status, order), the
//! orders the sandbox saw placed and the files left in `--out` (besides the journal and its
//! lock, the command's own bookkeeping) must match. Stdout, stderr (trace logs) and every file
//! written must be free of the secret key. The format is described in
//! `tests/fault_matrix/README.md`.
//!
//! The secret is `QCC_LEAK_SECRET` when set (the leak scan sets it), else the suite's canary.
//! With `QCC_LEAK_SCAN_DIR` set, every case's folder is kept under
//! `<dir>/cli-fault-matrix/<id>/` and everything the commands printed under
//! `<dir>/cli-fault-matrix/<id>.out`, for the scan to read. `QCC_FAULT_MATRIX_ONLY=id,id` runs
//! only those cases.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use common::*;
use qcc_radar_sandbox::{Sandbox, Scenario};
use serde_json::Value;

fn matrix() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fault-matrix.json");
    let text = std::fs::read_to_string(&path).expect("tests/fault-matrix.json is readable");
    let m: Value = serde_json::from_str(&text).expect("tests/fault-matrix.json is JSON");
    assert_eq!(m["format"], "qcc-radar-fault-matrix");
    assert_eq!(m["version"], 2, "a matrix version this runner reads");
    m
}

fn leak_secret() -> Option<String> {
    std::env::var("QCC_LEAK_SECRET")
        .ok()
        .filter(|s| !s.is_empty())
}

/// A sandbox as the case describes it, with the suite's (or the leak scan's) secret.
fn sandbox_for(spec: &Value) -> Sandbox {
    let scenario: Scenario = spec["scenario"]
        .as_str()
        .expect("a scenario")
        .parse()
        .expect("a known scenario");
    start(scenario, |c| {
        if let Some(s) = leak_secret() {
            c.secret_key = s;
        }
        if let Some(n) = spec["polls_until_ready"].as_u64() {
            c.polls_until_ready = n as u32;
        }
        if let Some(ms) = spec["slow_ready_after_ms"].as_u64() {
            c.slow_ready_after = Duration::from_millis(ms);
        }
        if let Some(ms) = spec["link_ttl_ms"].as_u64() {
            c.link_ttl = Duration::from_millis(ms);
        }
        if let Some(n) = spec["large_bytes"].as_u64() {
            c.large_bytes = n;
        }
    })
}

/// Where the leak scan wants this suite's files, if it is running.
fn scan_dir() -> Option<PathBuf> {
    std::env::var_os("QCC_LEAK_SCAN_DIR")
        .filter(|d| !d.is_empty())
        .map(|d| PathBuf::from(d).join("cli-fault-matrix"))
}

/// A case's working folder: kept for the leak scan, else temporary.
fn case_dir(id: &str) -> (PathBuf, Option<tempfile::TempDir>) {
    match scan_dir() {
        Some(d) => {
            let dir = d.join(id);
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("the scan folder is writable");
            (dir, None)
        }
        None => {
            let t = tempfile::tempdir().expect("a temporary folder");
            (t.path().to_path_buf(), Some(t))
        }
    }
}

fn secs(ms: u64) -> String {
    format!("{}", ms as f64 / 1000.0)
}

/// Every file under `dir`, recursively, as a set.
fn file_set(dir: &Path) -> BTreeSet<PathBuf> {
    all_files(dir).into_iter().collect()
}

/// Runs one case; returns its differences (empty when it passed).
fn run_case(m: &Value, case: &Value) -> Vec<String> {
    let defaults = &m["defaults"];
    let poll_ms = defaults["poll_ms"].as_u64().unwrap_or(20);
    let wait_ms = defaults["wait_timeout_ms"].as_u64().unwrap_or(20_000);
    let bookkeeping: BTreeSet<String> = m["bookkeeping"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let sandbox = (!case["sandbox"].is_null()).then(|| sandbox_for(&case["sandbox"]));
    let secret = sandbox
        .as_ref()
        .map(|s| s.secret_key().to_string())
        .or_else(leak_secret)
        .unwrap_or_else(|| SECRET.to_string());
    let command = || -> Command {
        let mut c = match &sandbox {
            Some(sb) => cmd(sb),
            None => {
                let mut c = bare();
                c.env(
                    "QCC_BASE_URL",
                    case["base_url"].as_str().expect("a base_url"),
                )
                .env("QCC_APP_KEY", APP_KEY)
                .env("QCC_SECRET_KEY", &secret);
                c
            }
        };
        c.env("QCC_RADAR_POLL_MS", poll_ms.to_string()).arg("-vv");
        c
    };

    let id = case["id"].as_str().unwrap_or("case");
    let (parent, _guard) = case_dir(id);
    let out = parent.join("out");
    if let Some(ledger) = case["setup"]["ledger"].as_str() {
        std::fs::create_dir_all(&out).expect("the out folder is made");
        std::fs::write(out.join("qcc-radar-journal.json"), ledger).expect("the ledger is written");
    }
    // One step, or several against the same sandbox and folder.
    let steps: Vec<&Value> = match case["steps"].as_array() {
        Some(steps) => steps.iter().collect(),
        None => vec![case],
    };
    let mut outputs = Vec::new();
    let mut bad = Vec::new();
    let mut last_stderr = String::new();
    for (n, case_step) in steps.iter().enumerate() {
        let label = if steps.len() > 1 {
            format!("step {}: ", n + 1)
        } else {
            String::new()
        };
        let step = Step {
            defaults,
            wait_ms,
            sandbox: sandbox.as_ref(),
            bookkeeping: &bookkeeping,
            parent: &parent,
            out: &out,
        };
        let (differences, stderr) = step.run(case_step, &command, &mut outputs);
        bad.extend(differences.into_iter().map(|d| format!("{label}{d}")));
        last_stderr = stderr;
    }
    if let Some(d) = scan_dir() {
        std::fs::write(d.join(format!("{id}.out")), outputs.join("\n"))
            .expect("the output is written");
    }
    for text in &outputs {
        if text.contains(&secret) {
            bad.push("the secret is in the command's output".into());
        }
    }
    for f in all_files(&parent) {
        let bytes = std::fs::read(&f).unwrap_or_default();
        if bytes.windows(secret.len()).any(|w| w == secret.as_bytes()) {
            bad.push(format!("{} holds the secret", f.display()));
        }
    }
    if !bad.is_empty() {
        bad.push(format!(
            "(stderr of the last run: {})",
            last_stderr.trim_end()
        ));
    }
    bad
}

/// What every step of a case shares.
struct Step<'a> {
    defaults: &'a Value,
    wait_ms: u64,
    sandbox: Option<&'a Sandbox>,
    bookkeeping: &'a BTreeSet<String>,
    parent: &'a Path,
    out: &'a Path,
}

impl Step<'_> {
    /// Runs one step's command and judges it: the differences, and the command's stderr.
    fn run(
        &self,
        case: &Value,
        command: &dyn Fn() -> Command,
        outputs: &mut Vec<String>,
    ) -> (Vec<String>, String) {
        let (defaults, wait_ms, sandbox, bookkeeping, parent, out) = (
            self.defaults,
            self.wait_ms,
            self.sandbox,
            self.bookkeeping,
            self.parent,
            self.out,
        );
        let args = &case["args"];
        let x = &case["expect"];
        let report_type = args["report_type"]
            .as_str()
            .or(defaults["report_type"].as_str())
            .unwrap_or("day");
        let timeout = secs(args["timeout_ms"].as_u64().unwrap_or(wait_ms));

        let order = match args["order_no"].as_str() {
            Some("$created") => {
                let r = run_args(command(), &["create", "--type", report_type, "--json"]);
                outputs.push(format!("{}{}", r.stdout, r.stderr));
                match r.json()["order_no"].as_str() {
                    Some(o) => Some(o.to_string()),
                    None => {
                        return (
                            vec![format!("the order to work on was not placed: {r:?}")],
                            r.stderr,
                        )
                    }
                }
            }
            other => other.map(String::from),
        };
        let order_arg = order.clone().unwrap_or_default();
        let out_arg = out.to_string_lossy().into_owned();
        let op = case["operation"].as_str().unwrap_or("");
        let argv: Vec<&str> = match op {
            "fetch" => vec![
                "fetch",
                "--type",
                report_type,
                "--out",
                &out_arg,
                "--timeout",
                &timeout,
            ],
            "create" => vec!["create", "--type", report_type],
            "status" => vec!["status", &order_arg],
            "wait" => vec!["wait", &order_arg, "--timeout", &timeout],
            "download" => vec!["download", &order_arg, "--out", &out_arg],
            other => return (vec![format!("unknown operation {other:?}")], String::new()),
        };
        let mut c = command();
        c.args(&argv).arg("--json");
        if args["new_order"] == Value::Bool(true) {
            c.arg("--new-order");
        }
        let r = spawn(&mut c).finish(Duration::from_secs(120));
        outputs.push(format!("{}{}", r.stdout, r.stderr));

        let mut bad = Vec::new();
        let lines: Vec<&str> = r.stdout.lines().collect();
        let v: Value = match (lines.len(), lines.first().map(|l| serde_json::from_str(l))) {
            (1, Some(Ok(v))) => v,
            _ => {
                return (
                    vec![format!("stdout is not one JSON object: {r:?}")],
                    r.stderr,
                )
            }
        };
        if Some(i64::from(r.code)) != x["exit_status"].as_i64() {
            bad.push(format!(
                "exit status {}, expected {} ({v})",
                r.code, x["exit_status"]
            ));
        }
        let outcome = match v["status"].as_str() {
            Some("error") => "error",
            Some("no_change") => "no_change",
            _ => "ok",
        };
        if Some(outcome) != x["outcome"].as_str() {
            bad.push(format!(
                "outcome {outcome}, expected {} ({v})",
                x["outcome"]
            ));
        }
        let (kind, code) = if outcome == "error" {
            (v["kind"].clone(), v["code"].clone())
        } else {
            (Value::Null, Value::Null)
        };
        if kind != x["kind"] {
            bad.push(format!("kind {kind}, expected {}", x["kind"]));
        }
        if code != x["code"] {
            bad.push(format!("code {code}, expected {}", x["code"]));
        }
        if let Some(want) = x["orders_placed"].as_u64() {
            let placed = sandbox.as_ref().map(|s| s.orders_placed() as u64);
            if placed != Some(want) {
                bad.push(format!("{placed:?} orders placed, expected {want}"));
            }
        }
        if let Some(want) = x["report_status"].as_str() {
            if v["report_status"].as_str() != Some(want) {
                bad.push(format!(
                    "report status {}, expected {want}",
                    v["report_status"]
                ));
            }
        }
        if let Some(want) = x["error_order_no"].as_bool() {
            let carried = outcome == "error" && v["order_no"].is_string();
            if carried != want {
                bad.push(format!(
                    "the error's order_no is {}, expected {}",
                    v["order_no"],
                    if want { "one" } else { "null" }
                ));
            }
        }
        if let Some(prefix) = x["order_no_prefix"].as_str() {
            if !v["order_no"].as_str().unwrap_or("").starts_with(prefix) {
                bad.push(format!(
                    "order {}, expected a {prefix}… number",
                    v["order_no"]
                ));
            }
        }
        let beside: BTreeSet<String> = names(parent).into_iter().filter(|n| n != "out").collect();
        if !beside.is_empty() {
            bad.push(format!("written beside the out folder: {beside:?}"));
        }
        let left: BTreeSet<String> = names(out)
            .into_iter()
            .filter(|n| !bookkeeping.contains(n))
            .collect();
        match x["files"].as_str() {
            Some("report") => {
                let order = v["order_no"].as_str().unwrap_or("").to_string();
                let want: BTreeSet<String> = [format!("{order}.zip"), order.clone()].into();
                if left != want {
                    bad.push(format!("the out folder holds {left:?}, expected {want:?}"));
                }
                let base = out.canonicalize().unwrap_or(out.to_path_buf());
                if v["archive"].as_str().map(PathBuf::from)
                    != Some(base.join(format!("{order}.zip")))
                {
                    bad.push(format!("archive {}", v["archive"]));
                }
                let listed: BTreeSet<PathBuf> = v["files"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|f| f.as_str().map(PathBuf::from))
                            .collect()
                    })
                    .unwrap_or_default();
                let on_disk = file_set(&base.join(&order));
                if listed.is_empty() || listed != on_disk {
                    bad.push(format!("files {listed:?}, on disk {on_disk:?}"));
                }
            }
            Some("none") if !left.is_empty() => bad.push(format!("left on disk: {left:?}")),
            _ => {}
        }
        (bad, r.stderr)
    }
}

#[test]
fn every_case_of_the_fault_matrix() {
    let m = matrix();
    let only: Option<BTreeSet<String>> = std::env::var("QCC_FAULT_MATRIX_ONLY")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    let all = m["cases"].as_array().expect("cases");
    if let Some(only) = &only {
        let unknown: Vec<&String> = only
            .iter()
            .filter(|id| !all.iter().any(|c| c["id"].as_str() == Some(id.as_str())))
            .collect();
        assert!(
            unknown.is_empty(),
            "QCC_FAULT_MATRIX_ONLY names no such case: {unknown:?}"
        );
    }
    let cases: Vec<&Value> = all
        .iter()
        .filter(|c| {
            only.as_ref()
                .is_none_or(|o| o.contains(c["id"].as_str().unwrap_or("")))
        })
        .collect();
    assert!(!cases.is_empty(), "the matrix holds cases");
    let next = Mutex::new(cases.into_iter());
    let failures = Mutex::new(Vec::new());
    // A few at a time: the timing cases must not starve on a busy two-core machine.
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| loop {
                let Some(case) = next.lock().unwrap().next() else {
                    break;
                };
                let id = case["id"].as_str().unwrap_or("?");
                let bad = run_case(&m, case);
                eprintln!("{id:<28} {}", if bad.is_empty() { "ok" } else { "FAILED" });
                for b in bad {
                    failures.lock().unwrap().push(format!("{id}: {b}"));
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} difference(s) from tests/fault-matrix.json:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
