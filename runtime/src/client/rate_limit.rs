//! The client-side leaky bucket that keeps a client under the portal's request rate.
//!
//! Bitrix24 counts requests per portal in a leaky bucket (50 requests drained
//! at 2 per second; 250 at 5 per second on Enterprise) and refuses the excess
//! with `QUERY_LIMIT_EXCEEDED`. The bucket here is `governor`'s GCRA, which
//! behaves the same, driven by tokio's clock so that tests with paused time
//! control it. Knows nothing about HTTP or methods.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};
use tokio::time::Instant;

/// How fast a client may send requests.
///
/// ```
/// use std::time::Duration;
/// use bitrix24::RateLimit;
///
/// let standard = RateLimit::standard();
/// assert_eq!(standard.burst(), Some(50));
/// assert_eq!(standard.drain_interval(), Some(Duration::from_millis(500)));
/// assert_eq!(RateLimit::enterprise().burst(), Some(250));
/// assert_eq!(RateLimit::unlimited().burst(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    bucket: Option<(u32, Duration)>,
}

impl RateLimit {
    /// The bucket of most plans: 50 requests, draining at 2 per second.
    pub const fn standard() -> Self {
        Self::new(50, Duration::from_millis(500))
    }

    /// The bucket of the Enterprise plan: 250 requests, draining at 5 per second.
    pub const fn enterprise() -> Self {
        Self::new(250, Duration::from_millis(200))
    }

    /// A bucket of `burst` requests that drains one request every `drain_interval`.
    ///
    /// A zero burst or interval is refused when the client is built.
    pub const fn new(burst: u32, drain_interval: Duration) -> Self {
        Self {
            bucket: Some((burst, drain_interval)),
        }
    }

    /// No client-side limit: for on-premise portals without one, or for tests.
    pub const fn unlimited() -> Self {
        Self { bucket: None }
    }

    /// How many requests may go at once, or `None` when unlimited.
    pub fn burst(&self) -> Option<u32> {
        self.bucket.map(|(burst, _)| burst)
    }

    /// How often one request drains from the bucket, or `None` when unlimited.
    pub fn drain_interval(&self) -> Option<Duration> {
        self.bucket.map(|(_, interval)| interval)
    }

    /// The GCRA quota, or `None` when unlimited; `Err` when the numbers are zero.
    pub(crate) fn quota(&self) -> Result<Option<Quota>, &'static str> {
        let Some((burst, interval)) = self.bucket else {
            return Ok(None);
        };
        let burst = NonZeroU32::new(burst).ok_or("the burst must be at least 1")?;
        let quota =
            Quota::with_period(interval).ok_or("the drain interval must be longer than zero")?;
        Ok(Some(quota.allow_burst(burst)))
    }
}

impl Default for RateLimit {
    fn default() -> Self {
        Self::standard()
    }
}

/// Tokio's clock for `governor`, counted from when the limiter was made.
///
/// `governor`'s own clocks read the system's monotonic clock, which tokio's
/// paused time does not move.
#[derive(Debug, Clone)]
struct TokioClock {
    origin: Instant,
}

impl Clock for TokioClock {
    type Instant = Nanos;

    fn now(&self) -> Nanos {
        Nanos::from(self.origin.elapsed())
    }
}

type Bucket = RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<Nanos>>;

/// The limiter shared by all clones of a client.
#[derive(Debug)]
pub(crate) struct Limiter {
    bucket: Option<(Bucket, TokioClock)>,
}

impl Limiter {
    pub(crate) fn new(quota: Option<Quota>) -> Self {
        let bucket = quota.map(|quota| {
            let clock = TokioClock {
                origin: Instant::now(),
            };
            (RateLimiter::direct_with_clock(quota, clock.clone()), clock)
        });
        Self { bucket }
    }

    /// Waits for room in the bucket; returns how long it waited, or `None`
    /// when there would be room only after `deadline`.
    pub(crate) async fn acquire(&self, deadline: Option<Instant>) -> Option<Duration> {
        let Some((bucket, clock)) = &self.bucket else {
            return Some(Duration::ZERO);
        };
        let started = Instant::now();
        loop {
            match bucket.check() {
                Ok(()) => return Some(started.elapsed()),
                Err(not_until) => {
                    let ready = Instant::now() + not_until.wait_time_from(clock.now());
                    if deadline.is_some_and(|deadline| ready > deadline) {
                        return None;
                    }
                    tokio::time::sleep_until(ready).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn never_lets_more_through_than_the_bucket_allows() {
        let limiter = Limiter::new(RateLimit::standard().quota().unwrap());
        let start = Instant::now();
        let mut sent = Vec::new();
        for _ in 0..150 {
            limiter.acquire(None).await.unwrap();
            sent.push(start.elapsed());
        }
        // The first 50 go at once, then one every 500 ms.
        assert!(sent[..50].iter().all(|at| at.is_zero()));
        for (index, at) in sent.iter().enumerate().skip(50) {
            let expected = Duration::from_millis(500) * u32::try_from(index - 49).unwrap();
            assert_eq!(*at, expected, "request {index}");
        }
        // In any window, at most burst + window / interval requests.
        for (index, at) in sent.iter().enumerate() {
            let window_end = *at + Duration::from_secs(10);
            let in_window = sent[index..]
                .iter()
                .filter(|later| **later < window_end)
                .count();
            assert!(in_window <= 50 + 20, "window from {at:?} held {in_window}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_when_room_comes_after_the_deadline() {
        let limiter = Limiter::new(RateLimit::new(1, Duration::from_secs(10)).quota().unwrap());
        assert!(limiter.acquire(None).await.is_some());
        let deadline = Instant::now() + Duration::from_secs(5);
        assert!(limiter.acquire(Some(deadline)).await.is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn unlimited_never_waits() {
        let limiter = Limiter::new(RateLimit::unlimited().quota().unwrap());
        for _ in 0..1000 {
            assert_eq!(limiter.acquire(None).await, Some(Duration::ZERO));
        }
    }

    #[test]
    fn zero_settings_are_refused() {
        assert!(RateLimit::new(0, Duration::from_secs(1)).quota().is_err());
        assert!(RateLimit::new(5, Duration::ZERO).quota().is_err());
    }
}
