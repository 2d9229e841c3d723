//! The pure protocol core of qcc-radar.
//!
//! Everything the QCC Pro risk-monitoring report API *means* lives here, so that the client,
//! the sandbox emulator and every language binding agree by construction: how a request is
//! signed, what each status code says, how a response body becomes a typed outcome, how long to
//! wait between polls, and whether an archive is safe to extract, the same on every system.
//!
//! The crate does no I/O, owns no async runtime and never reads the clock: every function that
//! needs "now" takes it as an argument. That keeps it deterministic, testable with shared
//! vectors from every language, and free of HTTP dependencies (`cargo tree -p qcc-radar-core`
//! shows no reqwest, tokio or hyper).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod archive_limits;
pub mod archive_name;
pub mod archive_plan;
pub mod base_url;
pub mod clock_skew;
pub mod credentials;
pub mod error;
pub mod order_no;
pub mod period;
pub mod poll_schedule;
pub mod redact;
pub mod report_link;
pub mod report_status;
pub mod report_type;
pub mod request;
pub mod response;
pub mod retry_policy;
pub mod status_code;
pub mod tables;
pub mod unzip_password;

pub use archive_limits::ArchiveLimits;
pub use archive_name::{decode_entry_name, safe_entry_path, SafePath};
pub use archive_plan::{plan_archive, Encryption, EntryDescription, PlannedFile};
pub use base_url::{BaseUrl, DEFAULT_BASE_URL};
pub use credentials::{sign, Credentials, SecretKey, SignedHeaders};
pub use error::{Error, ErrorKind, Result};
pub use order_no::OrderNo;
pub use period::report_period;
pub use poll_schedule::PollSchedule;
pub use report_link::ReportLink;
pub use report_status::ReportStatus;
pub use report_type::ReportType;
pub use request::{ApiRequest, CREATE_REPORT_PATH, REPORT_INFO_PATH};
pub use response::{parse_create_report, parse_report_info, CreateReportOutcome, ReportInfo};
pub use retry_policy::RetryPolicy;
pub use status_code::{lookup_status, StatusCode};
pub use unzip_password::UnzipPassword;

/// The crate's version, as the user agent and the bindings report it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
