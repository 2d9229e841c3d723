//! Sending signed API requests: retries, re-signing, clock-skew correction, fork safety.
//!
//! Two hazards shape this file. First, money: createReport places a billed order, so it is
//! retried only when the failure happened before the request could reach the server (DNS,
//! connection refused, TLS handshake), never after a timeout or a 5xx, where the order may
//! already exist. getReportInfo is safe to repeat and retries connect errors, timeouts, 5xx
//! and unreadable gateway pages with full-jitter back-off. Every attempt reads the clock once
//! and re-signs. Second, `fork()`: a connection pool and its driver tasks do not survive into a
//! child process, so the HTTP client is rebuilt when the process id changes.
//!
//! The loop of attempts and back-offs is `retry.rs`'s, shared with the download; this file says
//! what each answer or failure of one attempt means. It knows nothing of the client: it takes
//! the HTTP client, the clock and its own [`ApiSettings`].

use std::sync::Mutex;
use std::time::Duration;

use qcc_radar_core::clock_skew::server_offset;
use qcc_radar_core::{ApiRequest, BaseUrl, Error, Result, RetryPolicy};
use reqwest::header::{CONTENT_TYPE, DATE};

use crate::clock::{unix_now, ServerClock};
use crate::retry::{self, Budget, Job, Outcome, Repeat};

/// The most bytes read of an API answer; the real ones are a few hundred.
const MAX_API_BODY: usize = 1024 * 1024;

/// Everything needed to (re)build the HTTP client.
#[derive(Clone)]
pub(crate) struct HttpFactory {
    pub(crate) user_agent: String,
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) ca_pem: Option<Vec<u8>>,
    pub(crate) proxy: Option<String>,
}

impl HttpFactory {
    pub(crate) fn build(&self) -> Result<reqwest::Client> {
        let mut b = reqwest::Client::builder()
            .user_agent(&self.user_agent)
            .connect_timeout(self.connect_timeout)
            .read_timeout(self.read_timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .redirect(reqwest::redirect::Policy::limited(5));
        if let Some(pem) = &self.ca_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| Error::config(format!("the CA file is not valid PEM: {e}")))?;
            if certs.is_empty() {
                return Err(Error::config("the CA file holds no certificate"));
            }
            for cert in certs {
                b = b.add_root_certificate(cert);
            }
        }
        if let Some(proxy) = &self.proxy {
            let p = reqwest::Proxy::all(proxy.as_str()).map_err(|e| {
                Error::config(format!(
                    "the proxy URL {:?} is not valid: {e}",
                    qcc_radar_core::redact::redact_url(proxy)
                ))
            })?;
            b = b.proxy(p);
        }
        b.build()
            .map_err(|e| Error::config(format!("cannot set up the HTTP client: {e}")))
    }
}

/// The HTTP client, rebuilt after `fork()`.
pub(crate) struct ForkAwareHttp {
    factory: HttpFactory,
    slot: Mutex<(u32, reqwest::Client)>,
}

impl ForkAwareHttp {
    pub(crate) fn new(factory: HttpFactory) -> Result<Self> {
        let client = factory.build()?;
        Ok(ForkAwareHttp {
            factory,
            slot: Mutex::new((std::process::id(), client)),
        })
    }

    /// The client for this process.
    pub(crate) fn get(&self) -> reqwest::Client {
        let pid = std::process::id();
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        if slot.0 != pid {
            // Built from the same settings that succeeded before; fall back to the old client
            // only if the rebuild fails, which it cannot for settings already validated.
            if let Ok(fresh) = self.factory.build() {
                let old = std::mem::replace(&mut slot.1, fresh);
                // The old pool's connections belong to the parent: never touch them again.
                std::mem::forget(old);
            }
            slot.0 = pid;
        }
        slot.1.clone()
    }
}

/// Whether a failed send could not have reached the server.
pub(crate) fn failed_before_sending(e: &reqwest::Error) -> bool {
    e.is_connect() && !e.is_timeout()
}

