//! The API response parsers on arbitrary bytes and content types.
//!
//! Besides "never panics", it checks what callers rely on: an order number that came back is a
//! valid one; `S` always carries a link; the expiry is the link's; a link's redacted form and
//! the whole answer's `Debug` never show its query (the signature is a bearer credential);
//! errors have only the kinds a response can produce, and never quote a signed link's
//! `Signature`; and the content type changes nothing for a body that is already UTF-8.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qcc_radar_core::{
    parse_create_report, parse_report_info, CreateReportOutcome, Error, ErrorKind, OrderNo,
    ReportStatus,
};
use qcc_radar_fuzz::inputs::Response;

/// The first eight characters of every long `Signature=` value in `text` that occurs once.
fn signatures(text: &str) -> Vec<String> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("signature=") {
        let start = from + i + "signature=".len();
        let value: String = text[start..]
            .chars()
            .take_while(|c| !matches!(c, '"' | '&' | '\\') && !c.is_whitespace())
            .collect();
        // A real signature is ASCII base64, percent-encoded: it has digits or symbols. Plain
        // words ("reportSt…") can be the messages' own text, and replacement characters from a
        // lossy decoding are no secret and recur wherever a preview cuts a character.
        let probe: String = value.chars().take(8).collect();
        if probe.len() == 8
            && probe.chars().all(|c| c.is_ascii_graphic())
            && probe
                .chars()
                .any(|c| c.is_ascii_digit() || matches!(c, '%' | '+' | '/' | '='))
            && text.matches(probe.as_str()).count() == 1
        {
            out.push(probe);
        }
        from = start;
    }
    out
}

fn check_error(e: &Error, content_type: Option<&str>, body: &[u8]) {
    assert!(
        matches!(
            e.kind(),
            ErrorKind::Auth
                | ErrorKind::Quota
                | ErrorKind::Permission
                | ErrorKind::InvalidRequest
                | ErrorKind::Transport
        ),
        "a response cannot mean {:?}: {e}",
        e.kind()
    );
    assert!(!e.message().is_empty());
    // Only a UTF-8 body is read as its bytes say; another is decoded first (as GB18030, where
    // a lead byte can swallow the 'S' of "Signature"), so what the parser saw is not this text.
    let Ok(body) = std::str::from_utf8(body) else {
        return;
    };
    // The content type is shown too, so a signature there must be one the body does not hold.
    let text = format!("{} {body}", content_type.unwrap_or(""));
    for probe in signatures(&text) {
        assert!(
            !e.message().contains(&probe),
            "the error quotes a link's signature {probe:?}: {}",
            e.message()
        );
    }
    // Display must not panic either.
    let _ = e.to_string();
}

fn same_error(a: &Error, b: &Error) -> bool {
    a.kind() == b.kind() && a.code() == b.code() && a.is_retryable() == b.is_retryable()
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = Response::split(data) else {
        return;
    };
    let ct = input.content_type.as_deref();
    let utf8 = std::str::from_utf8(input.body).is_ok();
    if input.report_info {
        let got = parse_report_info(input.body, ct);
        match &got {
            Ok(info) => {
                if info.status == ReportStatus::Succeeded {
                    assert!(info.link.is_some(), "S without a link");
                }
                assert_eq!(
                    info.expires_at,
                    info.link.as_ref().and_then(|l| l.expires_at())
                );
                if let Some(link) = &info.link {
                    let full = link.expose();
                    // The text is kept as sent (the HTTP client parses it the same lenient way).
                    let parsed = url::Url::parse(full).expect("an accepted link parses");
                    assert!(matches!(parsed.scheme(), "http" | "https"), "{parsed}");
                    assert!(!full.chars().any(|c| c.is_ascii_whitespace()));
                    let red = link.redacted();
                    if let Some(i) = red.find('?') {
                        assert_eq!(&red[i..], "?<redacted>", "{red}");
                    }
                    assert!(!red.contains('#'), "{red}");
                    // The whole link, with a query or fragment that is not empty, is never shown.
                    let tail = full.find(['?', '#']).map_or("", |i| &full[i + 1..]);
                    if !tail.is_empty() {
                        let shown = format!("{info:?} {link} {link:?}");
                        assert!(!shown.contains(full), "{shown}");
                    }
                }
            }
            Err(e) => check_error(e, ct, input.body),
        }
        if utf8 && ct.is_some() {
            let plain = parse_report_info(input.body, None);
            match (&got, &plain) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "the content type changed a UTF-8 answer"),
                (Err(a), Err(b)) => assert!(same_error(a, b), "{a} / {b}"),
                _ => panic!("the content type changed a UTF-8 answer: {got:?} / {plain:?}"),
            }
        }
    } else {
        let got = parse_create_report(input.body, ct);
        match &got {
            Ok(CreateReportOutcome::Ordered(order)) => {
                let again = OrderNo::new(order.as_str()).expect("a returned order is valid");
                assert_eq!(&again, order);
            }
            Ok(CreateReportOutcome::NoChange) => {}
            Err(e) => {
                check_error(e, ct, input.body);
                if e.code() == Some(200) {
                    assert!(!e.is_retryable(), "a 200 may have placed an order: {e}");
                }
            }
        }
        if utf8 && ct.is_some() {
            let plain = parse_create_report(input.body, None);
            match (&got, &plain) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "the content type changed a UTF-8 answer"),
                (Err(a), Err(b)) => assert!(same_error(a, b), "{a} / {b}"),
                _ => panic!("the content type changed a UTF-8 answer: {got:?} / {plain:?}"),
            }
        }
    }
});
