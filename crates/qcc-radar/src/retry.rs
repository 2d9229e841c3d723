//! One retry loop for everything that may take several attempts: the API calls and the download.
//!
//! Both have the same shape: make an attempt; say whether its failure is worth another; if so,
//! back off (full jitter, from the [`RetryPolicy`]) unless the policy's attempts or time are
//! spent, then give up. They differ only in what they count against the policy: an API call
//! counts every attempt from the first, while a download counts from its last attempt that
//! made progress ([`Budget::restart`]), so a large or slow report that keeps arriving is
//! resumed however long it has run, and only a run of attempts that bring nothing new gives up.
//! What is worth another attempt is the caller's to say ([`Outcome`]); for a request that may
//! place a billed order, [`Repeat`] says it.

use std::time::{Duration, Instant};

use qcc_radar_core::{Error, RetryPolicy};

/// A uniform random number in [0, 1): the jitter of back-offs and poll delays.
pub(crate) fn random_unit() -> f64 {
    rand::random::<f64>()
}

/// Whether a request may be repeated after it may have reached the server.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Repeat {
    /// Safe to repeat (getReportInfo).
    Safe,
    /// Billed: only before sending (createReport).
    OnlyBeforeSending,
}

impl Repeat {
    /// Whether a request that failed with `err` is worth another attempt; `reached` says
    /// whether it may have reached the server.
    pub(crate) fn allows(self, err: &Error, reached: bool) -> bool {
        match self {
            Repeat::Safe => err.is_retryable(),
            Repeat::OnlyBeforeSending => err.is_retryable() && !reached,
        }
    }
}

/// How one attempt ended.
pub(crate) enum Outcome<T> {
    /// It worked.
    Done(T),
    /// It failed in a way worth another attempt after a back-off, if the policy allows one.
    Retry(Error),
    /// Try again at once, without a back-off (the attempt still counts): something was learned
    /// that should make the next one work.
    Again,
    /// It failed for good.
    Stop(Error),
}

/// What a job's attempts are counted against the policy from.
#[derive(Debug)]
pub(crate) struct Budget {
    attempts: u32,
    since: Instant,
}

impl Budget {
    fn new() -> Budget {
        Budget {
            attempts: 0,
            since: Instant::now(),
        }
    }

    /// The number of the attempt under way, counted from the start or the last restart.
    pub(crate) fn attempt(&self) -> u32 {
        self.attempts
    }

    /// The attempt under way made progress: count attempts and time from it, so that it is the
    /// first of a fresh budget.
    pub(crate) fn restart(&mut self) {
        self.attempts = 1;
        self.since = Instant::now();
    }
}

/// Something that may take several attempts.
pub(crate) trait Job {
    /// What a successful attempt gives.
    type Output;

    /// Makes one attempt. `budget` has counted it already; an attempt that made progress
    /// may [`Budget::restart`] it.
    async fn attempt(&mut self, budget: &mut Budget) -> Outcome<Self::Output>;

    /// Tells that attempt number `attempt` failed with `error` and the next follows in `delay`.
    fn retrying(&self, error: &Error, attempt: u32, delay: Duration);
}

/// Why [`run`] gave up.
#[derive(Debug)]
pub(crate) struct GaveUp {
    /// The last attempt's error.
    pub(crate) error: Error,
    /// Attempts counted in the budget (since its last restart).
    pub(crate) attempts: u32,
    /// Whether the error was worth another attempt but the policy's attempts or time were
    /// spent (else the attempt said [`Outcome::Stop`]).
    pub(crate) spent: bool,
}

/// Runs `job` until an attempt succeeds or stops, or `policy` allows no more.
pub(crate) async fn run<J: Job>(policy: &RetryPolicy, job: &mut J) -> Result<J::Output, GaveUp> {
    let mut budget = Budget::new();
    loop {
        budget.attempts += 1;
        let error = match job.attempt(&mut budget).await {
            Outcome::Done(value) => return Ok(value),
            Outcome::Again => continue,
            Outcome::Stop(error) => {
                return Err(GaveUp {
                    error,
                    attempts: budget.attempts,
                    spent: false,
                })
            }
            Outcome::Retry(error) => error,
        };
        match policy.backoff(budget.attempts, budget.since.elapsed(), random_unit()) {
            Some(delay) => {
                job.retrying(&error, budget.attempts, delay);
                tokio::time::sleep(delay).await;
            }
            None => {
                return Err(GaveUp {
                    error,
                    attempts: budget.attempts,
                    spent: true,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A job that plays a script of outcomes (each with whether the attempt made progress) and
    /// records the attempt number it was given each time.
    struct Script {
        steps: Vec<(Outcome<u32>, bool)>,
        seen: Vec<u32>,
    }

    impl Job for Script {
        type Output = u32;

        async fn attempt(&mut self, budget: &mut Budget) -> Outcome<u32> {
            self.seen.push(budget.attempt());
            let (outcome, progressed) = self.steps.remove(0);
            if progressed {
                budget.restart();
            }
            outcome
        }

        fn retrying(&self, _error: &Error, _attempt: u32, _delay: Duration) {}
    }

    fn script(steps: Vec<(Outcome<u32>, bool)>) -> Script {
        Script {
            steps,
            seen: Vec::new(),
        }
    }

    fn policy(max_attempts: u32) -> RetryPolicy {
        RetryPolicy {
            max_attempts,
            base: Duration::from_millis(1),
            cap: Duration::from_millis(1),
            max_elapsed: Duration::from_secs(60),
        }
    }

    fn retry() -> Outcome<u32> {
        Outcome::Retry(Error::transport("cut"))
    }

    #[tokio::test]
    async fn gives_up_when_the_policys_attempts_are_spent() {
        let mut job = script((0..5).map(|_| (retry(), false)).collect());
        let gave_up = run(&policy(3), &mut job).await.unwrap_err();
        assert_eq!((gave_up.attempts, gave_up.spent), (3, true));
        assert_eq!(job.seen, vec![1, 2, 3]);
    }

    #[tokio::test]
    async fn progress_restarts_the_budget() {
        let mut steps: Vec<_> = (0..6).map(|_| (retry(), true)).collect();
        steps.push((Outcome::Done(7), true));
        let mut job = script(steps);
        assert_eq!(run(&policy(2), &mut job).await.unwrap(), 7);
        assert_eq!(job.seen, vec![1, 2, 2, 2, 2, 2, 2]);
    }

    #[tokio::test]
    async fn a_stop_is_final_and_not_spent() {
        let mut job = script(vec![
            (retry(), false),
            (Outcome::Stop(Error::config("no")), false),
            (Outcome::Done(1), false),
        ]);
        let gave_up = run(&policy(5), &mut job).await.unwrap_err();
        assert_eq!((gave_up.attempts, gave_up.spent), (2, false));
        assert_eq!(gave_up.error.message(), "no");
    }

    #[tokio::test]
    async fn again_counts_as_an_attempt() {
        let mut job = script(vec![(Outcome::Again, false), (retry(), false)]);
        let gave_up = run(&policy(2), &mut job).await.unwrap_err();
        assert_eq!((gave_up.attempts, gave_up.spent), (2, true));
    }
}
