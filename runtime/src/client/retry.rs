//! How often and how long a call is tried: attempts, deadline, backoff.
//!
//! The backoff is a small computation rather than a crate, because the wait
//! depends on the failure (a backoff, the operating-time reset, a token
//! refresh) and the attempt budget and deadline are shared across them.
//! Knows nothing about which failures are retried; see `verdict`.

use std::time::Duration;

/// Limits on retrying a call.
///
/// ```
/// use std::time::Duration;
/// use bitrix24::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(3)
///     .backoff(Duration::from_millis(200), Duration::from_secs(5))
///     .deadline(Some(Duration::from_secs(30)));
/// assert_eq!(policy.attempts(), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    deadline: Option<Duration>,
}

impl RetryPolicy {
    /// How many requests one call may send in all, including the first
    /// (default 5). `1` turns retries off.
    pub const fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// The first backoff and the longest one (defaults 500 ms and 30 s). Each
    /// retry doubles the backoff, and a random jitter of up to half of it
    /// spreads out clients that failed together.
    pub const fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// How long a call may take in all, waits and retries included (default
    /// 5 minutes); `None` for no limit.
    pub const fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// No retries: every call sends one request.
    pub const fn never() -> Self {
        Self::DEFAULT.max_attempts(1)
    }

    /// The configured number of attempts.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The configured deadline.
    pub fn overall_deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// The wait before retry number `retry` (1 for the first retry):
    /// `initial × 2^(retry−1)`, capped at the maximum, of which the upper half
    /// is random.
    pub(crate) fn backoff_delay(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(30);
        let full = self
            .initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff);
        let half = full / 2;
        half + half.mul_f64(fastrand::f64())
    }

    const DEFAULT: Self = Self {
        max_attempts: 5,
        initial_backoff: Duration::from_millis(500),
        max_backoff: Duration::from_secs(30),
        deadline: Some(Duration::from_secs(300)),
    };
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_stops_at_the_cap() {
        let policy =
            RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(1000));
        for _ in 0..100 {
            let first = policy.backoff_delay(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let third = policy.backoff_delay(3);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
            let late = policy.backoff_delay(40);
            assert!(late >= Duration::from_millis(500) && late <= Duration::from_millis(1000));
        }
    }
}
