//! The one error type every layer and every language shares.
//!
//! Bindings in five languages must tell a caller the same two things: *what kind* of failure
//! this is (so code can branch: fix the key, wait for quota, retry later) and, when the API
//! answered, *its status code*. A flat struct with a kind, an optional code, an English message
//! and the server's own `msg` maps onto every language's exception model without loss, which
//! an enum tree of causes would not. Messages never contain the secret key, a Token or a
//! signed link's query string: constructors take already-redacted text.

use std::fmt;

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
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 11] = [
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
        }
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
