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

    /// Whether requests would travel unencrypted to another machine: plain `http://` to a host
    /// that is not loopback (`localhost`, 127.0.0.0/8, `::1`). The Token and Timespan headers
    /// and the report links could then be read and replayed on the way.
    pub fn is_plain_http_off_machine(&self) -> bool {
        if self.url.scheme() != "http" {
            return false;
        }
        match self.url.host() {
            Some(url::Host::Ipv4(ip)) => !ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => !ip.is_loopback(),
            Some(url::Host::Domain(d)) => {
                let d = d.trim_end_matches('.').to_ascii_lowercase();
                d != "localhost" && !d.ends_with(".localhost")
            }
            None => true,
        }
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
    fn plain_http_is_flagged_only_off_the_machine() {
        for (url, flagged) in [
            ("https://pro.qcc.com", false),
            ("http://pro.qcc.com", true),
            ("http://10.1.2.3:8080", true),
            ("http://127.0.0.1:9", false),
            ("http://127.8.9.10", false),
            ("http://[::1]:80", false),
            ("http://localhost:3000", false),
            ("http://LOCALHOST.", false),
        ] {
            let b = BaseUrl::parse(url).unwrap();
            assert_eq!(b.is_plain_http_off_machine(), flagged, "{url}");
        }
    }

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
