//! Fault injection: which requests fail, how, and whether before or after the method ran.
//!
//! Decisions are drawn from a seeded RNG, so a run with the same seed and the same request
//! sequence fails the same way. This module only decides; `server::fault_response` renders.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::Serialize;

/// How a request fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// HTTP 500 with `{"error":"INTERNAL_SERVER_ERROR",…}`.
    InternalError,
    /// HTTP 503 with an HTML page from the front server.
    ServiceUnavailable,
    /// HTTP 502 with an HTML error page.
    HtmlError,
    /// The answer is held back for the configured delay, then sent normally.
    Delay,
    /// The connection is closed mid-response.
    Drop,
    /// HTTP 200 with a JSON body cut in half.
    TruncatedJson,
}

/// When the fault strikes relative to the method's execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultTiming {
    /// The method does not run.
    BeforeExecution,
    /// The method runs (and may change the portal), then the answer is spoiled.
    AfterExecution,
}

/// One fault: kind, timing, probability per request, and optionally the one method it hits
/// and a cap on how often it fires.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    kind: FaultKind,
    timing: FaultTiming,
    probability: f64,
    max_hits: Option<u64>,
    method: Option<String>,
}

impl FaultRule {
    /// A rule firing with `probability` (0.0–1.0) on each REST request.
    pub fn new(kind: FaultKind, timing: FaultTiming, probability: f64) -> Self {
        Self {
            kind,
            timing,
            probability,
            max_hits: None,
            method: None,
        }
    }

    /// Stops firing after `hits` faults, e.g. "fail only the first request".
    pub fn max_hits(mut self, hits: u64) -> Self {
        self.max_hits = Some(hits);
        self
    }

    /// Fires only on requests for `method` (any case; REST 2 or REST 3.0, a whole `batch` is
    /// `batch`), e.g. "run `tasks.task.add`, then drop the connection".
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_lowercase());
        self
    }

    pub(crate) fn probability(&self) -> f64 {
        self.probability
    }
}

/// The text form `KIND:TIMING:PROBABILITY[:METHOD]` used by the command line, e.g.
/// `drop:after:0.1` or `drop:after:1:tasks.task.add`. Kinds: `internal`, `unavailable`,
/// `html`, `delay`, `drop`, `truncate`; timings: `before`, `after`.
impl FromStr for FaultRule {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.split(':').collect();
        let (kind, timing, probability, method) = match parts.as_slice() {
            [kind, timing, probability] => (kind, timing, probability, None),
            [kind, timing, probability, method] if !method.is_empty() => {
                (kind, timing, probability, Some(method))
            }
            _ => {
                return Err(format!(
                    "expected KIND:TIMING:PROBABILITY[:METHOD], got {s:?}"
                ));
            }
        };
        let kind = match *kind {
            "internal" => FaultKind::InternalError,
            "unavailable" => FaultKind::ServiceUnavailable,
            "html" => FaultKind::HtmlError,
            "delay" => FaultKind::Delay,
            "drop" => FaultKind::Drop,
            "truncate" => FaultKind::TruncatedJson,
            other => return Err(format!("unknown fault kind {other:?}")),
        };
        let timing = match *timing {
            "before" => FaultTiming::BeforeExecution,
            "after" => FaultTiming::AfterExecution,
            other => return Err(format!("unknown fault timing {other:?} (before|after)")),
        };
        let probability: f64 = probability
            .parse()
            .ok()
            .filter(|p| (0.0..=1.0).contains(p))
            .ok_or_else(|| {
                format!("fault probability must be within 0..=1, got {probability:?}")
            })?;
        let rule = FaultRule::new(kind, timing, probability);
        Ok(match method {
            Some(method) => rule.method(method),
            None => rule,
        })
    }
}

/// The faults of a run. Empty (no faults) by default.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultConfig {
    seed: u64,
    delay: Duration,
    rules: Vec<FaultRule>,
}

impl Default for FaultConfig {
    fn default() -> Self {
        Self::new(0)
    }
}

impl FaultConfig {
    /// No faults yet; decisions will be drawn from an RNG seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            seed,
            delay: Duration::from_secs(2),
            rules: Vec::new(),
        }
    }

    /// Adds a rule. Rules are tried in order; the first that fires wins.
    pub fn rule(mut self, rule: FaultRule) -> Self {
        self.rules.push(rule);
        self
    }

    /// How long a [`FaultKind::Delay`] holds the answer (default 2 s).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    pub(crate) fn rules(&self) -> &[FaultRule] {
        &self.rules
    }
}