/// Describes a reqwest error without its URL (a download URL's query is a credential).
pub(crate) fn describe(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

/// One answer of the API.
struct Answer {
    body: Vec<u8>,
    content_type: Option<String>,
    date: Option<String>,
    http_status: u16,
    received_at: u64,
}

async fn send_once(
    http: &reqwest::Client,
    req: &ApiRequest,
    timeout: Duration,
) -> std::result::Result<Answer, reqwest::Error> {
    let mut builder = http.get(&req.url).timeout(timeout);
    for (name, value) in &req.headers {
        builder = builder.header(*name, value);
    }
    let mut resp = builder.send().await?;
    let received_at = unix_now();
    let http_status = resp.status().as_u16();
    let header = |name| {
        resp.headers()
            .get(name)
            .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header(CONTENT_TYPE);
    let date = header(DATE);
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        let room = MAX_API_BODY.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if room <= chunk.len() {
            break;
        }
    }
    Ok(Answer {
        body,
        content_type,
        date,
        http_status,
        received_at,
    })
}

/// What an API call needs besides the request, the HTTP client and the clock: where requests go
/// (named in messages), how long one may take, how often a failed one is tried again, and
/// whether a 115 teaches the server's clock.
#[derive(Clone)]
pub(crate) struct ApiSettings {
    /// The base URL requests are built on.
    pub(crate) base_url: BaseUrl,
    /// Time allowed for one API request, answer included.
    pub(crate) request_timeout: Duration,
    /// The retries of requests that are safe to repeat (and of the download's resumptions).
    pub(crate) retry: RetryPolicy,
    /// Whether to learn the server's clock offset after a 115 answer and try once more.
    pub(crate) skew_correction: bool,
}

/// Sends the request built by `build` (given a timespan) and parses the answer with `parse`,
/// retrying as `repeat` allows.
pub(crate) async fn call_api<T>(
    http: &ForkAwareHttp,
    settings: &ApiSettings,
    clock: &ServerClock,
    repeat: Repeat,
    build: impl Fn(u64) -> ApiRequest,
    parse: impl Fn(&[u8], Option<&str>) -> Result<T>,
) -> Result<T> {
    let mut call = Call {
        http,
        settings,
        clock,
        repeat,
        build,
        parse,
        endpoint: "",
        skew_corrected: false,
    };
    retry::run(&settings.retry, &mut call)
        .await
        .map_err(|gave_up| with_attempts(gave_up.error, gave_up.attempts))
}

/// One API call, attempt by attempt.
struct Call<'a, B, P> {
    http: &'a ForkAwareHttp,
    settings: &'a ApiSettings,
    clock: &'a ServerClock,
    repeat: Repeat,
    build: B,
    parse: P,
    /// The endpoint of the last attempt, for messages.
    endpoint: &'static str,
    /// Whether a 115 already taught the server's clock in this call.
    skew_corrected: bool,
}

