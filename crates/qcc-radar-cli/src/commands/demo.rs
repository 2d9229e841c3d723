//! `demo`: the whole fetch against an emulator started in this process, no credentials needed.
//!
//! It is the main job exactly as cron runs it (journal, atomic archive and folder, progress),
//! only pointed at a fresh in-process sandbox. Each run places a new order, since a new
//! sandbox knows none of the orders an earlier demo journaled in the same folder.

use std::time::Duration;

use qcc_radar::{ClientBuilder, FetchOptions, PollSchedule};
use qcc_radar_sandbox::SandboxConfig;

use super::{fetch, prepare_out, Ctx};
use crate::args::DemoArgs;
use crate::client_config;
use serde::Serialize;

use crate::output::{path_text, Failure, ReportOut, Success};
use crate::progress;

/// The demo's poll interval: the sandbox is quick, the real service's back-off is not needed.
const DEMO_POLL: Duration = Duration::from_millis(250);

/// `fetch`'s object plus where the files went and the sandbox that served them.
#[derive(Serialize)]
struct DemoOut {
    #[serde(flatten)]
    report: ReportOut,
    out: String,
    base_url: String,
    /// The report's tables and their row counts (`qcc-radar tables` shows more).
    tables: Vec<DemoTable>,
}

/// One table the demo found.
#[derive(Serialize)]
struct DemoTable {
    name: String,
    rows: usize,
}

/// The report's tables, by name and row count, and a few lines for people; nothing when
/// there is no report or it cannot be read (the demo's point is the fetch).
async fn table_summary(out: &std::path::Path, report: &ReportOut) -> (Vec<DemoTable>, String) {
    let Some(order) = &report.order_no else {
        return (Vec::new(), String::new());
    };
    let folder = out.join(order);
    let read = tokio::task::spawn_blocking(move || qcc_radar::read_tables(&folder)).await;
    let Ok(Ok(tables)) = read else {
        return (Vec::new(), String::new());
    };
    let found: Vec<DemoTable> = tables
        .iter()
        .map(|t| DemoTable {
            name: t.name().to_string(),
            rows: t.num_rows(),
        })
        .collect();
    let total: usize = found.iter().map(|t| t.rows).sum();
    let mut s = format!(
        "\nThe report holds {total} rows in {} tables:\n",
        found.len()
    );
    for t in &found {
        s.push_str(&format!("  {:>5} rows  {}\n", t.rows, t.name));
    }
    if let Some(order) = &report.order_no {
        s.push_str(&format!(
            "See their columns with: qcc-radar tables {}\n",
            out.join(order).display()
        ));
    }
    (found, s)
}

/// Runs `demo`.
pub async fn run(ctx: &Ctx, args: DemoArgs) -> Result<Success, Failure> {
    let out = prepare_out(&args.out)?;
    let poll = client_config::poll_override()?.unwrap_or_else(|| PollSchedule::fixed(DEMO_POLL));
    let sandbox = super::sandbox::start(SandboxConfig::new(args.scenario)).await?;
    tracing::info!(
        "started a sandbox ({}) at {}; fetching a {} report into {}",
        args.scenario,
        sandbox.base_url(),
        args.report_type,
        out.display()
    );
    let built = ClientBuilder::new()
        .app_key(sandbox.app_key())
        .secret_key(sandbox.secret_key())
        .base_url(sandbox.base_url())
        .user_agent_suffix("cli-demo")
        .poll_schedule(poll);
    let built = match progress::callback(ctx.mode) {
        Some(p) => built.on_progress(p),
        None => built,
    };
    let result = match built.build() {
        Ok(client) => {
            let options = FetchOptions::new()
                .timeout(Duration::from_secs(120))
                .new_order(true);
            fetch::fetch_into(ctx, &client, args.report_type, &out, &options).await
        }
        Err(e) => Err(e.into()),
    };
    let base_url = sandbox.base_url();
    super::sandbox::stop(sandbox).await;
    let (report, mut human) = result?;
    let (tables, summary) = table_summary(&out, &report).await;
    human.push_str(&summary);
    human.push_str(&format!(
        "\nThat was the demo against an in-process sandbox; the files are in {}.\n\
For real reports: export QCC_APP_KEY=... QCC_SECRET_KEY=... and run\n  qcc-radar fetch --type day --out /path/to/reports\n",
        out.display()
    ));
    let demo = DemoOut {
        report,
        out: path_text(&out),
        base_url,
        tables,
    };
    Ok(Success::new(&demo, human))
}
