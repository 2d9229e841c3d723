//! The qcc-radar client: order QCC Pro risk-monitoring reports, wait for them, download and
//! safely extract them.
//!
//! Every binding (Python, Node, C, Java) and the `qcc-radar` command wrap this crate, so the
//! hard parts live here once: retries that never pay for a second order, clock-skew correction,
//! signed links that expire mid-download, resumable streaming downloads that never leave a
//! half-written file under its final name, and extraction that treats the archive as hostile.
//! What the protocol *means* lives in [`qcc_radar_core`]; this crate adds the I/O.
//!
//! ```
//! # fn main() -> qcc_radar::Result<()> {
//! use qcc_radar::{Client, ReportType};
//! use qcc_radar_sandbox::{Sandbox, Scenario};
//!
//! // The emulator stands in for https://pro.qcc.com; with real credentials, leave the
//! // builder empty and set QCC_APP_KEY and QCC_SECRET_KEY instead.
//! let sandbox = Sandbox::start(Scenario::Normal).expect("sandbox");
//! let client = Client::builder()
//!     .app_key(sandbox.app_key())
//!     .secret_key(sandbox.secret_key())
//!     .base_url(sandbox.base_url())
//!     .poll_schedule(qcc_radar::PollSchedule::fixed(std::time::Duration::from_millis(50)))
//!     .build()?;
//! let out = tempfile::tempdir().expect("temp dir");
//!
//! let rt = tokio::runtime::Runtime::new().expect("runtime");
//! match rt.block_on(client.fetch_report(ReportType::Day, out.path()))? {
//!     Some(report) => println!("{} files in {}", report.files.len(), report.folder.display()),
//!     None => println!("no risk changes today"),
//! }
//! # Ok(()) }
//! ```
//!
//! # Diagnostics
//!
//! The client narrates with [`tracing`] (an order placed at info, each request at debug, a
//! retry or an interrupted download at warn, a refreshed link at info), under the targets
//! `qcc_radar::*` and `qcc_radar_core::*`; secret keys, Tokens and signed-link queries never
//! appear in an event. Install any subscriber to see them. Hosts that cannot (the C, Java and
//! Node bindings) call `stderr_log::init_from_env` (cargo feature `stderr-log`), which writes
//! them to stderr when `QCC_RADAR_LOG` (`debug`, `trace`, or filter directives) or `RUST_LOG`
//! is set, and does nothing otherwise.
//!
//! # Layout
//!
//! Each module has one job, and uses only modules further down this list, never one above it.
//! A lower module that needs something of a higher one takes it as an argument or as a small
//! trait it defines itself: the download gets its fresh links from a `LinkSource` (the client)
//! and reports to a `ProgressSink`, the API calls take their own `ApiSettings`, not the
//! client's.
//!
//! ```text
//! module         job                                   uses
//! blocking       the client without an async runtime   builder, client
//! builder        setters or names → a Client           client, transport, settings, progress
//! fetch          the whole flow, ledger-backed         client, delivery*, ledger, report_folder,
//!                                                      settings, clock
//! delivery       a made report onto disk, atomically   client, download, extract, report_folder,
//!                                                      local_fs
//! client         Client's state; order, ask, wait      transport, retry, closing, progress, clock
//! download       the archive's bytes, resumable        transport, retry, report_folder, local_fs,
//!                                                      progress, clock
//! extract        a hostile zip into a staging folder   report_folder, local_fs, progress
//! ledger         the order ledger's file               report_folder, local_fs, clock
//! transport      signed API calls; the HTTP client     retry, clock
//! report_folder  an output folder's names and lock     report
//! retry          one retry loop: attempts, back-off    -
//! local_fs       io errors, fsync, write-back, modes   -
//! clock          the wall clock, the server's offset   -
//! closing        close: cancel what runs, refuse later -
//! progress       progress events, thinned              -
//! report         a report on disk (plain data)         -
//! settings       the settings table and its parsing    -
//! stderr_log     opt-in diagnostics on stderr          -
//! ```
//!
//! `Client`'s methods are spread by job (`client.rs`, `delivery.rs`, `fetch.rs`, and
//! `Client::builder` in `builder.rs`); `*` marks such a use: fetch calls delivery's
//! `download_locked`.

#![warn(missing_docs)]

pub mod blocking;
mod builder;
mod client;
mod clock;
mod closing;
mod delivery;
mod download;
pub mod extract;
mod fetch;
pub mod ledger;
mod local_fs;
mod progress;
mod report;
mod report_folder;
mod retry;
pub mod settings;
#[cfg(feature = "stderr-log")]
pub mod stderr_log;
mod transport;

pub use builder::ClientBuilder;
pub use client::Client;
pub use fetch::FetchOptions;
pub use progress::{Progress, ProgressFn, PROGRESS_EVERY};
pub use report::Report;
pub use report_folder::{prepare_out_dir, FolderLock, ReportFolder, LEDGER_FILE, LOCK_FILE};
pub use settings::{Host, SettingValue};

pub use qcc_radar_core::{
    sign, ArchiveLimits, Error, ErrorKind, OrderNo, PollSchedule, ReportInfo, ReportLink,
    ReportStatus, ReportType, Result, RetryPolicy, UnzipPassword, DEFAULT_BASE_URL, VERSION,
};

/// The core crate, for callers that need its lower-level pieces.
pub use qcc_radar_core as core;

/// A report's contents as tables (the `qcc-radar-tables` crate): [`Report::tables`] and
/// [`read_tables`] give [`tables::Tables`], each [`tables::Table`] an Arrow record batch with
/// typed rows, Arrow IPC bytes and an Arrow C stream for the bindings.
#[cfg(feature = "tables")]
pub use qcc_radar_tables as tables;

/// Reads every file under a report folder already on disk into tables (see [`tables`]).
#[cfg(feature = "tables")]
pub use qcc_radar_tables::read_tables;
