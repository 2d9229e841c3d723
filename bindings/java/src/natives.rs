//! The `static native` methods of `com.qccradar.NativeBridge`.
//!
//! Every method follows one shape: upgrade the `EnvUnowned` inside `with_env` (which catches
//! panics), check the arguments, then either deliver the outcome to the sink on this thread
//! (blocking calls) or start a task that will (`async == true`). Errors and panics are
//! resolved by [`ToSink`]. The few methods without a sink cannot fail in practice; for them a
//! panic becomes a `RuntimeException`, which the Java side wraps as an `internal` error.

use std::path::PathBuf;

use jni::errors::ThrowRuntimeExAndDefault;
use jni::objects::{JClass, JObject, JString};
use jni::sys::{jboolean, jdouble, jint, jlong};
use jni::{jni_mangle, Env, EnvUnowned};
use qcc_radar::{ClientBuilder, FetchOptions, PollSchedule, RetryPolicy};

use crate::args;
use crate::async_call;
use crate::error::{BridgeResult, ToSink};
use crate::handles;
use crate::ops::Op;
use crate::sink::{self, Payload};
use crate::sync_call;
use crate::tables;

/// Runs `op` on the client behind `handle`: on this thread, or as a task whose id is returned.
fn call(
    env: &mut Env,
    handle: jlong,
    op: Op,
    is_async: jboolean,
    sink: &JObject,
) -> BridgeResult<jlong> {
    let client = handles::get(handle)?;
    if is_async {
        async_call::start(env, client, op, sink)
    } else {
        let outcome = sync_call::run(env, client, op);
        sink::deliver(env, sink, outcome);
        Ok(0)
    }
}

/// Builds a client; returns its handle, or 0 after reporting the error to `sink`.
#[allow(clippy::too_many_arguments)]
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn open<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    app_key: JString<'local>,
    secret_key: JString<'local>,
    base_url: JString<'local>,
    connect_timeout_ms: jlong,
    request_timeout_ms: jlong,
    read_timeout_ms: jlong,
    wait_timeout_ms: jlong,
    poll_initial_ms: jlong,
    poll_factor: jdouble,
    poll_max_ms: jlong,
    poll_jitter: jdouble,
    retry_max_attempts: jint,
    retry_base_ms: jlong,
    retry_cap_ms: jlong,
    retry_max_elapsed_ms: jlong,
    clock_skew_correction: jint,
    ca_file: JString<'local>,
    proxy: JString<'local>,
    user_agent_suffix: JString<'local>,
    sink: JObject<'local>,
) -> jlong {
    unowned
        .with_env(|env| -> BridgeResult<jlong> {
            // The first client of the process reads QCC_RADAR_LOG (else RUST_LOG) and, when it
            // is set, sends the Rust core's log lines to stderr. Once; never panics.
            qcc_radar::stderr_log::init_from_env("java");
            let mut b = ClientBuilder::new();
            if let Some(v) = args::opt_string(env, &app_key)? {
                b = b.app_key(v);
            }
            if let Some(v) = args::opt_string(env, &secret_key)? {
                b = b.secret_key(v);
            }
            if let Some(v) = args::opt_string(env, &base_url)? {
                b = b.base_url(v);
            }
            if let Some(d) = args::millis(connect_timeout_ms, "the connect timeout")? {
                b = b.connect_timeout(d);
            }
            if let Some(d) = args::millis(request_timeout_ms, "the request timeout")? {
                b = b.request_timeout(d);
            }
            if let Some(d) = args::millis(read_timeout_ms, "the read timeout")? {
                b = b.read_timeout(d);
            }
            if let Some(d) = args::millis(wait_timeout_ms, "the wait timeout")? {
                b = b.wait_timeout(d);
            }
            let initial = args::millis(poll_initial_ms, "the first poll interval")?;
            let factor = args::fraction(poll_factor, "the poll back-off factor", 1.0, 1e6)?;
            let max = args::millis(poll_max_ms, "the longest poll interval")?;
            let jitter = args::fraction(poll_jitter, "the poll jitter", 0.0, 1.0)?;
            if initial.is_some() || factor.is_some() || max.is_some() || jitter.is_some() {
                let d = PollSchedule::default();
                b = b.poll_schedule(PollSchedule {
                    initial: initial.unwrap_or(d.initial),
                    factor: factor.unwrap_or(d.factor),
                    max: max.unwrap_or(d.max),
                    jitter: jitter.unwrap_or(d.jitter),
                });
            }
            let attempts = args::count(retry_max_attempts, "the number of attempts")?;
            let base = args::millis(retry_base_ms, "the first retry delay")?;
            let cap = args::millis(retry_cap_ms, "the longest retry delay")?;
            let elapsed = args::millis(retry_max_elapsed_ms, "the retry time budget")?;
            if attempts.is_some() || base.is_some() || cap.is_some() || elapsed.is_some() {
                let d = RetryPolicy::default();
                b = b.retry_policy(RetryPolicy {
                    max_attempts: attempts.unwrap_or(d.max_attempts),
                    base: base.unwrap_or(d.base),
                    cap: cap.unwrap_or(d.cap),
                    max_elapsed: elapsed.unwrap_or(d.max_elapsed),
                });
            }
            if let Some(on) = args::flag(clock_skew_correction) {
                b = b.clock_skew_correction(on);
            }
            if let Some(v) = args::opt_string(env, &ca_file)? {
                b = b.ca_file(v);
            }
            if let Some(v) = args::opt_string(env, &proxy)? {
                b = b.proxy(v);
            }
            if let Some(v) = args::opt_string(env, &user_agent_suffix)? {
                b = b.user_agent_suffix(v);
            }
            Ok(handles::insert(b.build()?))
        })
        .resolve_with::<ToSink, _>(|| &sink)
}

