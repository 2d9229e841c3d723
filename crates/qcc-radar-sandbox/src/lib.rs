//! An in-process emulator of QCC Pro's risk-monitoring report API.
//!
//! Every test suite of qcc-radar — Rust, the CLI, Python, Node, C, Java — and the benchmarks
//! run against this sandbox instead of the paid service, so it must be faithful to the vendor's
//! document where the document speaks (paths, the `key` query parameter, the Token/Timespan
//! signature, the string `status` envelope with the vendor's Chinese `msg`, `P`/`S`/`F`, OSS-style
//! signed links) and do what the real service plausibly does where it is silent (a `Date` header,
//! 403 XML from the storage, GBK names in the zip). Each [`Scenario`] injects one fault a real
//! deployment meets: a 502 from a gateway, a connection cut mid-download, an expired link, a
//! clock that disagrees, an archive that tries to escape its folder or fill the disk.
//!
//! It depends on `qcc-radar-core` for signing and the status table, so the client and the
//! sandbox agree by construction on what a Token is, and on nothing in the client crate, so a
//! client bug cannot hide itself by being shared with its test server.
//!
//! ```no_run
//! use qcc_radar_sandbox::{Endpoint, Sandbox, Scenario};
//!
//! let sandbox = Sandbox::start(Scenario::Normal).unwrap();
//! println!("{} {} {}", sandbox.base_url(), sandbox.app_key(), sandbox.secret_key());
//! // ... point a client at it, then:
//! assert_eq!(sandbox.orders_placed(), 0);
//! assert_eq!(sandbox.count(Endpoint::Download), 0);
//! sandbox.shutdown();
//! ```
//!
//! Paths served: `GET /api/radar_ext/createReport`, `GET /api/radar_ext/getReportInfo`,
//! `GET|HEAD /files/{order}/{file}.zip?Expires=&OSSAccessKeyId=&Signature=`; anything else is a
//! JSON 404.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod api;
mod app;
mod archive;
mod clock;
mod config;
mod encrypted_archive;
mod large_archive;
mod orders;
mod range;
mod record;
mod sandbox;
mod scenario;
mod storage;
mod tables_report;
mod zip_writer;

pub use config::{SandboxConfig, DEFAULT_APP_KEY, DEFAULT_SECRET_KEY};
pub use encrypted_archive::UNZIP_PASSWORD;
pub use large_archive::MAX_LARGE_BYTES;
pub use record::{Endpoint, RecordedRequest, MAX_RECORDED_REQUESTS};
pub use sandbox::Sandbox;
pub use scenario::{ParseScenarioError, Scenario};
pub use storage::ACCESS_KEY_ID;
pub use tables_report::tables_report_files;
