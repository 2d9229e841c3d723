//! The command line, as DESIGN.md's contract fixes it.
//!
//! The options every subcommand shares (`--json`, `--quiet`, `-v`, the base URL and the
//! credentials) are global, so they may stand before or after the subcommand. The secret key is
//! deliberately not an option: a value on the command line shows in `ps` and in shell history,
//! so it comes from `QCC_SECRET_KEY` or from a file named by `--secret-key-file`. The password of
//! encrypted report archives likewise only comes from a file (`--unzip-password-file`).
//! Values are parsed here into the core's types, so a bad report type or order number is a
//! usage error (exit 2) before anything else happens.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use qcc_radar::{OrderNo, ReportType};
use qcc_radar_sandbox::Scenario;

/// The longest wait `--timeout` accepts: a week.
const MAX_TIMEOUT_SECS: f64 = 7.0 * 24.0 * 3600.0;

/// `qcc-radar`: order, wait for, download and safely extract QCC Pro risk-monitoring reports.
#[derive(Debug, Parser)]
#[command(
    name = "qcc-radar",
    version,
    about = "Order, wait for, download and safely extract QCC Pro risk-monitoring reports",
    long_about = None,
    after_help = "Exit codes: 0 ready or no change · 2 usage or configuration · 3 rejected by the API \
(auth, quota, permission, invalid request) · 4 report generation failed · 5 timed out · \
6 network or server unavailable · 7 unsafe or corrupt archive · 130 interrupted.\n\
Try it without credentials: qcc-radar demo"
)]
pub struct Cli {
    /// Options shared by every subcommand.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every subcommand.
#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Print exactly one JSON object on stdout; logs and progress stay on stderr.
    #[arg(long, global = true)]
    pub json: bool,
    /// No progress and no log lines; only errors on stderr.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// More log lines on stderr (-v debug, -vv trace). RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// The API's base URL [default: https://pro.qcc.com].
    #[arg(long, global = true, env = "QCC_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    /// The app key.
    #[arg(
        long,
        global = true,
        env = "QCC_APP_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub app_key: Option<String>,
    /// A file holding the secret key (one trailing newline is ignored); else QCC_SECRET_KEY.
    #[arg(long, global = true, env = "QCC_SECRET_KEY_FILE", value_name = "PATH")]
    pub secret_key_file: Option<PathBuf>,
    /// A file holding the password of encrypted report archives (one trailing newline is
    /// ignored), for when getReportInfo gives none. Without a password an encrypted report is
    /// kept as DIR/<orderNo>.zip (exit 7); run again with this option to extract it.
    #[arg(
        long,
        global = true,
        env = "QCC_UNZIP_PASSWORD_FILE",
        value_name = "PATH"
    )]
    pub unzip_password_file: Option<PathBuf>,
    /// A client setting by name, repeatable: `--set request_timeout=60s --set max_attempts=3`.
    /// The names, units and rules are every binding's (`qcc-radar settings` lists them); times
    /// take a unit (`30s`, `1500ms`, `2m`). Secrets are refused here: they belong in files.
    #[arg(long = "set", global = true, value_name = "NAME=VALUE")]
    pub settings: Vec<String>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The main job, safe for cron: order (or resume) a report, wait, download and extract.
    Fetch(FetchArgs),
    /// Order a report and print its order number.
    Create(CreateArgs),
    /// Ask once where an order stands (P, S or F).
    Status(StatusArgs),
    /// Wait until an order's report is made.
    Wait(WaitArgs),
    /// Download and extract a made report.
    Download(DownloadArgs),
    /// Print the Token and Timespan headers of a signed request, for curl.
    Sign(SignArgs),
    /// Serve the API emulator until stopped (first stdout line: JSON with base_url and keys).
    Sandbox(SandboxArgs),
    /// Run the whole fetch against an in-process emulator: no credentials needed.
    Demo(DemoArgs),
    /// Read a report folder's files (JSON, CSV, xlsx/xls) as tables: a summary, or each table
    /// written out as CSV, JSON Lines or Parquet.
    Tables(TablesArgs),
    /// List the client settings `--set NAME=VALUE` takes: name, unit, default, meaning.
    Settings,
}

