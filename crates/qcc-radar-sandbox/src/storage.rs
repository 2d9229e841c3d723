//! The emulated object storage: signed links and the downloads they allow.
//!
//! The vendor hands out Aliyun OSS links: `…/<file>.zip?Expires=<unix>&OSSAccessKeyId=…&
//! Signature=<url-encoded base64>`. The download carries no Token or Timespan, only what the link
//! says, and the storage answers its own way — HTTP 403 with an XML `<Error>` body, not the API's
//! JSON envelope. A client must treat the link as a short-lived bearer credential: fetch it
//! fresh from getReportInfo when it expires (403 `AccessDenied`, "Request has expired.") and
//! never alter it (403 `SignatureDoesNotMatch`).
//!
//! The signature is base64 of an MD5 over the storage secret, order, file name and expiry — not
//! OSS's HMAC-SHA1, but the same shape and the same property: only the sandbox can make one.
//! Downloads stream in chunks of at most 64 KiB with an exact `Content-Length`, `Accept-Ranges:
//! bytes` and single-range support, so a client's resume logic meets the real protocol. In
//! `flaky` the first download of each order sends the full `Content-Length` and then drops the
//! connection halfway through the body, the failure a resume exists for.

use std::io;
use std::sync::Arc;

use axum::body::Body;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use md5::{Digest, Md5};
use qcc_radar_core::ReportType;

use crate::app::{header_text, query_pairs, respond, AppState};
use crate::archive::{file_name, ArchiveFile};
use crate::range::{self, RangeAnswer};
use crate::record::{Endpoint, RecordedRequest};
use crate::scenario::Scenario;
use crate::zip_writer::civil_from_days;

/// The access key id every sandbox link carries.
pub const ACCESS_KEY_ID: &str = "SANDBOXKEY";

/// The link's signature: base64 of MD5(secret, order, file name, expires).
fn signature(secret: &str, order_no: &str, name: &str, expires: u64) -> String {
    let mut md5 = Md5::new();
    md5.update(secret.as_bytes());
    md5.update(b"\n");
    md5.update(order_no.as_bytes());
    md5.update(b"\n");
    md5.update(name.as_bytes());
    md5.update(b"\n");
    md5.update(expires.to_string().as_bytes());
    base64(&md5.finalize())
}

/// A signed download link for `order_no`, valid until `expires` (server Unix seconds).
pub(crate) fn link(
    state: &AppState,
    base: &str,
    order_no: &str,
    report_type: ReportType,
    expires: u64,
) -> String {
    let name = file_name(report_type, order_no);
    let sig = signature(&state.storage_secret, order_no, &name, expires);
    format!(
        "{base}/files/{}/{}?Expires={expires}&OSSAccessKeyId={ACCESS_KEY_ID}&Signature={}",
        percent_encode(order_no),
        percent_encode(&name),
        percent_encode(&sig)
    )
}

/// Percent-encodes everything but RFC 3986's unreserved characters (upper-case hex).
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
    out
}

/// Decodes `%XX` escapes; `+` stays `+` (a base64 signature may hold one). `None` if the
/// result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `2024-02-17T02:37:52.000Z` for Unix seconds `t`.
fn iso8601(t: u64) -> String {
    let t = i64::try_from(t).unwrap_or(0);
    let (y, mo, d) = civil_from_days(t.div_euclid(86_400));
    let s = t.rem_euclid(86_400);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.000Z",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

fn request_id() -> String {
    format!(
        "{:016X}{:08X}",
        rand::random::<u64>(),
        rand::random::<u32>()
    )
}

/// An OSS-style XML error.
fn xml_error(
    state: &AppState,
    status: StatusCode,
    code: &str,
    message: &str,
    extra: &str,
) -> Response {
    let id = request_id();
    let host = state.base_url.trim_start_matches("http://");
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>{code}</Code>\n  \
         <Message>{message}</Message>\n  <RequestId>{id}</RequestId>\n  \
         <HostId>{host}</HostId>\n{extra}</Error>\n"
    );
    let mut resp = respond(state, status, "application/xml", body);
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-oss-request-id", v);
    }
    resp
}

/// Why a link was refused, before any archive is touched.
enum Refusal {
    NoSuchKey,
    Anonymous,
    BadKeyId,
    Expired { expires: u64, now: u64 },
    BadSignature,
}

