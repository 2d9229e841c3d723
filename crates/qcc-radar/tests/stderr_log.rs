//! `qcc_radar::stderr_log::init_from_env` end to end: a child process (this test binary,
//! re-run with one test selected) installs the logger from its environment and fetches a report
//! from an in-process sandbox; the parent reads the child's stderr.
//!
//! A child per case because the logger is global and set once per process, and because what is
//! checked is what a binding's user sees: the lines on stderr, with the secret key nowhere.
//! Needs the `stderr-log` feature (`cargo test -p qcc-radar --features stderr-log`; the
//! workspace's `cargo test --workspace` enables it through the C, Java and Node bindings).

use std::process::Command;
use std::time::Duration;

use qcc_radar::{PollSchedule, ReportType, RetryPolicy};
use qcc_radar_sandbox::{Sandbox, SandboxConfig, Scenario};

/// Set in the child: what it should do.
const CHILD: &str = "QCC_STDERR_LOG_TEST_CHILD";
/// Set in the child: the secret key its sandbox expects and its client signs with.
const SECRET: &str = "QCC_STDERR_LOG_TEST_SECRET";

/// The child's side: a no-op unless the parent started this process for it.
#[test]
fn child() {
    let Ok(mode) = std::env::var(CHILD) else {
        return;
    };
    if mode == "host-subscriber" {
        // A host that installed its own subscriber first: ours must stay out of its way.
        tracing::subscriber::set_global_default(tracing::subscriber::NoSubscriber::default())
            .expect("first subscriber");
    }
    qcc_radar::stderr_log::init_from_env("test");
    qcc_radar::stderr_log::init_from_env("test"); // idempotent: no second logger, no second line
    let secret = std::env::var(SECRET).expect("the parent sets the secret");
    // `flaky`: a 502 on the first poll and a download cut off halfway, so retries are logged.
    let sandbox = Sandbox::start_with(SandboxConfig {
        scenario: Scenario::Flaky,
        secret_key: secret.clone(),
        ..SandboxConfig::default()
    })
    .expect("sandbox");
    let client = qcc_radar::blocking::Client::new(
        qcc_radar::Client::builder()
            .app_key(sandbox.app_key())
            .secret_key(&secret)
            .base_url(sandbox.base_url())
            .poll_schedule(PollSchedule::fixed(Duration::from_millis(20)))
            .retry_policy(RetryPolicy {
                base: Duration::from_millis(10),
                cap: Duration::from_millis(50),
                ..RetryPolicy::default()
            }),
    )
    .expect("client");
    let out = tempfile::tempdir().expect("temp dir");
    let report = client
        .fetch_report(ReportType::Day, out.path())
        .expect("the flaky scenario recovers")
        .expect("a report");
    assert!(!report.files.is_empty());
}

/// Runs [`child`] in a new process with `env` (and neither variable unless given); returns its
/// stderr.
fn run_child(mode: &str, secret: &str, env: &[(&str, &str)]) -> String {
    let exe = std::env::current_exe().expect("test binary");
    let mut cmd = Command::new(exe);
    cmd.args(["--exact", "child", "--nocapture", "--test-threads=1"])
        .env(CHILD, mode)
        .env(SECRET, secret)
        .env_remove("QCC_RADAR_LOG")
        .env_remove("RUST_LOG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run the child");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "child failed: {}\n{stderr}",
        out.status
    );
    stderr
}

/// A recognisable secret that appears nowhere else.
fn secret() -> String {
    format!("stderr-log-secret-{}", std::process::id())
}

/// The lines that our logger wrote (libtest writes nothing to stderr on success).
fn log_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| !l.trim().is_empty()).collect()
}

fn assert_line(stderr: &str, level: &str, target: &str, text: &str) {
    assert!(
        stderr
            .lines()
            .any(|l| l.contains(&format!(" {level} {target}: ")) && l.contains(text)),
        "no {level} line from {target} with {text:?} in:\n{stderr}"
    );
}

#[test]
fn qcc_radar_log_debug_shows_the_clients_events_without_the_secret() {
    let secret = secret();
    let stderr = run_child("fetch", &secret, &[("QCC_RADAR_LOG", "debug")]);
    assert!(
        !stderr.contains(&secret),
        "the secret is on stderr:\n{stderr}"
    );
    assert_line(
        &stderr,
        "DEBUG",
        "qcc_radar::stderr_log",
        "diagnostics on stderr",
    );
    assert_line(&stderr, "DEBUG", "qcc_radar::transport", "sending");
    assert_line(&stderr, "INFO", "qcc_radar::client", "report ordered");
    assert_line(&stderr, "WARN", "qcc_radar::transport", "retrying");
    // One logger only, however often init_from_env was called.
    let first_lines = stderr.matches("diagnostics on stderr").count();
    assert_eq!(first_lines, 1, "{stderr}");
    // A timestamp first, no colours.
    for line in log_lines(&stderr) {
        assert!(
            line.as_bytes().first().is_some_and(u8::is_ascii_digit),
            "{line}"
        );
        assert!(!line.contains('\u{1b}'), "{line}");
    }
    // Other crates stay at warn: no hyper/reqwest debug lines.
    assert!(
        !stderr
            .lines()
            .any(|l| l.contains(" DEBUG ") && !l.contains(" qcc_radar")),
        "{stderr}"
    );
}

#[test]
fn info_hides_debug_lines() {
    let stderr = run_child("fetch", &secret(), &[("QCC_RADAR_LOG", "info")]);
    assert_line(&stderr, "INFO", "qcc_radar::client", "report ordered");
    assert!(!stderr.contains(" DEBUG "), "{stderr}");
}

#[test]
fn rust_log_is_the_fallback() {
    let stderr = run_child("fetch", &secret(), &[("RUST_LOG", "qcc_radar=debug")]);
    assert_line(&stderr, "DEBUG", "qcc_radar::transport", "sending");
}

#[test]
fn unset_off_and_a_host_subscriber_mean_silence() {
    let secret = secret();
    let stderr = run_child("fetch", &secret, &[]);
    assert_eq!(log_lines(&stderr), Vec::<&str>::new());
    let stderr = run_child(
        "fetch",
        &secret,
        &[("QCC_RADAR_LOG", "off"), ("RUST_LOG", "trace")],
    );
    assert_eq!(log_lines(&stderr), Vec::<&str>::new());
    let stderr = run_child("host-subscriber", &secret, &[("QCC_RADAR_LOG", "trace")]);
    assert_eq!(log_lines(&stderr), Vec::<&str>::new());
}

#[test]
fn an_invalid_filter_is_one_warning_line() {
    let stderr = run_child("fetch", &secret(), &[("QCC_RADAR_LOG", "qcc_radar=loud")]);
    let lines = log_lines(&stderr);
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].starts_with("qcc-radar (test): ignoring QCC_RADAR_LOG=\"qcc_radar=loud\": "),
        "{stderr}"
    );
}
