//! The HTTP application: shared state and the one dispatcher every request goes through.
//!
//! A single fallback handler dispatches on the path by hand instead of through a route table:
//! the service has three shapes of path, every answer must be recorded with its final status,
//! and an unknown path must get the vendor-style JSON 404 rather than a framework default. One
//! function that sees every request and every answer makes those rules hard to miss.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Router;
use qcc_radar_core::{CREATE_REPORT_PATH, REPORT_INFO_PATH};

use crate::archive::ArchiveStore;
use crate::clock::Clock;
use crate::config::SandboxConfig;
use crate::orders::OrderBook;
use crate::record::{Endpoint, RecordedRequest, RequestLog};

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct AppState {
    /// The configuration the sandbox was started with.
    pub(crate) config: SandboxConfig,
    /// The secret Tokens are checked against (differs from `config.secret_key` in
    /// `bad_credentials`).
    pub(crate) expected_secret: String,
    /// The server clock.
    pub(crate) clock: Clock,
    /// Placed orders.
    pub(crate) orders: OrderBook,
    /// The request log.
    pub(crate) log: RequestLog,
    /// The report archives.
    pub(crate) archives: ArchiveStore,
    /// The emulated object storage's signing secret (random per sandbox).
    pub(crate) storage_secret: String,
    /// `http://127.0.0.1:PORT`.
    pub(crate) base_url: String,
    /// When the sandbox started (server clock), for `Last-Modified`.
    pub(crate) started_unix: u64,
}

impl AppState {
    /// The state for `config`, serving at `base_url`.
    pub(crate) fn new(config: SandboxConfig, base_url: String) -> Self {
        let clock = Clock::new(config.effective_skew());
        let started_unix = clock.unix_secs();
        AppState {
            expected_secret: config.expected_secret(),
            clock,
            orders: OrderBook::default(),
            log: RequestLog::default(),
            archives: ArchiveStore::new(config.scenario, started_unix, config.large_bytes),
            storage_secret: format!(
                "{:016x}{:016x}",
                rand::random::<u64>(),
                rand::random::<u64>()
            ),
            base_url,
            started_unix,
            config,
        }
    }

    /// The base URL links should use: the `Host` the client reached us by, when it looks like a
    /// host (so a client that says `localhost` gets `localhost` links), else `base_url`.
    pub(crate) fn link_base(&self, headers: &HeaderMap) -> String {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| {
                !h.is_empty()
                    && h.len() < 256
                    && h.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
            });
        match host {
            Some(h) => format!("http://{h}"),
            None => self.base_url.clone(),
        }
    }
}

/// The application for `state`.
pub(crate) fn router(state: Arc<AppState>) -> Router {
    Router::new().fallback(dispatch).with_state(state)
}

async fn dispatch(State(state): State<Arc<AppState>>, req: Request) -> Response {
    // Only GETs are served: the body, if any, is never read.
    let (parts, _body) = req.into_parts();
    let req = &parts;
    let path = req.uri.path();
    if path == CREATE_REPORT_PATH {
        crate::api::create_report(&state, req).await
    } else if path == REPORT_INFO_PATH {
        crate::api::report_info(&state, req)
    } else if path.starts_with("/files/") {
        crate::storage::download(&state, req).await
    } else {
        not_found(&state, req)
    }
}

/// A request's query, percent-decoded (`+` as space, as form encoding writes it).
pub(crate) fn query_pairs(req: &Parts) -> Vec<(String, String)> {
    match req.uri.query() {
        Some(q) => url::form_urlencoded::parse(q.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
        None => Vec::new(),
    }
}

/// The first value of `name` in `query`.
pub(crate) fn query_get<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A header's value as text, if present and visible ASCII.
pub(crate) fn header_text(req: &Parts, name: &str) -> Option<String> {
    req.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// A response with `status`, `content_type`, `body` and the server's `Date`.
pub(crate) fn respond(
    state: &AppState,
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<Body>,
) -> Response {
    let mut resp = Response::new(body.into());
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::DATE, state.clock.date_header());
    resp
}

/// The JSON content type of every API answer.
pub(crate) const JSON: &str = "application/json; charset=utf-8";

fn not_found(state: &AppState, req: &Parts) -> Response {
    let body = serde_json::json!({
        "status": "404",
        "msg": format!("no such interface: {}", req.uri.path()),
        "result": null,
    })
    .to_string();
    state.log.push(RecordedRequest {
        endpoint: Endpoint::Other,
        query: query_pairs(req),
        timespan: header_text(req, "Timespan"),
        token_valid: false,
        api_status: Some(404),
        http_status: 404,
        range: header_text(req, "Range"),
    });
    respond(state, StatusCode::NOT_FOUND, JSON, body)
}
