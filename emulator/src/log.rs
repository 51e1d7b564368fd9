//! The request log and counters kept for tests: what was called, by whom, with which
//! parameters (secrets masked), what came back, and whether the method really ran.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::faults::FaultKind;
use crate::php::Array;

/// Parameter names whose values are replaced by `***` in the log.
const SECRET_PARAMS: &[&str] = &[
    "auth",
    "access_token",
    "refresh_token",
    "client_secret",
    "code",
];

/// How a logged request authenticated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuthKind {
    /// Authentication did not succeed (or was not reached).
    None,
    /// An incoming webhook.
    Webhook {
        /// The webhook's user.
        user: u64,
        /// The webhook number.
        webhook: usize,
    },
    /// An OAuth access token.
    OAuth {
        /// The token's user.
        user: u64,
        /// The application.
        client_id: String,
    },
}

/// One logged call. Calls inside a batch get their own entries with `in_batch` set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogEntry {
    /// Sequence number, from 1.
    pub seq: u64,
    /// Lower-cased REST method, or `oauth/token` for the token endpoint.
    pub method: String,
    /// The credential used.
    pub auth: AuthKind,
    /// Decoded parameters, secrets masked.
    pub params: serde_json::Value,
    /// HTTP status sent (for a batch item: the status the error would have had alone).
    pub status: u16,
    /// The `error` code, if the answer was an error.
    pub error: Option<String>,
    /// Whether the method's handler ran (and so may have changed the portal).
    pub executed: bool,
    /// The injected fault, if any.
    pub fault: Option<FaultKind>,
    /// Whether this is a command inside a `batch`.
    pub in_batch: bool,
}

/// Counters over the whole run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counters {
    /// Requests to `/rest/` (a batch counts once).
    pub requests: u64,
    /// Handler executions per lower-cased method, batch commands included.
    pub executed: BTreeMap<String, u64>,
    /// Successful refresh-token grants.
    pub refreshes: u64,
    /// Requests refused with `QUERY_LIMIT_EXCEEDED`.
    pub rate_limited: u64,
    /// Calls refused with `OPERATION_TIME_LIMIT`.
    pub operation_limited: u64,
    /// Injected faults.
    pub faults: u64,
}

impl Counters {
    /// How many times `method` (any case) was executed.
    pub fn executed(&self, method: &str) -> u64 {
        self.executed
            .get(&method.to_ascii_lowercase())
            .copied()
            .unwrap_or(0)
    }
}

/// Log storage.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    entries: Vec<LogEntry>,
}

impl RequestLog {
    /// Appends an entry, assigning its sequence number.
    pub(crate) fn push(&mut self, mut entry: LogEntry) {
        entry.seq = self.entries.len() as u64 + 1;
        self.entries.push(entry);
    }

    pub(crate) fn entries(&self) -> &[LogEntry] {
        &self.entries
    }
}

/// The parameters as JSON with secret values replaced.
pub(crate) fn masked(params: &Array) -> serde_json::Value {
    let mut value = serde_json::to_value(params).unwrap_or_default();
    if let serde_json::Value::Object(map) = &mut value {
        for key in SECRET_PARAMS {
            if let Some(v) = map.get_mut(*key) {
                *v = serde_json::Value::String("***".into());
            }
        }
    }
    value
}
