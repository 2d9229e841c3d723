//! `status`: ask once where an order stands.
//!
//! A query, not a job: it exits 0 whether the report is pending, ready or failed, and says
//! which in `status` (`pending`, `ready`, `failed`) and `report_status` (`P`, `S`, `F`).
//! A ready report's signed download link is printed too, since asking for it is the point.

use super::Ctx;
use crate::args::StatusArgs;
use crate::client_config;
use crate::output::{info_human, Failure, InfoOut, Success};

/// Runs `status`.
pub async fn run(ctx: &Ctx, args: StatusArgs) -> Result<Success, Failure> {
    let o = args.order_no;
    let client = client_config::client(&ctx.global, None)?;
    ctx.set_order(&o);
    let info = client
        .report_info(&o)
        .await
        .map_err(|e| Failure::from(e).with_order(Some(o.clone())))?;
    Ok(Success::answer(
        &InfoOut::new(&o, &info),
        info_human(&o, &info),
    ))
}
