//! Leaky bucket: each request adds one; a request that would overflow the capacity is refused
//! (and not counted); the level drains continuously.

#[derive(Debug, Clone)]
pub(crate) struct LeakyBucket {
    capacity: f64,
    drain_per_sec: f64,
    level: f64,
    last: f64,
}

impl LeakyBucket {
    pub(crate) fn new(capacity: u32, drain_per_sec: f64) -> Self {
        Self {
            capacity: f64::from(capacity),
            drain_per_sec,
            level: 0.0,
            last: 0.0,
        }
    }

    /// Admits one request at emulated time `now` (seconds), or refuses it.
    pub(crate) fn try_acquire(&mut self, now: f64) -> bool {
        let elapsed = (now - self.last).max(0.0);
        self.level = (self.level - elapsed * self.drain_per_sec).max(0.0);
        self.last = now;
        if self.level + 1.0 > self.capacity {
            return false;
        }
        self.level += 1.0;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refuse_then_drain() {
        let mut b = LeakyBucket::new(3, 2.0);
        assert!((0..3).all(|_| b.try_acquire(0.0)));
        assert!(!b.try_acquire(0.0));
        assert!(!b.try_acquire(0.4));
        assert!(b.try_acquire(0.5));
        assert!(!b.try_acquire(0.5));
        assert!((0..3).all(|_| b.try_acquire(10.0)));
    }
}
