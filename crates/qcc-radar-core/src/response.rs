//! Response bodies into typed outcomes.
//!
//! The envelope is `{"status": "200", "msg": "…", "result": {…}}`. Known deviations are
//! tolerated: `status` as a JSON number, `result` null or missing, and the vendor's capitalised
//! keys (`Status`, `Message`, `Result`) from its other endpoints. What cannot be read (a
//! gateway's HTML page, truncated JSON, an empty body) becomes a retryable transport error that
//! says what arrived: its content type and its first bytes, never the whole body.
//!
//! Three more tolerances, each cheap, each turning a misleading "unreadable body" into the
//! answer the server gave: a body that is not UTF-8 (a Chinese server answering in GBK) is decoded with the charset its
//! content type declares, else as GB18030, before it is judged, so a quota error with a GBK
//! `msg` is still a quota error and not a retryable "unreadable body"; and a body whose strings
//! hold raw line breaks or tabs, as the document's getReportInfo example does (its `reportUrl`
//! is wrapped over lines), is read as if each were a space. Valid JSON never contains such raw
//! characters inside a string, and outside strings they already are whitespace, so this
//! changes nothing for a well-formed body. A leading UTF-8 byte-order mark is dropped.
//!
//! The same code means different things per endpoint: 201 from createReport is the good news
//! "no risk changes, so no report", while 201 from getReportInfo means the order number is not
//! valid. Codes decide; `msg` text never does.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::order_no::OrderNo;
use crate::redact::redact_text;
use crate::report_link::ReportLink;
use crate::report_status::ReportStatus;
use crate::status_code::lookup_status;
use crate::unzip_password::UnzipPassword;

/// What createReport answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CreateReportOutcome {
    /// 200: an order was placed.
    Ordered(OrderNo),
    /// 201: no monitored company had a risk change, so there is no report. Not an error.
    NoChange,
}

/// What getReportInfo answered for an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportInfo {
    /// `P`, `S` or `F`.
    pub status: ReportStatus,
    /// The signed download link, present when `status` is `S`.
    pub link: Option<ReportLink>,
    /// The link's expiry (Unix seconds), from its `Expires` query parameter.
    pub expires_at: Option<u64>,
    /// The archive's password (`result.unzipPassword`), when the answer carries one: the
    /// report's zip is then encrypted. Redacted whenever it is formatted.
    pub unzip_password: Option<UnzipPassword>,
}

/// The envelope, with its keys found case-insensitively.
struct Envelope {
    status: i32,
    msg: String,
    result: Option<Map<String, Value>>,
}

fn preview(body: &[u8]) -> String {
    const MAX: usize = 80;
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX)]);
    let mut shown: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    shown = shown.split_whitespace().collect::<Vec<_>>().join(" ");
    // A body cut off in the middle of getReportInfo's answer can hold the signed link.
    shown = redact_text(&shown);
    if body.len() > MAX {
        shown.push('…');
    }
    shown
}

fn unreadable(endpoint: &str, body: &[u8], content_type: Option<&str>, why: &str) -> Error {
    let ct = match content_type {
        Some(ct) => preview(ct.as_bytes()),
        None => "none".to_string(),
    };
    let what = if body.is_empty() {
        "an empty body".to_string()
    } else {
        format!("{} bytes starting {:?}", body.len(), preview(body))
    };
    Error::transport(format!(
        "{endpoint} answered with something that is not the API's JSON ({why}; content type {ct}, {what}); a proxy or gateway may be in the way, or the service is down"
    ))
}

fn get_ci<'a>(obj: &'a Map<String, Value>, names: &[&str]) -> Option<&'a Value> {
    for name in names {
        if let Some(v) = obj.get(*name) {
            return Some(v);
        }
    }
    obj.iter()
        .find(|(k, _)| names.iter().any(|n| k.eq_ignore_ascii_case(n)))
        .map(|(_, v)| v)
}

/// The charset a content type declares (`application/json; charset=GBK` gives `GBK`).
fn declared_charset(content_type: Option<&str>) -> Option<&'static encoding_rs::Encoding> {
    content_type?.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        encoding_rs::Encoding::for_label(value.trim().trim_matches('"').as_bytes())
    })
}

