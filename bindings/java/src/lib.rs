//! The JNI half of the Java binding: `com.qccradar.RadarClient` calls the `static native`
//! methods of `com.qccradar.NativeBridge`, implemented here over the `qcc-radar` client.
//!
//! The bridge is thin on purpose: it converts arguments, maps errors and runs futures; every
//! protocol decision stays in `qcc-radar`. Three hazards shape it:
//!
//! * **Nothing may unwind into the JVM and no stray Java exception may be left pending.** Every
//!   native method runs inside `EnvUnowned::with_env` (which catches panics) and resolves its
//!   outcome with one policy, [`error::ToSink`], that hands any error or panic to the Java side
//!   as a `QccException` (kind `internal` for panics and JNI failures).
//! * **Java owns the handles, so Java can misuse them.** A client is an id into a registry
//!   ([`handles`]), never a pointer: a call that races `close()`, or comes after it, finds no
//!   client and fails with a `config` error instead of touching freed memory.
//! * **Threads that Java did not create must attach properly.** Async calls run on the shared
//!   `qcc_radar::blocking::runtime()`; the finished result is handed to Java from a runtime
//!   thread that attaches only for that moment ([`async_call`]), so runtime threads never hold
//!   the JVM open and never run user callbacks.
//!
//! Results cross the boundary as plain strings and string arrays delivered to a Java "sink"
//! object passed with each call ([`sink`]). Rust therefore never looks up an application class
//! by name, which would depend on the calling thread's class loader (and fails on runtime
//! threads); it only calls methods on objects Java handed it.

mod args;
mod async_call;
mod error;
mod handles;
mod natives;
mod ops;
mod sink;
mod sync_call;
mod tables;
