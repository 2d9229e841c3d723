//! `*Async` calls: the operation runs on the shared runtime and no Java thread waits for it.
//!
//! Why not run the blocking call on a Java executor instead? A wait can last half an hour, and
//! parking a Java thread for each pending report is exactly what an async API promises not to
//! do. So the future runs on `qcc_radar::blocking::runtime()` (two worker threads shared with
//! every other binding in the process) and only its *result* crosses into Java:
//!
//! * The runtime thread that finishes attaches to the JVM **for that moment only** (a scoped
//!   attachment, detached before it returns to tokio). A permanently attached runtime thread
//!   would count as a live Java thread forever and could hold up `DestroyJavaVM` at exit; a
//!   scoped one is invisible to Java between results.
//! * It calls the Java sink, which only hands the result to an `Executor` and returns, so user
//!   callbacks (`thenApply`…) never run on, or block, a runtime worker.
//! * Any Java exception raised meanwhile is caught by the attachment and cleared before the
//!   thread detaches; any panic in the operation surfaces as a `JoinError` and becomes an
//!   `internal` error. Nothing unwinds and nothing is left pending.
//!
//! Each call gets a task id so Java can cancel it (`CompletableFuture.cancel`): the id maps to
//! the task's abort handle until the task ends. Aborting drops the client's future, which
//! removes any partial download.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

use jni::objects::JObject;
use jni::refs::Global;
use jni::vm::{AttachConfig, JavaVM};
use jni::{jni_str, Env};
use tokio::task::AbortHandle;

use crate::error::{internal, panic_text, BridgeResult};
use crate::ops::{self, Op};
use crate::sink::{self, Outcome};

static TASKS: OnceLock<Mutex<HashMap<i64, AbortHandle>>> = OnceLock::new();
static NEXT_TASK: AtomicI64 = AtomicI64::new(1);

fn tasks() -> MutexGuard<'static, HashMap<i64, AbortHandle>> {
    TASKS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Starts `op` on `client`; its outcome goes to `sink` from a runtime thread. Returns the task
/// id for [`cancel`].
pub(crate) fn start(
    env: &Env,
    client: qcc_radar::Client,
    op: Op,
    sink: &JObject,
) -> BridgeResult<i64> {
    let sink: Global<JObject<'static>> = env.new_global_ref(sink)?;
    let rt = qcc_radar::blocking::runtime();
    let id = NEXT_TASK.fetch_add(1, Ordering::Relaxed);
    let work = rt.spawn(ops::run(client, op));
    tasks().insert(id, work.abort_handle());
    rt.spawn(async move {
        let outcome = match work.await {
            Ok(outcome) => outcome,
            Err(e) if e.is_cancelled() => Err(ops::cancelled("its future was cancelled")),
            Err(e) => {
                let text = e
                    .try_into_panic()
                    .map(|p| panic_text(p.as_ref()))
                    .unwrap_or_else(|_| "the task stopped".to_string());
                Err(internal(format!("panic: {text}")))
            }
        };
        tasks().remove(&id);
        complete(sink, outcome);
    });
    Ok(id)
}

/// Hands `outcome` to `sink` from this (runtime) thread, attached to the JVM only meanwhile.
fn complete(sink: Global<JObject<'static>>, outcome: Outcome) {
    let Ok(vm) = JavaVM::singleton() else {
        return; // no JVM any more: nobody is waiting
    };
    let attached = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        vm.attach_current_thread_with_config(
            || {
                AttachConfig::new()
                    .scoped(true)
                    .thread_name(jni_str!("qcc-radar-callback"))
            },
            Some(16),
            |env: &mut Env| -> jni::errors::Result<()> {
                sink::deliver(env, sink.as_obj(), outcome);
                // The global reference is released while the thread is still attached.
                drop(sink);
                Ok(())
            },
        )
    }));
    // An exception the sink threw was caught and cleared by the attachment; a failure to attach
    // means the JVM is shutting down. Neither can be reported to anyone.
    drop(attached);
}

/// Cancels task `id`; false when it had already finished (or never existed).
pub(crate) fn cancel(id: i64) -> bool {
    let handle = tasks().remove(&id);
    match handle {
        Some(h) => {
            h.abort();
            true
        }
        None => false,
    }
}

/// How many async calls are still running (for tests and diagnostics).
pub(crate) fn pending() -> usize {
    tasks().len()
}
