//! Configuration of a [`Client`], with the environment as the fallback.
//!
//! Every binding exposes the same settings by name (the table in `settings.rs`, set through
//! [`ClientBuilder::set`]), and an unset value falls back to `QCC_APP_KEY`, `QCC_SECRET_KEY`
//! and `QCC_BASE_URL`, so a cron job and a notebook configure the same way. Everything is
//! validated in [`ClientBuilder::build`], before anything is sent and whichever way a value
//! came in (a typed setter here or a name/value pair from a binding): a missing key, a base URL
//! without a scheme or `max_attempts = 0` is a `config` error that names the setting.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use qcc_radar_core::{
    ArchiveLimits, BaseUrl, Credentials, Error, PollSchedule, Result, RetryPolicy, UnzipPassword,
    DEFAULT_BASE_URL, VERSION,
};

use crate::client::{Client, Settings};
use crate::progress::{ProgressFn, ProgressSink};
use crate::settings::{self, rule_error, Host, Parsed, Rule, Scope, SettingValue};
use crate::transport::{ApiSettings, ForkAwareHttp, HttpFactory};

/// Builds a [`Client`]. Unset credentials and base URL come from the environment.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    app_key: Option<String>,
    secret_key: Option<String>,
    base_url: Option<String>,
    connect_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    wait_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    poll: Option<PollSchedule>,
    limits: Option<ArchiveLimits>,
    skew_correction: Option<bool>,
    user_agent_suffix: Option<String>,
    ca_file: Option<PathBuf>,
    proxy: Option<String>,
    progress: Option<ProgressFn>,
    unzip_password: Option<UnzipPassword>,
    /// Whose spelling the rules' messages use: the host of the last [`ClientBuilder::set`].
    pub(crate) host: Host,
    /// The settings given by name, so that setting one of a pair (`poll_max` alone) moves
    /// the other's default instead of breaking the rule between them.
    pub(crate) named: Vec<&'static str>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("app_key", &self.app_key)
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "<redacted>"),
            )
            .field("base_url", &self.base_url)
            .field("unzip_password", &self.unzip_password)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder; unset values fall back to the environment.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `QCC_APP_KEY`, `QCC_SECRET_KEY` and `QCC_BASE_URL`.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::new().build()
    }
}