/// The live decision state.
pub(crate) struct FaultState {
    config: FaultConfig,
    rng: fastrand::Rng,
    hits: Vec<u64>,
}

impl fmt::Debug for FaultState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FaultState")
            .field("config", &self.config)
            .field("hits", &self.hits)
            .finish_non_exhaustive()
    }
}

impl FaultState {
    pub(crate) fn new(config: FaultConfig) -> Self {
        Self {
            rng: fastrand::Rng::with_seed(config.seed),
            hits: vec![0; config.rules.len()],
            config,
        }
    }

    pub(crate) fn delay(&self) -> Duration {
        self.config.delay
    }

    /// Draws once per rule of this timing and `method` (lower-cased), in order; the first rule
    /// that fires wins.
    pub(crate) fn decide(&mut self, timing: FaultTiming, method: &str) -> Option<FaultKind> {
        for (rule, hits) in self.config.rules.iter().zip(self.hits.iter_mut()) {
            if rule.timing != timing
                || rule.max_hits.is_some_and(|max| *hits >= max)
                || rule.method.as_ref().is_some_and(|m| m != method)
            {
                continue;
            }
            if self.rng.f64() < rule.probability {
                *hits += 1;
                return Some(rule.kind);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_command_line_form() {
        let rule: FaultRule = "drop:after:0.25".parse().unwrap();
        assert_eq!(
            rule,
            FaultRule::new(FaultKind::Drop, FaultTiming::AfterExecution, 0.25)
        );
        assert!("drop:after".parse::<FaultRule>().is_err());
        assert!("boom:after:0.1".parse::<FaultRule>().is_err());
        assert!("drop:later:0.1".parse::<FaultRule>().is_err());
        assert!("drop:after:1.5".parse::<FaultRule>().is_err());
        assert_eq!(
            "drop:after:1:Tasks.Task.Add".parse::<FaultRule>().unwrap(),
            FaultRule::new(FaultKind::Drop, FaultTiming::AfterExecution, 1.0)
                .method("tasks.task.add")
        );
        assert!("drop:after:1:".parse::<FaultRule>().is_err());
        assert!("drop:after:1:a:b".parse::<FaultRule>().is_err());
    }

    #[test]
    fn a_method_rule_hits_only_its_method() {
        let config = FaultConfig::new(1).rule(
            FaultRule::new(FaultKind::Drop, FaultTiming::AfterExecution, 1.0)
                .method("tasks.task.add")
                .max_hits(1),
        );
        let mut s = FaultState::new(config);
        assert_eq!(
            s.decide(FaultTiming::AfterExecution, "tasks.task.get"),
            None
        );
        assert_eq!(
            s.decide(FaultTiming::BeforeExecution, "tasks.task.add"),
            None
        );
        assert_eq!(
            s.decide(FaultTiming::AfterExecution, "tasks.task.add"),
            Some(FaultKind::Drop)
        );
        assert_eq!(
            s.decide(FaultTiming::AfterExecution, "tasks.task.add"),
            None
        );
    }

    #[test]
    fn deterministic_and_capped() {
        let config = FaultConfig::new(7)
            .rule(FaultRule::new(
                FaultKind::InternalError,
                FaultTiming::BeforeExecution,
                0.5,
            ))
            .rule(FaultRule::new(FaultKind::Drop, FaultTiming::AfterExecution, 1.0).max_hits(2));
        let draw = |config: &FaultConfig| {
            let mut s = FaultState::new(config.clone());
            (0..20)
                .map(|_| s.decide(FaultTiming::BeforeExecution, "m"))
                .collect::<Vec<_>>()
        };
        let first = draw(&config);
        assert_eq!(first, draw(&config));
        assert!(first.contains(&None) && first.contains(&Some(FaultKind::InternalError)));
        let mut s = FaultState::new(config);
        let after: Vec<_> = (0..4)
            .map(|_| s.decide(FaultTiming::AfterExecution, "m"))
            .collect();
        assert_eq!(
            after,
            [Some(FaultKind::Drop), Some(FaultKind::Drop), None, None]
        );
    }
}
