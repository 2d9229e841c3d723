//! The sandbox's notion of "now".
//!
//! One clock serves everything the server dates: the Timespan check, the `Date` header, link
//! expiry and the storage's expiry check. In `clock_skew` it runs ahead of the real clock, so a
//! client that trusts its own clock is refused (115) and must correct from the `Date` header;
//! because the storage shares the skewed clock, a link the API hands out is consistent with the
//! storage that checks it, as it would be on one vendor's infrastructure.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::HeaderValue;

/// The server clock: the real clock plus a fixed skew.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Clock {
    skew: Duration,
}

impl Clock {
    /// A clock running `skew` ahead of the real one.
    pub(crate) fn new(skew: Duration) -> Self {
        Clock { skew }
    }

    /// The server's time.
    pub(crate) fn now(&self) -> SystemTime {
        SystemTime::now() + self.skew
    }

    /// The server's time in whole Unix seconds (floored).
    pub(crate) fn unix_secs(&self) -> u64 {
        self.now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }

    /// The server's time in Unix milliseconds.
    pub(crate) fn unix_millis(&self) -> u64 {
        self.now()
            .duration_since(UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
            .unwrap_or(0)
    }

    /// An HTTP `Date` header value for the server's time.
    pub(crate) fn date_header(&self) -> HeaderValue {
        HeaderValue::from_str(&httpdate::fmt_http_date(self.now()))
            .unwrap_or_else(|_| HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT"))
    }
}
