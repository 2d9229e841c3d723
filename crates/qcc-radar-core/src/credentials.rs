//! Credentials and request signing.
//!
//! Token = upper-case hex MD5 of `app_key + timespan + secret_key`, no separators. The hazard
//! the vendor's demos hit is reading the clock twice (once per header) and straddling a second
//! boundary; here the timespan is an argument, so a caller reads the clock once per attempt and
//! both headers come from that one value. The secret lives in [`SecretKey`], whose `Debug` and
//! `Display` never show it, and it never travels: only the Token does.

use std::fmt;

use md5::{Digest, Md5};

use crate::error::{Error, Result};

/// The account's SecretKey. Formatting it never shows its value.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(String);

impl SecretKey {
    /// Wraps a secret. Use [`Credentials::new`] to validate it.
    pub fn new(secret: impl Into<String>) -> Self {
        SecretKey(secret.into())
    }

    /// The secret itself, for signing. Never log or format it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// An app key and its secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    app_key: String,
    secret_key: SecretKey,
}

/// The two signing headers for one attempt, from one reading of the clock.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    /// The `Token` header: 32 upper-case hex characters.
    pub token: String,
    /// The `Timespan` header: Unix seconds, as a decimal string.
    pub timespan: String,
}

impl fmt::Debug for SignedHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedHeaders")
            .field("token", &"<redacted>")
            .field("timespan", &self.timespan)
            .finish()
    }
}

fn check_key_text(what: &str, env: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::config(format!(
            "the {what} is empty; set {env} or pass it explicitly"
        )));
    }
    if value.len() > 256 {
        return Err(Error::config(format!(
            "the {what} is {} bytes long; a QCC key is much shorter, check what was passed",
            value.len()
        )));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::config(format!(
            "the {what} contains whitespace or control characters; check for a stray newline in {env} or the key file"
        )));
    }
    Ok(())
}

impl Credentials {
    /// Validated credentials: both values non-empty, at most 256 bytes, no whitespace or
    /// control characters (a trailing newline from a key file is the usual culprit).
    pub fn new(app_key: impl Into<String>, secret_key: impl Into<String>) -> Result<Self> {
        let app_key = app_key.into();
        let secret_key = secret_key.into();
        check_key_text("app key", "QCC_APP_KEY", &app_key)?;
        check_key_text("secret key", "QCC_SECRET_KEY", &secret_key)?;
        Ok(Credentials {
            app_key,
            secret_key: SecretKey(secret_key),
        })
    }

    /// The app key (the `key` query parameter; not a secret).
    pub fn app_key(&self) -> &str {
        &self.app_key
    }

    /// The secret key.
    pub fn secret_key(&self) -> &SecretKey {
        &self.secret_key
    }

    /// The Token and Timespan headers for `timespan` (Unix seconds, floored).
    pub fn sign(&self, timespan: u64) -> SignedHeaders {
        SignedHeaders {
            token: sign(&self.app_key, timespan, self.secret_key.expose()),
            timespan: timespan.to_string(),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("app_key", &self.app_key)
            .field("secret_key", &self.secret_key)
            .finish()
    }
}

/// The Token for `app_key`, `timespan` (Unix seconds) and `secret_key`: upper-case hex MD5 of
/// the three concatenated with no separator.
///
/// ```
/// assert_eq!(
///     qcc_radar_core::sign("key", 1700000000, "secret"),
///     "F82D2EC0DA9D602FB2F633CEBEBDE66E"
/// );
/// ```
pub fn sign(app_key: &str, timespan: u64, secret_key: &str) -> String {
    let mut md5 = Md5::new();
    md5.update(app_key.as_bytes());
    md5.update(timespan.to_string().as_bytes());
    md5.update(secret_key.as_bytes());
    let digest = md5.finalize();
    let mut out = String::with_capacity(32);
    for b in digest {
        out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
        out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secret() {
        let c = Credentials::new("appkey", "s3cr3t-value").unwrap();
        let shown = format!("{c:?} {} {:?}", c.secret_key(), c.sign(1));
        assert!(!shown.contains("s3cr3t-value"), "{shown}");
        assert!(!shown.contains(&c.sign(1).token), "{shown}");
    }

    #[test]
    fn rejects_bad_keys() {
        assert!(Credentials::new("", "x").is_err());
        assert!(Credentials::new("k", "").is_err());
        let e = Credentials::new("k", "abc\n").unwrap_err();
        assert!(e.message().contains("newline"), "{e}");
        assert!(!e.to_string().contains("abc"), "{e}");
    }

    #[test]
    fn token_is_32_upper_hex() {
        let t = sign("a", 1, "b");
        assert_eq!(t.len(), 32);
        assert!(t
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()));
    }
}
