//! Progress events for a Java `ProgressListener`, delivered without holding up the client.
//!
//! The client calls its progress callback on its own threads (a runtime worker for orders,
//! polls and downloads, the extraction thread for entries) and asks that it be quick. Calling
//! into Java there would attach those threads to the JVM and make the download wait for the
//! listener, or for an executor that runs it in place (`callbackExecutor(Runnable::run)`).
//! So the callback only puts the event on a queue, and one thread of ours,
//! `qcc-radar-progress`, hands queued events to each client's Java `ProgressSink`: it attaches
//! to the JVM while it has events (a scoped attachment, so it never holds the JVM open and is
//! no Java thread between events), and the sink hands them on to the builder's
//! `callbackExecutor`, one at a time and in order. A slow or throwing listener delays only
//! later events; the download goes on.
//!
//! The stream is already thinned by the client (download and extraction events at most every
//! 100 ms, plus the first and the last), so the queue stays short. Event kinds the client adds
//! later are skipped until Java knows them.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, OnceLock};

use jni::objects::{JObject, JString};
use jni::refs::Global;
use jni::vm::{AttachConfig, JavaVM};
use jni::{jni_sig, jni_str, Env, JValue};
use qcc_radar::{Progress, ProgressFn};

use crate::errors::BridgeResult;

/// One event as Java's `ProgressSink.progress` takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Event {
    /// `ordered`, `polled`, `downloading` or `extracting`.
    kind: &'static str,
    order_no: String,
    /// The status letter of a poll.
    status: Option<&'static str>,
    polls: i32,
    elapsed_ms: i64,
    received: i64,
    /// Bytes of the archive (-1 when the storage did not say), or entries to extract.
    total: i64,
    done: i64,
}

fn saturate(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Event {
    fn of(p: &Progress) -> Option<Event> {
        let blank = |kind, order_no: &qcc_radar::OrderNo| Event {
            kind,
            order_no: order_no.as_str().to_string(),
            status: None,
            polls: 0,
            elapsed_ms: 0,
            received: 0,
            total: 0,
            done: 0,
        };
        Some(match p {
            Progress::Ordered { order_no } => blank("ordered", order_no),
            Progress::Polled {
                order_no,
                status,
                polls,
                elapsed,
            } => Event {
                status: Some(status.as_letter()),
                polls: i32::try_from(*polls).unwrap_or(i32::MAX),
                elapsed_ms: i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX),
                ..blank("polled", order_no)
            },
            Progress::Downloading {
                order_no,
                received,
                total,
            } => Event {
                received: saturate(*received),
                total: total.map_or(-1, saturate),
                ..blank("downloading", order_no)
            },
            Progress::Extracting {
                order_no,
                done,
                total,
            } => Event {
                done: saturate(*done),
                total: saturate(*total),
                ..blank("extracting", order_no)
            },
            _ => return None,
        })
    }
}

/// An event on its way to the sink of the client it came from.
type Delivery = (Arc<Global<JObject<'static>>>, Event);

/// The queue to the delivering thread, started with the first listener.
fn queue() -> &'static Sender<Delivery> {
    static QUEUE: OnceLock<Sender<Delivery>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let (tx, rx) = mpsc::channel();
        // Without a thread the events are dropped (sending fails quietly): progress is a
        // courtesy, and the fetch itself must not fail for it.
        let _ = std::thread::Builder::new()
            .name("qcc-radar-progress".into())
            .spawn(move || deliver_all(rx));
        tx
    })
}

/// The client's progress callback for the Java `ProgressSink` `sink`, or `None` for a null one.
pub(crate) fn listener(env: &Env, sink: &JObject) -> BridgeResult<Option<ProgressFn>> {
    if sink.is_null() {
        return Ok(None);
    }
    let sink: Arc<Global<JObject<'static>>> = Arc::new(env.new_global_ref(sink)?);
    let tx = queue().clone();
    let callback: ProgressFn = Arc::new(move |p: &Progress| {
        if let Some(event) = Event::of(p) {
            let _ = tx.send((sink.clone(), event));
        }
    });
    Ok(Some(callback))
}

/// The delivering thread: waits for events, then attaches and hands over all that are queued.
fn deliver_all(rx: Receiver<Delivery>) {
    while let Ok(first) = rx.recv() {
        let Ok(vm) = JavaVM::singleton() else {
            continue; // no JVM: nobody listens
        };
        let attached = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            vm.attach_current_thread_with_config(
                || {
                    AttachConfig::new()
                        .scoped(true)
                        .thread_name(jni_str!("qcc-radar-progress"))
                },
                Some(16),
                |env: &mut Env| -> jni::errors::Result<()> {
                    deliver(env, first);
                    while let Ok(next) = rx.try_recv() {
                        deliver(env, next);
                    }
                    Ok(())
                },
            )
        }));
        // A failure to attach means the JVM is shutting down; nobody is left to tell.
        drop(attached);
    }
}

/// Calls `sink.progress(kind, orderNo, status, polls, elapsedMs, received, total, done)`. The
/// sink catches what the listener throws; anything still pending is cleared, so the next
/// event goes through.
fn deliver(env: &mut Env, (sink, event): Delivery) {
    let _ = env.with_local_frame(8, |env| -> jni::errors::Result<()> {
        let kind = JString::from_str(env, event.kind)?;
        let order_no = JString::from_str(env, &event.order_no)?;
        let status: JObject = match event.status {
            Some(s) => JString::from_str(env, s)?.into(),
            None => JObject::null(),
        };
        env.call_method(
            sink.as_obj(),
            jni_str!("progress"),
            jni_sig!("(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;IJJJJ)V"),
            &[
                JValue::Object(&kind),
                JValue::Object(&order_no),
                JValue::Object(&status),
                JValue::Int(event.polls),
                JValue::Long(event.elapsed_ms),
                JValue::Long(event.received),
                JValue::Long(event.total),
                JValue::Long(event.done),
            ],
        )?;
        Ok(())
    });
    if env.exception_check() {
        env.exception_clear();
    }
    // The global reference may be the client's last; release it while attached.
    drop(sink);
}

#[cfg(test)]
mod tests {
    use super::*;
    use qcc_radar::{OrderNo, ReportStatus};
    use std::time::Duration;

    #[test]
    fn events_carry_what_java_shows() {
        let order = OrderNo::new("JKDAY-1").unwrap();
        let polled = Event::of(&Progress::Polled {
            order_no: order.clone(),
            status: ReportStatus::Pending,
            polls: 3,
            elapsed: Duration::from_millis(1500),
        })
        .unwrap();
        assert_eq!(polled.kind, "polled");
        assert_eq!(polled.status, Some("P"));
        assert_eq!((polled.polls, polled.elapsed_ms), (3, 1500));
        let unknown_size = Event::of(&Progress::Downloading {
            order_no: order.clone(),
            received: 10,
            total: None,
        })
        .unwrap();
        assert_eq!((unknown_size.received, unknown_size.total), (10, -1));
        let extracting = Event::of(&Progress::Extracting {
            order_no: order,
            done: 2,
            total: 4,
        })
        .unwrap();
        assert_eq!((extracting.done, extracting.total), (2, 4));
        assert_eq!(extracting.order_no, "JKDAY-1");
    }
}
