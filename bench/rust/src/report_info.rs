//! Sequential getReportInfo calls per second: the client against a bare reqwest loop.
//!
//! Both sides make the same signed call on one keep-alive connection, one call at a time, on
//! the same kind of runtime, and both read the answer into a status and link: the bare loop
//! signs with MD5 itself, sends with a default `reqwest::Client`, and parses the body with
//! `serde_json::Value`, which is what a hand-written integration would do. The difference is
//! the client's own per-call work (request building, retry bookkeeping, typed parsing, link
//! validation).

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use md5::{Digest, Md5};
use qcc_radar::{OrderNo, ReportStatus};

use crate::Target;

/// How many calls were made in how long.
pub struct Rate {
    /// Which side.
    pub side: &'static str,
    /// Calls measured (after the warm-up).
    pub calls: u64,
    /// Seconds measured.
    pub seconds: f64,
}

impl Rate {
    /// `{"side", "calls", "seconds", "per_second"}`.
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "side": self.side,
            "calls": self.calls,
            "seconds": self.seconds,
            "per_second": self.calls as f64 / self.seconds,
        })
        .to_string()
    }
}

/// Calls `call` `warmup` times, then as often as fits in `secs`.
async fn measure<F, Fut>(
    side: &'static str,
    secs: Duration,
    warmup: usize,
    mut call: F,
) -> Result<Rate, String>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    for _ in 0..warmup {
        call().await?;
    }
    let started = Instant::now();
    let deadline = started + secs;
    let mut calls = 0u64;
    while Instant::now() < deadline {
        call().await?;
        calls += 1;
    }
    Ok(Rate {
        side,
        calls,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// `qcc_radar::Client::report_info` in a loop.
pub async fn with_client(
    t: &Target,
    order: &str,
    secs: Duration,
    warmup: usize,
) -> Result<Rate, String> {
    let client = qcc_radar::Client::builder()
        .app_key(&t.app_key)
        .secret_key(&t.secret_key)
        .base_url(&t.base_url)
        .build()
        .map_err(|e| e.to_string())?;
    let order = OrderNo::new(order).map_err(|e| e.to_string())?;
    measure("client", secs, warmup, || async {
        let info = client
            .report_info(&order)
            .await
            .map_err(|e| e.to_string())?;
        if info.status == ReportStatus::Succeeded && info.link.is_none() {
            return Err("S without a link".to_string());
        }
        Ok(())
    })
    .await
}

/// The same call with reqwest, MD5 and serde_json by hand. With `timeouts`, the reqwest
/// client gets the timeouts the qcc-radar client sets by default (connect 10 s, read 60 s,
/// 30 s per request): a diagnostic that shows what arming those timers costs per call.
pub async fn with_reqwest(
    t: &Target,
    order: &str,
    secs: Duration,
    warmup: usize,
    timeouts: bool,
) -> Result<Rate, String> {
    let http = if timeouts {
        reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .read_timeout(Duration::from_secs(60))
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| e.to_string())?
    } else {
        reqwest::Client::new()
    };
    let side = if timeouts {
        "reqwest-timeouts"
    } else {
        "reqwest"
    };
    // The sandbox's key and order number need no percent-encoding.
    let url = format!(
        "{}/api/radar_ext/getReportInfo?key={}&orderNo={}",
        t.base_url, t.app_key, order
    );
    measure(side, secs, warmup, || async {
        let ts = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|e| e.to_string())?
            .as_secs();
        let token = format!(
            "{:X}",
            Md5::digest(format!("{}{ts}{}", t.app_key, t.secret_key).as_bytes())
        );
        let body = http
            .get(&url)
            .header("Token", token)
            .header("Timespan", ts.to_string())
            .send()
            .await
            .map_err(|e| e.to_string())?
            .bytes()
            .await
            .map_err(|e| e.to_string())?;
        let v: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        if v["status"] != "200" {
            return Err(format!("status {}", v["status"]));
        }
        let result = &v["result"];
        if result["reportStatus"] == "S" && !result["reportUrl"].is_string() {
            return Err("S without a link".to_string());
        }
        Ok(())
    })
    .await
}