/// Checks the path and query of a download. `Ok` holds the order number and report type.
fn check_link(state: &AppState, req: &Parts) -> Result<(String, ReportType), Refusal> {
    let path = req.uri.path();
    let rest = path.strip_prefix("/files/").ok_or(Refusal::NoSuchKey)?;
    let (order_raw, name_raw) = rest.split_once('/').ok_or(Refusal::NoSuchKey)?;
    let order_no = percent_decode(order_raw).ok_or(Refusal::NoSuchKey)?;
    let name = percent_decode(name_raw).ok_or(Refusal::NoSuchKey)?;
    let mut expires = None;
    let mut key_id = None;
    let mut sig = None;
    for pair in req.uri.query().unwrap_or("").split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = percent_decode(v);
        match k {
            "Expires" => expires = v,
            "OSSAccessKeyId" => key_id = v,
            "Signature" => sig = v,
            _ => {}
        }
    }
    let (Some(expires), Some(key_id), Some(sig)) = (expires, key_id, sig) else {
        return Err(Refusal::Anonymous);
    };
    if key_id != ACCESS_KEY_ID {
        return Err(Refusal::BadKeyId);
    }
    let Ok(expires) = expires.trim().parse::<u64>() else {
        return Err(Refusal::BadSignature);
    };
    let now = state.clock.unix_secs();
    if now > expires {
        return Err(Refusal::Expired { expires, now });
    }
    if sig != signature(&state.storage_secret, &order_no, &name, expires) {
        return Err(Refusal::BadSignature);
    }
    let report_type = state
        .orders
        .with_order(&order_no, |o| o.report_type)
        .ok_or(Refusal::NoSuchKey)?;
    if name != file_name(report_type, &order_no) {
        return Err(Refusal::NoSuchKey);
    }
    Ok((order_no, report_type))
}

fn refuse(state: &AppState, refusal: Refusal) -> Response {
    match refusal {
        Refusal::NoSuchKey => xml_error(
            state,
            StatusCode::NOT_FOUND,
            "NoSuchKey",
            "The specified key does not exist.",
            "",
        ),
        Refusal::Anonymous => xml_error(
            state,
            StatusCode::FORBIDDEN,
            "AccessDenied",
            "You have no right to access this object because of bucket acl.",
            "",
        ),
        Refusal::BadKeyId => xml_error(
            state,
            StatusCode::FORBIDDEN,
            "InvalidAccessKeyId",
            "The OSS Access Key Id you provided does not exist in our records.",
            "",
        ),
        Refusal::Expired { expires, now } => xml_error(
            state,
            StatusCode::FORBIDDEN,
            "AccessDenied",
            "Request has expired.",
            &format!(
                "  <Expires>{}</Expires>\n  <ServerTime>{}</ServerTime>\n",
                iso8601(expires),
                iso8601(now)
            ),
        ),
        Refusal::BadSignature => xml_error(
            state,
            StatusCode::FORBIDDEN,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. \
             Check your key and signing method.",
            "",
        ),
    }
}

/// `GET /files/{order}/{name}?Expires=&OSSAccessKeyId=&Signature=`.
pub(crate) async fn download(state: &AppState, req: &Parts) -> Response {
    let range_header = header_text(req, "Range");
    let resp = serve(state, req, range_header.as_deref()).await;
    state.log.push(RecordedRequest {
        endpoint: Endpoint::Download,
        query: query_pairs(req),
        timespan: header_text(req, "Timespan"),
        token_valid: false,
        api_status: None,
        http_status: resp.status().as_u16(),
        range: range_header,
    });
    resp
}