fn env_value(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl ClientBuilder {
    /// A builder with nothing set: everything falls back to the environment and defaults.
    pub fn new() -> Self {
        ClientBuilder::default()
    }

    /// The app key (else `QCC_APP_KEY`).
    pub fn app_key(mut self, app_key: impl Into<String>) -> Self {
        self.app_key = Some(app_key.into());
        self
    }

    /// The secret key (else `QCC_SECRET_KEY`).
    pub fn secret_key(mut self, secret_key: impl Into<String>) -> Self {
        self.secret_key = Some(secret_key.into());
        self
    }

    /// The base URL (else `QCC_BASE_URL`, else `https://pro.qcc.com`).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for one API request, answer included (default 30 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    /// Time a download may go without receiving a byte before it is retried (default 60 s).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// The default deadline of a wait for a report (default 30 minutes).
    pub fn wait_timeout(mut self, timeout: Duration) -> Self {
        self.wait_timeout = Some(timeout);
        self
    }

    /// The retry policy for requests that are safe to repeat.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The poll schedule while waiting for a report.
    pub fn poll_schedule(mut self, schedule: PollSchedule) -> Self {
        self.poll = Some(schedule);
        self
    }

    /// Limits for archive extraction.
    pub fn archive_limits(mut self, limits: ArchiveLimits) -> Self {
        self.limits = Some(limits);
        self
    }

    /// Whether to learn the server's clock offset after a 115 answer and retry (default on).
    pub fn clock_skew_correction(mut self, on: bool) -> Self {
        self.skew_correction = Some(on);
        self
    }

    /// A word appended to the user agent `qcc-radar/<version>`, such as the binding's name.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// An extra PEM file of CA certificates to trust, besides the system's.
    pub fn ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_file = Some(path.into());
        self
    }

    /// An HTTP(S) proxy for every request. Without it, `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`
    /// and `NO_PROXY` are honoured.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// The password of encrypted report archives (ZipCrypto or AES), used when getReportInfo's
    /// answer carries none (`unzipPassword`), or when the one it carries does not open the
    /// archive. Kept exactly as given; an empty one counts as none. A secret: never printed
    /// (`Debug` shows `<redacted>`).
    pub fn unzip_password(mut self, password: impl Into<String>) -> Self {
        let password = UnzipPassword::new(password);
        self.unzip_password = (!password.is_empty()).then_some(password);
        self
    }

    pub(crate) fn edit_retry(mut self, edit: impl FnOnce(&mut RetryPolicy)) -> Self {
        edit(self.retry.get_or_insert_with(RetryPolicy::default));
        self
    }

    pub(crate) fn edit_poll(mut self, edit: impl FnOnce(&mut PollSchedule)) -> Self {
        edit(self.poll.get_or_insert_with(PollSchedule::default));
        self
    }

    pub(crate) fn edit_limits(mut self, edit: impl FnOnce(&mut ArchiveLimits)) -> Self {
        edit(self.limits.get_or_insert_with(ArchiveLimits::default));
        self
    }

    /// A callback for progress events.
    pub fn on_progress(mut self, progress: ProgressFn) -> Self {
        self.progress = Some(progress);
        self
    }

    /// Same as [`ClientBuilder::on_progress`], taking any closure.
    pub fn progress(self, f: impl Fn(&crate::Progress) + Send + Sync + 'static) -> Self {
        self.on_progress(Arc::new(f))
    }

    /// Sets the client setting `name` (spelled as `host` spells it, or canonically) from a
    /// host value: every binding's one way in. A value of the wrong kind (text for a count, a
    /// negative or non-finite time) is a `config` error naming the setting; range rules
    /// (`max_attempts` at least 1, `poll_max` not below `poll_initial`, …) are checked by
    /// [`ClientBuilder::build`], which names settings in the spelling of the last `host` given.
    pub fn set(mut self, host: Host, name: &str, value: impl Into<SettingValue>) -> Result<Self> {
        let (setting, value) = settings::parse(host, Scope::Client, name, value.into())?;
        self.host = host;
        if !self.named.contains(&setting.name) {
            self.named.push(setting.name);
        }
        let given = |other: &str| self.named.contains(&other);
        let (cap_given, base_given) = (given("retry_cap"), given("retry_base"));
        let (max_given, initial_given) = (given("poll_max"), given("poll_initial"));
        Ok(match (setting.name, value) {
            ("connect_timeout", Parsed::Duration(d)) => self.connect_timeout(d),
            ("request_timeout", Parsed::Duration(d)) => self.request_timeout(d),
            ("read_timeout", Parsed::Duration(d)) => self.read_timeout(d),
            ("wait_timeout", Parsed::Duration(d)) => self.wait_timeout(d),
            // One of a pair given alone moves the other's default with it.
            ("retry_base", Parsed::Duration(d)) => self.edit_retry(|r| {
                r.base = d;
                if !cap_given {
                    r.cap = r.cap.max(d);
                }
            }),
            ("retry_cap", Parsed::Duration(d)) => self.edit_retry(|r| {
                r.cap = d;
                if !base_given {
                    r.base = r.base.min(d);
                }
            }),
            ("retry_budget", Parsed::Duration(d)) => self.edit_retry(|r| r.max_elapsed = d),
            ("poll_initial", Parsed::Duration(d)) => self.edit_poll(|p| {
                p.initial = d;
                if !max_given {
                    p.max = p.max.max(d);
                }
            }),
            ("poll_max", Parsed::Duration(d)) => self.edit_poll(|p| {
                p.max = d;
                if !initial_given {
                    p.initial = p.initial.min(d);
                }
            }),
            ("max_attempts", Parsed::Whole(n)) => {
                let n = u32::try_from(n).unwrap_or(u32::MAX);
                self.edit_retry(|r| r.max_attempts = n)
            }
            ("max_archive_entries", Parsed::Whole(n)) => self.edit_limits(|l| l.max_entries = n),
            ("max_archive_entry_bytes", Parsed::Whole(n)) => {
                self.edit_limits(|l| l.max_entry_bytes = n)
            }
            ("max_archive_bytes", Parsed::Whole(n)) => self.edit_limits(|l| l.max_total_bytes = n),
            ("max_archive_ratio", Parsed::Whole(n)) => self.edit_limits(|l| l.max_ratio = n),
            ("poll_factor", Parsed::Number(x)) => self.edit_poll(|p| p.factor = x),
            ("poll_jitter", Parsed::Number(x)) => self.edit_poll(|p| p.jitter = x),
            ("clock_skew_correction", Parsed::Bool(on)) => self.clock_skew_correction(on),
            ("app_key", Parsed::Text(t)) => self.app_key(t),
            ("secret_key", Parsed::Text(t)) => self.secret_key(t),
            ("base_url", Parsed::Text(t)) => self.base_url(t),
            ("ca_file", Parsed::Text(t)) => self.ca_file(t),
            ("proxy", Parsed::Text(t)) => self.proxy(t),
            ("user_agent_suffix", Parsed::Text(t)) => self.user_agent_suffix(t),
            ("unzip_password", Parsed::Text(t)) => self.unzip_password(t),
            (other, _) => unreachable!("setting {other} is not mapped to its parsed value"),
        })
    }

    /// Checks every rule between and within settings, naming them as `self.host` spells them.
    fn check_rules(&self) -> Result<()> {
        let fail = |rule| Err(rule_error(self.host, rule));
        for (value, name) in [
            (self.connect_timeout, "connect_timeout"),
            (self.request_timeout, "request_timeout"),
            (self.read_timeout, "read_timeout"),
        ] {
            if value == Some(Duration::ZERO) {
                return fail(Rule::Positive(name));
            }
        }
        if let Some(r) = &self.retry {
            if r.max_attempts == 0 {
                return fail(Rule::AtLeastOne("max_attempts"));
            }
            if r.cap < r.base {
                return fail(Rule::NotBelow("retry_cap", "retry_base"));
            }
        }
        if let Some(p) = &self.poll {
            if p.initial.is_zero() {
                return fail(Rule::Positive("poll_initial"));
            }
            if !(p.factor.is_finite() && p.factor >= 1.0) {
                return fail(Rule::AtLeastOne("poll_factor"));
            }
            if p.max < p.initial {
                return fail(Rule::NotBelow("poll_max", "poll_initial"));
            }
            if !(0.0..=1.0).contains(&p.jitter) {
                return fail(Rule::Fraction("poll_jitter"));
            }
        }
        if let Some(l) = &self.limits {
            for (value, name) in [
                (l.max_entries, "max_archive_entries"),
                (l.max_entry_bytes, "max_archive_entry_bytes"),
                (l.max_total_bytes, "max_archive_bytes"),
                (l.max_ratio, "max_archive_ratio"),
            ] {
                if value == 0 {
                    return fail(Rule::AtLeastOne(name));
                }
            }
        }
        Ok(())
    }

    /// Validates everything and builds the client. Fails with a `config` error (nothing sent)
    /// when a credential is missing or malformed, the base URL is bad, a setting breaks its
    /// rule (see the settings table), the CA file cannot be read, or the proxy URL is bad.
    pub fn build(self) -> Result<Client> {
        self.check_rules()?;
        let app_key = self
            .app_key
            .or_else(|| env_value("QCC_APP_KEY"))
            .ok_or_else(|| {
                Error::config("no app key: set QCC_APP_KEY or pass the app key explicitly")
            })?;
        let secret_key = self
            .secret_key
            .or_else(|| env_value("QCC_SECRET_KEY"))
            .ok_or_else(|| {
                Error::config("no secret key: set QCC_SECRET_KEY or pass the secret key explicitly")
            })?;
        let credentials = Credentials::new(app_key, secret_key)?;
        let base_url = BaseUrl::parse(
            &self
                .base_url
                .or_else(|| env_value("QCC_BASE_URL"))
                .unwrap_or_else(|| DEFAULT_BASE_URL.to_string()),
        )?;
        if base_url.is_plain_http_off_machine() {
            tracing::warn!(
                "the base URL {base_url} is plain http to another machine: signed requests and report links travel unencrypted; use https"
            );
        }
        let mut user_agent = format!("qcc-radar/{VERSION}");
        if let Some(suffix) = self.user_agent_suffix.filter(|s| !s.trim().is_empty()) {
            user_agent.push(' ');
            user_agent.push_str(suffix.trim());
        }
        let ca_pem = match &self.ca_file {
            Some(path) => Some(std::fs::read(path).map_err(|e| {
                Error::config(format!("cannot read the CA file {}: {e}", path.display()))
            })?),
            None => None,
        };
        let factory = HttpFactory {
            user_agent,
            connect_timeout: self.connect_timeout.unwrap_or(Duration::from_secs(10)),
            read_timeout: self.read_timeout.unwrap_or(Duration::from_secs(60)),
            ca_pem,
            proxy: self.proxy,
        };
        let settings = Settings {
            credentials,
            api: ApiSettings {
                base_url,
                request_timeout: self.request_timeout.unwrap_or(Duration::from_secs(30)),
                retry: self.retry.unwrap_or_default(),
                skew_correction: self.skew_correction.unwrap_or(true),
            },
            wait_timeout: self.wait_timeout.unwrap_or(Duration::from_secs(30 * 60)),
            poll: self.poll.unwrap_or_default(),
            limits: self.limits.unwrap_or_default(),
            unzip_password: self.unzip_password,
        };
        let http = ForkAwareHttp::new(factory)?;
        Ok(Client::from_parts(
            settings,
            http,
            ProgressSink::new(self.progress),
        ))
    }
}
