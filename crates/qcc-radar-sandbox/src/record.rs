//! The request log.
//!
//! Tests in every language assert on what reached the server: that a retry after a timeout did
//! not place a second (billed) order, that the client re-signed with a corrected Timespan, that
//! a resumed download sent `Range`. So every request is recorded with the facts such assertions
//! need, after the answer is decided.
//!
//! The log must not cost the benchmark (≥ 20,000 answers a second on 2 cores) much: a record is
//! a handful of short strings pushed under a lock held for a push, and the per-endpoint counters
//! are atomics. To keep a long benchmark from growing memory without bound, the log keeps the
//! first [`MAX_RECORDED_REQUESTS`] records; the counters stay exact beyond that.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// How many requests the log keeps in full; later ones are only counted.
pub const MAX_RECORDED_REQUESTS: usize = 100_000;

/// Which part of the emulated service a request reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `GET /api/radar_ext/createReport`.
    CreateReport,
    /// `GET /api/radar_ext/getReportInfo`.
    GetReportInfo,
    /// `GET /files/...`: a download from the emulated object storage.
    Download,
    /// Anything else (answered 404).
    Other,
}

impl Endpoint {
    /// A short name: `createReport`, `getReportInfo`, `download` or `other`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Endpoint::CreateReport => "createReport",
            Endpoint::GetReportInfo => "getReportInfo",
            Endpoint::Download => "download",
            Endpoint::Other => "other",
        }
    }

    fn index(self) -> usize {
        match self {
            Endpoint::CreateReport => 0,
            Endpoint::GetReportInfo => 1,
            Endpoint::Download => 2,
            Endpoint::Other => 3,
        }
    }
}

/// One request as the sandbox saw and answered it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// Where it went.
    pub endpoint: Endpoint,
    /// The query parameters, percent-decoded, in order.
    pub query: Vec<(String, String)>,
    /// The `Timespan` header as sent, if any.
    pub timespan: Option<String>,
    /// Whether the `Token` header matched the Token the server expects for the request's `key`
    /// and `Timespan` (always false for downloads, which carry no Token).
    pub token_valid: bool,
    /// The envelope's `status` for API answers; `None` for downloads and for answers that are
    /// not the API's JSON (the `flaky` 502 gateway page).
    pub api_status: Option<i32>,
    /// The HTTP status of the answer.
    pub http_status: u16,
    /// The `Range` header as sent, if any.
    pub range: Option<String>,
}

impl RecordedRequest {
    /// The first query value named `name`.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The log: the first records in full, exact counts for all.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    records: Mutex<Vec<RecordedRequest>>,
    counts: [AtomicUsize; 4],
    orders_placed: AtomicUsize,
}

impl RequestLog {
    /// Records one answered request.
    pub(crate) fn push(&self, record: RecordedRequest) {
        self.counts[record.endpoint.index()].fetch_add(1, Ordering::Relaxed);
        if record.endpoint == Endpoint::CreateReport && record.api_status == Some(200) {
            self.orders_placed.fetch_add(1, Ordering::Relaxed);
        }
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        if records.len() < MAX_RECORDED_REQUESTS {
            records.push(record);
        }
    }

    /// A copy of the kept records, oldest first.
    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        self.records
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// How many requests reached `endpoint`.
    pub(crate) fn count(&self, endpoint: Endpoint) -> usize {
        self.counts[endpoint.index()].load(Ordering::Relaxed)
    }

    /// How many createReport calls answered 200.
    pub(crate) fn orders_placed(&self) -> usize {
        self.orders_placed.load(Ordering::Relaxed)
    }
}