/// The body as text: UTF-8 when it is valid UTF-8 (whatever the content type claims: servers
/// that declare ISO-8859-1 and send UTF-8 are common), else decoded with the declared charset,
/// else as GB18030. A leading byte-order mark is dropped.
fn body_text<'a>(body: &'a [u8], content_type: Option<&str>) -> Cow<'a, str> {
    let text = match std::str::from_utf8(body) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            let encoding = declared_charset(content_type)
                .filter(|e| *e != encoding_rs::UTF_8)
                .unwrap_or(encoding_rs::GB18030);
            let (decoded, _) = encoding.decode_without_bom_handling(body);
            decoded
        }
    };
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(s.strip_prefix('\u{feff}').unwrap_or(s)),
        Cow::Owned(s) => match s.strip_prefix('\u{feff}') {
            Some(rest) => Cow::Owned(rest.to_string()),
            None => Cow::Owned(s),
        },
    }
}

fn parse_json(text: &str) -> serde_json::Result<Value> {
    serde_json::from_str(text).or_else(|strict| {
        if text.contains(['\n', '\r', '\t']) {
            let relaxed = text.replace(['\n', '\r', '\t'], " ");
            serde_json::from_str(&relaxed).map_err(|_| strict)
        } else {
            Err(strict)
        }
    })
}

