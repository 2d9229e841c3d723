//! Python keyword arguments into a [`qcc_radar::ClientBuilder`].
//!
//! Times arrive as float seconds, the Python convention (`timeout=2.5`). They are checked here
//! (finite, not negative) so that a bad value is a `ConfigError` naming the argument instead of
//! a panic inside `Duration`. Everything else is validated by the builder itself, once, for
//! every binding.

use std::path::PathBuf;
use std::time::Duration;

use qcc_radar::{ClientBuilder, Error, PollSchedule, RetryPolicy};

/// `seconds` as a `Duration`, or a `config` error naming `what`.
pub(crate) fn seconds(what: &str, seconds: f64) -> Result<Duration, Error> {
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(Error::config(format!(
            "{what} must be a finite, non-negative number of seconds (got {seconds})"
        )));
    }
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| Error::config(format!("{what} is too large ({seconds} s)")))
}

fn opt_seconds(what: &str, value: Option<f64>) -> Result<Option<Duration>, Error> {
    value.map(|v| seconds(what, v)).transpose()
}

/// Everything `Client(...)` accepts.
#[derive(Default)]
pub(crate) struct ClientOptions {
    pub(crate) app_key: Option<String>,
    pub(crate) secret_key: Option<String>,
    pub(crate) base_url: Option<String>,
    pub(crate) connect_timeout: Option<f64>,
    pub(crate) request_timeout: Option<f64>,
    pub(crate) read_timeout: Option<f64>,
    pub(crate) wait_timeout: Option<f64>,
    pub(crate) max_attempts: Option<u32>,
    pub(crate) poll_initial: Option<f64>,
    pub(crate) poll_max: Option<f64>,
    pub(crate) clock_skew_correction: Option<bool>,
    pub(crate) ca_file: Option<PathBuf>,
    pub(crate) proxy: Option<String>,
    pub(crate) user_agent_suffix: Option<String>,
}

impl ClientOptions {
    /// The builder these options describe; unset values keep the builder's defaults and its
    /// environment fallbacks (`QCC_APP_KEY`, `QCC_SECRET_KEY`, `QCC_BASE_URL`).
    pub(crate) fn into_builder(self) -> Result<ClientBuilder, Error> {
        let mut b = ClientBuilder::new();
        let suffix = match self.user_agent_suffix {
            Some(s) => format!("python {s}"),
            None => "python".to_string(),
        };
        b = b.user_agent_suffix(suffix);
        if let Some(v) = self.app_key {
            b = b.app_key(v);
        }
        if let Some(v) = self.secret_key {
            b = b.secret_key(v);
        }
        if let Some(v) = self.base_url {
            b = b.base_url(v);
        }
        if let Some(v) = opt_seconds("connect_timeout", self.connect_timeout)? {
            b = b.connect_timeout(v);
        }
        if let Some(v) = opt_seconds("request_timeout", self.request_timeout)? {
            b = b.request_timeout(v);
        }
        if let Some(v) = opt_seconds("read_timeout", self.read_timeout)? {
            b = b.read_timeout(v);
        }
        if let Some(v) = opt_seconds("wait_timeout", self.wait_timeout)? {
            b = b.wait_timeout(v);
        }
        if let Some(n) = self.max_attempts {
            if n == 0 {
                return Err(Error::config(
                    "max_attempts must be at least 1 (1 means no retries)",
                ));
            }
            b = b.retry_policy(RetryPolicy {
                max_attempts: n,
                ..RetryPolicy::default()
            });
        }
        let initial = opt_seconds("poll_initial", self.poll_initial)?;
        let max = opt_seconds("poll_max", self.poll_max)?;
        if initial.is_some() || max.is_some() {
            let mut poll = PollSchedule::default();
            match (initial, max) {
                (Some(i), Some(m)) if m < i => {
                    return Err(Error::config(
                        "poll_max must not be smaller than poll_initial",
                    ))
                }
                (Some(i), Some(m)) => (poll.initial, poll.max) = (i, m),
                (Some(i), None) => (poll.initial, poll.max) = (i, poll.max.max(i)),
                (None, Some(m)) => (poll.initial, poll.max) = (poll.initial.min(m), m),
                (None, None) => {}
            }
            b = b.poll_schedule(poll);
        }
        if let Some(on) = self.clock_skew_correction {
            b = b.clock_skew_correction(on);
        }
        if let Some(path) = self.ca_file {
            b = b.ca_file(path);
        }
        if let Some(proxy) = self.proxy {
            b = b.proxy(proxy);
        }
        Ok(b)
    }
}
