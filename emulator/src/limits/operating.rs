//! The operating-time limit (`LoadLimiter`): execution seconds per (credential, method) kept in
//! ten one-minute buckets. Calls shorter than 0.1 s are not recorded; a method whose total
//! exceeds the limit is refused until old buckets expire.

use std::collections::{HashMap, VecDeque};

const BUCKET_SECS: f64 = 60.0;
const BUCKET_COUNT: i64 = 10;
const MIN_RECORDED_SECS: f64 = 0.1;

/// The accumulated time and when its oldest bucket expires (emulated seconds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OperatingStatus {
    pub(crate) operating: f64,
    pub(crate) reset_at: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct OperatingLimiter {
    limit_secs: f64,
    buckets: HashMap<(String, String), VecDeque<(i64, f64)>>,
}

impl OperatingLimiter {
    pub(crate) fn new(limit_secs: f64) -> Self {
        Self {
            limit_secs,
            buckets: HashMap::new(),
        }
    }

    fn current(&mut self, key: &(String, String), now: f64) -> Option<&mut VecDeque<(i64, f64)>> {
        let oldest_kept = (now / BUCKET_SECS).floor() as i64 - BUCKET_COUNT + 1;
        let buckets = self.buckets.get_mut(key)?;
        while buckets
            .front()
            .is_some_and(|(index, _)| *index < oldest_kept)
        {
            buckets.pop_front();
        }
        Some(buckets)
    }

    /// The state of `method` for `credential` at emulated time `now`.
    pub(crate) fn status(&mut self, credential: &str, method: &str, now: f64) -> OperatingStatus {
        let key = (credential.to_owned(), method.to_owned());
        let buckets = self.current(&key, now);
        let operating = buckets
            .as_ref()
            .map_or(0.0, |b| b.iter().map(|(_, s)| s).sum());
        let reset_at = buckets
            .and_then(|b| b.front().copied())
            .map_or(now + BUCKET_SECS * BUCKET_COUNT as f64, |(index, _)| {
                (index + BUCKET_COUNT) as f64 * BUCKET_SECS
            });
        OperatingStatus {
            operating,
            reset_at,
        }
    }

    /// Whether a call may start now.
    pub(crate) fn allows(&mut self, credential: &str, method: &str, now: f64) -> bool {
        self.status(credential, method, now).operating <= self.limit_secs
    }

    /// Charges `secs` of execution time at `now`.
    pub(crate) fn record(&mut self, credential: &str, method: &str, now: f64, secs: f64) {
        if secs < MIN_RECORDED_SECS {
            return;
        }
        let index = (now / BUCKET_SECS).floor() as i64;
        let buckets = self
            .buckets
            .entry((credential.to_owned(), method.to_owned()))
            .or_default();
        match buckets.back_mut() {
            Some((last, total)) if *last == index => *total += secs,
            _ => buckets.push_back((index, secs)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_limit_and_recovers() {
        let mut l = OperatingLimiter::new(2.0);
        l.record("hook1", "m", 5.0, 1.5);
        assert!(l.allows("hook1", "m", 5.0));
        l.record("hook1", "m", 70.0, 1.0);
        assert!(!l.allows("hook1", "m", 70.0));
        assert!(l.allows("hook2", "m", 70.0));
        assert!(l.allows("hook1", "other", 70.0));
        let s = l.status("hook1", "m", 70.0);
        assert_eq!(s.operating, 2.5);
        assert_eq!(s.reset_at, 600.0);
        assert!(l.allows("hook1", "m", 600.0));
        assert_eq!(l.status("hook1", "m", 600.0).operating, 1.0);
    }

    #[test]
    fn short_calls_are_not_recorded() {
        let mut l = OperatingLimiter::new(0.0);
        l.record("a", "m", 1.0, 0.05);
        assert!(l.allows("a", "m", 1.0));
        assert_eq!(l.status("a", "m", 1.0).reset_at, 601.0);
    }
}
