//! `struct qcc_radar_progress`: the client's progress events, handed to a C function with the
//! caller's user pointer.
//!
//! The client already thins the stream (a download or extraction event at most every 100 ms,
//! plus the first and the last), so this module only translates: one plain struct per event,
//! its order number borrowed for the length of the call. Two hazards are handled here. The
//! callback runs on the library's threads (tokio workers, the extraction thread), which C
//! cannot see, so nothing may unwind out of it and it must stop for good when the client is
//! closed: a C program frees what `user_data` points to right after qcc_radar_client_free(),
//! while an extraction thread of a cancelled call may still be finishing. So every event passes
//! a [`Gate`]: closing shuts it and waits for a callback that is running, and no callback
//! starts afterwards.

use std::cell::Cell;
use std::ffi::{c_char, c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use crate::error::c_string_lossy;

/// What a `struct qcc_radar_progress` reports.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgressKind {
    /// createReport placed an order (`order_no`).
    Ordered = 1,
    /// getReportInfo answered during a wait (`status`, `polls`, `elapsed_ms`).
    Polled = 2,
    /// Bytes of the archive received so far (`received`, and `total` when `total_known`).
    Downloading = 3,
    /// Archive entries extracted so far (`done` of `total`).
    Extracting = 4,
}

/// One progress event, passed to the `progress` callback of `struct qcc_radar_client_options`.
///
/// Lent for the length of the callback only: copy what you need (`order_no` included) before
/// returning. Fields that do not apply to `kind` are zero. Events of kinds a later version adds
/// are not passed to programs built against this header.
#[repr(C)]
pub struct Progress {
    /// What happened; selects the fields below that apply.
    pub kind: ProgressKind,
    /// The order, such as "JKDAY-167660123348194027"; every kind has one. Valid only during the
    /// callback.
    pub order_no: *const c_char,
    /// QCC_RADAR_PROGRESS_KIND_POLLED: what getReportInfo answered, 'P', 'S' or 'F'; else 0.
    pub status: c_char,
    /// QCC_RADAR_PROGRESS_KIND_POLLED: polls so far in this wait (1 for the first).
    pub polls: u32,
    /// QCC_RADAR_PROGRESS_KIND_POLLED: time waited so far, in ms.
    pub elapsed_ms: u64,
    /// QCC_RADAR_PROGRESS_KIND_DOWNLOADING: bytes of the archive received so far
    /// (non-decreasing within one download; the last event has `received == total`).
    pub received: u64,
    /// QCC_RADAR_PROGRESS_KIND_DOWNLOADING: the archive's size in bytes when `total_known`;
    /// QCC_RADAR_PROGRESS_KIND_EXTRACTING: the entries in the archive.
    pub total: u64,
    /// Non-zero when `total` is known: always for extraction; for a download, when the storage
    /// said the size.
    pub total_known: c_int,
    /// QCC_RADAR_PROGRESS_KIND_EXTRACTING: entries extracted so far (the last event has
    /// `done == total`).
    pub done: u64,
}

/// The type of the `progress` field of `struct qcc_radar_client_options` (spelled out there, so
/// that the header shows the function's signature where it is set).
pub(crate) type ProgressCallback = extern "C" fn(event: *const Progress, user_data: *mut c_void);

/// The caller's pointer, handed back untouched on the client's threads: the header makes
/// thread-safety of what it points to the caller's side of the contract.
#[derive(Clone, Copy)]
struct UserData(*mut c_void);
// SAFETY: the pointer is never dereferenced here, only passed back to the caller's callback,
// which the header requires to be callable from any thread.
unsafe impl Send for UserData {}
// SAFETY: as above.
unsafe impl Sync for UserData {}

impl UserData {
    /// The pointer. A method, so that a closure captures the whole `UserData` (which is
    /// `Send + Sync`), not its field (a raw pointer, which is neither).
    fn get(self) -> *mut c_void {
        self.0
    }
}

thread_local! {
    /// Whether this thread is inside a progress callback, so that a close from within one (which
    /// the header forbids, but C may do) does not wait for itself.
    static IN_CALLBACK: Cell<bool> = const { Cell::new(false) };
}

/// Lets events through until the client is closed, then none, ever.
#[derive(Default)]
pub(crate) struct Gate {
    closed: AtomicBool,
    /// Held (shared) by every running callback; closing takes it exclusively once, to wait.
    running: RwLock<()>,
}

