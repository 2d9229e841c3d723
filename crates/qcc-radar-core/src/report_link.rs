//! The signed download link from getReportInfo.
//!
//! The link is an object-storage URL whose query carries `Expires=<unix seconds>` and a
//! signature. It is a bearer credential until then, so `Debug` and `Display` show it redacted;
//! [`ReportLink::expose`] gives the full text for the one place that fetches it.

use std::fmt;

use url::Url;

use crate::error::{Error, Result};
use crate::redact::{redact_text, redact_url};

/// A validated report link (`http` or `https`).
#[derive(Clone, PartialEq, Eq)]
pub struct ReportLink {
    url: String,
    expires_at: Option<u64>,
}

impl ReportLink {
    /// Parses a link. ASCII whitespace inside it is removed: the vendor's document shows the link
    /// wrapped over lines, and a URL never contains raw whitespace.
    pub fn parse(text: &str) -> Result<Self> {
        let joined: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let url = Url::parse(&joined).map_err(|e| {
            Error::transport(format!(
                "getReportInfo returned a report link that is not a URL ({e}): {}",
                // Not a URL, so its query may not start at a '?': scrub signatures anywhere.
                redact_text(&redact_url(&joined))
            ))
        })?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(Error::transport(format!(
                "getReportInfo returned a report link with scheme {:?}; expected https",
                url.scheme()
            )));
        }
        let expires_at = url
            .query_pairs()
            .find(|(k, _)| k.eq_ignore_ascii_case("Expires"))
            .and_then(|(_, v)| v.trim().parse::<u64>().ok());
        Ok(ReportLink {
            url: joined,
            expires_at,
        })
    }

    /// The full link, signature included. Only for the HTTP request; never log it.
    pub fn expose(&self) -> &str {
        &self.url
    }

    /// The link's `Expires` (Unix seconds), when it has one.
    pub fn expires_at(&self) -> Option<u64> {
        self.expires_at
    }

    /// Whether the link has expired at `now` (Unix seconds), allowing `margin` seconds for the
    /// request to reach the storage. A link without `Expires` never counts as expired.
    pub fn is_expired(&self, now: u64, margin: u64) -> bool {
        self.expires_at
            .is_some_and(|e| now.saturating_add(margin) >= e)
    }

    /// The link without its query: safe for messages and logs.
    pub fn redacted(&self) -> String {
        redact_url(&self.url)
    }

    /// The last path segment, percent-decoded (the vendor's file name, often Chinese).
    pub fn file_name(&self) -> Option<String> {
        let url = Url::parse(&self.url).ok()?;
        let last = url.path_segments()?.next_back()?.to_string();
        let decoded =
            url::form_urlencoded::parse(format!("n={}", last.replace('+', "%2B")).as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())?;
        if decoded.is_empty() {
            None
        } else {
            Some(decoded)
        }
    }
}

impl fmt::Debug for ReportLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReportLink({:?})", self.redacted())
    }
}

impl fmt::Display for ReportLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "https://pro-files.qichacha.com/OssMonitorRpt/xxxxxx740a0a7fcxxxcc13a/%E4%Bxxxx91%E6\n    %8E%A7%E6%97%A5%E6%8A%A5-xxx2xx6.zip?Expires=1708137472&OSSAccessKeyId=LTAIvmt\n    6mWz2ZQqu&Signature=k%2FD2Yb67MK3O6RU4Xmf09bWXKXY%3D";

    #[test]
    fn parses_wrapped_document_example() {
        let l = ReportLink::parse(DOC).unwrap();
        assert_eq!(l.expires_at(), Some(1708137472));
        assert!(!l.expose().contains('\n'));
        assert!(l.is_expired(1708137472, 0));
        assert!(!l.is_expired(1708137000, 30));
        let shown = format!("{l:?} {l}");
        assert!(!shown.contains("Signature"), "{shown}");
    }

    #[test]
    fn an_unparsable_link_is_not_quoted_with_its_signature() {
        // Found by fuzz/parse_response: a link that is not a URL (here a bad port) was quoted
        // whole when its signature did not follow a '?'.
        let e =
            ReportLink::parse("https://h:99999/r.zip&Signature=k%2FD2Yb67&OSSAccessKeyId=LTAIabc")
                .unwrap_err();
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("k%2FD2"), "{shown}");
        assert!(!shown.contains("LTAIabc"), "{shown}");
        assert!(shown.contains("Signature=<redacted>"), "{shown}");
    }

    #[test]
    fn file_name_is_decoded() {
        let l = ReportLink::parse("https://h/a/%E7%9B%91%E6%8E%A7%E6%97%A5%E6%8A%A5.zip?Expires=1")
            .unwrap();
        assert_eq!(l.file_name().as_deref(), Some("监控日报.zip"));
    }
}
