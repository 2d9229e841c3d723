//! Hooks for the Java test suite only, compiled only with the cargo feature `test-hooks`.
//!
//! The suite must prove that a panic inside the library becomes a `QccException` of kind
//! `internal` instead of unwinding into the JVM, and that needs a way to panic on purpose. A
//! shipped library must not offer one, so the hook exists only in a build with `test-hooks`
//! (the Maven build's own cargo step, which the suite runs on); the packaged library has no
//! such entry point, and `NativeBridge.panicForTest` then throws
//! `UnsupportedOperationException`.

use jni::objects::{JClass, JObject};
use jni::{jni_mangle, EnvUnowned};

use crate::errors::{BridgeResult, ToSink};

/// Panics on purpose; the sink receives an `internal` error.
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
