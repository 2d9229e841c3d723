//! The two API endpoints: createReport and getReportInfo.
//!
//! Authentication runs first, in a fixed order, so that a client's error handling can be
//! tested code by code: an unknown or missing `key` is 101; a missing, non-numeric or stale
//! `Timespan` (against the server clock, which `clock_skew` moves) is 115; a `Token` other than
//! `sign(key, timespan, secret)` — compared case-sensitively, the vendor's Token being upper-case
//! hex — is 107. Then `quota` answers 112, then the parameters are checked (202 for a missing
//! or unknown one; 201 for an order number getReportInfo does not know).
//!
//! Answers use the document's envelope: `status` as a string, the vendor's Chinese `msg` for the
//! code (from the core's status table, so the texts exist once), `result` null on anything but
//! 200, `application/json; charset=utf-8`, and a `Date` header from the server clock.

use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use qcc_radar_core::{lookup_status, sign, ReportType};
use serde_json::{json, Value};

use crate::app::{header_text, query_get, query_pairs, respond, AppState, JSON};
use crate::record::{Endpoint, RecordedRequest};
use crate::scenario::Scenario;

/// What a request brought, read once.
struct Call {
    query: Vec<(String, String)>,
    timespan: Option<String>,
    token: Option<String>,
    token_valid: bool,
    range: Option<String>,
    method_ok: bool,
}