fn parse_envelope(endpoint: &str, body: &[u8], content_type: Option<&str>) -> Result<Envelope> {
    let value = parse_json(&body_text(body, content_type)).map_err(|e| {
        let why = if body.is_empty() {
            "empty body".to_string()
        } else {
            format!("invalid JSON: {e}")
        };
        unreadable(endpoint, body, content_type, &why)
    })?;
    let Value::Object(obj) = value else {
        return Err(unreadable(
            endpoint,
            body,
            content_type,
            "JSON is not an object",
        ));
    };
    let status = match get_ci(&obj, &["status"]) {
        Some(Value::String(s)) => s.trim().parse::<i32>().ok(),
        Some(Value::Number(n)) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
        _ => None,
    }
    .ok_or_else(|| unreadable(endpoint, body, content_type, "no numeric status"))?;
    let msg = match get_ci(&obj, &["msg", "message"]) {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let result = match get_ci(&obj, &["result"]) {
        Some(Value::Object(m)) => Some(m.clone()),
        _ => None,
    };
    Ok(Envelope {
        status,
        msg,
        result,
    })
}

fn result_string(result: &Map<String, Value>, names: &[&str]) -> Option<String> {
    match get_ci(result, names) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// Parses a createReport body. `content_type` is only used to describe an unreadable body.
pub fn parse_create_report(body: &[u8], content_type: Option<&str>) -> Result<CreateReportOutcome> {
    const EP: &str = "createReport";
    let env = parse_envelope(EP, body, content_type)?;
    match env.status {
        200 => {
            // A 200 means an order may have been placed and billed, so a malformed one is
            // never retryable: ordering again could pay twice.
            let placed = |why: String| {
                Error::transport(format!(
                    "createReport answered 200 but {why}; an order may have been placed, so check QCC's order list before ordering again"
                ))
                .with_code(200)
                .with_retryable(false)
            };
            let order = env
                .result
                .as_ref()
                .and_then(|r| result_string(r, &["orderNo"]))
                .ok_or_else(|| placed("without result.orderNo".to_string()))?;
            let order = OrderNo::new(order.trim())
                .map_err(|e| placed(format!("with an unusable order number ({})", e.message())))?;
            Ok(CreateReportOutcome::Ordered(order))
        }
        201 => Ok(CreateReportOutcome::NoChange),
        code => Err(lookup_status(code).to_error(EP, &env.msg)),
    }
}

/// Parses a getReportInfo body. A 205 ("waiting to be processed") is reported as
/// [`ReportStatus::Pending`]; 201 is an `invalid_request` error (the order number is unknown).
pub fn parse_report_info(body: &[u8], content_type: Option<&str>) -> Result<ReportInfo> {
    const EP: &str = "getReportInfo";
    let env = parse_envelope(EP, body, content_type)?;
    match env.status {
        200 => {
            let result = env
                .result
                .as_ref()
                .ok_or_else(|| unreadable(EP, body, content_type, "status 200 without a result"))?;
            let letter = result_string(result, &["reportStatus"]).ok_or_else(|| {
                unreadable(
                    EP,
                    body,
                    content_type,
                    "status 200 without result.reportStatus",
                )
            })?;
            let status = ReportStatus::from_letter(&letter)?;
            // The link matters only once the report is made: a stray, unusable reportUrl
            // beside P or F must not hide the status (F must still read as a failed report).
            let link = match result_string(result, &["reportUrl"]) {
                Some(u) if status == ReportStatus::Succeeded => Some(ReportLink::parse(&u)?),
                Some(u) => ReportLink::parse(&u).ok(),
                None => None,
            };
            if status == ReportStatus::Succeeded && link.is_none() {
                return Err(unreadable(
                    EP,
                    body,
                    content_type,
                    "reportStatus S without a reportUrl",
                ));
            }
            let expires_at = link.as_ref().and_then(ReportLink::expires_at);
            // Kept exactly as sent (a password may hold spaces); a blank one is no password.
            // A number (`123456`) is read as its digits.
            let unzip_password = result_string(result, &["unzipPassword"]).map(UnzipPassword::new);
            Ok(ReportInfo {
                status,
                link,
                expires_at,
                unzip_password,
            })
        }
        205 => Ok(ReportInfo {
            status: ReportStatus::Pending,
            link: None,
            expires_at: None,
            unzip_password: None,
        }),
        201 => Err(Error::new(
            ErrorKind::InvalidRequest,
            "getReportInfo does not know this order number; check it, or order a new report",
        )
        .with_code(201)
        .with_server_message(env.msg)),
        code => Err(lookup_status(code).to_error(EP, &env.msg)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_examples() {
        let b = br#"{"status":"200","msg":"ok","result":{"orderNo":"JKDAY-167660123348194027"}}"#;
        assert_eq!(
            parse_create_report(b, Some("application/json")).unwrap(),
            CreateReportOutcome::Ordered(OrderNo::new("JKDAY-167660123348194027").unwrap())
        );
        let b = br#"{"Status":201,"Message":"none","Result":null}"#;
        assert_eq!(
            parse_create_report(b, None).unwrap(),
            CreateReportOutcome::NoChange
        );
    }

    #[test]
    fn a_cut_off_answer_never_quotes_the_signed_link() {
        // Found by fuzz/parse_response: an unreadable body's preview showed the link's query.
        let body = br#"{"result":{"reportUrl":"https://f/r.zip?OSSAccessKeyId=LTAIabc&Signature=k%2FD2Yb67MK3O6&Expires=17"#;
        let e = parse_report_info(body, Some("application/json")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Transport);
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("k%2FD2"), "{shown}");
        assert!(!shown.contains("LTAIabc"), "{shown}");
        assert!(shown.contains("https://f/r.zip?<redacted>"), "{shown}");
        // The same when the body starts inside the link, and in the content type.
        let e = parse_report_info(
            b"eyId=LTAIabc&Signature=k%2FD2Yb67MK3O6\"}}",
            Some("text/plain; Signature=k%2FD2Yb67MK3O6"),
        )
        .unwrap_err();
        assert!(!format!("{e:?}").contains("k%2FD2"), "{e:?}");
    }

    #[test]
    fn info_201_is_unknown_order() {
        let e = parse_report_info(br#"{"status":"201","msg":"x"}"#, None).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest);
        assert_eq!(e.code(), Some(201));
    }

    #[test]
    fn html_gateway_page_says_what_arrived() {
        let e = parse_report_info(
            b"<html><body>502 Bad Gateway</body></html>",
            Some("text/html"),
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Transport);
        assert!(e.is_retryable());
        assert!(e.message().contains("text/html"), "{e}");
        assert!(e.message().contains("502 Bad Gateway"), "{e}");
    }

    #[test]
    fn quota_code() {
        let e = parse_create_report(
            r#"{"status":"112","msg":"余额不足","result":null}"#.as_bytes(),
            None,
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Quota);
        assert_eq!(e.server_message(), Some("余额不足"));
    }

    // Regression: the vendor document's getReportInfo example has its reportUrl wrapped over
    // lines inside the JSON string; strict JSON rejected it as an unreadable body.
    #[test]
    fn document_example_with_raw_line_breaks_in_a_string() {
        let b = "{\n  \"status\": \"200\",\n  \"msg\": \"【有效请求】 查询成功\",\n  \"result\": {\n    \"reportStatus\": \"S\",\n    \"reportUrl\":\n    \"https://pro-files.qichacha.com/a/%E6\n    %8E%A7.zip?Expires=1708137472&OSSAccessKeyId=LTAIvmt\n    6mWz2ZQqu&Signature=k%2FD2Y%3D\"\n  }\n}";
        let info = parse_report_info(b.as_bytes(), Some("application/json")).unwrap();
        assert_eq!(info.status, ReportStatus::Succeeded);
        assert_eq!(info.expires_at, Some(1708137472));
        assert!(!info.link.unwrap().expose().contains(char::is_whitespace));
        // Truncated JSON stays unreadable.
        let e = parse_report_info(b"{\"status\":\n\"200\", \"res", None).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Transport);
    }

    // Regression: a GBK-encoded error body was an unreadable, retryable transport error
    // instead of the quota error it states.
    #[test]
    fn gbk_body_is_decoded() {
        let (b, _, _) =
            encoding_rs::GBK.encode(r#"{"status":"112","msg":"余额不足","result":null}"#);
        for ct in [Some("application/json; charset=GBK"), None] {
            let e = parse_create_report(&b, ct).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Quota, "{ct:?}");
            assert_eq!(e.server_message(), Some("余额不足"));
        }
        // Valid UTF-8 wins over a wrongly declared charset.
        let b = r#"{"status":"112","msg":"余额不足"}"#.as_bytes();
        let e = parse_create_report(b, Some("application/json;charset=ISO-8859-1")).unwrap_err();
        assert_eq!(e.server_message(), Some("余额不足"));
    }

    // Regression: a UTF-8 byte-order mark made the body unreadable.
    #[test]
    fn bom_is_dropped() {
        let b = "\u{feff}{\"status\":201,\"msg\":\"x\"}";
        assert_eq!(
            parse_create_report(b.as_bytes(), None).unwrap(),
            CreateReportOutcome::NoChange
        );
    }

    #[test]
    fn unzip_password_is_read_and_never_shown() {
        let b = br#"{"status":"200","result":{"reportStatus":"S","reportUrl":"https://f/r.zip","unzipPassword":"pw 9!"}}"#;
        let info = parse_report_info(b, None).unwrap();
        assert_eq!(info.unzip_password.as_ref().unwrap().expose(), "pw 9!");
        assert!(!format!("{info:?}").contains("pw 9!"), "{info:?}");
        let b = br#"{"Status":200,"Result":{"ReportStatus":"S","ReportUrl":"https://f/r.zip","UnzipPassword":123456}}"#;
        let info = parse_report_info(b, None).unwrap();
        assert_eq!(info.unzip_password.unwrap().expose(), "123456");
        for absent in [r#""""#, r#"" ""#, "null"] {
            let b = format!(
                r#"{{"status":"200","result":{{"reportStatus":"S","reportUrl":"https://f/r.zip","unzipPassword":{absent}}}}}"#
            );
            let info = parse_report_info(b.as_bytes(), None).unwrap();
            assert_eq!(info.unzip_password, None, "{absent}");
        }
    }

    // Regression: an unusable reportUrl beside F hid the failure behind a transport error.
    #[test]
    fn stray_link_beside_f_is_ignored() {
        let b = br#"{"status":"200","result":{"reportStatus":"F","reportUrl":"-"}}"#;
        let info = parse_report_info(b, None).unwrap();
        assert_eq!(info.status, ReportStatus::Failed);
        assert_eq!(info.link, None);
        let b = br#"{"status":"200","result":{"reportStatus":"S","reportUrl":"-"}}"#;
        assert_eq!(
            parse_report_info(b, None).unwrap_err().kind(),
            ErrorKind::Transport
        );
    }
}
