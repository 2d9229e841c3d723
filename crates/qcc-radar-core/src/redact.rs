//! Redaction of signed links for messages and logs.
//!
//! A report link's query (`OSSAccessKeyId`, `Signature`, `Expires`) is a bearer credential for
//! the file until it expires. Errors, `Debug` output and log lines show a link only through
//! [`redact_url`], which keeps scheme, host and path (enough to debug) and drops the rest.

/// `url` without its query and fragment, with `?<redacted>` where a query was. Text that is not
/// a URL is cut at the first `?` all the same.
pub fn redact_url(url: &str) -> String {
    let cut = url.find(['?', '#']).unwrap_or(url.len());
    let mut out = url[..cut].to_string();
    if cut < url.len() {
        out.push_str("?<redacted>");
    }
    // Userinfo (`user:pass@host`) is a credential too.
    if let Some(scheme_end) = out.find("://") {
        let rest = &out[scheme_end + 3..];
        let host_end = rest.find('/').unwrap_or(rest.len());
        if let Some(at) = rest[..host_end].rfind('@') {
            out = format!("{}<redacted>@{}", &out[..scheme_end + 3], &rest[at + 1..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_query_and_userinfo() {
        assert_eq!(
            redact_url("https://f.example/a.zip?Expires=1&Signature=x"),
            "https://f.example/a.zip?<redacted>"
        );
        assert_eq!(
            redact_url("https://f.example/a.zip"),
            "https://f.example/a.zip"
        );
        assert_eq!(
            redact_url("https://u:p@f.example/a?x"),
            "https://<redacted>@f.example/a?<redacted>"
        );
    }
}