impl Gate {
    /// Shuts the gate and waits until no callback is running (except the calling thread's own).
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        if !IN_CALLBACK.with(Cell::get) {
            drop(self.running.write().unwrap_or_else(|p| p.into_inner()));
        }
    }

    fn pass(&self, deliver: impl FnOnce()) {
        let _running = self.running.read().unwrap_or_else(|p| p.into_inner());
        if self.closed.load(Ordering::SeqCst) {
            return;
        }
        struct Reset;
        impl Drop for Reset {
            fn drop(&mut self) {
                IN_CALLBACK.with(|c| c.set(false));
            }
        }
        IN_CALLBACK.with(|c| c.set(true));
        let _reset = Reset;
        deliver();
    }
}

/// The event handed to C for a client event, with the order number it borrows.
fn event(p: &qcc_radar::Progress) -> Option<(Progress, std::ffi::CString)> {
    use qcc_radar::Progress as P;
    let blank = |kind, order_no: &qcc_radar::OrderNo| {
        let text = c_string_lossy(order_no.as_str());
        let e = Progress {
            kind,
            order_no: std::ptr::null(),
            status: 0,
            polls: 0,
            elapsed_ms: 0,
            received: 0,
            total: 0,
            total_known: 0,
            done: 0,
        };
        (e, text)
    };
    Some(match p {
        P::Ordered { order_no } => blank(ProgressKind::Ordered, order_no),
        P::Polled {
            order_no,
            status,
            polls,
            elapsed,
        } => {
            let (mut e, text) = blank(ProgressKind::Polled, order_no);
            e.status = status.as_letter().as_bytes()[0] as c_char;
            e.polls = *polls;
            e.elapsed_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
            (e, text)
        }
        P::Downloading {
            order_no,
            received,
            total,
        } => {
            let (mut e, text) = blank(ProgressKind::Downloading, order_no);
            e.received = *received;
            e.total = total.unwrap_or(0);
            e.total_known = c_int::from(total.is_some());
            (e, text)
        }
        P::Extracting {
            order_no,
            done,
            total,
        } => {
            let (mut e, text) = blank(ProgressKind::Extracting, order_no);
            e.done = *done;
            e.total = *total;
            e.total_known = 1;
            (e, text)
        }
        // A kind this header does not know: not passed on.
        _ => return None,
    })
}

/// The client's progress function for `callback`, and the gate that stops it.
pub(crate) fn bridge(
    callback: ProgressCallback,
    user_data: *mut c_void,
) -> (qcc_radar::ProgressFn, Arc<Gate>) {
    let gate = Arc::new(Gate::default());
    let user_data = UserData(user_data);
    let g = gate.clone();
    let f: qcc_radar::ProgressFn = Arc::new(move |p: &qcc_radar::Progress| {
        // Nothing here panics (the strings are NUL-free); the guard makes sure nothing unwinds
        // into the client's threads if that ever changes.
        let _ = catch_unwind(AssertUnwindSafe(|| {
            g.pass(|| {
                if let Some((mut e, order_no)) = event(p) {
                    e.order_no = order_no.as_ptr();
                    callback(&e, user_data.get());
                }
            })
        }));
    });
    (f, gate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;
    use std::sync::Mutex;

    /// Kind, order number, received, total, total_known.
    type Seen = (ProgressKind, String, u64, u64, c_int);
    static SEEN: Mutex<Vec<Seen>> = Mutex::new(Vec::new());

    extern "C" fn record(event: *const Progress, user_data: *mut c_void) {
        // SAFETY: the bridge passes a valid event whose order number lives for this call.
        let e = unsafe { &*event };
        let order = unsafe { CStr::from_ptr(e.order_no) }
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(user_data as usize, 42);
        SEEN.lock()
            .unwrap()
            .push((e.kind, order, e.received, e.total, e.total_known));
    }

    #[test]
    fn events_reach_c_until_the_gate_closes() {
        let (f, gate) = bridge(record, 42 as *mut c_void);
        let order_no = qcc_radar::OrderNo::new("JKDAY-1").unwrap();
        f(&qcc_radar::Progress::Ordered {
            order_no: order_no.clone(),
        });
        f(&qcc_radar::Progress::Downloading {
            order_no: order_no.clone(),
            received: 5,
            total: None,
        });
        gate.close();
        gate.close();
        f(&qcc_radar::Progress::Ordered { order_no });
        let seen = SEEN.lock().unwrap();
        assert_eq!(
            *seen,
            vec![
                (ProgressKind::Ordered, "JKDAY-1".to_string(), 0, 0, 0),
                (ProgressKind::Downloading, "JKDAY-1".to_string(), 5, 0, 0),
            ]
        );
    }
}
