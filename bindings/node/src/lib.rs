//! The native addon of the npm package `qcc-radar`.
//!
//! A thin bridge, by design: argument conversion, error mapping and the runtime bridge, and
//! nothing the protocol means — that lives in the `qcc-radar` crate, shared with the CLI and
//! the Python, C and Java bindings, so every language behaves the same: the settings (mapped
//! here by name onto its one settings table), closing, progress thinning and error messages
//! included. What this crate adds is specific to Node: promises that never block the event
//! loop, cancellation by `AbortSignal`, and errors that `node/errors.js` can rebuild as
//! `QccError`s.
//! The public API is the hand-written layer in `node/` (`index.js`, `index.d.ts`); the
//! classes here are its private engine (`native.js`, generated).
//!
//! Every export is declared with `catch_unwind`, so a bug that panics becomes an `internal`
//! `QccError` instead of unwinding into Node (which would abort the process); a panic inside a
//! task is caught by the runtime and rejects its promise the same way.

#![deny(missing_docs)]

pub mod client;
pub mod error;
pub mod operations;
pub mod options;
pub mod progress;
pub mod report;
pub mod sandbox;
pub mod sign;
pub mod tables;

/// The version of the Rust client inside this addon.
#[napi_derive::napi(catch_unwind)]
pub fn native_version() -> String {
    qcc_radar::VERSION.to_string()
}
