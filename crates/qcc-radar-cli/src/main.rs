//! `qcc-radar`: the command for QCC Pro risk-monitoring reports.
//!
//! The binary is a thin shell over the `qcc-radar` client: it parses the command line, runs one
//! subcommand on a tokio runtime, prints the result (JSON on stdout with `--json`) and exits
//! with DESIGN.md's status for the error kind. `main` owns the runtime rather than using
//! `#[tokio::main]` so that, after an interrupt, it can give the runtime a moment to finish
//! blocking work the cancelled command started (an extraction removing its temporary folder)
//! before the process exits.

mod args;
mod client_config;
mod commands;
mod interrupt;
mod logging;
mod output;
mod progress;

use std::ffi::OsString;
use std::time::Duration;

use clap::Parser;
use qcc_radar::Error;

use crate::args::Cli;
use crate::commands::Ctx;
use crate::output::{to_json, ErrorOut, Printer};
use crate::progress::Mode;

/// How long blocking work may take to stop after the command ends.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

fn main() {
    let code = run(std::env::args_os().collect());
    std::process::exit(code);
}

/// Reports a command-line error: clap's text on stderr and, with `--json`, the error object on
/// stdout. Returns the exit status (0 for `--help` and `--version`).
fn usage_error(e: &clap::Error, wants_json: bool) -> i32 {
    use clap::error::ErrorKind as K;
    if matches!(e.kind(), K::DisplayHelp | K::DisplayVersion) {
        let _ = e.print();
        return 0;
    }
    if wants_json {
        let rendered = e.render().to_string();
        let first = rendered
            .lines()
            .next()
            .unwrap_or("invalid arguments")
            .trim_start_matches("error: ")
            .to_string();
        let err = Error::config(format!("{first}; see qcc-radar --help"));
        output::write_stdout(&format!("{}\n", to_json(&ErrorOut::new(&err, None))));
    }
    let _ = e.print();
    2
}

fn run(argv: Vec<OsString>) -> i32 {
    let wants_json = argv.iter().any(|a| a == "--json");
    let cli = match Cli::try_parse_from(&argv) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e, wants_json),
    };
    let mode = Mode::detect(cli.global.quiet);
    logging::init(cli.global.verbose, cli.global.quiet, mode);
    let printer = Printer {
        json: cli.global.json,
        quiet: cli.global.quiet,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("qcc-radar-cli")
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let f = output::Failure::from(Error::new(
                qcc_radar::ErrorKind::Internal,
                format!("cannot start the async runtime: {e}"),
            ));
            printer.failure(&f);
            return f.exit_code();
        }
    };
    let ctx = Ctx::new(cli.global.clone(), mode);
    let result = runtime.block_on(commands::run(cli.command, &ctx));
    progress::clear();
    let code = match result {
        Ok(success) => {
            printer.success(&success);
            0
        }
        Err(failure) => {
            printer.failure(&failure);
            failure.exit_code()
        }
    };
    runtime.shutdown_timeout(SHUTDOWN_GRACE);
    code
}
