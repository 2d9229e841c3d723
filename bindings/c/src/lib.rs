//! The C interface of qcc-radar: `libqcc_radar.so`, `libqcc_radar.a` and `include/qcc_radar.h`.
//!
//! Legacy C (and anything with a C FFI) gets the same client as every other binding, through a
//! small, boring ABI: opaque handles, plain structs for results, every function returning an
//! `enum qcc_radar_status` and an optional heap-allocated error, every pointer's owner stated,
//! every free function accepting NULL. The hazards of a C boundary are handled in one place
//! each: panics and argument conversion in [`guard`] and [`args`], ownership of returned memory
//! in [`strings`] and [`report`], the client handle's lifetime (freed while other threads are
//! inside calls) in [`handle`], callbacks from the library's threads in [`progress`]; settings
//! are mapped by name to the client crate's one table in [`options`]. Calls block the calling
//! thread on the client's shared runtime (`qcc_radar::blocking`), so C needs no event loop, and
//! one client may be shared by threads.
//!
//! The header is generated from this crate by cbindgen (see `build.rs`): doc comments here are
//! the C documentation, so they speak of C types, ownership and NULL.
//!
//! The entry points are safe `extern "C" fn`s that take raw pointers: C cannot see Rust's
//! `unsafe`, the pointer contract (NULL or valid, not freed) is stated in each function's
//! header comment, and every NULL is checked. Hence the crate-wide allowance below; the `rlib`
//! exists only for this crate's own tests.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

mod args;
pub mod client;
pub mod error;
mod guard;
mod handle;
pub mod options;
pub mod progress;
pub mod report;
pub mod sign;
pub mod status;
pub mod strings;
pub mod tables;

pub use client::Client;
pub use error::Error;
pub use options::{ClientOptions, FetchOptions, SettingPairs};
pub use progress::{Progress, ProgressKind};
pub use report::{Report, ReportInfo};
pub use status::{ErrorKind, Status};
pub use tables::Tables;
