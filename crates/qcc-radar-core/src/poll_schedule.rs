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

impl<R: FnMut() -> f64> Iterator for PollDelays<R> {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        if self.remaining.is_zero() {
            return None;
        }
        let jitter = self.schedule.jitter.clamp(0.0, 1.0);
        let r = (self.random)().clamp(0.0, 1.0);
        let delay = self.nominal.mul_f64(1.0 - jitter * r).min(self.remaining);
        self.remaining -= delay;
        let factor = if self.schedule.factor.is_finite() {
            self.schedule.factor.max(1.0)
        } else {
            1.0
        };
        self.nominal = self
            .nominal
            .mul_f64(factor.min(1e6))
            .min(self.schedule.max);
        if delay.is_zero() {
            // A zero initial delay must not loop forever.
            self.remaining = Duration::ZERO;
        }
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
}
