//! Helpers for the sandbox's tests: a raw HTTP/1.1 client over `std::net::TcpStream` (so a
//! truncated body or a reset connection is visible exactly as sent, with no client library
//! retrying or hiding it), requests built by `qcc-radar-core`, and a small reader of zip central
//! directories that keeps raw names and flags.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use qcc_radar_core::{
    parse_create_report, parse_report_info, ApiRequest, BaseUrl, CreateReportOutcome, Credentials,
    OrderNo, ReportInfo, ReportStatus, ReportType,
};
use qcc_radar_sandbox::Sandbox;

/// An HTTP answer as it arrived.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Whether the body had as many bytes as its Content-Length (or the chunked stream ended).
    pub complete: bool,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn content_length(&self) -> Option<u64> {
        self.header("content-length").and_then(|v| v.parse().ok())
    }
}

/// Splits `http://host:port/path?query` into (host:port, path?query).
fn split_url(url: &str) -> (String, String) {
    let rest = url.strip_prefix("http://").expect("http URL");
    match rest.find('/') {
        Some(i) => (rest[..i].to_string(), rest[i..].to_string()),
        None => (rest.to_string(), "/".to_string()),
    }
}

/// Sends one request with `Connection: close` and reads the answer to the end.
pub fn http(method: &str, url: &str, headers: &[(&str, &str)]) -> Resp {
    let (host, target) = split_url(url);
    let mut stream = TcpStream::connect(&host).expect("connect to the sandbox");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            // A reset after some data is how a cut connection may look.
            Err(e) if !raw.is_empty() => {
                eprintln!("read ended with {e}");
                break;
            }
            Err(e) => panic!("reading the answer: {e}"),
        }
    }
    parse_response(&raw, method == "HEAD")
}

pub fn parse_response(raw: &[u8], head_only: bool) -> Resp {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = std::str::from_utf8(&raw[..end]).expect("ASCII head");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status: u16 = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .map(|l| {
            let (k, v) = l.split_once(':').unwrap();
            (k.trim().to_string(), v.trim().to_string())
        })
        .collect();
    let rest = &raw[end + 4..];
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let mut resp = Resp {
        status,
        headers,
        body: Vec::new(),
        complete: true,
    };
    if head_only {
        return resp;
    }
    if chunked {
        let mut pos = 0;
        resp.complete = false;
        while let Some(i) = rest[pos..].windows(2).position(|w| w == b"\r\n") {
            let size_text = std::str::from_utf8(&rest[pos..pos + i]).unwrap();
            let size =
                usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
            pos += i + 2;
            if size == 0 {
                resp.complete = true;
                break;
            }
            if pos + size > rest.len() {
                resp.body.extend_from_slice(&rest[pos..]);
                break;
            }
            resp.body.extend_from_slice(&rest[pos..pos + size]);
            pos += size + 2;
        }
    } else {
        resp.body = rest.to_vec();
        if let Some(len) = resp.content_length() {
            resp.complete = resp.body.len() as u64 == len;
        }
    }
    resp
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

pub fn creds(sb: &Sandbox) -> Credentials {
    Credentials::new(sb.app_key(), sb.secret_key()).unwrap()
}

pub fn base(sb: &Sandbox) -> BaseUrl {
    BaseUrl::parse(&sb.base_url()).unwrap()
}

/// Sends a request built by the core, with its Token and Timespan.
pub fn send(req: &ApiRequest) -> Resp {
    let headers: Vec<(&str, &str)> = req.headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    http(req.method, &req.url, &headers)
}

/// createReport, signed now.
pub fn create(sb: &Sandbox, t: ReportType) -> Resp {
    send(&ApiRequest::create_report(&base(sb), &creds(sb), t, now()))
}

/// getReportInfo, signed now.
pub fn info(sb: &Sandbox, order: &OrderNo) -> Resp {
    send(&ApiRequest::report_info(
        &base(sb),
        &creds(sb),
        order,
        now(),
    ))
}

/// The envelope's status, as the string it must be.
pub fn api_status(resp: &Resp) -> String {
    let v: serde_json::Value = serde_json::from_slice(&resp.body).expect("JSON body");
    v["status"]
        .as_str()
        .expect("status is a string")
        .to_string()
}

pub fn envelope(resp: &Resp) -> serde_json::Value {
    serde_json::from_slice(&resp.body).expect("JSON body")
}

/// Places an order and returns its number.
pub fn order(sb: &Sandbox, t: ReportType) -> OrderNo {
    let r = create(sb, t);
    match parse_create_report(&r.body, r.header("content-type")).unwrap() {
        CreateReportOutcome::Ordered(o) => o,
        CreateReportOutcome::NoChange => panic!("no change"),
    }
}

/// Polls until S (at most `max` polls) and returns the answer.
pub fn wait_ready(sb: &Sandbox, order: &OrderNo, max: usize) -> ReportInfo {
    for _ in 0..max {
        let r = info(sb, order);
        if r.status != 200 {
            continue;
        }
        let i = parse_report_info(&r.body, r.header("content-type")).unwrap();
        if i.status == ReportStatus::Succeeded {
            return i;
        }
    }
    panic!("not ready after {max} polls");
}

/// Orders a day report, waits and downloads it whole.
pub fn fetch_archive(sb: &Sandbox) -> Vec<u8> {
    let o = order(sb, ReportType::Day);
    let i = wait_ready(sb, &o, 10);
    let r = http("GET", i.link.unwrap().expose(), &[]);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.complete);
    r.body
}

