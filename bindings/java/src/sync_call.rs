//! Blocking calls: run the operation on the shared runtime and wait on the Java thread.
//!
//! The calling Java thread waits through `qcc_radar::blocking::run_interruptible`, which wakes
//! every [`CHECK_EVERY`] to ask whether the thread was interrupted. `Thread.interrupt()` is how
//! Java cancels blocking work (an executor's `shutdownNow`, a `Future.cancel(true)`), so an
//! interrupted wait stops, the work is cancelled (partial downloads removed by the client) and
//! Java gets a `QccException` of kind `cancelled`. The interrupt flag is left set, as the Java
//! convention asks of code that does not throw `InterruptedException`.

use std::time::Duration;

use jni::{jni_sig, jni_str, Env};

use crate::ops::{self, Op};
use crate::sink::Outcome;

/// How often a blocking call checks for `Thread.interrupt()`.
const CHECK_EVERY: Duration = Duration::from_millis(100);

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

/// Runs `op` on `client` and waits for it on this (Java) thread.
pub(crate) fn run(env: &mut Env, client: qcc_radar::Client, op: Op) -> Outcome {
    if interrupted(env) {
        return Err(ops::cancelled("the thread was already interrupted"));
    }
    let waited = qcc_radar::blocking::run_interruptible(ops::run(client, op), CHECK_EVERY, || {
        if interrupted(env) {
            Err(ops::cancelled("the waiting thread was interrupted"))
        } else {
            Ok(())
        }
    });
    match waited {
        Ok(outcome) => outcome,
        Err(cancelled) => Err(cancelled),
    }
}
