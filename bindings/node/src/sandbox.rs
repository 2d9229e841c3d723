//! `Sandbox.start({ scenario })`: the in-process emulator of the QCC API, for users' own tests.
//!
//! It wraps `qcc_radar_sandbox::Sandbox`, which serves from a thread and runtime of its own,
//! so it needs nothing from Node's loop and does not keep the process alive. Starting binds a
//! port and stopping joins a thread (up to a second while connections drain), so both run on a
//! blocking thread and return promises; a sandbox that is garbage-collected unclosed is stopped
//! on a thread of its own rather than on the JS thread.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use napi::bindgen_prelude::{AsyncBlock, AsyncBlockBuilder};
use napi::Env;
use napi_derive::napi;
use qcc_radar_sandbox::{Endpoint, Sandbox, SandboxConfig, Scenario};

use crate::error;

/// A non-negative, finite number of milliseconds as a `Duration`. The sandbox's options are
/// test tooling, not client settings, so they are checked here rather than by the client
/// crate's settings table.
fn millis(name: &str, value: f64) -> napi::Result<Duration> {
    if !value.is_finite() || value < 0.0 {
        return Err(error::config(format!(
            "{name} must be a non-negative number of milliseconds, got {value}"
        )));
    }
    Duration::try_from_secs_f64(value / 1000.0)
        .map_err(|_| error::config(format!("{name} is too large: {value} ms")))
}

/// How to start a sandbox. Every field is optional.
#[napi(object)]
#[derive(Default)]
pub struct SandboxOptions {
    /// A scenario name, `normal` by default: one of `sandboxScenarios()`.
    pub scenario: Option<String>,
    /// The app key it hands out and expects.
    pub app_key: Option<String>,
    /// The secret key it hands out.
    pub secret_key: Option<String>,
    /// getReportInfo answers `P` this many times per order before `S` (default 2).
    pub polls_until_ready: Option<u32>,
    /// `slow`: `P` until this long after the order, ms (default 5 000).
    pub slow_ready_after_ms: Option<f64>,
    /// The download link's lifetime, ms (default 300 000).
    pub link_ttl_ms: Option<f64>,
    /// How far a request's Timespan may be from the server's clock, ms (default 300 000).
    pub timespan_window_ms: Option<f64>,
    /// `clock_skew`: how far the server's clock runs ahead, ms (default 900 000).
    pub clock_skew_ms: Option<f64>,
    /// `large`: the archive's size in bytes (default 64 MiB).
    pub large_bytes: Option<f64>,
    /// The port on 127.0.0.1; 0 (default) picks a free one.
    pub port: Option<u32>,
}

impl SandboxOptions {
    fn to_config(&self) -> napi::Result<SandboxConfig> {
        let scenario = match &self.scenario {
            Some(s) => s
                .parse::<Scenario>()
                .map_err(|e| error::config(e.to_string()))?,
            None => Scenario::Normal,
        };
        let mut c = SandboxConfig::new(scenario);
        if let Some(v) = &self.app_key {
            c.app_key = v.clone();
        }
        if let Some(v) = &self.secret_key {
            c.secret_key = v.clone();
        }
        if let Some(v) = self.polls_until_ready {
            c.polls_until_ready = v;
        }
        if let Some(v) = self.slow_ready_after_ms {
            c.slow_ready_after = millis("slowReadyAfterMs", v)?;
        }
        if let Some(v) = self.link_ttl_ms {
            c.link_ttl = millis("linkTtlMs", v)?;
        }
        if let Some(v) = self.timespan_window_ms {
            c.timespan_window = millis("timespanWindowMs", v)?;
        }
        if let Some(v) = self.clock_skew_ms {
            c.clock_skew = millis("clockSkewMs", v)?;
        }
        if let Some(v) = self.large_bytes {
            if !v.is_finite() || v < 0.0 || v.fract() != 0.0 {
                return Err(error::config(format!(
                    "largeBytes must be a whole number of bytes, got {v}"
                )));
            }
            c.large_bytes = v as u64;
        }
        if let Some(v) = self.port {
            c.port = u16::try_from(v)
                .map_err(|_| error::config(format!("port must be at most 65535, got {v}")))?;
        }
        Ok(c)
    }
}

/// Every scenario name the sandbox knows (`qcc_radar_sandbox::Scenario::ALL`), in order, so
/// the package's `SCENARIOS` cannot fall behind the sandbox.
#[napi(catch_unwind)]
pub fn sandbox_scenarios() -> Vec<String> {
    Scenario::ALL
        .iter()
        .map(|s| s.as_str().to_string())
        .collect()
}

/// One request as the sandbox saw and answered it.
#[napi(object)]
pub struct SandboxRequest {
    /// `createReport`, `getReportInfo`, `download` or `other`.
    pub endpoint: String,
    /// The query parameters, percent-decoded, in order, as `[name, value]` pairs.
    pub query: Vec<Vec<String>>,
    /// The `Timespan` header as sent.
    pub timespan: Option<String>,
    /// Whether the `Token` header was right.
    pub token_valid: bool,
    /// The envelope's `status` for API answers.
    pub api_status: Option<i32>,
    /// The HTTP status of the answer.
    pub http_status: u32,
    /// The `Range` header as sent.
    pub range: Option<String>,
}

