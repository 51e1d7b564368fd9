//! Wall-clock time and the emulated, scaled time the limits and token expiry run on.
//!
//! With a time scale of N, one real second counts as N emulated seconds, so a leaky bucket
//! drains N times faster and a one-hour token dies after 3600/N real seconds. Knows nothing
//! about what the times are used for.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Real Unix time in seconds with microseconds, like PHP `microtime(true)`.
pub(crate) fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// The emulator's scaled clock.
#[derive(Debug, Clone)]
pub(crate) struct Clock {
    origin: Instant,
    scale: f64,
}

impl Clock {
    pub(crate) fn new(scale: f64) -> Self {
        Self {
            origin: Instant::now(),
            scale,
        }
    }

    /// Emulated seconds since the emulator started.
    pub(crate) fn now(&self) -> f64 {
        self.origin.elapsed().as_secs_f64() * self.scale
    }

    /// The real Unix time at which the emulated clock will read `emulated`.
    pub(crate) fn unix_at(&self, emulated: f64) -> f64 {
        unix_now() + (emulated - self.now()) / self.scale
    }
}
