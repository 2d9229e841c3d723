//! The one error type every layer and every language shares.
//!
//! Bindings in five languages must tell a caller the same two things: *what kind* of failure
//! this is (so code can branch: fix the key, wait for quota, retry later) and, when the API
//! answered, *its status code*. A flat struct with a kind, an optional code, an English message
//! and the server's own `msg` maps onto every language's exception model without loss, which
//! an enum tree of causes would not. Messages never contain the secret key, a Token or a
//! signed link's query string: constructors take already-redacted text.

use std::fmt;

use crate::order_no::OrderNo;

/// What went wrong, as a caller would branch on it. Stable names across all bindings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The key, secret, signature or clock is wrong (101, 103, 104, 107, 115, 119 …).
    Auth,
    /// Money, daily limits or throttling (102, 109, 112, 116, 110, 120, 122 …).
    Quota,
    /// The interface is not enabled or not bought (111, 113, 114, 214, 223, 118 …).
    Permission,
    /// The request itself is wrong (202, 213, 215, 207–209, 218, 219, an unknown order …).
    InvalidRequest,
    /// The report's generation failed (reportStatus `F`).
    ReportFailed,
    /// A wait ran past its deadline.
    Timeout,
    /// Network, TLS, 5xx and unreadable answers, after the retries allowed.
    Transport,
    /// The download is not a sound, safe zip.
    Archive,
    /// Missing credentials, a bad base URL or bad arguments: nothing was sent.
    Config,
    /// The caller cancelled the operation (Ctrl-C, an abort signal, a cancelled task).
    Cancelled,
    /// A bug in qcc-radar itself (for example a caught panic at an FFI boundary).
    Internal,
    /// createReport may have placed (and billed) an order whose answer never arrived: the
    /// request went out and the connection broke, timed out, or the process stopped before the
    /// answer was recorded. Nothing more is ordered for that period until the caller decides.
    UnconfirmedOrder,
    /// The local file system failed: disk full, permission denied, read-only, an unreadable
    /// ledger. The message names the path.
    Io,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 13] = [
        ErrorKind::Auth,
        ErrorKind::Quota,
        ErrorKind::Permission,
        ErrorKind::InvalidRequest,
        ErrorKind::ReportFailed,
        ErrorKind::Timeout,
        ErrorKind::Transport,
        ErrorKind::Archive,
        ErrorKind::Config,
        ErrorKind::Cancelled,
        ErrorKind::Internal,
        ErrorKind::UnconfirmedOrder,
        ErrorKind::Io,
    ];

    /// The snake_case name used in JSON output and by every binding (`"invalid_request"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Auth => "auth",
            ErrorKind::Quota => "quota",
            ErrorKind::Permission => "permission",
            ErrorKind::InvalidRequest => "invalid_request",
            ErrorKind::ReportFailed => "report_failed",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Transport => "transport",
            ErrorKind::Archive => "archive",
            ErrorKind::Config => "config",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::Internal => "internal",
            ErrorKind::UnconfirmedOrder => "unconfirmed_order",
            ErrorKind::Io => "io",
        }
    }

    /// Parses a name produced by [`ErrorKind::as_str`].
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The `qcc-radar` command's exit status for this kind (DESIGN.md's table).
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorKind::Config => 2,
            ErrorKind::Auth
            | ErrorKind::Quota
            | ErrorKind::Permission
            | ErrorKind::InvalidRequest => 3,
            ErrorKind::ReportFailed => 4,
            ErrorKind::Timeout => 5,
            ErrorKind::Transport => 6,
            ErrorKind::Archive => 7,
            ErrorKind::UnconfirmedOrder => 8,
            ErrorKind::Io => 9,
            ErrorKind::Cancelled => 130,
            ErrorKind::Internal => 1,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A qcc-radar failure: a kind, the API's status code when it answered, a message that says
