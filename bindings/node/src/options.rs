//! The client's options object, by name, as `new Client({ … })` takes it.
//!
//! Durations are milliseconds (JavaScript's unit for time) and arrive as plain numbers, so
//! they are validated here rather than coerced: napi would silently wrap `-1` into a huge
//! unsigned value and truncate `1.5`, and a wait of 49 days is not what anyone asked for.
//! Unset fields fall back, in the client crate, to `QCC_APP_KEY`, `QCC_SECRET_KEY`,
//! `QCC_BASE_URL` and the defaults.

use std::time::Duration;

use napi_derive::napi;
use qcc_radar::{ArchiveLimits, ClientBuilder, FetchOptions, OrderNo, PollSchedule, RetryPolicy};

use crate::error::{self, IntoNapi};

/// Options for a native client. Every field is optional.
#[napi(object)]
#[derive(Clone, Default)]
pub struct ClientOptions {
    /// The app key (else `QCC_APP_KEY`).
    pub app_key: Option<String>,
    /// The secret key (else `QCC_SECRET_KEY`).
    pub secret_key: Option<String>,
    /// The base URL (else `QCC_BASE_URL`, else `https://pro.qcc.com`).
    pub base_url: Option<String>,
    /// Time allowed to open a connection, ms (default 10 000).
    pub connect_timeout_ms: Option<f64>,
    /// Time allowed for one API request, answer included, ms (default 30 000).
    pub request_timeout_ms: Option<f64>,
    /// Time a download may go without a byte before it is retried, ms (default 60 000).
    pub read_timeout_ms: Option<f64>,
    /// Default deadline of `waitForReport` and `fetchReport`, ms (default 30 minutes).
    pub wait_timeout_ms: Option<f64>,
    /// First delay between polls while waiting, ms (default 2 000).
    pub poll_initial_ms: Option<f64>,
    /// Largest delay between polls, ms (default 30 000).
    pub poll_max_ms: Option<f64>,
    /// Growth factor of the poll delay, at least 1 (default 1.5).
    pub poll_factor: Option<f64>,
    /// Most attempts of a request that is safe to repeat, at least 1 (default 5).
    pub max_attempts: Option<u32>,
    /// Largest expansion ratio accepted while extracting an archive (default 250).
    pub max_archive_ratio: Option<f64>,
    /// Largest total size extracted from one archive, bytes (default 64 GiB).
    pub max_archive_bytes: Option<f64>,
    /// Whether to correct for the server's clock after a 115 answer (default true).
    pub clock_skew_correction: Option<bool>,
    /// A PEM file of extra CA certificates to trust.
    pub ca_file: Option<String>,
    /// An HTTP(S) proxy URL (else `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY`).
    pub proxy: Option<String>,
    /// Appended to the user agent after `qcc-radar/<version> node`.
    pub user_agent_suffix: Option<String>,
}

/// How `fetchReport` runs. Every field is optional.
#[napi(object)]
#[derive(Clone, Default)]
pub struct NativeFetchOptions {
    /// The wait's deadline, ms (default: the client's `waitTimeoutMs`).
    pub timeout_ms: Option<f64>,
    /// Order a new report whatever the folder's ledger says (default false).
    pub new_order: Option<bool>,
    /// Resume this order (one found in QCC's order list after `unconfirmed_order`) as the
    /// period's report instead of ordering; excludes `newOrder`.
    pub order_no: Option<String>,
}

impl NativeFetchOptions {
    /// The client crate's options; `default_timeout_ms` is the client's wait timeout.
    pub fn to_fetch_options(&self, default_timeout_ms: f64) -> napi::Result<FetchOptions> {
        let timeout = match self.timeout_ms {
            Some(ms) => millis("timeoutMs", ms)?,
            None => millis("waitTimeoutMs", default_timeout_ms)?,
        };
        let mut options = FetchOptions::new()
            .timeout(timeout)
            .new_order(self.new_order.unwrap_or(false));
        if let Some(o) = &self.order_no {
            options = options.order_no(OrderNo::new(o).into_napi()?);
        }
        Ok(options)
    }
}

/// A non-negative, finite number of milliseconds as a `Duration`.
pub fn millis(name: &str, value: f64) -> napi::Result<Duration> {
    if !value.is_finite() || value < 0.0 {
        return Err(error::config(format!(
            "{name} must be a non-negative number of milliseconds, got {value}"
        )));
    }
    Duration::try_from_secs_f64(value / 1000.0)
        .map_err(|_| error::config(format!("{name} is too large: {value} ms")))
}

fn whole(name: &str, value: f64, min: f64) -> napi::Result<u64> {
    if !value.is_finite() || value < min || value.fract() != 0.0 || value > 9.007_199_254_740_991e15
    {
        return Err(error::config(format!(
            "{name} must be a whole number of at least {min}, got {value}"
        )));
    }
    Ok(value as u64)
}

