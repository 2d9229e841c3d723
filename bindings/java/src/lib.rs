//! The JNI half of the Java binding: `com.qccradar.RadarClient` calls the `static native`
//! methods of `com.qccradar.NativeBridge`, implemented here over the `qcc-radar` client.
//!
//! The bridge is thin on purpose: it converts arguments, maps names and errors and runs
//! futures; every protocol decision, every setting's rule and every message stays in
//! `qcc-radar`. One file per concept, as in the other bindings: [`client`] (a client's life and
//! its calls), [`options`] (settings and fetch options by name), [`progress`], [`report`],
//! [`tables`], [`sign`], [`errors`]; and the plumbing every call shares, [`calls`] (blocking or
//! async) and [`results`] (handing the outcome to Java). Three hazards shape it:
//!
//! * **Nothing may unwind into the JVM and no stray Java exception may be left pending.** Every
//!   native method runs inside `EnvUnowned::with_env` (which catches panics) and resolves its
//!   outcome with one policy, [`errors::ToSink`], that hands any error or panic to the Java side
//!   as a `QccException` (kind `internal` for panics and JNI failures).
//! * **Java owns the handles, so Java can misuse them.** A client is an id into a registry
//!   ([`client`]), never a pointer: a call that races `close()`, or comes after it, finds no
//!   client and fails with a `config` error instead of touching freed memory.
//! * **Threads that Java did not create must attach properly.** Async results and progress
//!   events reach Java from threads that attach only for that moment ([`calls`], [`progress`]),
//!   so no Rust thread holds the JVM open, and none runs user code on a client's own threads.
//!
//! Results cross the boundary as plain strings and arrays delivered to a Java "sink" object
//! passed with each call ([`results`]). Rust therefore never looks up an application class by
//! name, which would depend on the calling thread's class loader (and fails on runtime
//! threads); it only calls methods on objects Java handed it.

mod args;
mod calls;
mod client;
mod errors;
mod options;
mod progress;
mod report;
mod results;
mod sign;
mod tables;
#[cfg(feature = "test-hooks")]
mod test_hooks;