fn endpoint(name: &str) -> napi::Result<Endpoint> {
    [
        Endpoint::CreateReport,
        Endpoint::GetReportInfo,
        Endpoint::Download,
        Endpoint::Other,
    ]
    .into_iter()
    .find(|e| e.as_str() == name)
    .ok_or_else(|| {
        error::config(format!(
            "unknown endpoint {name:?}; use createReport, getReportInfo, download or other"
        ))
    })
}

/// A running sandbox. Use `Sandbox` from `index.js`.
#[napi]
pub struct NativeSandbox {
    inner: Arc<Mutex<Option<Sandbox>>>,
    base_url: String,
    app_key: String,
    secret_key: String,
    scenario: String,
}

impl NativeSandbox {
    fn with<T>(&self, f: impl FnOnce(&Sandbox) -> T) -> napi::Result<T> {
        let guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        guard
            .as_ref()
            .map(f)
            .ok_or_else(|| error::config("the sandbox is closed"))
    }
}

/// Starts a sandbox on 127.0.0.1; resolves once it accepts connections.
#[napi(catch_unwind)]
pub fn start_sandbox(
    env: &Env,
    options: Option<SandboxOptions>,
) -> napi::Result<AsyncBlock<NativeSandbox>> {
    let config = options.unwrap_or_default().to_config()?;
    AsyncBlockBuilder::new(async move {
        let started = tokio::task::spawn_blocking(move || Sandbox::start_with(config))
            .await
            .map_err(|e| {
                error::to_napi(&qcc_radar::Error::new(
                    qcc_radar::ErrorKind::Internal,
                    e.to_string(),
                ))
            })?
            .map_err(|e| error::config(format!("cannot start the sandbox: {e}")))?;
        Ok(NativeSandbox {
            base_url: started.base_url(),
            app_key: started.app_key().to_string(),
            secret_key: started.secret_key().to_string(),
            scenario: started.scenario().as_str().to_string(),
            inner: Arc::new(Mutex::new(Some(started))),
        })
    })
    .build(env)
}

#[napi]
impl NativeSandbox {
    /// `http://127.0.0.1:PORT`.
    #[napi(getter, catch_unwind)]
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The app key to give a client.
    #[napi(getter, catch_unwind)]
    pub fn app_key(&self) -> String {
        self.app_key.clone()
    }

    /// The secret key to give a client.
    #[napi(getter, catch_unwind)]
    pub fn secret_key(&self) -> String {
        self.secret_key.clone()
    }

    /// The scenario it runs.
    #[napi(getter, catch_unwind)]
    pub fn scenario(&self) -> String {
        self.scenario.clone()
    }

    /// How many orders were placed (createReport answered 200): what the real API would bill.
    #[napi(catch_unwind)]
    pub fn orders_placed(&self) -> napi::Result<u32> {
        self.with(|s| u32::try_from(s.orders_placed()).unwrap_or(u32::MAX))
    }

    /// The numbers of every order placed, oldest first: the service's order list as a user
    /// reads it in QCC's console (orders whose createReport answer was lost included).
    #[napi(catch_unwind)]
    pub fn order_numbers(&self) -> napi::Result<Vec<String>> {
        self.with(|s| s.order_numbers())
    }

    /// How many requests reached `endpoint` (`createReport`, `getReportInfo`, `download`,
    /// `other`).
    #[napi(catch_unwind)]
    pub fn count(&self, endpoint: String) -> napi::Result<u32> {
        let e = self::endpoint(&endpoint)?;
        self.with(|s| u32::try_from(s.count(e)).unwrap_or(u32::MAX))
    }

    /// Every request so far, oldest first.
    #[napi(catch_unwind)]
    pub fn requests(&self) -> napi::Result<Vec<SandboxRequest>> {
        self.with(|s| {
            s.requests()
                .into_iter()
                .map(|r| SandboxRequest {
                    endpoint: r.endpoint.as_str().to_string(),
                    query: r.query.into_iter().map(|(k, v)| vec![k, v]).collect(),
                    timespan: r.timespan,
                    token_valid: r.token_valid,
                    api_status: r.api_status,
                    http_status: u32::from(r.http_status),
                    range: r.range,
                })
                .collect()
        })
    }

    /// Stops serving and drops open connections. Safe to call twice.
    #[napi(catch_unwind)]
    pub fn close(&self, env: &Env) -> napi::Result<AsyncBlock<()>> {
        let taken = self.inner.lock().unwrap_or_else(|p| p.into_inner()).take();
        AsyncBlockBuilder::new(async move {
            if let Some(sandbox) = taken {
                tokio::task::spawn_blocking(move || sandbox.shutdown())
                    .await
                    .map_err(|e| error::config(format!("stopping the sandbox failed: {e}")))?;
            }
            Ok(())
        })
        .build(env)
    }
}

impl Drop for NativeSandbox {
    fn drop(&mut self) {
        let taken = self.inner.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(sandbox) = taken {
            // Never join the sandbox's thread on the JS thread (a finalizer runs there).
            let _ = std::thread::Builder::new()
                .name("qcc-radar-sandbox-stop".into())
                .spawn(move || sandbox.shutdown());
        }
    }
}