/// `tables`.
#[derive(Debug, Args)]
pub struct TablesArgs {
    /// The report folder (DIR/<orderNo>/ after a fetch), or any folder of report files.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The format --to writes: csv (UTF-8 with a byte-order mark, for Excel), jsonl or parquet.
    #[arg(long, value_enum, value_name = "FORMAT", requires = "to")]
    pub format: Option<ExportFormat>,
    /// Write every table into this folder (as csv unless --format says otherwise), keeping the
    /// report's sub-folders; without it, print a summary.
    #[arg(long, value_name = "DIR")]
    pub to: Option<PathBuf>,
}

/// `fetch`.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// The report type.
    #[arg(long = "type", value_name = "day|week|month", value_parser = parse_report_type)]
    pub report_type: ReportType,
    /// The folder for the order ledger, DIR/<orderNo>.zip and DIR/<orderNo>/.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Give up waiting after this many seconds (default 1800); the order stays resumable.
    #[arg(long, value_name = "SECS", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,
    /// Place a new order even if the ledger holds one for this period (after exit 8, once you
    /// have checked that no order was placed).
    #[arg(long, conflicts_with = "order")]
    pub new_order: bool,
    /// Resume this order as the period's report instead of ordering: the one you found in
    /// QCC's order list after exit 8 (unconfirmed_order).
    #[arg(long, value_name = "ORDER_NO", value_parser = parse_order_no)]
    pub order: Option<OrderNo>,
    /// Also write the report's tables next to it, into DIR/<orderNo>.tables/, as csv (UTF-8
    /// with a byte-order mark), jsonl or parquet; the JSON result lists them under "exports".
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub export: Option<ExportFormat>,
}

/// A format tables are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// UTF-8 CSV with a byte-order mark (for Excel), CRLF line ends.
    Csv,
    /// JSON Lines: one object per row, keys in column order.
    Jsonl,
    /// Apache Parquet (snappy), with the Arrow schema and its metadata.
    Parquet,
}

impl ExportFormat {
    /// The file extension, also the format's name.
    pub fn ext(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::Parquet => "parquet",
        }
    }
}

/// `create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The report type.
    #[arg(long = "type", value_name = "day|week|month", value_parser = parse_report_type)]
    pub report_type: ReportType,
}

/// `status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The order number, e.g. JKDAY-167660123348194027.
    #[arg(value_parser = parse_order_no)]
    pub order_no: OrderNo,
}

/// `wait`.
#[derive(Debug, Args)]
pub struct WaitArgs {
    /// The order number.
    #[arg(value_parser = parse_order_no)]
    pub order_no: OrderNo,
    /// Give up after this many seconds (default 1800).
    #[arg(long, value_name = "SECS", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,
}

/// `download`.
#[derive(Debug, Args)]
pub struct DownloadArgs {
    /// The order number.
    #[arg(value_parser = parse_order_no)]
    pub order_no: OrderNo,
    /// The folder for DIR/<orderNo>.zip and DIR/<orderNo>/.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// `sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// The Unix time to sign for (default now).
    #[arg(long, value_name = "N")]
    pub timespan: Option<u64>,
}

