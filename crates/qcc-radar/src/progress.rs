//! Progress events, so a command can draw a bar and a notebook can print a line.
//!
//! A callback rather than a channel: it costs nothing when unset, and each binding can forward
//! it to its own idiom (a terminal bar, a Python callback or tqdm, a Node event, a C function
//! with a user pointer, a Java listener). The stream is thinned here, once, for all of them:
//! download and extraction events come per network chunk or archive entry (tens of thousands
//! per report), so at most one of each kind passes every [`PROGRESS_EVERY`], plus the first and
//! the last (`received == total`, `done == total`); ordered and polled events all pass.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use qcc_radar_core::{OrderNo, ReportStatus};

/// One step of an order's progress.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress {
    /// createReport placed an order.
    Ordered {
        /// The new order.
        order_no: OrderNo,
    },
    /// getReportInfo answered during a wait.
    Polled {
        /// The order.
        order_no: OrderNo,
        /// What it answered.
        status: ReportStatus,
        /// Polls so far in this wait.
        polls: u32,
        /// Time waited so far.
        elapsed: Duration,
    },
    /// Bytes of the archive received so far.
    Downloading {
        /// The order.
        order_no: OrderNo,
        /// Bytes received so far (handed to the disk thread; up to one 1 MiB batch ahead of what
        /// is written).
        received: u64,
        /// The archive's size, when the storage said.
        total: Option<u64>,
    },
    /// Entries extracted so far.
    Extracting {
        /// The order.
        order_no: OrderNo,
        /// Entries done.
        done: u64,
        /// Entries in all.
        total: u64,
    },
}

/// A progress callback. It runs on the client's tasks: keep it quick and non-blocking.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// The least time between two download (or two extraction) events of one client.
pub const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Where a client's progress events go: its callback, if any, through one [`Throttle`] shared
/// by every clone of the client. Cheap to clone, so a blocking thread (the extraction) can take
/// one along.
#[derive(Clone)]
pub(crate) struct ProgressSink {
    callback: Option<ProgressFn>,
    throttle: Arc<Throttle>,
}

impl ProgressSink {
    /// A sink that calls `callback`, thinned.
    pub(crate) fn new(callback: Option<ProgressFn>) -> ProgressSink {
        ProgressSink {
            callback,
            throttle: Arc::default(),
        }
    }

    /// Passes `event` to the callback when the throttle lets it through.
    pub(crate) fn emit(&self, event: Progress) {
        if let Some(cb) = &self.callback {
            if self.throttle.due(&event) {
                cb(&event);
            }
        }
    }
}

/// Thins the frequent events; see the module comment.
#[derive(Debug, Default)]
pub(crate) struct Throttle {
    /// When a download event and an extraction event last passed.
    last: Mutex<[Option<Instant>; 2]>,
}

impl Throttle {
    /// Whether `event` should reach the callback now.
    pub(crate) fn due(&self, event: &Progress) -> bool {
        let (slot, finished) = match event {
            Progress::Downloading {
                received, total, ..
            } => (0, total.is_some_and(|t| *received >= t)),
            Progress::Extracting { done, total, .. } => (1, done >= total),
            _ => return true,
        };
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if finished || last[slot].is_none_or(|at| now.duration_since(at) >= PROGRESS_EVERY) {
            last[slot] = Some(now);
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order() -> OrderNo {
        OrderNo::new("JKDAY-1").unwrap()
    }

    #[test]
    fn frequent_events_are_thinned_but_the_first_and_last_pass() {
        let t = Throttle::default();
        let dl = |received| Progress::Downloading {
            order_no: order(),
            received,
            total: Some(10),
        };
        let ex = |done| Progress::Extracting {
            order_no: order(),
            done,
            total: 4,
        };
        assert!(t.due(&dl(1)));
        assert!(!t.due(&dl(2)));
        assert!(t.due(&ex(1)), "extraction has its own clock");
        assert!(!t.due(&ex(2)));
        assert!(t.due(&ex(4)));
        assert!(t.due(&dl(10)));
        assert!(t.due(&Progress::Ordered { order_no: order() }));
    }
}
