//! The portal's time: Unix time for answers and the emulated, scaled time the limits and token
//! expiry run on.
//!
//! Both are read from tokio's clock plus a manual offset. So a test whose runtime starts paused
//! moves the portal together with the client (`tokio::time::advance`, or the runtime's
//! auto-advance while everything waits), and [`Clock::advance`] moves the portal alone. With a
//! time scale of N, one second counts as N emulated seconds, so a leaky bucket drains N times
//! faster and a one-hour token dies after 3600/N seconds; Unix time is never scaled. Knows
//! nothing about what the times are used for.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

/// The emulator's clock; clones share the manual offset.
#[derive(Debug, Clone)]
pub(crate) struct Clock {
    origin: Instant,
    /// Unix time at `origin`, in seconds.
    origin_unix: f64,
    /// Microseconds added by [`Clock::advance`].
    advanced_micros: Arc<AtomicU64>,
    scale: f64,
}

impl Clock {
    pub(crate) fn new(scale: f64) -> Self {
        Self {
            origin: Instant::now(),
            origin_unix: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0.0, |d| d.as_secs_f64()),
            advanced_micros: Arc::new(AtomicU64::new(0)),
            scale,
        }
    }

    /// Moves the portal's time forward by `by` (unscaled), without waiting.
    pub(crate) fn advance(&self, by: Duration) {
        let micros = u64::try_from(by.as_micros()).unwrap_or(u64::MAX);
        // A saturating add: the offset never wraps around to the past.
        let _ = self
            .advanced_micros
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |old| {
                Some(old.saturating_add(micros))
            });
    }

    /// Seconds since the emulator started, advances included.
    fn elapsed(&self) -> f64 {
        // Microseconds below 2^53 are exact in an f64; beyond, precision is irrelevant.
        #[allow(clippy::cast_precision_loss)]
        let advanced = self.advanced_micros.load(Ordering::Relaxed) as f64 / 1e6;
        self.origin.elapsed().as_secs_f64() + advanced
    }

    /// Emulated seconds since the emulator started.
    pub(crate) fn now(&self) -> f64 {
        self.elapsed() * self.scale
    }

    /// The portal's Unix time in seconds with microseconds, like PHP `microtime(true)`.
    pub(crate) fn unix_now(&self) -> f64 {
        self.origin_unix + self.elapsed()
    }

    /// The Unix time at which the emulated clock will read `emulated`.
    pub(crate) fn unix_at(&self, emulated: f64) -> f64 {
        self.unix_now() + (emulated - self.now()) / self.scale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn follows_a_paused_runtime_and_manual_advances() {
        let clock = Clock::new(10.0);
        let unix = clock.unix_now();
        tokio::time::advance(Duration::from_secs(3)).await;
        assert!((clock.now() - 30.0).abs() < 1e-6);
        clock.clone().advance(Duration::from_secs(2));
        assert!((clock.now() - 50.0).abs() < 1e-6);
        assert!((clock.unix_now() - unix - 5.0).abs() < 1e-6);
        assert!((clock.unix_at(60.0) - clock.unix_now() - 1.0).abs() < 1e-6);
    }

    #[test]
    fn an_advance_beyond_any_clock_saturates() {
        let clock = Clock::new(1.0);
        clock.advance(Duration::MAX);
        clock.advance(Duration::MAX);
        assert!(clock.now().is_finite() && clock.now() > 1e12);
    }
}