/// One central-directory record, raw.
#[derive(Debug, Clone)]
pub struct CdEntry {
    pub raw_name: Vec<u8>,
    pub flags: u16,
    pub method: u16,
    pub crc32: u32,
    pub compressed_size: u64,
    pub uncompressed_size: u64,
    pub version_made_by: u16,
    pub external_attributes: u32,
    pub local_offset: u64,
}

impl CdEntry {
    pub fn name(&self) -> String {
        qcc_radar_core::decode_entry_name(&self.raw_name, self.flags & 0x0800 != 0)
    }
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i], b[i + 1]])
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

/// Reads the central directory through the end record (no zip64, no comment).
pub fn central_directory(zip: &[u8]) -> Vec<CdEntry> {
    let eocd = zip.len() - 22;
    assert_eq!(u32_at(zip, eocd), 0x0605_4b50, "end record");
    let count = u16_at(zip, eocd + 10) as usize;
    let size = u32_at(zip, eocd + 12) as usize;
    let offset = u32_at(zip, eocd + 16) as usize;
    assert_eq!(
        offset + size,
        eocd,
        "central directory right before the end record"
    );
    let mut out = Vec::new();
    let mut p = offset;
    for _ in 0..count {
        assert_eq!(u32_at(zip, p), 0x0201_4b50, "central header");
        let name_len = u16_at(zip, p + 28) as usize;
        let extra_len = u16_at(zip, p + 30) as usize;
        let comment_len = u16_at(zip, p + 32) as usize;
        out.push(CdEntry {
            version_made_by: u16_at(zip, p + 4),
            flags: u16_at(zip, p + 8),
            method: u16_at(zip, p + 10),
            crc32: u32_at(zip, p + 16),
            compressed_size: u64::from(u32_at(zip, p + 20)),
            uncompressed_size: u64::from(u32_at(zip, p + 24)),
            external_attributes: u32_at(zip, p + 38),
            local_offset: u64::from(u32_at(zip, p + 42)),
            raw_name: zip[p + 46..p + 46 + name_len].to_vec(),
        });
        p += 46 + name_len + extra_len + comment_len;
    }
    assert_eq!(p, eocd);
    out
}

/// An entry's stored bytes, checked against its local header.
pub fn stored_bytes<'a>(zip: &'a [u8], e: &CdEntry) -> &'a [u8] {
    let p = e.local_offset as usize;
    assert_eq!(u32_at(zip, p), 0x0403_4b50, "local header");
    assert_eq!(u16_at(zip, p + 6), e.flags, "flags agree");
    assert_eq!(u16_at(zip, p + 8), e.method, "method agrees");
    assert_eq!(u32_at(zip, p + 14), e.crc32, "CRC agrees");
    let name_len = u16_at(zip, p + 26) as usize;
    let extra_len = u16_at(zip, p + 28) as usize;
    assert_eq!(
        &zip[p + 30..p + 30 + name_len],
        &e.raw_name[..],
        "names agree"
    );
    let start = p + 30 + name_len + extra_len;
    &zip[start..start + e.compressed_size as usize]
}

/// An entry's contents, inflated when deflated.
pub fn entry_data(zip: &[u8], e: &CdEntry) -> Vec<u8> {
    let stored = stored_bytes(zip, e);
    match e.method {
        0 => stored.to_vec(),
        8 => {
            let mut out = Vec::new();
            flate2::read::DeflateDecoder::new(stored)
                .read_to_end(&mut out)
                .unwrap();
            out
        }
        m => panic!("method {m}"),
    }
}

/// Whether `python3` is on the PATH.
pub fn have_python() -> bool {
    std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}
