//! Per-method operating-time budget, from `time.operating` and `time.operating_reset_at`.
//!
//! The portal sums how long each method ran for this webhook or application
//! over ten minutes and blocks the method with `OPERATION_TIME_LIMIT` past a
//! limit. This tracker stops sending a method shortly before that and knows
//! when its budget frees up. Reset times are converted from the server's clock
//! to tokio's using the answer's own `time.finish`, so clock skew between the
//! machines does not matter. Knows nothing about HTTP or retries.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use crate::Time;

/// When to stop sending a method that has used up its operating time.
///
/// The portal's limit is 480 seconds of execution per method in ten minutes
/// in the documentation (the server code's default is 420). By default the
/// client pauses a method once it has used the limit minus a 60-second margin,
/// which also covers the 420-second variant, until the budget frees up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperatingLimit {
    enabled: bool,
    limit: Duration,
    margin: Duration,
    unknown_reset_wait: Duration,
}

impl OperatingLimit {
    /// A limit of `limit` execution time per ten minutes, paused `margin` before it.
    pub const fn new(limit: Duration, margin: Duration) -> Self {
        Self {
            enabled: true,
            limit,
            margin,
            unknown_reset_wait: Duration::from_secs(10),
        }
    }

    /// No tracking: for portals without the limit (on-premise by default).
    ///
    /// An `OPERATION_TIME_LIMIT` answer is still waited out and retried.
    pub const fn disabled() -> Self {
        Self {
            enabled: false,
            ..Self::new(Duration::from_secs(480), Duration::from_secs(60))
        }
    }

    /// How long to wait after `OPERATION_TIME_LIMIT` when no answer told the
    /// reset time yet (default 10 seconds).
    pub const fn unknown_reset_wait(mut self, wait: Duration) -> Self {
        self.unknown_reset_wait = wait;
        self
    }

    /// The operating time after which a method is paused.
    pub fn threshold(&self) -> Duration {
        self.limit.saturating_sub(self.margin)
    }
}

impl Default for OperatingLimit {
    fn default() -> Self {
        Self::new(Duration::from_secs(480), Duration::from_secs(60))
    }
}

#[derive(Debug, Clone, Copy)]
struct Budget {
    operating: f64,
    reset_at: Option<Instant>,
}

/// The budgets of every method a client has called.
#[derive(Debug)]
pub(crate) struct OperatingTracker {
    limit: OperatingLimit,
    methods: Mutex<HashMap<String, Budget>>,
}

impl OperatingTracker {
    pub(crate) fn new(limit: OperatingLimit) -> Self {
        Self {
            limit,
            methods: Mutex::new(HashMap::new()),
        }
    }

    /// The operating time after which a method is paused, or `None` when
    /// budgets are not tracked.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn threshold(&self) -> Option<Duration> {
        self.limit.enabled.then(|| self.limit.threshold())
    }

    /// The budget and the wait when no reset time is known, which mark a
    /// method blocked after the portal refused it.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn block_settings(&self) -> (Duration, Duration) {
        (self.limit.limit, self.limit.unknown_reset_wait)
    }

    /// When `method` may be sent again, if it is paused now.
    pub(crate) fn paused_until(&self, method: &str) -> Option<Instant> {
        if !self.limit.enabled {
            return None;
        }
        let budget = *self.lock().get(&key(method))?;
        let reset_at = budget.reset_at?;
        let exhausted = budget.operating >= self.limit.threshold().as_secs_f64();
        (exhausted && reset_at > Instant::now()).then_some(reset_at)
    }

    /// Notes the budget reported with a successful answer received at `received`.
    pub(crate) fn record(&self, method: &str, time: &Time, received: Instant) {
        let (Some(operating), Some(reset_at)) = (time.operating, time.operating_reset_at) else {
            return;
        };
        // Precision below a millisecond is irrelevant for a reset time in seconds.
        #[allow(clippy::cast_precision_loss)]
        let seconds_left = (reset_at as f64 - time.finish).max(0.0);
        let reset_at = received + Duration::from_secs_f64(seconds_left.min(600.0));
        self.lock().insert(
            key(method),
            Budget {
                operating,
                reset_at: Some(reset_at),
            },
        );
    }

    /// After `OPERATION_TIME_LIMIT`: when to try again, and marks the method
    /// paused until then for every other call.
    pub(crate) fn blocked(&self, method: &str) -> Instant {
        let now = Instant::now();
        let mut methods = self.lock();
        let budget = methods.entry(key(method)).or_insert(Budget {
            operating: 0.0,
            reset_at: None,
        });
        let retry_at = budget
            .reset_at
            .filter(|reset_at| *reset_at > now)
            .unwrap_or(now + self.limit.unknown_reset_wait);
        budget.operating = budget.operating.max(self.limit.limit.as_secs_f64());
        budget.reset_at = Some(retry_at);
        retry_at
    }

    // Plain data, left consistent by every writer: a poisoned lock is still usable.
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Budget>> {
        self.methods.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Method names are case-insensitive on the server.
fn key(method: &str) -> String {
    method.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(operating: f64, finish: f64, reset_at: i64) -> Time {
        serde_json::from_value(serde_json::json!({
            "start": finish, "finish": finish, "duration": 0, "processing": 0,
            "date_start": "2026-03-18T19:15:53+02:00", "date_finish": "2026-03-18T19:15:53+02:00",
            "operating": operating, "operating_reset_at": reset_at,
        }))
        .unwrap()
    }

    #[tokio::test(start_paused = true)]
    async fn pauses_a_method_past_the_threshold_until_its_reset() {
        let tracker = OperatingTracker::new(OperatingLimit::default());
        let now = Instant::now();
        tracker.record("sonet_group.user.get", &time(100.0, 1000.0, 1030), now);
        assert_eq!(tracker.paused_until("sonet_group.user.get"), None);
        tracker.record("sonet_group.user.get", &time(421.0, 1000.0, 1030), now);
        assert_eq!(
            tracker.paused_until("SONET_GROUP.USER.GET"),
            Some(now + Duration::from_secs(30))
        );
        assert_eq!(tracker.paused_until("sonet_group.user.add"), None);
        tokio::time::advance(Duration::from_secs(31)).await;
        assert_eq!(tracker.paused_until("sonet_group.user.get"), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_block_without_a_known_reset_waits_the_fallback() {
        let tracker = OperatingTracker::new(OperatingLimit::default());
        let retry_at = tracker.blocked("m");
        assert_eq!(retry_at, Instant::now() + Duration::from_secs(10));
        assert_eq!(tracker.paused_until("m"), Some(retry_at));
    }

    #[tokio::test(start_paused = true)]
    async fn disabled_tracking_never_pauses() {
        let tracker = OperatingTracker::new(OperatingLimit::disabled());
        tracker.record("m", &time(479.0, 1000.0, 1300), Instant::now());
        assert_eq!(tracker.paused_until("m"), None);
    }
}
