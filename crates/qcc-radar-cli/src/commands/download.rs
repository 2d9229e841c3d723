//! `download`: fetch a made report into `DIR/<orderNo>.zip` and extract it to `DIR/<orderNo>/`.
//!
//! The same shape as `fetch`'s result. The client asks for a fresh link (free to repeat), so
//! this also works long after the order was made, as long as QCC keeps the report.

use super::{prepare_out, Ctx};
use crate::args::DownloadArgs;
use crate::client_config;
use crate::output::{report_human, Failure, ReportOut, Success};
use crate::progress;

/// Runs `download`.
pub async fn run(ctx: &Ctx, args: DownloadArgs) -> Result<Success, Failure> {
    let o = args.order_no;
    let client = client_config::client(&ctx.global, progress::callback(ctx.mode))?;
    let out = prepare_out(&args.out)?;
    ctx.set_order(&o);
    let report = client
        .download_report(&o, &out)
        .await
        .map_err(|e| Failure::from(e).with_order(Some(o.clone())))?;
    Ok(Success::new(
        &ReportOut::ready(&o, report.report_type, &report.archive, &report.files),
        report_human(&o, &report.archive, &report.folder, &report.files),
    ))
}
