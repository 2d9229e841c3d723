//! Fetches today's report into `./reports`, against the embedded sandbox unless QCC_APP_KEY is
//! set: `cargo run -p qcc-radar --example fetch`.

use std::time::Duration;

use qcc_radar::{Client, PollSchedule, ReportType};
use qcc_radar_sandbox::{Sandbox, Scenario};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args().nth(1).unwrap_or_else(|| "reports".into());
    // Real credentials when present; otherwise the in-process emulator.
    let (_sandbox, client) = if std::env::var_os("QCC_APP_KEY").is_some() {
        (None, Client::from_env()?)
    } else {
        let sb = Sandbox::start(Scenario::Normal)?;
        let client = Client::builder()
            .app_key(sb.app_key())
            .secret_key(sb.secret_key())
            .base_url(sb.base_url())
            .poll_schedule(PollSchedule::fixed(Duration::from_millis(200)))
            .build()?;
        (Some(sb), client)
    };
    match client.fetch_report(ReportType::Day, out.as_ref()).await? {
        Some(report) => {
            println!("report {} → {}", report.order_no, report.archive.display());
            for f in &report.files {
                println!("  {}", f.display());
            }
        }
        None => println!("no risk changes today: no report"),
    }
    Ok(())
}
