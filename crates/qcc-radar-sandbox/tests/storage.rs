//! The emulated object storage: signed links, expiry, Range, HEAD, and its XML errors.

mod common;

use std::time::Duration;

use common::*;
use qcc_radar_core::ReportType;
use qcc_radar_sandbox::{Endpoint, Sandbox, SandboxConfig, Scenario};

fn ready_link(sb: &Sandbox) -> String {
    let o = order(sb, ReportType::Day);
    wait_ready(sb, &o, 5).link.unwrap().expose().to_string()
}

#[test]
fn download_headers() {
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let url = ready_link(&sb);
    let r = http("GET", &url, &[]);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/zip"));
    assert_eq!(r.header("accept-ranges"), Some("bytes"));
    assert_eq!(r.content_length(), Some(r.body.len() as u64));
    assert!(r.complete);
    assert!(r.header("etag").unwrap().starts_with('"'));
    assert!(r.header("date").is_some());
    assert!(r.header("last-modified").is_some());
    assert_eq!(&r.body[..4], b"PK\x03\x04");
    // Downloads carry no Token and are recorded as such.
    let rec = sb
        .requests()
        .into_iter()
        .find(|r| r.endpoint == Endpoint::Download)
        .unwrap();
    assert_eq!(rec.http_status, 200);
    assert!(!rec.token_valid);
    assert_eq!(rec.api_status, None);
    assert!(rec.query_value("Expires").is_some());
}

#[test]
fn ranges() {
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let url = ready_link(&sb);
    let full = http("GET", &url, &[]).body;
    let len = full.len();

    let r = http("GET", &url, &[("Range", "bytes=100-")]);
    assert_eq!(r.status, 206);
    assert_eq!(
        r.header("content-range"),
        Some(format!("bytes 100-{}/{len}", len - 1).as_str())
    );
    assert_eq!(r.body, &full[100..]);

    let r = http("GET", &url, &[("Range", "bytes=10-19")]);
    assert_eq!(r.status, 206);
    assert_eq!(
        r.header("content-range"),
        Some(format!("bytes 10-19/{len}").as_str())
    );
    assert_eq!(r.content_length(), Some(10));
    assert_eq!(r.body, &full[10..20]);

    let r = http("GET", &url, &[("Range", "bytes=-22")]);
    assert_eq!(r.status, 206);
    assert_eq!(r.body, &full[len - 22..]);

    let r = http("GET", &url, &[("Range", &format!("bytes={len}-"))]);
    assert_eq!(r.status, 416);
    assert_eq!(
        r.header("content-range"),
        Some(format!("bytes */{len}").as_str())
    );

    // A range this storage does not serve as one piece: the whole body, 200.
    let r = http("GET", &url, &[("Range", "bytes=0-1,5-6")]);
    assert_eq!(r.status, 200);
    assert_eq!(r.body, full);

    // If-Range with the current ETag honours the range; with another, sends it all.
    let etag = http("HEAD", &url, &[]).header("etag").unwrap().to_string();
    let r = http("GET", &url, &[("Range", "bytes=5-"), ("If-Range", &etag)]);
    assert_eq!(r.status, 206);
    let r = http(
        "GET",
        &url,
        &[("Range", "bytes=5-"), ("If-Range", "\"other\"")],
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), len);

    let ranges: Vec<_> = sb.requests().into_iter().filter_map(|r| r.range).collect();
    assert_eq!(ranges[0], "bytes=100-");
}

#[test]
fn head_gives_length_without_body() {
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let url = ready_link(&sb);
    let full = http("GET", &url, &[]).body;
    let r = http("HEAD", &url, &[]);
    assert_eq!(r.status, 200);
    assert_eq!(r.content_length(), Some(full.len() as u64));
}

#[test]
fn tampered_links_are_refused_with_xml() {
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let url = ready_link(&sb);

    // A later Expires than signed.
    let (head, tail) = url.split_once("Expires=").unwrap();
    let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
    let later = (digits.parse::<u64>().unwrap() + 3600).to_string();
    let forged = format!("{head}Expires={later}{}", &tail[digits.len()..]);
    let r = http("GET", &forged, &[]);
    assert_eq!(r.status, 403);
    assert_eq!(r.header("content-type"), Some("application/xml"));
    let text = r.text();
    assert!(
        text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>"),
        "{text}"
    );
    assert!(
        text.contains("<Code>SignatureDoesNotMatch</Code>"),
        "{text}"
    );

    // Another file name with a valid query.
    let (path, query) = url.split_once('?').unwrap();
    let other = format!("{}/other.zip?{query}", path.rsplit_once('/').unwrap().0);
    let r = http("GET", &other, &[]);
    assert_eq!(r.status, 403);
    assert!(r.text().contains("SignatureDoesNotMatch"));

    // No signature at all.
    let r = http("GET", path, &[]);
    assert_eq!(r.status, 403);
    assert!(r.text().contains("<Code>AccessDenied</Code>"));

    // Another access key id.
    let r = http("GET", &url.replace("SANDBOXKEY", "LTAIother"), &[]);
    assert_eq!(r.status, 403);
    assert!(r.text().contains("InvalidAccessKeyId"));

    // Another sandbox's link (another storage secret).
    let sb2 = Sandbox::start(Scenario::Normal).unwrap();
    let foreign = ready_link(&sb2).replace(&sb2.base_url(), &sb.base_url());
    let r = http("GET", &foreign, &[]);
    assert_eq!(r.status, 403);

    // And a POST is not a download.
    let r = http("POST", &url, &[("Content-Length", "0")]);
    assert_eq!(r.status, 405);
    assert_eq!(sb.count(Endpoint::Download), 6);
}

#[test]
fn the_link_expires() {
    let config = SandboxConfig {
        link_ttl: Duration::from_secs(1),
        polls_until_ready: 0,
        ..SandboxConfig::new(Scenario::Normal)
    };
    let sb = Sandbox::start_with(config).unwrap();
    let url = ready_link(&sb);
    assert_eq!(http("GET", &url, &[]).status, 200);
    std::thread::sleep(Duration::from_millis(2100));
    let r = http("GET", &url, &[]);
    assert_eq!(r.status, 403);
    let text = r.text();
    assert!(text.contains("<Code>AccessDenied</Code>"), "{text}");
    assert!(
        text.contains("<Message>Request has expired.</Message>"),
        "{text}"
    );
    assert!(text.contains("<ServerTime>"), "{text}");
}

#[test]
fn links_follow_the_host_the_client_used() {
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let o = order(&sb, ReportType::Day);
    let req = qcc_radar_core::ApiRequest::report_info(&base(&sb), &creds(&sb), &o, now());
    let headers: Vec<(&str, &str)> = req.headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let url = req.url.replace("127.0.0.1", "localhost");
    let mut last = None;
    for _ in 0..3 {
        last = Some(http("GET", &url, &headers));
    }
    let v = envelope(&last.unwrap());
    let link = v["result"]["reportUrl"].as_str().unwrap();
    assert!(
        link.starts_with(&format!("http://localhost:{}/files/", sb.port())),
        "{link}"
    );
}
