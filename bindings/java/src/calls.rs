//! Running a client call for Java: blocking on the calling thread, or async with no Java thread.
//!
//! Every operation is a future that ends in an [`Outcome`]; this file only decides where it
//! runs and how its outcome reaches the call's sink, so the blocking and the `*Async` variant
//! of an operation cannot behave differently.
//!
//! **Blocking calls** run the future on the shared runtime and wait on the calling Java thread
//! through `qcc_radar::blocking::run_interruptible`, which wakes every [`CHECK_EVERY`] to ask
//! whether the thread was interrupted. `Thread.interrupt()` is how Java cancels blocking work
//! (an executor's `shutdownNow`, a `Future.cancel(true)`), so an interrupted wait stops, the
//! work is cancelled (partial downloads removed by the client) and Java gets a `QccException`
//! of kind `cancelled`. The interrupt flag is left set, as the Java convention asks of code
//! that does not throw `InterruptedException`.
//!
//! **Async calls** do not run the blocking call on a Java executor: a wait can last half an
//! hour, and parking a Java thread for each pending report is exactly what an async API
//! promises not to do. So the future runs on `qcc_radar::blocking::runtime()` (two worker
//! threads shared with every other binding in the process) and only its *result* crosses into
//! Java:
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
//! Each async call gets a task id so Java can cancel it (`CompletableFuture.cancel`): the id
//! maps to the task's abort handle until the task ends. Aborting drops the client's future,
//! which removes any partial download. Closing the client ends both kinds of call too, with
//! `cancelled` (the client's own rule, `qcc_radar::Client::close`).

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use jni::errors::ThrowRuntimeExAndDefault;
use jni::objects::{JClass, JObject};
use jni::refs::Global;
use jni::sys::{jboolean, jint, jlong};
use jni::vm::{AttachConfig, JavaVM};
use jni::{jni_mangle, jni_sig, jni_str, Env, EnvUnowned};
use qcc_radar::Error;
use tokio::task::AbortHandle;

use crate::errors::{internal, panic_text, BridgeResult};
use crate::results::{self, Outcome};

/// How often a blocking call checks for `Thread.interrupt()`.
const CHECK_EVERY: Duration = Duration::from_millis(100);

static TASKS: OnceLock<Mutex<HashMap<i64, AbortHandle>>> = OnceLock::new();
static NEXT_TASK: AtomicI64 = AtomicI64::new(1);

fn tasks() -> MutexGuard<'static, HashMap<i64, AbortHandle>> {
    TASKS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs `work` for Java: on this thread, delivering to `sink` before returning 0, or (when
/// `is_async`) as a task whose id is returned and whose outcome reaches `sink` later.
pub(crate) fn run<F>(env: &mut Env, work: F, is_async: bool, sink: &JObject) -> BridgeResult<jlong>
where
    F: Future<Output = Outcome> + Send + 'static,
{
    if is_async {
        start(env, work, sink)
    } else {
        let outcome = block(env, work);
        results::deliver(env, sink, outcome);
        Ok(0)
    }
}

/// The cancelled error for an interrupted or cancelled call.
pub(crate) fn cancelled(how: &str) -> Error {
    Error::new(
        qcc_radar::ErrorKind::Cancelled,
        format!("the call was cancelled ({how})"),
    )
}

// ---- blocking ----

/// Whether the current Java thread has been interrupted (without clearing the flag). Local
/// references live in a frame of their own, so a long wait does not pile them up.
fn interrupted(env: &mut Env) -> bool {
    env.with_local_frame(4, |env| -> jni::errors::Result<bool> {
        let thread = env
            .call_static_method(
                jni_str!("java/lang/Thread"),
                jni_str!("currentThread"),
                jni_sig!("()Ljava/lang/Thread;"),
                &[],
            )?
            .l()?;
        env.call_method(&thread, jni_str!("isInterrupted"), jni_sig!("()Z"), &[])?
            .z()
    })
    .unwrap_or(false)
}

/// Runs `work` and waits for it on this (Java) thread.
fn block<F>(env: &mut Env, work: F) -> Outcome
where
    F: Future<Output = Outcome> + Send + 'static,
{
    if interrupted(env) {
        return Err(cancelled("the thread was already interrupted"));
    }
    let waited = qcc_radar::blocking::run_interruptible(work, CHECK_EVERY, || {
        if interrupted(env) {
            Err(cancelled("the waiting thread was interrupted"))
        } else {
            Ok(())
        }
    });
    match waited {
        Ok(outcome) => outcome,
        Err(cancelled) => Err(cancelled),
    }
}

// ---- async ----

/// Starts `work`; its outcome goes to `sink` from a runtime thread. Returns the task id for
/// [`cancel`].
fn start<F>(env: &Env, work: F, sink: &JObject) -> BridgeResult<i64>
where
    F: Future<Output = Outcome> + Send + 'static,
{
    let sink: Global<JObject<'static>> = env.new_global_ref(sink)?;
    let rt = qcc_radar::blocking::runtime();
    let id = NEXT_TASK.fetch_add(1, Ordering::Relaxed);
    let task = rt.spawn(work);
    tasks().insert(id, task.abort_handle());
    rt.spawn(async move {
        let outcome = match task.await {
            Ok(outcome) => outcome,
            Err(e) if e.is_cancelled() => Err(cancelled("its future was cancelled")),
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
                results::deliver(env, sink.as_obj(), outcome);
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

/// Cancels async call `task`; true when it was still running (`CompletableFuture.cancel`).
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn cancel<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    task: jlong,
) -> jboolean {
    unowned
        .with_env(|_env| -> BridgeResult<jboolean> {
            let handle = tasks().remove(&task);
            Ok(match handle {
                Some(h) => {
                    h.abort();
                    true
                }
                None => false,
            })
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// How many async calls are still running (for tests and diagnostics).
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn pending_tasks<'local>(mut unowned: EnvUnowned<'local>, _class: JClass<'local>) -> jint {
    unowned
        .with_env(|_env| -> BridgeResult<jint> {
            Ok(jint::try_from(tasks().len()).unwrap_or(jint::MAX))
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}
