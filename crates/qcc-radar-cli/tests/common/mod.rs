//! Helpers shared by the command's integration tests: run the real `qcc-radar` binary against
//! a sandbox started in this test process, and read what it printed and wrote.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use qcc_radar_sandbox::{Sandbox, SandboxConfig, Scenario};
use serde_json::Value;

/// A secret no output or file may ever contain.
pub const SECRET: &str = "canary-SECRET-7f3a9c1e";
/// The app key the tests use.
pub const APP_KEY: &str = "cli-test-app-key";

/// The binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_qcc-radar")
}

/// A sandbox for `scenario` with the recognisable secret.
pub fn sandbox(scenario: Scenario) -> Sandbox {
    start(scenario, |_| {})
}

/// A sandbox for `scenario`, with `tweak` applied to its configuration.
pub fn start(scenario: Scenario, tweak: impl FnOnce(&mut SandboxConfig)) -> Sandbox {
    let mut config = SandboxConfig::new(scenario);
    config.app_key = APP_KEY.to_string();
    config.secret_key = SECRET.to_string();
    tweak(&mut config);
    Sandbox::start_with(config).expect("the sandbox starts")
}

/// A command with a clean environment: no QCC_* or RUST_LOG from the caller, fast polling.
pub fn bare() -> Command {
    let mut c = Command::new(bin());
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if k.starts_with("QCC_") || k == "RUST_LOG" {
            c.env_remove(&k);
        }
    }
    c.env("QCC_RADAR_POLL_MS", "50");
    c.stdin(Stdio::null());
    c
}

/// A command pointed at `sb` with its credentials in the environment.
pub fn cmd(sb: &Sandbox) -> Command {
    let mut c = bare();
    c.env("QCC_BASE_URL", sb.base_url())
        .env("QCC_APP_KEY", sb.app_key())
        .env("QCC_SECRET_KEY", sb.secret_key());
    c
}

/// What a finished run printed.
#[derive(Debug)]
pub struct Run {
    /// The exit status.
    pub code: i32,
    /// Stdout.
    pub stdout: String,
    /// Stderr.
    pub stderr: String,
}

impl Run {
    /// The one JSON object on stdout (fails the test if stdout holds anything else).
    pub fn json(&self) -> Value {
        let lines: Vec<&str> = self.stdout.lines().collect();
        assert_eq!(lines.len(), 1, "expected one JSON line on stdout: {self:?}");
        serde_json::from_str(lines[0]).unwrap_or_else(|e| panic!("not JSON ({e}): {self:?}"))
    }

    /// Asserts the exit status, showing the output when it differs.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "unexpected exit status: {self:?}");
        self
    }

    /// Asserts the secret appears nowhere in the output.
    pub fn assert_no_secret(&self) -> &Self {
        assert!(!self.stdout.contains(SECRET), "secret on stdout: {self:?}");
        assert!(!self.stderr.contains(SECRET), "secret on stderr: {self:?}");
        self
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Runs `c` to the end.
pub fn run(c: &mut Command) -> Run {
    c.output().expect("the binary runs").into()
}

/// Runs `c` with `args`.
pub fn run_args(mut c: Command, args: &[&str]) -> Run {
    c.args(args);
    run(&mut c)
}

/// Every file under `dir`, recursively.
pub fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Asserts no file under `dir` contains the secret.
pub fn assert_no_secret_in_files(dir: &Path) {
    for f in all_files(dir) {
        let bytes = std::fs::read(&f).unwrap();
        let found = bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes());
        assert!(!found, "the secret is in {}", f.display());
    }
}

/// Names in `dir` (not recursive).
pub fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Temporary files a download or extraction leaves while it runs.
pub fn temp_names(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.contains(".part-") || n.contains(".extracting-") || n.contains(".tmp-"))
        .collect()
}

/// The journal in `dir`, parsed.
pub fn journal(dir: &Path) -> Value {
    let text = std::fs::read_to_string(dir.join("qcc-radar-journal.json")).expect("a journal");
    serde_json::from_str(&text).expect("the journal is JSON")
}

/// The journal's entries.
pub fn entries(dir: &Path) -> Vec<Value> {
    journal(dir)["entries"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Polls `cond` every 10 ms until it holds or `limit` passes.
pub fn wait_until(limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    cond()
}

/// Sends `signal` to a child.
pub fn signal(child: &Child, signal: i32) {
    let pid = i32::try_from(child.id()).expect("pid fits");
    // SAFETY: kill(2) on a child we spawned and have not waited for (so its pid is not reused).
    let rc = unsafe { libc::kill(pid, signal) };
    assert_eq!(rc, 0, "kill failed");
}

/// A child started with piped output that is drained as it runs (a full pipe must not
/// block it).
pub struct Running {
    /// The process.
    pub child: Child,
    stdout: Option<std::thread::JoinHandle<String>>,
    stderr: Option<std::thread::JoinHandle<String>>,
}

fn drain(mut r: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = r.read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    })
}

/// Spawns `c` with piped stdout and stderr.
pub fn spawn(c: &mut Command) -> Running {
    let mut child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().map(drain);
    let stderr = child.stderr.take().map(drain);
    Running {
        child,
        stdout,
        stderr,
    }
}

impl Running {
    /// Waits for the end with a deadline, killing the process if it overstays.
    pub fn finish(mut self, limit: Duration) -> Run {
        let start = Instant::now();
        let mut overstayed = false;
        let status = loop {
            if let Some(s) = self.child.try_wait().expect("try_wait") {
                break s;
            }
            if start.elapsed() > limit {
                overstayed = true;
                let _ = self.child.kill();
                break self.child.wait().expect("wait");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let run = Run {
            code: status.code().unwrap_or(-1),
            stdout: self
                .stdout
                .take()
                .map(|h| h.join().unwrap())
                .unwrap_or_default(),
            stderr: self
                .stderr
                .take()
                .map(|h| h.join().unwrap())
                .unwrap_or_default(),
        };
        assert!(
            !overstayed,
            "the command did not finish within {limit:?}: {run:?}"
        );
        run
    }
}
