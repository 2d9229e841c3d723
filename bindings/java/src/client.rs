//! A `RadarClient`'s life and its calls: building, the handle Java holds, closing, and the
//! five operations.
//!
//! **Handles, not pointers.** Java holds a `long` for its client. If it were a pointer, a call
//! racing `close()` on another thread (or a call after close) would read freed memory. Instead
//! the handle is a key into a registry: a call looks its client up and clones it (a cheap
//! `Arc` clone), and a missing key is an ordinary `config` error.
//!
//! **Closing is the client's rule, not ours.** `close()` takes the client out of the registry
//! and calls `qcc_radar::Client::close`, which ends every call in flight on it — blocking or
//! async, holding a clone or not — with `cancelled`, and fails later ones with `config`:
//! the rule every binding follows (DESIGN.md). A client the garbage collector finds unclosed is
//! only *released* ([`release`]): nothing of Java's can reach it any more, but an async call it
//! started may still be pending, and collecting the client must not cancel that call; the
//! client ends when its last call does.
//!
//! Each operation native checks its arguments on the calling thread (so a bad one is a `config`
//! error before anything is sent), then hands the client's future to [`calls::run`], which runs
//! it blocking or async.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

use jni::errors::ThrowRuntimeExAndDefault;
use jni::objects::{JClass, JObject, JObjectArray, JPrimitiveArray, JString};
use jni::sys::{jboolean, jbyte, jdouble, jlong};
use jni::{jni_mangle, EnvUnowned};
use qcc_radar::{Client, Error};

use crate::args;
use crate::calls;
use crate::errors::{BridgeResult, ToSink};
use crate::options;
use crate::progress;
use crate::report::{info_payload, report_payload};
use crate::results::{self, Payload};

// ---- the registry ----

static CLIENTS: OnceLock<Mutex<HashMap<i64, Client>>> = OnceLock::new();
static NEXT_ID: AtomicI64 = AtomicI64::new(1);

fn clients() -> MutexGuard<'static, HashMap<i64, Client>> {
    CLIENTS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Registers `client` and returns its handle (never 0, which Java uses for "closed").
fn insert(client: Client) -> i64 {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    clients().insert(id, client);
    id
}

/// The client behind `handle` for one call made now (`Client::admit`: if `close()` comes
/// before the call's task first runs, it still ends `cancelled`), or a `config` error when it
/// is closed.
fn get(handle: i64) -> qcc_radar::Result<Client> {
    let client = clients().get(&handle).cloned().ok_or_else(|| {
        Error::config("this RadarClient is closed; create a new one to make more calls")
    })?;
    client.admit()
}

/// Takes `handle` out of the registry. The client is dropped by the caller, after the lock is
/// released: closing a connection pool can take a moment.
fn take(handle: i64) -> Option<Client> {
    clients().remove(&handle)
}

// ---- life ----

/// Builds a client from the builder's settings (see [`options`]); returns its handle, or 0
/// after reporting the error to `sink`. `progress` is the builder's `ProgressSink`, or null.
#[allow(clippy::too_many_arguments)]
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn open<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    names: JObjectArray<'local, JString<'local>>,
    kinds: JPrimitiveArray<'local, jbyte>,
    texts: JObjectArray<'local, JString<'local>>,
    numbers: JPrimitiveArray<'local, jdouble>,
    binding: JString<'local>,
    progress: JObject<'local>,
    sink: JObject<'local>,
) -> jlong {
    unowned
        .with_env(|env| -> BridgeResult<jlong> {
            // The first client of the process reads QCC_RADAR_LOG (else RUST_LOG) and, when it
            // is set, sends the Rust core's log lines to stderr. Once; never panics.
            qcc_radar::stderr_log::init_from_env("java");
            let pairs = options::read(env, &names, &kinds, &texts, &numbers)?;
            let binding = args::string(env, &binding, "the binding's name")?;
            let mut builder = options::client_builder(pairs, &binding)?;
            if let Some(listener) = progress::listener(env, &progress)? {
                builder = builder.on_progress(listener);
            }
            Ok(insert(builder.build()?))
        })
        .resolve_with::<ToSink, _>(|| &sink)
}

