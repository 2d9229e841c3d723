//! Many concurrent waits on one client: memory and threads.
//!
//! Orders N reports (one at a time), then starts N `wait_for_report` tasks on one shared
//! `Client` at once and waits for them all. A sampler task (on the runtime, so it adds no
//! thread) reads `/proc/self/status` every 5 ms for the peak thread count; the kernel's `VmHWM`
//! gives the peak resident set. A client that blocked a thread per wait would show N threads.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use qcc_radar::{PollSchedule, ReportStatus, ReportType};
use tokio::task::JoinSet;

use crate::proc_status;
use crate::Target;

/// What the run saw.
pub struct Outcome {
    n: usize,
    ok: usize,
    first_error: Option<String>,
    seconds: f64,
    threads_before: u64,
    peak_threads: u64,
    peak_rss_kib: u64,
    rss_after_kib: u64,
}

impl Outcome {
    /// One JSON object.
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "n": self.n,
            "ok": self.ok,
            "first_error": self.first_error,
            "seconds": self.seconds,
            "threads_before": self.threads_before,
            "peak_threads": self.peak_threads,
            "peak_rss_kib": self.peak_rss_kib,
            "rss_after_kib": self.rss_after_kib,
        })
        .to_string()
    }
}

/// Orders `n` reports, then waits for all of them at once.
pub async fn run(
    t: &Target,
    n: usize,
    poll: Duration,
    timeout: Duration,
) -> Result<Outcome, String> {
    let client = qcc_radar::Client::builder()
        .app_key(&t.app_key)
        .secret_key(&t.secret_key)
        .base_url(&t.base_url)
        .poll_schedule(PollSchedule::fixed(poll))
        .wait_timeout(timeout)
        .build()
        .map_err(|e| e.to_string())?;
    let mut orders = Vec::with_capacity(n);
    for _ in 0..n {
        let order = client
            .create_report(ReportType::Day)
            .await
            .map_err(|e| format!("createReport: {e}"))?
            .ok_or("createReport answered no change")?;
        orders.push(order);
    }
    let threads_before = proc_status::read().threads;

    let peak_threads = Arc::new(AtomicU64::new(threads_before));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, stop) = (peak_threads.clone(), stop.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                peak.fetch_max(proc_status::read().threads, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };

    let started = Instant::now();
    let mut set = JoinSet::new();
    for order in orders {
        let client = client.clone();
        set.spawn(async move { client.wait_for_report(&order, timeout).await });
    }
    let (mut ok, mut first_error) = (0, None);
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(Ok(info)) if info.status == ReportStatus::Succeeded => ok += 1,
            Ok(Ok(info)) => {
                first_error.get_or_insert(format!("ended with status {:?}", info.status));
            }
            Ok(Err(e)) => {
                first_error.get_or_insert(e.to_string());
            }
            Err(e) => {
                first_error.get_or_insert(format!("task failed: {e}"));
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let _ = sampler.await;
    let after = proc_status::read();
    Ok(Outcome {
        n,
        ok,
        first_error,
        seconds,
        threads_before,
        peak_threads: peak_threads.load(Ordering::Relaxed).max(after.threads),
        peak_rss_kib: after.hwm_kib,
        rss_after_kib: after.rss_kib,
    })
}
