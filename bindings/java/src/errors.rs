//! Errors inside the bridge, and the one policy that turns them into Java exceptions.
//!
//! A native method can fail in three ways: the client returns a `qcc_radar::Error` (the normal
//! case: quota, auth, timeout…), a JNI call fails, or something panics. All three end in the
//! same place, the call's sink, as a `QccException` with a kind, so Java callers catch one
//! type. A JNI failure that left a Java exception pending (an `OutOfMemoryError`, say) is left
//! to propagate as it is: replacing it would hide the real cause.
//!
//! The error kinds themselves are the client's (`qcc_radar::ErrorKind::ALL`); [`error_kinds`]
//! hands their names to the Java suite, which checks that `com.qccradar.ErrorKind` knows them
//! all, so a kind added in Rust cannot reach Java as an unknown one.

use std::any::Any;
use std::fmt;

use jni::errors::ErrorPolicy;
use jni::objects::{JClass, JObject};
use jni::{jni_mangle, Env, EnvUnowned};
use qcc_radar::{Error, ErrorKind};

use crate::results::{self, Payload};

/// Why a native call did not produce a result.
#[derive(Debug)]
pub(crate) enum BridgeError {
    /// The client (or argument checking) refused: delivered to Java as it is.
    Qcc(Error),
    /// A JNI call failed; delivered as kind `internal` unless a Java exception is pending.
    Jni(jni::errors::Error),
}

impl From<Error> for BridgeError {
    fn from(e: Error) -> Self {
        BridgeError::Qcc(e)
    }
}

impl From<jni::errors::Error> for BridgeError {
    fn from(e: jni::errors::Error) -> Self {
        BridgeError::Jni(e)
    }
}

impl fmt::Display for BridgeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BridgeError::Qcc(e) => e.fmt(f),
            BridgeError::Jni(e) => write!(f, "JNI call failed: {e}"),
        }
    }
}

impl std::error::Error for BridgeError {}

/// The `Result` of bridge code.
pub(crate) type BridgeResult<T> = std::result::Result<T, BridgeError>;

/// An `internal` error: a bug in qcc-radar or in the bridge, never the caller's fault.
pub(crate) fn internal(what: impl fmt::Display) -> Error {
    Error::new(
        ErrorKind::Internal,
        format!("internal error in the qcc-radar Java binding: {what}; please report this"),
    )
}

/// The text of a panic payload.
pub(crate) fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// Converts a bridge error into the error Java should see, or `None` when a Java exception is
/// already pending and should propagate unchanged.
pub(crate) fn to_qcc(env: &Env, err: BridgeError) -> Option<Error> {
    match err {
        BridgeError::Qcc(e) => Some(e),
        BridgeError::Jni(_) if env.exception_check() => None,
        BridgeError::Jni(e) => Some(internal(format!("a JNI call failed ({e})"))),
    }
}

/// The error policy of every native method: errors and panics go to the call's sink as a
/// `QccException`, and the method returns its default value (0, false, null).
#[derive(Debug)]
pub(crate) struct ToSink;

impl<T: Default> ErrorPolicy<T, BridgeError> for ToSink {
    type Captures<'local: 'native_method, 'native_method> = &'native_method JObject<'local>;

    fn on_error<'local: 'native_method, 'native_method>(
        env: &mut Env<'local>,
        sink: &mut &'native_method JObject<'local>,
        err: BridgeError,
    ) -> jni::errors::Result<T> {
        if let Some(e) = to_qcc(env, err) {
            results::fail(env, sink, &e)?;
        }
        Ok(T::default())
    }

    fn on_panic<'local: 'native_method, 'native_method>(
        env: &mut Env<'local>,
        sink: &mut &'native_method JObject<'local>,
        payload: Box<dyn Any + Send + 'static>,
    ) -> jni::errors::Result<T> {
        let text = panic_text(payload.as_ref());
        // Dropping a payload can itself panic; leak it rather than risk unwinding here.
        std::mem::forget(payload);
        if !env.exception_check() {
            results::fail(env, sink, &internal(format!("panic: {text}")))?;
        }
        Ok(T::default())
    }
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
            let names = ErrorKind::ALL
                .iter()
                .map(|k| Some(k.as_str().to_string()))
                .collect();
            results::deliver(env, &sink, Ok(Payload::Texts(names)));
            Ok(())
        })
        .resolve_with::<ToSink, _>(|| &sink)
}
