//! How often and how long to retry a request that failed in a way a retry can cure.
//!
//! Exponential back-off with *full* jitter (a uniform delay between zero and the exponential
//! bound) spreads retries from many clients after a shared outage. Attempts and total time are
//! both bounded, so a dead service makes a cron job fail within a known time rather than hang.

use std::time::Duration;

/// The retry policy for safe-to-repeat requests (getReportInfo, downloads).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The most attempts in all (1 means no retry).
    pub max_attempts: u32,
    /// The bound of the first back-off.
    pub base: Duration,
    /// The largest back-off bound.
    pub cap: Duration,
    /// No retry starts once this much time has passed since the first attempt.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts, 250 ms growing to 8 s, 60 s in all.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base: Duration::from_millis(250),
            cap: Duration::from_secs(8),
            max_elapsed: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The back-off before attempt `attempt + 1`, where `attempt` (starting at 1) is the attempt
    /// that just failed, or `None` when no further attempt is allowed after `elapsed`.
    /// `random` is in `[0, 1)`.
    pub fn backoff(&self, attempt: u32, elapsed: Duration, random: f64) -> Option<Duration> {
        if attempt >= self.max_attempts || elapsed >= self.max_elapsed {
            return None;
        }
        let exp = attempt.saturating_sub(1).min(30);
        let bound = self.base.saturating_mul(1u32 << exp).min(self.cap);
        let delay =
            crate::poll_schedule::scale(bound, crate::poll_schedule::unit(random)).min(bound);
        let left = self.max_elapsed - elapsed;
        Some(delay.min(left))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_attempts_and_time() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.backoff(1, Duration::ZERO, 0.999).unwrap().as_millis(),
            249
        );
        assert!(p.backoff(4, Duration::ZERO, 1.0).unwrap() <= Duration::from_secs(2));
        assert_eq!(p.backoff(5, Duration::ZERO, 0.5), None);
        assert_eq!(p.backoff(1, Duration::from_secs(60), 0.5), None);
        assert_eq!(RetryPolicy::none().backoff(1, Duration::ZERO, 0.5), None);
        assert!(p.backoff(3, Duration::from_secs(59), 1.0).unwrap() <= Duration::from_secs(1));
    }

    // Regression: a NaN from the caller's random source panicked inside `Duration::mul_f64`.
    #[test]
    fn nan_random_does_not_panic() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(1, Duration::ZERO, f64::NAN), Some(Duration::ZERO));
        assert!(p.backoff(2, Duration::ZERO, f64::INFINITY).unwrap() <= p.cap);
    }
}
