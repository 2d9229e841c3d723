//! `sandbox`: serve the API emulator for other languages' tests until stopped.
//!
//! The C and Java suites spawn this and read its first stdout line, so that line is written
//! and flushed the moment the port is bound, and nothing is written per request (a harness
//! that never drains stderr must not be able to block the server on a full pipe). SIGTERM and
//! SIGINT stop it with status 0; with `--until-stdin-closes` so does the end of standard input,
//! so a sandbox whose harness died does not linger.
//!
//! A harness in another process cannot ask the sandbox object what reached it, yet the fault
//! matrix asserts how many (billed) orders were placed. So on a clean stop the sandbox writes
//! one more and last stdout line, its record: `{"stopped": true, "orders_placed": N,
//! "requests": {"createReport": N, "getReportInfo": N, "download": N, "other": N}}`. A harness
//! closes standard input (or sends SIGTERM), reads to the end of stdout and waits. A harness
//! that runs several steps against one sandbox (the fault matrix's `steps`) needs the running
//! total after each: with `--until-stdin-closes`, every line it writes to standard input is
//! answered at once by the record so far on stdout, with `"stopped": false`.

use std::io::Write;

use qcc_radar::Error;
use qcc_radar_sandbox::{Endpoint, Sandbox, SandboxConfig};
use serde::Serialize;

use super::Ctx;
use crate::args::SandboxArgs;
use crate::client_config::read_secret_file;
use crate::interrupt::Interrupts;
use crate::output::{to_json, Failure, Success};
use crate::progress;

/// The last stdout line, written on a clean stop: what reached the sandbox.
#[derive(Serialize)]
struct StopLine {
    stopped: bool,
    orders_placed: usize,
    requests: RequestCounts,
}

/// Requests per endpoint, named as [`Endpoint::as_str`] names them.
#[derive(Serialize)]
struct RequestCounts {
    #[serde(rename = "createReport")]
    create_report: usize,
    #[serde(rename = "getReportInfo")]
    get_report_info: usize,
    download: usize,
    other: usize,
}

impl StopLine {
    fn of(sandbox: &Sandbox, stopped: bool) -> StopLine {
        StopLine {
            stopped,
            orders_placed: sandbox.orders_placed(),
            requests: RequestCounts {
                create_report: sandbox.count(Endpoint::CreateReport),
                get_report_info: sandbox.count(Endpoint::GetReportInfo),
                download: sandbox.count(Endpoint::Download),
                other: sandbox.count(Endpoint::Other),
            },
        }
    }
}

/// The first stdout line: `{"base_url", "app_key", "secret_key", "scenario"}`.
#[derive(Serialize)]
struct SandboxLine<'a> {
    base_url: String,
    app_key: &'a str,
    secret_key: &'a str,
    scenario: &'static str,
}

/// The configuration `args` asks for (a `config` error when the secret key file is unreadable).
pub fn config(args: &SandboxArgs) -> Result<SandboxConfig, Error> {
    let mut config = SandboxConfig::new(args.scenario);
    if let Some(path) = &args.expected_secret_key_file {
        config.secret_key = read_secret_file(path, "--expected-secret-key-file")?;
    }
    config.port = args.port;
    if let Some(n) = args.polls_until_ready {
        config.polls_until_ready = n;
    }
    if let Some(d) = args.slow_ready_after {
        config.slow_ready_after = d;
    }
    if let Some(n) = args.large_bytes {
        config.large_bytes = n;
    }
    if let Some(d) = args.link_ttl {
        config.link_ttl = d;
    }
    Ok(config)
}

/// Starts a sandbox off the async threads (binding and starting its runtime block briefly).
pub async fn start(config: SandboxConfig) -> Result<Sandbox, Error> {
    let port = config.port;
    tokio::task::spawn_blocking(move || Sandbox::start_with(config))
        .await
        .map_err(|e| Error::new(qcc_radar::ErrorKind::Internal, format!("the sandbox start failed: {e}")))?
        .map_err(|e| {
            Error::config(format!(
                "cannot start the sandbox on 127.0.0.1:{port}: {e}; choose another --port or 0 for any free port"
            ))
        })
}

/// Stops a sandbox off the async threads (it joins its thread).
pub async fn stop(sandbox: Sandbox) {
    let _ = tokio::task::spawn_blocking(move || sandbox.shutdown()).await;
}

/// Reads standard input on a plain thread (a blocking read cannot be cancelled, and the
/// runtime's blocking pool would wait for it at shutdown): one message per line, and the
/// channel closes at its end (or on a read error). `None` when the thread cannot start.
fn stdin_lines() -> Option<tokio::sync::mpsc::UnboundedReceiver<()>> {
    use std::io::BufRead;
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    std::thread::Builder::new()
        .name("qcc-radar-stdin".into())
        .spawn(move || {
            let mut stdin = std::io::stdin().lock();
            let mut line = Vec::new();
            loop {
                line.clear();
                match stdin.read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if line.ends_with(b"\n") => {
                        if tx.send(()).is_err() {
                            break;
                        }
                    }
                    Ok(_) => break, // the last bytes, with no newline: the end of input
                }
            }
        })
        .ok()
        .map(|_| rx)
}

/// The next line on standard input (`true`) or its end (`false`); never resolves without a
/// watch on standard input.
async fn next_stdin_line(lines: &mut Option<tokio::sync::mpsc::UnboundedReceiver<()>>) -> bool {
    match lines {
        Some(rx) => rx.recv().await.is_some(),
        None => std::future::pending().await,
    }
}

/// Writes one line to stdout and flushes it.
fn print_line(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Runs `sandbox`.
pub async fn run(
    ctx: &Ctx,
    args: SandboxArgs,
    mut interrupts: Interrupts,
) -> Result<Success, Failure> {
    let sandbox = start(config(&args)?).await?;
    let line = to_json(&SandboxLine {
        base_url: sandbox.base_url(),
        app_key: sandbox.app_key(),
        secret_key: sandbox.secret_key(),
        scenario: sandbox.scenario().as_str(),
    });
    print_line(&line);
    if !ctx.global.quiet {
        // A key the caller chose in a file may be one it scans logs for: name the file instead.
        let secret = match &args.expected_secret_key_file {
            Some(path) => format!("QCC_SECRET_KEY_FILE={}", path.display()),
            None => format!("QCC_SECRET_KEY={}", sandbox.secret_key()),
        };
        progress::eprint_line(&format!(
            "qcc-radar sandbox ({}: {}) at {}\n  QCC_BASE_URL={} QCC_APP_KEY={} {secret}\nStop it with Ctrl-C or SIGTERM.",
            sandbox.scenario(),
            sandbox.scenario().description(),
            sandbox.base_url(),
            sandbox.base_url(),
            sandbox.app_key(),
        ));
    }
    let mut lines = if args.until_stdin_closes {
        stdin_lines()
    } else {
        None
    };
    loop {
        tokio::select! {
            _ = interrupts.recv() => break,
            line = next_stdin_line(&mut lines) => {
                if !line {
                    break;
                }
                print_line(&to_json(&StopLine::of(&sandbox, false)));
            }
        }
    }
    let record = to_json(&StopLine::of(&sandbox, true));
    stop(sandbox).await;
    print_line(&record);
    Ok(Success::nothing())
}
