//! Load programs for the benchmark harness (`bench/run.sh`); each prints one JSON line.
//!
//! ```text
//! qcc-radar-bench report-info client|reqwest|reqwest-timeouts ORDER_NO SECONDS [WARMUP_CALLS]
//! qcc-radar-bench waits N POLL_MS TIMEOUT_SECS
//! qcc-radar-bench load ORDER_NO SECONDS CONNECTIONS
//! qcc-radar-bench tables-gen DIR ROWS        (no server: writes DIR/digest.xlsx and DIR/digest-gbk.csv)
//! qcc-radar-bench tables-read FILE           (no server: one file into Arrow, timed)
//! ```
//!
//! The server is a `qcc-radar sandbox` process on 127.0.0.1 named by `QCC_BASE_URL`, with
//! `QCC_APP_KEY` and `QCC_SECRET_KEY` (the environment, so the secret is not in `ps`). Every
//! loop is bounded by SECONDS or TIMEOUT_SECS (capped at 600), so nothing runs forever.

mod load;
mod proc_status;
mod report_info;
mod tables;
mod waits;

use std::process::ExitCode;
use std::time::Duration;

/// The longest any loop may run, whatever the arguments say.
const MAX_SECONDS: f64 = 600.0;

/// The server and keys from the environment.
pub struct Target {
    /// `QCC_BASE_URL` without a trailing slash.
    pub base_url: String,
    /// `QCC_APP_KEY`.
    pub app_key: String,
    /// `QCC_SECRET_KEY`.
    pub secret_key: String,
}

impl Target {
    fn from_env() -> Result<Target, String> {
        let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
        Ok(Target {
            base_url: var("QCC_BASE_URL")?.trim_end_matches('/').to_string(),
            app_key: var("QCC_APP_KEY")?,
            secret_key: var("QCC_SECRET_KEY")?,
        })
    }
}

fn seconds(arg: Option<&String>, what: &str) -> Result<Duration, String> {
    let s: f64 = arg
        .ok_or_else(|| format!("missing {what}"))?
        .parse()
        .map_err(|e| format!("bad {what}: {e}"))?;
    if s.is_nan() || s <= 0.0 {
        return Err(format!("{what} must be positive"));
    }
    Ok(Duration::from_secs_f64(s.min(MAX_SECONDS)))
}

fn number(arg: Option<&String>, what: &str) -> Result<usize, String> {
    arg.ok_or_else(|| format!("missing {what}"))?
        .parse()
        .map_err(|e| format!("bad {what}: {e}"))
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a runtime: {e}"))
}

fn run(args: &[String]) -> Result<String, String> {
    match args.first().map(String::as_str) {
        Some("tables-gen") => {
            let dir = args.get(1).ok_or("missing DIR")?;
            let n = number(args.get(2), "ROWS")?.clamp(1, 10_000_000);
            return tables::generate(std::path::Path::new(dir), n);
        }
        Some("tables-read") => {
            let file = args.get(1).ok_or("missing FILE")?;
            return tables::read(std::path::Path::new(file));
        }
        _ => {}
    }
    let target = Target::from_env()?;
    match args.first().map(String::as_str) {
        Some("report-info") => {
            let order = args.get(2).ok_or("missing ORDER_NO")?;
            let secs = seconds(args.get(3), "SECONDS")?;
            let warmup = args
                .get(4)
                .map_or(Ok(200), |_| number(args.get(4), "WARMUP"))?;
            let rt = runtime()?;
            let rate = match args.get(1).map(String::as_str) {
                Some("client") => {
                    rt.block_on(report_info::with_client(&target, order, secs, warmup))
                }
                Some("reqwest") => rt.block_on(report_info::with_reqwest(
                    &target, order, secs, warmup, false,
                )),
                Some("reqwest-timeouts") => rt.block_on(report_info::with_reqwest(
                    &target, order, secs, warmup, true,
                )),
                _ => Err("report-info takes client, reqwest or reqwest-timeouts".to_string()),
            }?;
            Ok(rate.to_json())
        }
        Some("waits") => {
            let n = number(args.get(1), "N")?.clamp(1, 100_000);
            let poll = Duration::from_millis(number(args.get(2), "POLL_MS")? as u64);
            let timeout = seconds(args.get(3), "TIMEOUT_SECS")?;
            let rt = runtime()?;
            let out = rt.block_on(waits::run(&target, n, poll, timeout))?;
            Ok(out.to_json())
        }
        Some("load") => {
            let order = args.get(1).ok_or("missing ORDER_NO")?;
            let secs = seconds(args.get(2), "SECONDS")?;
            let conns = number(args.get(3), "CONNECTIONS")?.clamp(1, 256);
            Ok(load::run(&target, order, secs, conns)?.to_json())
        }
        _ => Err("usage: qcc-radar-bench report-info|waits|load … (see the source)".to_string()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("qcc-radar-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