/// Closes a client; true when it was open. Idempotent.
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn close<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
) -> jboolean {
    unowned
        .with_env(|_env| -> BridgeResult<jboolean> { Ok(handles::remove(handle)) })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// `[base URL, app key]` of an open client.
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn describe<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
    sink: JObject<'local>,
) {
    unowned
        .with_env(|env| -> BridgeResult<()> {
            let client = handles::get(handle)?;
            let payload = Payload::Texts(vec![
                Some(client.base_url().to_string()),
                Some(client.app_key().to_string()),
            ]);
            sink::deliver(env, &sink, Ok(payload));
            Ok(())
        })
        .resolve_with::<ToSink, _>(|| &sink)
}

/// `createReport(type)`: an order number, or null for "no change".
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn create_report<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
    report_type: JString<'local>,
    is_async: jboolean,
    sink: JObject<'local>,
) -> jlong {
    unowned
        .with_env(|env| -> BridgeResult<jlong> {
            let op = Op::Create(args::report_type(env, &report_type)?);
            call(env, handle, op, is_async, &sink)
        })
        .resolve_with::<ToSink, _>(|| &sink)
}

/// `reportInfo(orderNo)`.
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn report_info<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
    order_no: JString<'local>,
    is_async: jboolean,
    sink: JObject<'local>,
) -> jlong {
    unowned
        .with_env(|env| -> BridgeResult<jlong> {
            let op = Op::Info(args::order_no(env, &order_no)?);
            call(env, handle, op, is_async, &sink)
        })
        .resolve_with::<ToSink, _>(|| &sink)
}

/// `waitForReport(orderNo, timeout)`; `timeout_ms` -1 for the client's default.
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn wait_for_report<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
    order_no: JString<'local>,
    timeout_ms: jlong,
    is_async: jboolean,
    sink: JObject<'local>,
) -> jlong {
    unowned
        .with_env(|env| -> BridgeResult<jlong> {
            let order = args::order_no(env, &order_no)?;
            let op = Op::Wait(order, args::millis(timeout_ms, "the wait timeout")?);
            call(env, handle, op, is_async, &sink)
        })
        .resolve_with::<ToSink, _>(|| &sink)
}

/// `downloadReport(orderNo, outDir)`.
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn download_report<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
    order_no: JString<'local>,
    out_dir: JString<'local>,
    is_async: jboolean,
    sink: JObject<'local>,
) -> jlong {
    unowned
        .with_env(|env| -> BridgeResult<jlong> {
            let op = Op::Download(
                args::order_no(env, &order_no)?,
                args::out_dir(env, &out_dir)?,
            );
            call(env, handle, op, is_async, &sink)
        })
        .resolve_with::<ToSink, _>(|| &sink)
}