/// what happened and what to do, and the server's own `msg` when there was one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    code: Option<i32>,
    message: String,
    server_message: Option<String>,
    retryable: bool,
    order_no: Option<OrderNo>,
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A new error of `kind` with an English `message`. Not retryable, no code.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            code: None,
            message: message.into(),
            server_message: None,
            retryable: false,
            order_no: None,
        }
    }

    /// An [`ErrorKind::Io`] error for the local file system: `what` was being done to `path`
    /// ("write the ledger", "create the folder"), the OS error, and `next` says what to do.
    pub fn io(what: &str, path: &std::path::Path, e: &std::io::Error, next: &str) -> Self {
        let hint = match e.raw_os_error() {
            Some(28) => " (the disk is full)",
            Some(122) => " (the disk quota is exceeded)",
            Some(30) => " (the file system is read-only)",
            _ if e.kind() == std::io::ErrorKind::PermissionDenied => " (permission denied)",
            _ => "",
        };
        let mut message = format!("cannot {what} {}: {e}{hint}", path.display());
        if !next.is_empty() {
            message.push_str("; ");
            message.push_str(next);
        }
        Error::new(ErrorKind::Io, message)
    }

    /// A [`ErrorKind::Config`] error: bad input, nothing was sent.
    pub fn config(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Config, message)
    }

    /// A [`ErrorKind::Transport`] error that a retry may cure.
    pub fn transport(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Transport, message).with_retryable(true)
    }

    /// An [`ErrorKind::Archive`] error.
    pub fn archive(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Archive, message)
    }

    /// Sets the API status code.
    pub fn with_code(mut self, code: i32) -> Self {
        self.code = Some(code);
        self
    }

    /// Sets the API status code when there is one.
    pub fn with_code_opt(mut self, code: Option<i32>) -> Self {
        self.code = code;
        self
    }

    /// Sets the server's own `msg`.
    pub fn with_server_message(mut self, msg: impl Into<String>) -> Self {
        let msg = msg.into();
        self.server_message = if msg.is_empty() { None } else { Some(msg) };
        self
    }

    /// Marks whether retrying the same request may succeed.
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.retryable = retryable;
        self
    }

    /// Records the order this error concerns (a wait that timed out, a failed report, a
    /// download or archive failure after ordering), so the caller can resume it instead of
    /// paying again. Keeps an order already recorded.
    pub fn with_order_no(mut self, order_no: &OrderNo) -> Self {
        if self.order_no.is_none() {
            self.order_no = Some(order_no.clone());
        }
        self
    }

    /// The order this error concerns, when one exists.
    pub fn order_no(&self) -> Option<&OrderNo> {
        self.order_no.as_ref()
    }

    /// Changes the kind, keeping everything else (code, server message, order).
    pub fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.kind = kind;
        self
    }

    /// Prefixes the message with context ("downloading JKDAY-1: …").
    pub fn context(mut self, context: impl AsRef<str>) -> Self {
        self.message = format!("{}: {}", context.as_ref(), self.message);
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The API's status code, when the API answered with one.
    pub fn code(&self) -> Option<i32> {
        self.code
    }

    /// The English message, without the server's `msg`.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The server's own `msg` (often Chinese), when there was one.
    pub fn server_message(&self) -> Option<&str> {
        self.server_message.as_deref()
    }

    /// Whether repeating the same request may succeed (network faults, 5xx, throttling).
    pub fn is_retryable(&self) -> bool {
        self.retryable
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(code) = self.code {
            write!(f, " [status {code}]")?;
        }
        if let Some(msg) = &self.server_message {
            write!(f, " (server said: {msg})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_round_trip() {
        for kind in ErrorKind::ALL {
            assert_eq!(ErrorKind::from_name(kind.as_str()), Some(kind));
        }
        assert_eq!(ErrorKind::from_name("nope"), None);
    }

    #[test]
    fn exit_codes_follow_design() {
        assert_eq!(ErrorKind::Config.exit_code(), 2);
        assert_eq!(ErrorKind::Auth.exit_code(), 3);
        assert_eq!(ErrorKind::InvalidRequest.exit_code(), 3);
        assert_eq!(ErrorKind::ReportFailed.exit_code(), 4);
        assert_eq!(ErrorKind::Timeout.exit_code(), 5);
        assert_eq!(ErrorKind::Transport.exit_code(), 6);
        assert_eq!(ErrorKind::Archive.exit_code(), 7);
        assert_eq!(ErrorKind::UnconfirmedOrder.exit_code(), 8);
        assert_eq!(ErrorKind::Io.exit_code(), 9);
        assert_eq!(ErrorKind::Cancelled.exit_code(), 130);
    }

    #[test]
    fn order_no_is_kept_and_not_replaced() {
        let a = OrderNo::new("JKDAY-1").unwrap();
        let b = OrderNo::new("JKDAY-2").unwrap();
        let e = Error::new(ErrorKind::Timeout, "late")
            .with_order_no(&a)
            .with_order_no(&b);
        assert_eq!(e.order_no(), Some(&a));
        assert_eq!(Error::config("x").order_no(), None);
    }

    #[test]
    fn io_errors_name_the_path_and_the_next_step() {
        let e = Error::io(
            "write the ledger",
            std::path::Path::new("/srv/r/qcc-radar-journal.json"),
            &std::io::Error::from_raw_os_error(28),
            "free space and run again",
        );
        assert_eq!(e.kind(), ErrorKind::Io);
        let m = e.message();
        assert!(m.contains("/srv/r/qcc-radar-journal.json"), "{m}");
        assert!(m.contains("disk is full"), "{m}");
        assert!(m.ends_with("free space and run again"), "{m}");
    }

    #[test]
    fn display_carries_code_and_server_message() {
        let e = Error::new(ErrorKind::Quota, "balance exhausted")
            .with_code(112)
            .with_server_message("余额不足");
        assert_eq!(
            e.to_string(),
            "balance exhausted [status 112] (server said: 余额不足)"
        );
    }
}
