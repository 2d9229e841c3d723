//! The API's base URL, validated before anything is sent.

use std::fmt;

use url::Url;

use crate::error::{Error, Result};
use crate::report_type::truncate_for_message;

/// The vendor's production base URL.
pub const DEFAULT_BASE_URL: &str = "https://pro.qcc.com";

/// A base URL: `http` or `https`, with a host, no query or fragment. A path prefix is kept
/// (for a gateway that mounts the API under `/qcc`), without its trailing slash.
#[derive(Clone, PartialEq, Eq)]
pub struct BaseUrl {
    url: Url,
}

impl BaseUrl {
    /// Parses and validates `s`. The error names the fix ("add https://").
    pub fn parse(s: &str) -> Result<Self> {
        let text = s.trim();
        let shown = truncate_for_message(text);
        if text.is_empty() {
            return Err(Error::config(
                "the base URL is empty; leave QCC_BASE_URL unset for https://pro.qcc.com or give a full URL",
            ));
        }
        if !text.contains("://") {
            return Err(Error::config(format!(
                "the base URL {shown:?} has no scheme; write it in full, e.g. https://{shown}"
            )));
        }
        let url = Url::parse(text).map_err(|e| {
            Error::config(format!("the base URL {shown:?} is not a valid URL: {e}"))
        })?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(Error::config(format!(
                "the base URL {shown:?} uses scheme {:?}; only http and https are supported",
                url.scheme()
            )));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(Error::config(format!("the base URL {shown:?} has no host")));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::config(format!(
                "the base URL {shown:?} must not carry a query or fragment"
            )));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::config(
                "the base URL must not carry a user name or password",
            ));
        }
        Ok(BaseUrl { url })
    }

    /// The URL of `path` (which starts with `/`) under this base.
    pub fn join_path(&self, path: &str) -> String {
        let base = self.url.as_str().trim_end_matches('/');
        format!("{base}{path}")
    }

    /// The base URL as text, without a trailing slash.
    pub fn as_str(&self) -> &str {
        self.url.as_str().trim_end_matches('/')
    }
}

impl Default for BaseUrl {
    fn default() -> Self {
        BaseUrl::parse(DEFAULT_BASE_URL).expect("the default base URL is valid")
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaseUrl({:?})", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(
            BaseUrl::parse("https://pro.qcc.com/").unwrap().as_str(),
            "https://pro.qcc.com"
        );
        let b = BaseUrl::parse("http://127.0.0.1:8080/gw/").unwrap();
        assert_eq!(b.join_path("/api/x"), "http://127.0.0.1:8080/gw/api/x");
    }

    #[test]
    fn rejects_with_fix() {
        let e = BaseUrl::parse("pro.qcc.com").unwrap_err();
        assert!(e.message().contains("https://pro.qcc.com"), "{e}");
        assert!(BaseUrl::parse("ftp://x").is_err());
        assert!(BaseUrl::parse("https://x/?a=1").is_err());
        assert!(BaseUrl::parse("").is_err());
        assert!(BaseUrl::parse("https://u:p@x").is_err());
    }
}
