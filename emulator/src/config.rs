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
