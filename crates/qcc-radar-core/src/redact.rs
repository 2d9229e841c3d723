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

/// The query parameters of a signed link that are credentials on their own, lower-cased.
const SECRET_PARAMS: [&str; 3] = ["signature=", "ossaccesskeyid=", "security-token="];

/// Where a URL or a parameter value ends inside free text (HTML, JSON, a header).
fn ends_token(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`')
}

/// Free text that may quote a signed link (the first bytes of an unreadable answer, a header)
/// with the link material removed: every URL's query becomes `?<redacted>`, and the value of any
/// `Signature=`, `OSSAccessKeyId=` or `security-token=` becomes `<redacted>` even where no URL
/// is visible (a body cut off, or starting, in the middle of a link).
pub fn redact_text(text: &str) -> String {
    // URLs: drop each query up to the end of the URL.
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        let end = tail.find(ends_token).unwrap_or(tail.len());
        out.push_str(&redact_url(&tail[..end]));
        rest = &tail[end..];
    }
    out.push_str(rest);
    // Parameters that are secrets on their own, wherever they stand.
    for key in SECRET_PARAMS {
        let mut scrubbed = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(i) = rest.to_ascii_lowercase().find(key) {
            let (head, tail) = rest.split_at(i + key.len());
            scrubbed.push_str(head);
            // Only what certainly ends a value: a quote or `<` may be part of it.
            let end = tail
                .find(|c: char| c.is_whitespace() || matches!(c, '&' | '"' | '\\'))
                .unwrap_or(tail.len());
            if end > 0 {
                scrubbed.push_str("<redacted>");
            }
            rest = &tail[end..];
        }
        scrubbed.push_str(rest);
        out = scrubbed;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_loses_queries_and_signatures() {
        assert_eq!(
            redact_text(r#"{"reportUrl":"https://f.example/a.zip?Expires=1&Signature=abc"}"#),
            r#"{"reportUrl":"https://f.example/a.zip?<redacted>"}"#
        );
        // Cut off, or starting, inside a link: no URL to see, the signature goes all the same.
        assert_eq!(
            redact_text("eyId=LTAI&Signature=k%2FD2Yb67&x=1 and SIGNATURE=zz"),
            "eyId=LTAI&Signature=<redacted>&x=1 and SIGNATURE=<redacted>"
        );
        assert_eq!(
            redact_text(r#"{"u":"x.zip?Signature='k%2FD2Yb67"}"#),
            r#"{"u":"x.zip?Signature=<redacted>"}"#
        );
        assert_eq!(
            redact_text("OSSAccessKeyId=LTAIabc&Expires=9"),
            "OSSAccessKeyId=<redacted>&Expires=9"
        );
        assert_eq!(
            redact_text("<html>502 Bad Gateway</html>"),
            "<html>502 Bad Gateway</html>"
        );
        assert_eq!(
            redact_text("监控?日报 https://h/报告?x"),
            "监控?日报 https://h/报告?<redacted>"
        );
    }

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
