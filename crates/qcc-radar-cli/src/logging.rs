//! Log lines on stderr, through `tracing`.
//!
//! The client already narrates with `tracing` (an order placed, a retry, a refreshed link), so
//! the command only chooses how much to show: info from qcc-radar by default, debug with `-v`,
//! trace with `-vv`, errors only with `--quiet`, and `RUST_LOG` overrides all of it. Other
//! crates (hyper, reqwest) stay at warn unless `RUST_LOG` asks, so `-vv` stays readable. Lines
//! carry a timestamp when stderr is a log file and none at a terminal.

use tracing_subscriber::EnvFilter;

use crate::progress::{Mode, StderrAroundBar};

/// The filter used when `RUST_LOG` is unset.
fn default_filter(verbose: u8, quiet: bool) -> &'static str {
    if quiet {
        return "error";
    }
    match verbose {
        0 => "warn,qcc_radar=info,qcc_radar_core=info",
        1 => "warn,qcc_radar=debug,qcc_radar_core=debug",
        _ => "warn,qcc_radar=trace,qcc_radar_core=trace",
    }
}

/// Installs the stderr logger. Safe to call once per process.
pub fn init(verbose: u8, quiet: bool, mode: Mode) {
    let filter = std::env::var("RUST_LOG")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .and_then(|v| EnvFilter::try_new(v).ok())
        .unwrap_or_else(|| EnvFilter::new(default_filter(verbose, quiet)));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(StderrAroundBar)
        .with_target(verbose > 0);
    let result = if mode == Mode::Bar {
        builder.without_time().with_ansi(true).try_init()
    } else {
        builder.with_ansi(false).try_init()
    };
    // A second init (only possible in tests) keeps the first logger.
    let _ = result;
}
