//! The sandbox's settings.
//!
//! All fields are public so a test can start from [`SandboxConfig::new`] and change the one
//! knob it cares about (a shorter `link_ttl`, zero `polls_until_ready` for a benchmark). The
//! defaults are chosen so that a client with default settings finishes the whole flow against a
//! `normal` sandbox in well under a second of waiting, and so that every fault scenario shows
//! its fault without any tuning.

use std::time::Duration;

use crate::scenario::Scenario;

/// The default app key a sandbox hands out.
pub const DEFAULT_APP_KEY: &str = "sandbox-app-key";
/// The default secret key a sandbox hands out.
pub const DEFAULT_SECRET_KEY: &str = "sandbox-secret-key";

/// How a sandbox behaves. `Default` is the `normal` scenario with the defaults documented on
/// each field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SandboxConfig {
    /// The scenario. Default `normal`.
    pub scenario: Scenario,
    /// The app key clients must send as `key`. Default `"sandbox-app-key"`.
    pub app_key: String,
    /// The secret key clients should sign with. Default `"sandbox-secret-key"`. In the
    /// `bad_credentials` scenario the server expects a different one.
    pub secret_key: String,
    /// getReportInfo answers `P` this many times per order, then `S` (or `F` in `fail`).
    /// Default 2.
    pub polls_until_ready: u32,
    /// `slow`: getReportInfo answers `P` until this long after the order was placed. Default 5 s.
    pub slow_ready_after: Duration,
    /// The signed download link's lifetime. Default 300 s.
    pub link_ttl: Duration,
    /// How far a request's `Timespan` may be from the server's clock. Default 300 s.
    pub timespan_window: Duration,
    /// `clock_skew`: how far the server's clock runs ahead of the real one. Default 900 s.
    pub clock_skew: Duration,
    /// `large`: the archive's size in bytes. Default 64 MiB. Values above
    /// [`crate::MAX_LARGE_BYTES`] are clamped to it: the archive is a plain zip without zip64.
    pub large_bytes: u64,
    /// `create_hangs`: how long the first createReport holds its answer. Default one hour.
    pub hang: Duration,
    /// `stall`: the pause between the slow pieces of a first download. Default 200 ms (two
    /// seconds for the ten pieces).
    pub trickle_gap: Duration,
    /// The TCP port on 127.0.0.1; 0 picks any free port. Default 0.
    pub port: u16,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            scenario: Scenario::Normal,
            app_key: DEFAULT_APP_KEY.to_string(),
            secret_key: DEFAULT_SECRET_KEY.to_string(),
            polls_until_ready: 2,
            slow_ready_after: Duration::from_secs(5),
            link_ttl: Duration::from_secs(300),
            timespan_window: Duration::from_secs(300),
            clock_skew: Duration::from_secs(900),
            large_bytes: 64 * 1024 * 1024,
            hang: Duration::from_secs(3600),
            trickle_gap: Duration::from_millis(200),
            port: 0,
        }
    }
}

impl SandboxConfig {
    /// The defaults, with `scenario`.
    pub fn new(scenario: Scenario) -> Self {
        SandboxConfig {
            scenario,
            ..SandboxConfig::default()
        }
    }

    /// The secret the server checks Tokens against: the configured one, except in
    /// `bad_credentials`, where it is secretly different.
    pub(crate) fn expected_secret(&self) -> String {
        if self.scenario == Scenario::BadCredentials {
            format!("{}-rotated", self.secret_key)
        } else {
            self.secret_key.clone()
        }
    }

    /// How far the server clock runs ahead of the real one in this scenario.
    pub(crate) fn effective_skew(&self) -> Duration {
        if self.scenario == Scenario::ClockSkew {
            self.clock_skew
        } else {
            Duration::ZERO
        }
    }
}