impl Call {
    fn read(state: &AppState, req: &Parts) -> Call {
        let query = query_pairs(req);
        let timespan = header_text(req, "Timespan");
        let token = header_text(req, "Token");
        let token_valid = match (query_get(&query, "key"), &timespan, &token) {
            (Some(key), Some(ts), Some(token)) => {
                parse_timespan(ts).is_some_and(|ts| *token == sign(key, ts, &state.expected_secret))
            }
            _ => false,
        };
        Call {
            query,
            timespan,
            token,
            token_valid,
            range: header_text(req, "Range"),
            method_ok: matches!(req.method, Method::GET | Method::HEAD),
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        query_get(&self.query, name)
    }

    fn record(self, state: &AppState, endpoint: Endpoint, api_status: Option<i32>, http: u16) {
        state.log.push(RecordedRequest {
            endpoint,
            query: self.query,
            timespan: self.timespan,
            token_valid: self.token_valid,
            api_status,
            http_status: http,
            range: self.range,
        });
    }
}

fn parse_timespan(text: &str) -> Option<u64> {
    let t = text.trim();
    if t.is_empty() || t.len() > 19 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// The checks every API call passes before its endpoint's own: method, key, Timespan, Token,
/// quota. `Err` holds the status to answer.
fn admit(state: &AppState, call: &Call) -> Result<(), i32> {
    if !call.method_ok {
        return Err(118);
    }
    match call.get("key") {
        Some(k) if k == state.config.app_key => {}
        _ => return Err(101),
    }
    let fresh = call
        .timespan
        .as_deref()
        .and_then(parse_timespan)
        .is_some_and(|ts| {
            state.clock.unix_secs().abs_diff(ts) <= state.config.timespan_window.as_secs()
        });
    if !fresh {
        return Err(115);
    }
    if call.token.is_none() || !call.token_valid {
        return Err(107);
    }
    if state.config.scenario == Scenario::Quota {
        return Err(112);
    }
    Ok(())
}

/// The envelope for `status`, with the vendor's text for it.
fn envelope(status: i32, result: Value) -> String {
    json!({
        "status": status.to_string(),
        "msg": lookup_status(status).vendor_text,
        "result": result,
    })
    .to_string()
}

fn answer(
    state: &AppState,
    call: Call,
    endpoint: Endpoint,
    status: i32,
    result: Value,
) -> Response {
    let result = if status == 200 { result } else { Value::Null };
    call.record(state, endpoint, Some(status), 200);
    respond(state, StatusCode::OK, JSON, envelope(status, result))
}

/// `GET /api/radar_ext/createReport?key=&reportType=`.
pub(crate) async fn create_report(state: &AppState, req: &Parts) -> Response {
    const EP: Endpoint = Endpoint::CreateReport;
    let call = Call::read(state, req);
    if let Err(code) = admit(state, &call) {
        return answer(state, call, EP, code, Value::Null);
    }
    // The document spells the values in lower case; anything else is a bad parameter.
    let report_type = match call.get("reportType") {
        Some("day") => ReportType::Day,
        Some("week") => ReportType::Week,
        Some("month") => ReportType::Month,
        _ => return answer(state, call, EP, 202, Value::Null),
    };
    if state.config.scenario == Scenario::NoChange {
        return answer(state, call, EP, 201, Value::Null);
    }
    let first = state.orders.count() == 0;
    let order_no = state.orders.place(report_type, state.clock.unix_millis());
    match state.config.scenario {
        Scenario::LostAnswer if first => {
            // The order is placed and billed; the answer never arrives.
            call.record(state, EP, Some(200), 0);
            return lost_answer();
        }
        Scenario::CreateHangs if first => {
            // Recorded now: a client that gives up drops this future before the answer.
            call.record(state, EP, Some(200), 200);
            tokio::time::sleep(state.config.hang).await;
            let body = envelope(200, json!({ "orderNo": order_no }));
            return respond(state, StatusCode::OK, JSON, body);
        }
        _ => {}
    }
    answer(state, call, EP, 200, json!({ "orderNo": order_no }))
}

/// A response whose body fails before its first byte: the server drops the connection, so
/// the client sees its request go out and no answer come back.
fn lost_answer() -> Response {
    let body = futures_util::stream::once(async {
        Err::<bytes::Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "sandbox (lost_answer): connection closed before the answer",
        ))
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(axum::http::header::CONTENT_TYPE, JSON)
        .body(axum::body::Body::from_stream(body))
        .unwrap_or_default()
}

/// What getReportInfo decided for a known order.
enum Progress {
    Pending,
    Failed,
    Ready {
        report_type: ReportType,
        expires: u64,
    },
}

const GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// `GET /api/radar_ext/getReportInfo?key=&orderNo=`.
pub(crate) fn report_info(state: &AppState, req: &Parts) -> Response {
    const EP: Endpoint = Endpoint::GetReportInfo;
    let call = Call::read(state, req);
    let scenario = state.config.scenario;

    // `flaky`: the gateway in front of the API fails the first call for each order, before
    // the API itself (and so its authentication) ever sees it.
    if scenario == Scenario::Flaky {
        let first = call.get("orderNo").and_then(|o| {
            state.orders.with_order(o, |order| {
                order.info_calls += 1;
                order.info_calls == 1
            })
        });
        if first == Some(true) {
            call.record(state, EP, None, 502);
            return respond(state, StatusCode::BAD_GATEWAY, "text/html", GATEWAY_PAGE);
        }
    }

    if let Err(code) = admit(state, &call) {
        return answer(state, call, EP, code, Value::Null);
    }
    let order_no = match call.get("orderNo") {
        Some(o) if !o.trim().is_empty() => o.to_string(),
        _ => return answer(state, call, EP, 202, Value::Null),
    };
    let config = &state.config;
    let now = state.clock.unix_secs();
    let progress = state.orders.with_order(&order_no, |order| {
        if scenario != Scenario::Flaky {
            order.info_calls += 1;
        }
        let pending = if scenario == Scenario::Slow {
            order.placed_at.elapsed() < config.slow_ready_after
        } else {
            order.pending_answers < config.polls_until_ready
        };
        if pending {
            order.pending_answers += 1;
            return Progress::Pending;
        }
        if scenario == Scenario::Fail {
            return Progress::Failed;
        }
        order.ready_answers += 1;
        let expires = if scenario == Scenario::ExpiredLink && order.ready_answers == 1 {
            now.saturating_sub(60)
        } else {
            now + config.link_ttl.as_secs()
        };
        Progress::Ready {
            report_type: order.report_type,
            expires,
        }
    });
    let result = match progress {
        None => return answer(state, call, EP, 201, Value::Null),
        Some(Progress::Pending) => json!({ "reportStatus": "P", "reportUrl": null }),
        Some(Progress::Failed) => json!({ "reportStatus": "F", "reportUrl": null }),
        Some(Progress::Ready {
            report_type,
            expires,
        }) => {
            let url = crate::storage::link(
                state,
                &state.link_base(&req.headers),
                &order_no,
                report_type,
                expires,
            );
            match scenario {
                // The older radar API's answer shape: the archive's password beside the link.
                Scenario::Encrypted | Scenario::EncryptedAes => json!({
                    "reportStatus": "S",
                    "reportUrl": url,
                    "unzipPassword": crate::UNZIP_PASSWORD,
                }),
                _ => json!({ "reportStatus": "S", "reportUrl": url }),
            }
        }
    };
    answer(state, call, EP, 200, result)
}
