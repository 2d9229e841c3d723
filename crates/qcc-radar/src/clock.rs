//! The one place the client reads the wall clock, and the learned server offset.
//!
//! Signing needs Unix seconds, floored, read once per attempt. When the API says 115 (stale
//! Timespan) the client learns the server's offset from its `Date` header and keeps it here,
//! so later requests are signed with the server's idea of now.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use qcc_radar_core::clock_skew::corrected_timespan;

/// Unix seconds now, floored (0 if the clock is before 1970).
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The server's clock minus ours, in seconds, as last learned.
#[derive(Debug, Default)]
pub(crate) struct ServerClock {
    offset: AtomicI64,
}

impl ServerClock {
    /// Now, on the server's clock as far as we know it.
    pub(crate) fn now(&self) -> u64 {
        corrected_timespan(unix_now(), self.offset.load(Ordering::Relaxed))
    }

    /// The learned offset.
    pub(crate) fn offset(&self) -> i64 {
        self.offset.load(Ordering::Relaxed)
    }

    /// Records a newly learned offset.
    pub(crate) fn set_offset(&self, offset: i64) {
        self.offset.store(offset, Ordering::Relaxed);
    }
}