/// `fetchReport(type, outDir, timeout, newOrder, orderNo)`, ledger-backed: a report, or null
/// for "no change"; `timeout_ms` -1 for the client's default; `order_no` null unless the caller
/// resumes an order it found (after `unconfirmed_order`).
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn fetch_report<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
    report_type: JString<'local>,
    out_dir: JString<'local>,
    timeout_ms: jlong,
    new_order: jboolean,
    order_no: JString<'local>,
    is_async: jboolean,
    sink: JObject<'local>,
) -> jlong {
    unowned
        .with_env(|env| -> BridgeResult<jlong> {
            let mut options = FetchOptions::new().new_order(new_order);
            if let Some(timeout) = args::millis(timeout_ms, "the wait timeout")? {
                options = options.timeout(timeout);
            }
            if let Some(order) = args::opt_order_no(env, &order_no)? {
                options = options.order_no(order);
            }
            let op = Op::Fetch(
                args::report_type(env, &report_type)?,
                args::out_dir(env, &out_dir)?,
                options,
            );
            call(env, handle, op, is_async, &sink)
        })
        .resolve_with::<ToSink, _>(|| &sink)
}

/// `Tables.read(folder)`: every table of a report folder, and the files that are not tables,
/// as the payload `crate::tables` describes. Reads files on the calling thread; sends nothing.
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn read_tables<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    folder: JString<'local>,
    sink: JObject<'local>,
) {
    unowned
        .with_env(|env| -> BridgeResult<()> {
            let folder = PathBuf::from(args::string(env, &folder, "the report folder")?);
            let tables = tables::read(&folder)?;
            let payload = tables::to_java(env, &tables)?;
            sink::succeed_object(env, &sink, &payload)?;
            Ok(())
        })
        .resolve_with::<ToSink, _>(|| &sink)
}

/// Cancels an async call; true when it was still running.
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn cancel<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    task: jlong,
) -> jboolean {
    unowned
        .with_env(|_env| -> BridgeResult<jboolean> { Ok(async_call::cancel(task)) })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// How many async calls are running.
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn pending_tasks<'local>(mut unowned: EnvUnowned<'local>, _class: JClass<'local>) -> jint {
    unowned
        .with_env(|_env| -> BridgeResult<jint> {
            Ok(jint::try_from(async_call::pending()).unwrap_or(jint::MAX))
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// The Token for `app_key`, `timespan` and `secret_key`.
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn sign<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    app_key: JString<'local>,
    timespan: jlong,
    secret_key: JString<'local>,
    sink: JObject<'local>,
) {
    unowned
        .with_env(|env| -> BridgeResult<()> {
            let app_key = args::string(env, &app_key, "the app key")?;
            let secret_key = args::string(env, &secret_key, "the secret key")?;
            let token = qcc_radar::sign(&app_key, args::timespan(timespan)?, &secret_key);
            sink::deliver(env, &sink, Ok(Payload::Text(token)));
            Ok(())
        })
        .resolve_with::<ToSink, _>(|| &sink)
}

/// The version of the Rust client inside.
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn version<'local>(mut unowned: EnvUnowned<'local>, _class: JClass<'local>) -> JString<'local> {
    unowned
        .with_env(|env| -> BridgeResult<JString<'local>> {
            Ok(JString::from_str(env, qcc_radar::VERSION)?)
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// Every error kind's name (`qcc_radar::ErrorKind::ALL`), so the Java suite can check that
/// `com.qccradar.ErrorKind` knows them all.
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn error_kinds<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    sink: JObject<'local>,
) {
    unowned
        .with_env(|env| -> BridgeResult<()> {
            let names = qcc_radar::ErrorKind::ALL
                .iter()
                .map(|k| Some(k.as_str().to_string()))
                .collect();
            sink::deliver(env, &sink, Ok(Payload::Texts(names)));
            Ok(())
        })
        .resolve_with::<ToSink, _>(|| &sink)
}

/// Panics on purpose, to prove that a panic becomes a `QccException` of kind `internal`. A
/// test-only hook: only in a build with the `test-hooks` feature (the Maven build's own cargo
/// step, which the test suite runs on); the packaged library has no such entry point, and
/// `NativeBridge.panicForTest` then throws `UnsupportedOperationException`.
#[cfg(feature = "test-hooks")]
#[jni_mangle("com.qccradar.NativeBridge", "panicForTest0")]
pub fn panic_for_test<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    sink: JObject<'local>,
) {
    unowned
        .with_env(|_env| -> BridgeResult<()> { panic!("deliberate panic for the test suite") })
        .resolve_with::<ToSink, _>(|| &sink)
}