/// `sandbox`.
#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// The port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub port: u16,
    /// The fault scenario (normal, no_change, fail, slow, flaky, expired_link, quota,
    /// bad_credentials, unsafe_archive, zip_bomb, clock_skew, large, lost_answer, create_hangs,
    /// stall, colliding_names, encrypted, encrypted_aes, encrypted_no_password, tables). The encrypted
    /// scenarios' archive password is `Sandbox unzip-Pa55`.
    #[arg(long, default_value = "normal", value_name = "NAME", value_parser = parse_scenario)]
    pub scenario: Scenario,
    /// getReportInfo answers P this many times per order before S (or F).
    #[arg(long, value_name = "N")]
    pub polls_until_ready: Option<u32>,
    /// `slow`: seconds after an order before it is ready.
    #[arg(long, value_name = "SECS", value_parser = parse_timeout)]
    pub slow_ready_after: Option<Duration>,
    /// Seconds a download link stays valid.
    #[arg(long, value_name = "SECS", value_parser = parse_timeout)]
    pub link_ttl: Option<Duration>,
    /// `large`: the archive's size in bytes.
    #[arg(long, value_name = "BYTES")]
    pub large_bytes: Option<u64>,
    /// Also stop when standard input reaches its end, so a sandbox whose test harness died
    /// (and closed the pipe) does not outlive it. Each line written to standard input meanwhile
    /// prints the record so far (`"stopped": false`).
    #[arg(long)]
    pub until_stdin_closes: bool,
    /// A file holding the secret key the sandbox expects clients to sign with (one trailing
    /// newline is ignored), printed on the first line like any sandbox key. Default: the fixed
    /// `sandbox-secret-key`. Only this flag sets it: a real `QCC_SECRET_KEY` in the environment
    /// never becomes a sandbox's printed key.
    #[arg(long, value_name = "PATH")]
    pub expected_secret_key_file: Option<PathBuf>,
}

/// `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The folder to fetch into.
    #[arg(long, value_name = "DIR", default_value = "qcc-radar-demo")]
    pub out: PathBuf,
    /// The report type.
    #[arg(long = "type", value_name = "day|week|month", default_value = "day", value_parser = parse_report_type)]
    pub report_type: ReportType,
    /// The emulator's scenario, to see how a fault looks.
    #[arg(long, default_value = "normal", value_name = "NAME", value_parser = parse_scenario)]
    pub scenario: Scenario,
}

fn parse_report_type(s: &str) -> Result<ReportType, String> {
    s.parse::<ReportType>().map_err(|e| e.message().to_string())
}

fn parse_order_no(s: &str) -> Result<OrderNo, String> {
    OrderNo::new(s).map_err(|e| e.message().to_string())
}

fn parse_scenario(s: &str) -> Result<Scenario, String> {
    s.parse::<Scenario>().map_err(|e| e.to_string())
}

/// Seconds, possibly fractional, greater than zero and at most a week.
fn parse_timeout(s: &str) -> Result<Duration, String> {
    let secs: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds, e.g. 600"))?;
    if !secs.is_finite() || secs <= 0.0 || secs > MAX_TIMEOUT_SECS {
        return Err(format!(
            "{s:?} seconds is out of range; give more than 0 and at most {MAX_TIMEOUT_SECS}"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_go_anywhere() {
        let cli = Cli::try_parse_from([
            "qcc-radar",
            "--json",
            "fetch",
            "--type",
            "WEEK",
            "--out",
            "x",
            "-q",
            "--timeout",
            "1.5",
        ])
        .unwrap();
        assert!(cli.global.json && cli.global.quiet);
        match cli.command {
            Command::Fetch(f) => {
                assert_eq!(f.report_type, ReportType::Week);
                assert_eq!(f.timeout, Some(Duration::from_millis(1500)));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_values_name_the_fix() {
        let e = Cli::try_parse_from(["qcc-radar", "create", "--type", "year"]).unwrap_err();
        assert!(e.to_string().contains("day, week, month"), "{e}");
        for t in ["0", "-1", "nan", "inf", "x"] {
            assert!(parse_timeout(t).is_err(), "{t}");
        }
        assert!(Cli::try_parse_from(["qcc-radar", "status", "../x"]).is_err());
        assert!(Cli::try_parse_from(["qcc-radar", "sign", "--secret-key", "s"]).is_err());
    }
}
