//! Settings of the limits that tests tune: the operating-time limit and what each call is
//! charged against it.

use std::collections::BTreeMap;
use std::time::Duration;

/// The per-method operating-time limit (`OPERATION_TIME_LIMIT`).
///
/// The real server charges each call's measured execution time; emulated calls take
/// microseconds (and calls under 0.1 s are never recorded), so tests set a charge per call to
/// reach the limit in a few requests.
#[derive(Debug, Clone, PartialEq)]
pub struct OperatingLimit {
    limit: Duration,
    charge: Option<Duration>,
    per_method: BTreeMap<String, Duration>,
}

impl Default for OperatingLimit {
    /// 420 s per 10 minutes, calls charged their measured time.
    fn default() -> Self {
        Self::new(Duration::from_secs(420))
    }
}

impl OperatingLimit {
    /// A limit of `limit` accumulated execution time per method in 10 minutes.
    pub fn new(limit: Duration) -> Self {
        Self {
            limit,
            charge: None,
            per_method: BTreeMap::new(),
        }
    }

    /// Charges every call this much instead of its measured time.
    pub fn charge(mut self, per_call: Duration) -> Self {
        self.charge = Some(per_call);
        self
    }

    /// Charges calls of one method (any case) this much.
    pub fn charge_method(mut self, method: &str, per_call: Duration) -> Self {
        self.per_method
            .insert(method.to_ascii_lowercase(), per_call);
        self
    }

    pub(crate) fn limit_secs(&self) -> f64 {
        self.limit.as_secs_f64()
    }

    /// Seconds to record for one call of `method` that really took `measured` seconds.
    pub(crate) fn charge_for(&self, method: &str, measured: f64) -> f64 {
        self.per_method
            .get(method)
            .or(self.charge.as_ref())
            .map_or(measured, Duration::as_secs_f64)
    }
}

/// Bounds on what one client can make the server hold: time, connections, bytes, log,
/// stored answers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ServerLimits {
    /// From the first byte of a request head to its end.
    pub(crate) header_read_timeout: Duration,
    /// A keep-alive connection with no request in progress is closed after this.
    pub(crate) idle_timeout: Duration,
    /// Open connections at most; further ones wait in the listen backlog.
    pub(crate) max_connections: usize,
    /// Request bodies over this are not decoded (see `wire::decode`).
    pub(crate) max_body_bytes: usize,
    /// Log entries kept; older ones are dropped.
    pub(crate) log_capacity: usize,
    /// REST 3.0 answers kept for `Idempotency-Key` repeats; older ones are dropped.
    pub(crate) idempotency_capacity: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 512,
            max_body_bytes: 2 * 1024 * 1024,
            log_capacity: 10_000,
            idempotency_capacity: 10_000,
        }
    }
}