impl<T, B, P> Job for Call<'_, B, P>
where
    B: Fn(u64) -> ApiRequest,
    P: Fn(&[u8], Option<&str>) -> Result<T>,
{
    type Output = T;

    async fn attempt(&mut self, budget: &mut Budget) -> Outcome<T> {
        let (settings, clock) = (self.settings, self.clock);
        let req = (self.build)(clock.now());
        let endpoint = req.endpoint;
        self.endpoint = endpoint;
        tracing::debug!(endpoint, attempt = budget.attempt(), timespan = ?req.header("Timespan"), "sending");
        let client = self.http.get();
        let (err, reached) = match send_once(&client, &req, settings.request_timeout).await {
            Ok(answer) => {
                let parse = &self.parse;
                let result = if answer.http_status >= 500 && parse_is_unreadable(&answer, parse) {
                    Err(Error::transport(format!(
                        "{endpoint} answered HTTP {} ({}); the service may be down",
                        answer.http_status,
                        content_summary(&answer)
                    ))
                    .with_retryable(true))
                } else {
                    parse(&answer.body, answer.content_type.as_deref()).map_err(|e| {
                        if answer.http_status != 200 && e.code().is_none() {
                            e.context(format!("HTTP {}", answer.http_status))
                        } else {
                            e
                        }
                    })
                };
                // A 115 may be our clock: learn the server's and try once more, if enabled.
                if let Err(e) = &result {
                    if e.code() == Some(115) && settings.skew_correction && !self.skew_corrected {
                        if let Some(offset) = answer
                            .date
                            .as_deref()
                            .and_then(|d| server_offset(d, answer.received_at))
                        {
                            self.skew_corrected = true;
                            if (offset - clock.offset()).abs() >= 2 {
                                tracing::info!(offset, "correcting for clock skew");
                                clock.set_offset(offset);
                                return Outcome::Again;
                            }
                        }
                    }
                }
                match result {
                    Ok(value) => return Outcome::Done(value),
                    Err(e) => (e, true),
                }
            }
            Err(e) => {
                let before = failed_before_sending(&e);
                let err = if before {
                    Error::transport(format!(
                        "{endpoint} could not reach {}: {}",
                        settings.base_url,
                        describe(e)
                    ))
                } else {
                    Error::transport(format!(
                        "{endpoint} was sent to {} but its answer did not arrive: {}",
                        settings.base_url,
                        describe(e)
                    ))
                };
                (err, !before)
            }
        };
        if self.repeat.allows(&err, reached) {
            Outcome::Retry(err)
        } else if self.repeat == Repeat::OnlyBeforeSending && reached && !is_refusal(&err) {
            // A billed request that may have reached the server: the order may exist.
            Outcome::Stop(unconfirmed(endpoint, err))
        } else {
            Outcome::Stop(err)
        }
    }

    fn retrying(&self, error: &Error, attempt: u32, delay: Duration) {
        let endpoint = self.endpoint;
        tracing::warn!(endpoint, attempt, %error, ?delay, "retrying");
    }
}

/// Whether the API answered a billed request with a refusal, so nothing was placed: a bad key,
/// no money, an interface not bought, a bad parameter.
fn is_refusal(err: &Error) -> bool {
    use qcc_radar_core::ErrorKind::*;
    err.code().is_some_and(|c| c != 200)
        && matches!(
            err.kind(),
            Auth | Quota | Permission | InvalidRequest | Config
        )
}

/// A billed request that reached the server and got no usable answer: a cut connection, a
/// timeout, a 5xx page, a 200 without an order number. The order may exist.
fn unconfirmed(endpoint: &str, err: Error) -> Error {
    let message = format!(
        "{endpoint} got no usable answer ({}); an order may have been placed and billed, so check QCC's order list before ordering again",
        err.message()
    );
    Error::new(qcc_radar_core::ErrorKind::UnconfirmedOrder, message)
        .with_code_opt(err.code())
        .with_server_message(err.server_message().unwrap_or_default())
}

/// Says how many attempts were made and, for a network failure, what to check.
fn with_attempts(err: Error, attempts: u32) -> Error {
    let err = if attempts > 1 {
        err.context(format!("after {attempts} attempts"))
    } else {
        err
    };
    if err.kind() == qcc_radar_core::ErrorKind::Transport && err.code().is_none() {
        let message = format!(
            "{}; check the network, any proxy (HTTPS_PROXY) and the base URL, then run again",
            err.message()
        );
        Error::new(err.kind(), message).with_retryable(err.is_retryable())
    } else {
        err
    }
}

fn parse_is_unreadable<T>(
    answer: &Answer,
    parse: &impl Fn(&[u8], Option<&str>) -> Result<T>,
) -> bool {
    match parse(&answer.body, answer.content_type.as_deref()) {
        Ok(_) => false,
        Err(e) => e.code().is_none(),
    }
}

fn content_summary(answer: &Answer) -> String {
    let ct = answer.content_type.as_deref().unwrap_or("no content type");
    let preview: String = String::from_utf8_lossy(&answer.body[..answer.body.len().min(60)])
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("{ct}, {} bytes: {:?}", answer.body.len(), preview.trim())
}