async fn serve(state: &AppState, req: &Parts, range_header: Option<&str>) -> Response {
    let is_get = req.method == Method::GET;
    if !is_get && req.method != Method::HEAD {
        let mut resp = xml_error(
            state,
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            "The specified method is not allowed against this resource.",
            "",
        );
        resp.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return resp;
    }
    let (order_no, report_type) = match check_link(state, req) {
        Ok(v) => v,
        Err(refusal) => return refuse(state, refusal),
    };
    let archive = state.archives.get(report_type).await;
    let len = archive.len();

    // If-Range: a resume against a different entity gets the whole body.
    let range_header = match req.headers.get(header::IF_RANGE) {
        Some(v) if v.as_bytes() != archive.etag().as_bytes() => None,
        _ => range_header,
    };
    let (status, start, end) = match range::answer(range_header, len) {
        RangeAnswer::Full => (StatusCode::OK, 0, len),
        RangeAnswer::Partial { start, end } => (StatusCode::PARTIAL_CONTENT, start, end),
        RangeAnswer::Unsatisfiable => {
            let mut resp = xml_error(
                state,
                StatusCode::RANGE_NOT_SATISFIABLE,
                "InvalidRange",
                "The requested range cannot be satisfied.",
                "",
            );
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                resp.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return resp;
        }
    };

    let first_download = is_get
        && state
            .orders
            .with_order(&order_no, |o| {
                o.downloads += 1;
                o.downloads == 1
            })
            .unwrap_or(false);
    let faulty = matches!(state.config.scenario, Scenario::Flaky | Scenario::Stall);
    let cut = (faulty && first_download).then_some(start + (end - start) / 2);
    // `stall`: the first half arrives in ten slow pieces before the cut.
    let trickle = (state.config.scenario == Scenario::Stall && first_download).then(|| Trickle {
        piece: ((end - start) / 20).max(1),
        gap: state.config.trickle_gap,
    });

    let body = if is_get {
        Body::from_stream(body_stream(archive.clone(), start, end, cut, trickle))
    } else {
        Body::empty()
    };
    let mut resp = respond(state, status, "application/zip", body);
    let h = resp.headers_mut();
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(end - start));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(v) = HeaderValue::from_str(archive.etag()) {
        h.insert(header::ETAG, v);
    }
    let modified = std::time::UNIX_EPOCH + std::time::Duration::from_secs(state.started_unix);
    if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(modified)) {
        h.insert(header::LAST_MODIFIED, v);
    }
    if status == StatusCode::PARTIAL_CONTENT {
        if let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{}/{len}", end - 1)) {
            h.insert(header::CONTENT_RANGE, v);
        }
    }
    resp
}

/// A slow body: pieces of `piece` bytes, `gap` apart.
#[derive(Clone, Copy)]
struct Trickle {
    piece: u64,
    gap: std::time::Duration,
}

/// The body from `start` to `end`, in chunks; with `cut`, an error at that offset, which makes
/// the server drop the connection short of the `Content-Length` it announced; with `trickle`,
/// slowly.
fn body_stream(
    archive: Arc<ArchiveFile>,
    start: u64,
    end: u64,
    cut: Option<u64>,
    trickle: Option<Trickle>,
) -> impl futures_util::Stream<Item = io::Result<bytes::Bytes>> + Send + 'static {
    futures_util::stream::unfold(
        (archive, start, cut),
        move |(archive, pos, cut)| async move {
            if let Some(t) = trickle {
                if pos > start {
                    tokio::time::sleep(t.gap).await;
                }
            }
            if let Some(c) = cut {
                if pos >= c {
                    // Let the connection flush the half already yielded, so the client really
                    // holds a partial file to resume, then drop it.
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    let e = io::Error::new(
                        io::ErrorKind::ConnectionAborted,
                        "sandbox (flaky): connection cut mid-download",
                    );
                    return Some((Err(e), (archive, end, None)));
                }
            }
            if pos >= end {
                return None;
            }
            let mut limit = cut.map_or(end, |c| c.min(end));
            if let Some(t) = trickle {
                limit = limit.min(pos + t.piece);
            }
            let chunk = archive.chunk(pos, limit);
            let next = pos + chunk.len() as u64;
            Some((Ok(chunk), (archive, next, cut)))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_known_values() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn percent_round_trip() {
        let name = "风险监控日报-JKDAY-1.zip";
        let enc = percent_encode(name);
        assert!(enc.starts_with("%E9%A3%8E"), "{enc}");
        assert_eq!(percent_decode(&enc).as_deref(), Some(name));
        assert_eq!(percent_decode("a+b%2B%3d").as_deref(), Some("a+b+="));
        assert_eq!(percent_decode("%").as_deref(), Some("%"));
        assert_eq!(percent_decode("%4").as_deref(), Some("%4"));
    }

    #[test]
    fn iso_dates() {
        assert_eq!(iso8601(1_708_137_472), "2024-02-17T02:37:52.000Z");
    }
}