impl ClientOptions {
    /// A validated builder. Fails with a `config` error naming the bad option.
    pub fn to_builder(&self) -> napi::Result<ClientBuilder> {
        let mut b = ClientBuilder::new();
        let suffix = match self.user_agent_suffix.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => format!("node {s}"),
            _ => "node".to_string(),
        };
        b = b.user_agent_suffix(suffix);
        if let Some(v) = &self.app_key {
            b = b.app_key(v);
        }
        if let Some(v) = &self.secret_key {
            b = b.secret_key(v);
        }
        if let Some(v) = &self.base_url {
            b = b.base_url(v);
        }
        if let Some(v) = self.connect_timeout_ms {
            b = b.connect_timeout(millis("connectTimeoutMs", v)?);
        }
        if let Some(v) = self.request_timeout_ms {
            b = b.request_timeout(millis("requestTimeoutMs", v)?);
        }
        if let Some(v) = self.read_timeout_ms {
            b = b.read_timeout(millis("readTimeoutMs", v)?);
        }
        if let Some(v) = self.wait_timeout_ms {
            b = b.wait_timeout(millis("waitTimeoutMs", v)?);
        }
        if self.poll_initial_ms.is_some()
            || self.poll_max_ms.is_some()
            || self.poll_factor.is_some()
        {
            let mut poll = PollSchedule::default();
            if let Some(v) = self.poll_initial_ms {
                poll.initial = millis("pollInitialMs", v)?;
            }
            if let Some(v) = self.poll_max_ms {
                poll.max = millis("pollMaxMs", v)?;
            }
            if let Some(v) = self.poll_factor {
                if !v.is_finite() || v < 1.0 {
                    return Err(error::config(format!(
                        "pollFactor must be a number of at least 1, got {v}"
                    )));
                }
                poll.factor = v;
            }
            if self.poll_max_ms.is_some() && poll.max < poll.initial {
                return Err(error::config(
                    "pollMaxMs must not be smaller than pollInitialMs",
                ));
            }
            b = b.poll_schedule(poll);
        }
        if let Some(v) = self.max_attempts {
            if v == 0 {
                return Err(error::config("maxAttempts must be at least 1"));
            }
            b = b.retry_policy(RetryPolicy {
                max_attempts: v,
                ..RetryPolicy::default()
            });
        }
        if self.max_archive_ratio.is_some() || self.max_archive_bytes.is_some() {
            let mut limits = ArchiveLimits::default();
            if let Some(v) = self.max_archive_ratio {
                limits.max_ratio = whole("maxArchiveRatio", v, 1.0)?;
            }
            if let Some(v) = self.max_archive_bytes {
                limits.max_total_bytes = whole("maxArchiveBytes", v, 1.0)?;
                limits.max_entry_bytes = limits.max_entry_bytes.min(limits.max_total_bytes);
            }
            b = b.archive_limits(limits);
        }
        if let Some(v) = self.clock_skew_correction {
            b = b.clock_skew_correction(v);
        }
        if let Some(v) = &self.ca_file {
            b = b.ca_file(v);
        }
        if let Some(v) = &self.proxy {
            b = b.proxy(v);
        }
        Ok(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_refuses_negative_and_non_finite() {
        assert_eq!(millis("x", 1500.0).unwrap(), Duration::from_millis(1500));
        assert!(millis("x", -1.0).is_err());
        assert!(millis("x", f64::NAN).is_err());
        assert!(millis("x", f64::INFINITY).is_err());
    }

    #[test]
    fn fetch_options_map_to_the_client_crate() {
        let o = NativeFetchOptions {
            timeout_ms: Some(250.0),
            new_order: Some(true),
            order_no: None,
        };
        let f = o.to_fetch_options(1000.0).unwrap();
        assert_eq!(f.timeout, Some(Duration::from_millis(250)));
        assert!(f.new_order);
        let d = NativeFetchOptions::default()
            .to_fetch_options(1000.0)
            .unwrap();
        assert_eq!(d.timeout, Some(Duration::from_secs(1)));
        assert!(!d.new_order);
        let bad = NativeFetchOptions {
            timeout_ms: Some(-1.0),
            ..NativeFetchOptions::default()
        };
        assert!(bad.to_fetch_options(1000.0).is_err());
        let resume = NativeFetchOptions {
            order_no: Some("JKDAY-42".into()),
            ..NativeFetchOptions::default()
        };
        let f = resume.to_fetch_options(1000.0).unwrap();
        assert_eq!(f.order_no.as_ref().map(|o| o.as_str()), Some("JKDAY-42"));
        let blank = NativeFetchOptions {
            order_no: Some(String::new()),
            ..NativeFetchOptions::default()
        };
        assert!(blank.to_fetch_options(1000.0).is_err());
    }

    #[test]
    fn bad_option_names_itself() {
        let o = ClientOptions {
            poll_factor: Some(0.5),
            ..ClientOptions::default()
        };
        let e = o.to_builder().unwrap_err();
        assert!(e.reason.contains("pollFactor"), "{}", e.reason);
    }
}
