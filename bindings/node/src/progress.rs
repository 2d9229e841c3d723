//! Progress events forwarded to a JavaScript callback (`onProgress`).
//!
//! The client crate reports progress through a callback on its worker threads; here that
//! callback queues each event to JavaScript through a *weak* thread-safe function, so a
//! progress listener never keeps the process alive, and in non-blocking mode, so a busy event
//! loop slows nothing down. Every event the client emits is forwarded: the client crate already
//! thins the frequent ones (download and extraction at most every `qcc_radar::PROGRESS_EVERY`,
//! plus the first and the last) for every binding alike, so this file has no clock of its own.

use std::sync::Arc;

use napi::bindgen_prelude::Function;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use qcc_radar::{Progress, ProgressFn};

/// One progress event. `type` says which fields are set.
#[napi(object)]
pub struct ProgressEvent {
    /// `ordered`, `polled`, `downloading` or `extracting`.
    #[napi(js_name = "type")]
    pub kind: String,
    /// The order concerned.
    pub order_no: String,
    /// `polled`: the status answered (`P`, `S` or `F`).
    pub status: Option<String>,
    /// `polled`: polls so far in this wait.
    pub polls: Option<u32>,
    /// `polled`: time waited so far, ms.
    pub elapsed_ms: Option<f64>,
    /// `downloading`: bytes received so far.
    pub received: Option<f64>,
    /// `downloading`: the archive's size when known; `extracting`: entries in all.
    pub total: Option<f64>,
    /// `extracting`: entries done.
    pub done: Option<f64>,
}

impl ProgressEvent {
    fn new(kind: &str, order_no: &qcc_radar::OrderNo) -> Self {
        ProgressEvent {
            kind: kind.to_string(),
            order_no: order_no.as_str().to_string(),
            status: None,
            polls: None,
            elapsed_ms: None,
            received: None,
            total: None,
            done: None,
        }
    }

    /// The event for `progress`, or `None` for kinds this binding does not know yet.
    pub fn from_progress(progress: &Progress) -> Option<Self> {
        Some(match progress {
            Progress::Ordered { order_no } => ProgressEvent::new("ordered", order_no),
            Progress::Polled {
                order_no,
                status,
                polls,
                elapsed,
            } => ProgressEvent {
                status: Some(status.as_letter().to_string()),
                polls: Some(*polls),
                elapsed_ms: Some(elapsed.as_secs_f64() * 1000.0),
                ..ProgressEvent::new("polled", order_no)
            },
            Progress::Downloading {
                order_no,
                received,
                total,
            } => ProgressEvent {
                received: Some(*received as f64),
                total: total.map(|t| t as f64),
                ..ProgressEvent::new("downloading", order_no)
            },
            Progress::Extracting {
                order_no,
                done,
                total,
            } => ProgressEvent {
                done: Some(*done as f64),
                total: Some(*total as f64),
                ..ProgressEvent::new("extracting", order_no)
            },
            _ => return None,
        })
    }
}

type Tsfn = ThreadsafeFunction<ProgressEvent, (), ProgressEvent, napi::Status, false, true>;

/// A progress callback for the client builder that forwards to `callback`.
pub fn forwarder(callback: Function<'_, ProgressEvent, ()>) -> napi::Result<ProgressFn> {
    let tsfn: Arc<Tsfn> = Arc::new(
        callback
            .build_threadsafe_function::<ProgressEvent>()
            .callee_handled::<false>()
            .weak::<true>()
            .build()?,
    );
    Ok(Arc::new(move |progress: &Progress| {
        if let Some(event) = ProgressEvent::from_progress(progress) {
            tsfn.call(event, ThreadsafeFunctionCallMode::NonBlocking);
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn downloading(received: u64, total: Option<u64>) -> Progress {
        Progress::Downloading {
            order_no: qcc_radar::OrderNo::new("JKDAY-1").unwrap(),
            received,
            total,
        }
    }

    #[test]
    fn events_carry_their_fields() {
        let e = ProgressEvent::from_progress(&downloading(5, None)).unwrap();
        assert_eq!(e.kind, "downloading");
        assert_eq!(e.received, Some(5.0));
        assert_eq!(e.total, None);
        assert_eq!(e.order_no, "JKDAY-1");
    }
}
