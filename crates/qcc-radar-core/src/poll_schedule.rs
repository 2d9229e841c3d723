//! How long to wait between getReportInfo polls while a report is being made.
//!
//! Reports take seconds to minutes. Polling at a fixed short interval wastes billed calls and
//! hammers the API; a fixed long one adds latency. So the delay starts short, grows by a
//! factor up to a cap, and is jittered so a fleet of cron jobs started on the same minute does
//! not poll in lock-step. The schedule is a pure iterator: the randomness comes from the caller
//! and the deadline is a budget of total waiting, so tests replay it exactly.

use std::time::Duration;

/// The poll back-off schedule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PollSchedule {
    /// The first delay.
    pub initial: Duration,
    /// Each delay is the previous one times this (≥ 1).
    pub factor: f64,
    /// The largest delay.
    pub max: Duration,
    /// Fraction of each delay that is randomised away: 0.2 means each delay is between 80% and
    /// 100% of its nominal value.
    pub jitter: f64,
}

impl Default for PollSchedule {
    /// 2 s, growing ×1.5 to 30 s, 20% jitter.
    fn default() -> Self {
        PollSchedule {
            initial: Duration::from_secs(2),
            factor: 1.5,
            max: Duration::from_secs(30),
            jitter: 0.2,
        }
    }
}

impl PollSchedule {
    /// A fixed delay without jitter (tests, benchmarks).
    pub fn fixed(delay: Duration) -> Self {
        PollSchedule {
            initial: delay,
            factor: 1.0,
            max: delay,
            jitter: 0.0,
        }
    }

    /// The delays before each next poll, until their sum reaches `budget`; the last delay is
    /// shortened to end exactly at the budget. `random` yields values in `[0, 1)`.
    pub fn delays<R: FnMut() -> f64>(&self, budget: Duration, random: R) -> PollDelays<R> {
        PollDelays {
            schedule: *self,
            nominal: self.initial.min(self.max),
            remaining: budget,
            random,
        }
    }
}

/// The iterator from [`PollSchedule::delays`].
#[derive(Debug)]
pub struct PollDelays<R> {
    schedule: PollSchedule,
    nominal: Duration,
    remaining: Duration,
    random: R,
}

/// `d × f` without `Duration::mul_f64`'s panics: a NaN or non-positive product is zero and
/// one too large for a `Duration` saturates. The schedule's fields are public and its random
/// source is the caller's, so a NaN or a huge value must not take a process (or, through a
/// binding, a Python interpreter or a JVM) down.
pub(crate) fn scale(d: Duration, f: f64) -> Duration {
    let secs = d.as_secs_f64() * f;
    if secs.is_nan() || secs <= 0.0 {
        Duration::ZERO
    } else {
        Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX)
    }
}

/// `x` clamped to `[0, 1]`, with NaN read as 0.
pub(crate) fn unit(x: f64) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        x.clamp(0.0, 1.0)
    }
}

impl<R: FnMut() -> f64> Iterator for PollDelays<R> {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        if self.remaining.is_zero() {
            return None;
        }
        if self.nominal.is_zero() {
            // A zero delay can never use up the budget: one poll, then stop, rather than loop
            // forever.
            self.remaining = Duration::ZERO;
            return Some(Duration::ZERO);
        }
        let jitter = unit(self.schedule.jitter);
        let r = unit((self.random)());
        // At least a nanosecond, so that full jitter cannot end the schedule early (a zero
        // delay used to end it with budget left) and every step uses some of the budget.
        let delay = scale(self.nominal, 1.0 - jitter * r)
            .clamp(Duration::from_nanos(1), self.nominal)
            .min(self.remaining);
        self.remaining -= delay;
        let factor = if self.schedule.factor.is_finite() {
            self.schedule.factor.clamp(1.0, 1e6)
        } else {
            1.0
        };
        self.nominal = scale(self.nominal, factor)
            .max(self.nominal)
            .min(self.schedule.max);
        Some(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_to_cap_and_ends_at_budget() {
        let s = PollSchedule {
            initial: Duration::from_secs(1),
            factor: 2.0,
            max: Duration::from_secs(4),
            jitter: 0.0,
        };
        let d: Vec<u64> = s
            .delays(Duration::from_secs(15), || 0.0)
            .map(|d| d.as_secs())
            .collect();
        assert_eq!(d, vec![1, 2, 4, 4, 4]);
    }

    #[test]
    fn jitter_shortens_within_bounds() {
        let s = PollSchedule::default();
        for d in s.delays(Duration::from_secs(100), || 0.999).take(3) {
            assert!(d >= Duration::from_secs(1));
        }
        let first = s.delays(Duration::from_secs(100), || 0.5).next().unwrap();
        assert_eq!(first, Duration::from_millis(1800));
    }

    #[test]
    fn zero_delay_terminates() {
        let s = PollSchedule::fixed(Duration::ZERO);
        assert_eq!(s.delays(Duration::from_secs(1), || 0.0).count(), 1);
    }

    // Regression: a NaN jitter or random value, or a huge initial delay, panicked inside
    // `Duration::mul_f64`.
    #[test]
    fn hostile_numbers_do_not_panic() {
        let nan = PollSchedule {
            jitter: f64::NAN,
            ..PollSchedule::default()
        };
        let d: Vec<Duration> = nan.delays(Duration::from_secs(10), || f64::NAN).collect();
        assert_eq!(d.iter().sum::<Duration>(), Duration::from_secs(10));
        let huge = PollSchedule {
            initial: Duration::MAX,
            factor: 1e6,
            max: Duration::MAX,
            jitter: 0.5,
        };
        let d: Vec<Duration> = huge.delays(Duration::MAX, || 0.0).take(3).collect();
        assert_eq!(d, vec![Duration::MAX]);
        let d = huge
            .delays(Duration::from_secs(5), || 0.5)
            .collect::<Vec<_>>();
        assert_eq!(d, vec![Duration::from_secs(5)]);
    }

    // Regression: with full jitter a delay that rounded to zero ended the schedule early,
    // leaving budget unused (a wait would give up before its deadline).
    #[test]
    fn full_jitter_uses_the_whole_budget() {
        let s = PollSchedule {
            initial: Duration::from_nanos(1),
            factor: 1.0,
            max: Duration::from_nanos(1),
            jitter: 1.0,
        };
        let d: Vec<Duration> = s.delays(Duration::from_nanos(5), || 0.9).collect();
        assert_eq!(d.len(), 5);
        assert_eq!(d.iter().sum::<Duration>(), Duration::from_nanos(5));
    }
}
