//! What the client's test suites share: a sandbox with the suite's secret, a client tuned for
//! it (fast polls, quick retries) and listings of an out folder without its bookkeeping.
//!
//! Each suite is its own crate and uses part of this module.
#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use qcc_radar::{Client, ClientBuilder, PollSchedule, RetryPolicy};
use qcc_radar_sandbox::{Sandbox, SandboxConfig, Scenario};

/// The secret the suites' sandboxes expect (a canary: it must show nowhere).
pub const SECRET: &str = "QCC-TEST-SECRET-7f3a9c";

/// A sandbox running `scenario` with [`SECRET`], after `tweak` changed its configuration.
pub fn sandbox_with(scenario: Scenario, tweak: impl FnOnce(&mut SandboxConfig)) -> Sandbox {
    let mut config = SandboxConfig::new(scenario);
    config.secret_key = SECRET.to_string();
    tweak(&mut config);
    Sandbox::start_with(config).expect("sandbox starts")
}

/// A sandbox running `scenario` with [`SECRET`].
pub fn sandbox(scenario: Scenario) -> Sandbox {
    sandbox_with(scenario, |_| {})
}

/// A builder for `sb`: polls every 20 ms, retries 5 times within 10 s, waits up to 20 s.
pub fn builder_for(sb: &Sandbox) -> ClientBuilder {
    Client::builder()
        .app_key(sb.app_key())
        .secret_key(sb.secret_key())
        .base_url(sb.base_url())
        .poll_schedule(PollSchedule::fixed(Duration::from_millis(20)))
        .retry_policy(RetryPolicy {
            max_attempts: 5,
            base: Duration::from_millis(10),
            cap: Duration::from_millis(50),
            max_elapsed: Duration::from_secs(10),
        })
        .wait_timeout(Duration::from_secs(20))
}

/// A client for `sb` from [`builder_for`].
pub fn client_for(sb: &Sandbox) -> Client {
    builder_for(sb).build().expect("client builds")
}

/// Whether `name` is bookkeeping `fetch` and `download` keep beside a report (the ledger and
/// the folder's lock; tests/fault-matrix.json's `bookkeeping`).
pub fn is_bookkeeping(name: &str) -> bool {
    name == qcc_radar::LEDGER_FILE || name == qcc_radar::LOCK_FILE
}

/// The names directly in `dir`, sorted, but the bookkeeping; none when it does not exist.
pub fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !is_bookkeeping(n))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Every name under `dir`, recursively, relative to it, sorted, but the bookkeeping.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if d == dir && is_bookkeeping(&e.file_name().to_string_lossy()) {
                continue;
            }
            out.push(p.strip_prefix(dir).unwrap().display().to_string());
            if p.is_dir() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}
