//! `wait`: poll an order until its report is made, then print what `status` prints.
//!
//! `F` exits 4 and running past `--timeout` exits 5; the order stays valid after a timeout,
//! so waiting again later is safe and free of new orders.

use super::Ctx;
use crate::args::WaitArgs;
use crate::client_config;
use crate::output::{info_human, Failure, InfoOut, Success};
use crate::progress;

/// Runs `wait`.
pub async fn run(ctx: &Ctx, args: WaitArgs) -> Result<Success, Failure> {
    let o = args.order_no;
    let client = client_config::client(&ctx.global, progress::callback(ctx.mode))?;
    let timeout = args.timeout.unwrap_or_else(|| client.wait_timeout());
    ctx.set_order(&o);
    let info = client
        .wait_for_report(&o, timeout)
        .await
        .map_err(|e| Failure::from(e).with_order(Some(o.clone())))?;
    Ok(Success::answer(
        &InfoOut::new(&o, &info),
        info_human(&o, &info),
    ))
}