/// `close()`: closes the client — calls in flight end `cancelled`, later ones `config` — and
/// forgets its handle. True when it was open; closing again does nothing.
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn close<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
) -> jboolean {
    unowned
        .with_env(|_env| -> BridgeResult<jboolean> {
            let client = take(handle);
            if let Some(c) = &client {
                c.close();
            }
            Ok(client.is_some())
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// A collected, unclosed `RadarClient`: forgets its handle without closing, so an async call
/// it started still finishes. True when it was open.
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn release<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
) -> jboolean {
    unowned
        .with_env(|_env| -> BridgeResult<jboolean> { Ok(take(handle).is_some()) })
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
            let client = get(handle)?;
            let payload = Payload::Texts(vec![
                Some(client.base_url().to_string()),
                Some(client.app_key().to_string()),
            ]);
            results::deliver(env, &sink, Ok(payload));
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

// ---- the operations ----

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
            let report_type = args::report_type(env, &report_type)?;
            let client = get(handle)?;
            let work = async move {
                Ok(match client.create_report(report_type).await? {
                    Some(order) => Payload::Text(order.as_str().to_string()),
                    None => Payload::Null,
                })
            };
            calls::run(env, work, is_async, &sink)
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
            let order = args::order_no(env, &order_no)?;
            let client = get(handle)?;
            let work = async move { Ok(info_payload(&client.report_info(&order).await?)) };
            calls::run(env, work, is_async, &sink)
        })
        .resolve_with::<ToSink, _>(|| &sink)
}

/// `waitForReport(orderNo, timeout)`: the deadline is the fetch option `timeout` when the pairs
/// give it (the same name, unit and message as `fetchReport`'s), else the client's.
#[allow(clippy::too_many_arguments)]
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn wait_for_report<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
    order_no: JString<'local>,
    names: JObjectArray<'local, JString<'local>>,
    kinds: JPrimitiveArray<'local, jbyte>,
    texts: JObjectArray<'local, JString<'local>>,
    numbers: JPrimitiveArray<'local, jdouble>,
    is_async: jboolean,
    sink: JObject<'local>,
) -> jlong {
    unowned
        .with_env(|env| -> BridgeResult<jlong> {
            let order = args::order_no(env, &order_no)?;
            let pairs = options::read(env, &names, &kinds, &texts, &numbers)?;
            let timeout = options::fetch_options(pairs)?.timeout;
            let client = get(handle)?;
            let work = async move {
                let timeout = timeout.unwrap_or_else(|| client.wait_timeout());
                Ok(info_payload(
                    &client.wait_for_report(&order, timeout).await?,
                ))
            };
            calls::run(env, work, is_async, &sink)
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
            let order = args::order_no(env, &order_no)?;
            let dir = args::out_dir(env, &out_dir)?;
            let client = get(handle)?;
            let work = async move { report_payload(&client.download_report(&order, &dir).await?) };
            calls::run(env, work, is_async, &sink)
        })
        .resolve_with::<ToSink, _>(|| &sink)
}

/// `fetchReport(type, outDir, options)`, ledger-backed: a report, or null for "no change". The
/// options (`timeout`, `newOrder`, `orderNo`) come as pairs, like the client's settings.
#[allow(clippy::too_many_arguments)]
#[jni_mangle("com.qccradar.NativeBridge")]
pub fn fetch_report<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
    report_type: JString<'local>,
    out_dir: JString<'local>,
    names: JObjectArray<'local, JString<'local>>,
    kinds: JPrimitiveArray<'local, jbyte>,
    texts: JObjectArray<'local, JString<'local>>,
    numbers: JPrimitiveArray<'local, jdouble>,
    is_async: jboolean,
    sink: JObject<'local>,
) -> jlong {
    unowned
        .with_env(|env| -> BridgeResult<jlong> {
            let pairs = options::read(env, &names, &kinds, &texts, &numbers)?;
            let options = options::fetch_options(pairs)?;
            let report_type = args::report_type(env, &report_type)?;
            let dir = args::out_dir(env, &out_dir)?;
            let client = get(handle)?;
            let work = async move {
                match client
                    .fetch_report_with(report_type, &dir, &options)
                    .await?
                {
                    Some(report) => report_payload(&report),
                    None => Ok(Payload::Null),
                }
            };
            calls::run(env, work, is_async, &sink)
        })
        .resolve_with::<ToSink, _>(|| &sink)
}
