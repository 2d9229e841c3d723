//! `sandbox`: serve the API emulator for other languages' tests until stopped.
//!
//! The C and Java suites spawn this and read its first stdout line, so that line is written
//! and flushed the moment the port is bound, it is the only thing ever written to stdout, and
//! nothing is written per request (a harness that never drains stderr must not be able to
//! block the server on a full pipe). SIGTERM and SIGINT stop it with status 0; with
//! `--until-stdin-closes` so does the end of standard input, so a sandbox whose harness died
//! does not linger.

use std::io::{Read, Write};

use qcc_radar::Error;
use qcc_radar_sandbox::{Sandbox, SandboxConfig};
use serde::Serialize;

use super::Ctx;
use crate::args::SandboxArgs;
use crate::interrupt::Interrupts;
use crate::output::{to_json, Failure, Success};

/// The first stdout line: `{"base_url", "app_key", "secret_key", "scenario"}`.
#[derive(Serialize)]
struct SandboxLine<'a> {
    base_url: String,
    app_key: &'a str,
    secret_key: &'a str,
    scenario: &'static str,
}
use crate::progress;

/// The configuration `args` asks for.
pub fn config(args: &SandboxArgs) -> SandboxConfig {
    let mut config = SandboxConfig::new(args.scenario);
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
    config
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

/// Resolves when standard input reaches its end (or fails).
async fn stdin_closed() {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    // A plain thread: a blocking read cannot be cancelled, and the runtime's blocking pool
    // would wait for it at shutdown.
    let spawned = std::thread::Builder::new()
        .name("qcc-radar-stdin".into())
        .spawn(move || {
            let mut buf = [0u8; 4096];
            let mut stdin = std::io::stdin();
            while let Ok(n) = stdin.read(&mut buf) {
                if n == 0 {
                    break;
                }
            }
            let _ = tx.send(());
        });
    if spawned.is_err() || rx.await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Runs `sandbox`.
pub async fn run(
    ctx: &Ctx,
    args: SandboxArgs,
    mut interrupts: Interrupts,
) -> Result<Success, Failure> {
    let sandbox = start(config(&args)).await?;
    let line = to_json(&SandboxLine {
        base_url: sandbox.base_url(),
        app_key: sandbox.app_key(),
        secret_key: sandbox.secret_key(),
        scenario: sandbox.scenario().as_str(),
    });
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }
    if !ctx.global.quiet {
        progress::eprint_line(&format!(
            "qcc-radar sandbox ({}: {}) at {}\n  QCC_BASE_URL={} QCC_APP_KEY={} QCC_SECRET_KEY={}\nStop it with Ctrl-C or SIGTERM.",
            sandbox.scenario(),
            sandbox.scenario().description(),
            sandbox.base_url(),
            sandbox.base_url(),
            sandbox.app_key(),
            sandbox.secret_key()
        ));
    }
    let stdin_watch = async {
        if args.until_stdin_closes {
            stdin_closed().await
        } else {
            std::future::pending::<()>().await
        }
    };
    tokio::select! {
        _ = interrupts.recv() => {}
        _ = stdin_watch => {}
    }
    stop(sandbox).await;
    Ok(Success::nothing())
}
