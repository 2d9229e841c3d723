//! The two enums of the header: the status every fallible call returns, and an error's kind.
//!
//! They share their numbers (`QCC_RADAR_STATUS_AUTH == QCC_RADAR_ERROR_KIND_AUTH`), so a caller
//! that passed `err = NULL` can still branch on the kind, and `0` means "no error" in both.
//! Neither is ever *read* from C by this library (a C caller can put any integer in an enum,
//! which would be undefined behaviour in Rust): inputs use strings or integers instead.

use qcc_radar::ErrorKind as CoreKind;

/// What a fallible qcc_radar function returns: QCC_RADAR_STATUS_OK (0) on success, otherwise
/// the kind of the failure, with the same number as `enum qcc_radar_error_kind`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Success.
    Ok = 0,
    /// The key, secret, signature or clock is wrong (API status 101, 103, 104, 107, 115, 119 …).
    Auth = 1,
    /// Money, daily limits or throttling (102, 109, 112, 116, 110, 120, 122 …).
    Quota = 2,
    /// The interface is not enabled or not bought (111, 113, 114, 214, 223, 118 …).
    Permission = 3,
    /// The request itself is wrong (202, 213, 215, 207–209, 218, 219, an unknown order …).
    InvalidRequest = 4,
    /// The report's generation failed (reportStatus F): order a new one.
    ReportFailed = 5,
    /// A wait ran past its deadline; the order stays valid.
    Timeout = 6,
    /// Network, TLS, 5xx or unreadable answers, after the retries allowed.
    Transport = 7,
    /// The download is not a sound, safe zip; nothing was left behind.
    Archive = 8,
    /// Missing credentials, a bad base URL or a bad argument (NULL, not UTF-8, unknown value):
    /// nothing was sent.
    Config = 9,
    /// The operation was cancelled.
    Cancelled = 10,
    /// A bug in qcc-radar (for example a caught panic); please report it.
    Internal = 11,
    /// createReport may have placed (and billed) an order whose answer was never recorded; the
    /// fetch functions order nothing more for that period until the caller has checked and
    /// passes `new_order` (`struct qcc_radar_fetch_options`).
    UnconfirmedOrder = 12,
    /// The local file system failed (disk full, permission denied, an unreadable ledger); the
    /// message names the path.
    Io = 13,
}

/// The kind of a `struct qcc_radar_error`, as code branches on it. The names returned by
/// qcc_radar_error_kind_name() ("auth", "quota", "permission", "invalid_request",
/// "report_failed", "timeout", "transport", "archive", "config", "cancelled", "internal",
/// "unconfirmed_order", "io") are the ones every qcc-radar binding and the `qcc-radar` command
/// use.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Not an error: the kind of a NULL error, matching QCC_RADAR_STATUS_OK.
    None = 0,
    /// "auth": the key, secret, signature or clock is wrong.
    Auth = 1,
    /// "quota": money, daily limits or throttling.
    Quota = 2,
    /// "permission": the interface is not enabled or not bought.
    Permission = 3,
    /// "invalid_request": the request itself is wrong, or the order number is unknown.
    InvalidRequest = 4,
    /// "report_failed": the report's generation failed (reportStatus F).
    ReportFailed = 5,
    /// "timeout": a wait ran past its deadline.
    Timeout = 6,
    /// "transport": network, TLS, 5xx or unreadable answers after the retries allowed.
    Transport = 7,
    /// "archive": the download is not a sound, safe zip.
    Archive = 8,
    /// "config": missing credentials, a bad base URL or a bad argument.
    Config = 9,
    /// "cancelled": the operation was cancelled.
    Cancelled = 10,
    /// "internal": a bug in qcc-radar.
    Internal = 11,
    /// "unconfirmed_order": createReport may have placed an order whose answer was never
    /// recorded; nothing more is ordered for that period until the caller passes `new_order`.
    UnconfirmedOrder = 12,
    /// "io": the local file system failed; the message names the path.
    Io = 13,
}

impl ErrorKind {
    /// The C kind of a core kind.
    pub(crate) fn from_core(kind: CoreKind) -> ErrorKind {
        match kind {
            CoreKind::Auth => ErrorKind::Auth,
            CoreKind::Quota => ErrorKind::Quota,
            CoreKind::Permission => ErrorKind::Permission,
            CoreKind::InvalidRequest => ErrorKind::InvalidRequest,
            CoreKind::ReportFailed => ErrorKind::ReportFailed,
            CoreKind::Timeout => ErrorKind::Timeout,
            CoreKind::Transport => ErrorKind::Transport,
            CoreKind::Archive => ErrorKind::Archive,
            CoreKind::Config => ErrorKind::Config,
            CoreKind::Cancelled => ErrorKind::Cancelled,
            CoreKind::Internal => ErrorKind::Internal,
            CoreKind::UnconfirmedOrder => ErrorKind::UnconfirmedOrder,
            CoreKind::Io => ErrorKind::Io,
        }
    }
}

impl Status {
    /// The status a failure of `kind` is reported with.
    pub(crate) fn from_core(kind: CoreKind) -> Status {
        match kind {
            CoreKind::Auth => Status::Auth,
            CoreKind::Quota => Status::Quota,
            CoreKind::Permission => Status::Permission,
            CoreKind::InvalidRequest => Status::InvalidRequest,
            CoreKind::ReportFailed => Status::ReportFailed,
            CoreKind::Timeout => Status::Timeout,
            CoreKind::Transport => Status::Transport,
            CoreKind::Archive => Status::Archive,
            CoreKind::Config => Status::Config,
            CoreKind::Cancelled => Status::Cancelled,
            CoreKind::Internal => Status::Internal,
            CoreKind::UnconfirmedOrder => Status::UnconfirmedOrder,
            CoreKind::Io => Status::Io,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_and_kind_share_numbers() {
        for kind in CoreKind::ALL {
            assert_eq!(
                Status::from_core(kind) as i32,
                ErrorKind::from_core(kind) as i32
            );
            assert_ne!(Status::from_core(kind), Status::Ok);
        }
        assert_eq!(ErrorKind::None as i32, Status::Ok as i32);
    }
}
