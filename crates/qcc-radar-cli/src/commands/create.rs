//! `create`: order a report and print its order number (or that there is no report).
//!
//! The order number alone goes to stdout, so `ORDER=$(qcc-radar create --type day)` works;
//! with no risk changes stdout stays empty and the exit status is still 0.

use qcc_radar::OrderNo;
use serde::Serialize;

use super::Ctx;
use crate::args::CreateArgs;
use crate::client_config;
use crate::output::{Failure, Success};

/// `{"status": "ordered"|"no_change", "order_no", "report_type"}`.
#[derive(Serialize)]
struct CreateOut<'a> {
    status: &'static str,
    order_no: Option<&'a str>,
    report_type: &'static str,
}

/// Runs `create`.
pub async fn run(ctx: &Ctx, args: CreateArgs) -> Result<Success, Failure> {
    let client = client_config::client(&ctx.global, None)?;
    let t = args.report_type;
    let ordered = client.create_report(t).await?;
    if let Some(o) = &ordered {
        ctx.set_order(o);
    }
    let out = CreateOut {
        status: if ordered.is_some() {
            "ordered"
        } else {
            "no_change"
        },
        order_no: ordered.as_ref().map(OrderNo::as_str),
        report_type: t.as_str(),
    };
    Ok(Success::answer(
        &out,
        ordered.as_ref().map(OrderNo::to_string).unwrap_or_default(),
    ))
}
