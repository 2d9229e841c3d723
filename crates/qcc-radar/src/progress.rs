//! Progress events, so a command can draw a bar and a notebook can print a line.
//!
//! A callback rather than a channel: it costs nothing when unset, and each binding can forward
//! it to its own idiom (a terminal bar, Python logging, a Node event).

use std::sync::Arc;
use std::time::Duration;

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
