//! A call's result, handed to Java: the `com.qccradar.NativeSink` object passed with every call.
//!
//! Java passes a sink and Rust calls exactly one of its two methods: `succeed(Object)` with the
//! payload (`null`, a `String` or a `String[]`), or `fail(kind, code, hasCode, message,
//! serverMessage, orderNo)`. The blocking sink stores the outcome for the calling thread; the
//! future's sink hands it to an executor. Calling methods on an object Java gave us needs no
//! class lookup by name, so this works the same on a Java thread and on an attached runtime
//! thread. Every entry point delivers through here, so there is one shape of result and one
//! shape of error however a call ran.

use jni::objects::{JObject, JObjectArray, JString};
use jni::{jni_sig, jni_str, Env, JValue};
use qcc_radar::Error;

/// What a successful call returns to Java.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Payload {
    /// `null`: createReport's "no change" and fetchReport's "no report".
    Null,
    /// A `String`: an order number or a Token.
    Text(String),
    /// A `String[]` (elements may be `null`): a report or a report's status, decoded by Java.
    Texts(Vec<Option<String>>),
}

/// The outcome of an operation, before it reaches Java.
pub(crate) type Outcome = qcc_radar::Result<Payload>;

fn payload_to_java<'local>(
    env: &mut Env<'local>,
    payload: Payload,
) -> jni::errors::Result<JObject<'local>> {
    match payload {
        Payload::Null => Ok(JObject::null()),
        Payload::Text(s) => Ok(JString::from_str(env, s)?.into()),
        Payload::Texts(items) => {
            let array = JObjectArray::<JString>::new(env, items.len(), JString::null())?;
            for (i, item) in items.into_iter().enumerate() {
                if let Some(s) = item {
                    let s = JString::from_str(env, s)?;
                    array.set_element(env, i, &s)?;
                    env.delete_local_ref(s);
                }
            }
            Ok(array.into())
        }
    }
}

/// Calls `sink.succeed(payload)`.
pub(crate) fn succeed(env: &mut Env, sink: &JObject, payload: Payload) -> jni::errors::Result<()> {
    let value = payload_to_java(env, payload)?;
    env.call_method(
        sink,
        jni_str!("succeed"),
        jni_sig!("(Ljava/lang/Object;)V"),
        &[JValue::Object(&value)],
    )?;
    Ok(())
}

/// Calls `sink.succeed(value)` with an object built by the caller (a payload too large or too
/// structured for [`Payload`], such as a report's tables).
pub(crate) fn succeed_object(
    env: &mut Env,
    sink: &JObject,
    value: &JObject,
) -> jni::errors::Result<()> {
    env.call_method(
        sink,
        jni_str!("succeed"),
        jni_sig!("(Ljava/lang/Object;)V"),
        &[JValue::Object(value)],
    )?;
    Ok(())
}

/// Calls `sink.fail(kind, code, hasCode, message, serverMessage, orderNo)` for `error`;
/// `orderNo` is the order the error concerns (null when none), so a caller can resume it.
pub(crate) fn fail(env: &mut Env, sink: &JObject, error: &Error) -> jni::errors::Result<()> {
    let kind = JString::from_str(env, error.kind().as_str())?;
    let message = JString::from_str(env, error.to_string())?;
    let server: JObject = match error.server_message() {
        Some(m) => JString::from_str(env, m)?.into(),
        None => JObject::null(),
    };
    let order_no: JObject = match error.order_no() {
        Some(o) => JString::from_str(env, o.as_str())?.into(),
        None => JObject::null(),
    };
    env.call_method(
        sink,
        jni_str!("fail"),
        jni_sig!("(Ljava/lang/String;IZLjava/lang/String;Ljava/lang/String;Ljava/lang/String;)V"),
        &[
            JValue::Object(&kind),
            JValue::Int(error.code().unwrap_or(0)),
            JValue::Bool(error.code().is_some()),
            JValue::Object(&message),
            JValue::Object(&server),
            JValue::Object(&order_no),
        ],
    )?;
    Ok(())
}

/// Delivers `outcome` to `sink`. If the sink cannot be called (a JNI failure), one more attempt
/// reports that as an `internal` error; a Java exception it leaves pending is the caller's to
/// handle (a native method lets it propagate, a runtime thread clears it on detaching).
pub(crate) fn deliver(env: &mut Env, sink: &JObject, outcome: Outcome) {
    let first = match outcome {
        Ok(payload) => succeed(env, sink, payload),
        Err(error) => fail(env, sink, &error),
    };
    if let Err(e) = first {
        if !env.exception_check() {
            let _ = fail(
                env,
                sink,
                &crate::errors::internal(format!("could not hand the result to Java ({e})")),
            );
        }
    }
}
