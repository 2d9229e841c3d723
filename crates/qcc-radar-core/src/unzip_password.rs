//! The password of an encrypted report archive.
//!
//! The older radar API answered the download link with an `unzipPassword` beside it, and its
//! zips were encrypted (ZipCrypto); getReportInfo's `result.unzipPassword` is read the same way
//! (see `spec/API-NOTES.md`). Whoever holds the password and the archive holds the report, so
//! it is a secret like the SecretKey: `Debug` and `Display` print `<redacted>`, and
//! [`UnzipPassword::expose`] gives the text only to the one place that decrypts.

use std::fmt;

/// A report archive's password. Formatting it never shows its value.
#[derive(Clone, PartialEq, Eq)]
pub struct UnzipPassword(String);

impl UnzipPassword {
    /// Wraps a password, kept exactly as given (spaces included).
    pub fn new(password: impl Into<String>) -> Self {
        UnzipPassword(password.into())
    }

    /// The password itself, for decrypting. Never log or format it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the password is the empty string (an empty password decrypts nothing).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for UnzipPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for UnzipPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_never_shows_the_password() {
        let p = UnzipPassword::new("hunter2-密码");
        let shown = format!("{p} {p:?} {:?} {:#?}", Some(&p), p);
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains("密码"), "{shown}");
        assert_eq!(format!("{p}"), "<redacted>");
        assert_eq!(format!("{p:?}"), "<redacted>");
        assert_eq!(p.expose(), "hunter2-密码");
    }
}
