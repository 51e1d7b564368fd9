//! The request log and counters kept for tests: what was called, by whom, with which
//! parameters (secrets masked), what came back, and whether the method really ran.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use serde::Serialize;

use crate::faults::FaultKind;
use crate::php::{Array, Value};

/// What replaces a secret in the log.
const MASK: &str = "***";

/// Longest string kept whole in a logged parameter; longer ones are cut (at a character
/// boundary) and marked.
pub(crate) const MAX_LOGGED_STRING: usize = 4 * 1024;

/// Keys logged per array; the rest are summarised under one marker key.
pub(crate) const MAX_LOGGED_KEYS: usize = 256;

/// Bytes of strings (and a few per value) logged per entry; past it values are replaced by a
/// marker. With the default capacity of 10,000 entries this bounds the log at a few hundred MB
/// however large the requests are, and ordinary requests (a batch of 50 commands is a few KB)
/// are logged whole.
pub(crate) const MAX_LOGGED_BYTES: usize = 32 * 1024;

/// Secrets presented as credentials shorter than this are not searched for inside other text
/// (a one-letter test code would mask every occurrence of that letter).
const MIN_SECRET_LEN: usize = 6;

/// Parameter names (case-insensitive, at any depth, and inside query strings such as batch
/// commands) whose values are replaced by `***` in the log.
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
    /// Whether the call came to `/rest/api/` (REST 3.0).
    pub rest_v3: bool,
    /// A fingerprint of the REST 3.0 `Idempotency-Key` of a write, never the key itself:
    /// equal keys give equal fingerprints.
    pub idempotency_key: Option<String>,
    /// Whether the answer was a stored one sent again for a repeated `Idempotency-Key`
    /// (the method did not run).
    pub replayed: bool,
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
    /// REST 3.0 writes answered from the `Idempotency-Key` store instead of running.
    pub replayed: u64,
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

/// Log storage: a ring of the most recent entries. Entries are shared (`Arc`), so a reader
/// copies pointers under the lock and serialises or clones outside it.
#[derive(Debug)]
pub(crate) struct RequestLog {
    entries: VecDeque<Arc<LogEntry>>,
    capacity: usize,
    pushed: u64,
}

impl RequestLog {
    /// An empty log keeping at most `capacity` entries (at least one).
    pub(crate) fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            entries: VecDeque::with_capacity(capacity.min(1024)),
            capacity,
            pushed: 0,
        }
    }

    /// Appends an entry, assigning its sequence number, and drops the oldest beyond capacity.
    pub(crate) fn push(&mut self, mut entry: LogEntry) {
        self.pushed += 1;
        entry.seq = self.pushed;
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(Arc::new(entry));
    }

    /// The kept entries, oldest first; O(entries) pointer copies.
    pub(crate) fn snapshot(&self) -> Vec<Arc<LogEntry>> {
        self.entries.iter().cloned().collect()
    }
}

/// Secrets to hide in logged text besides the secret-named parameters: the credential the
/// request presented (a webhook code or an access token).
#[derive(Debug, Default, Clone)]
pub(crate) struct Presented(Option<String>);

impl Presented {
    pub(crate) fn new(secret: Option<&str>) -> Self {
        Self(
            secret
                .filter(|s| s.len() >= MIN_SECRET_LEN)
                .map(str::to_owned),
        )
    }

    /// `text` with the presented secret, `name=value` pairs of secret parameters in query
    /// strings and the code of a webhook path (`…/USER/CODE/method`) masked.
    pub(crate) fn mask_text(&self, text: &str) -> String {
        let mut out = match &self.0 {
            Some(secret) if text.contains(secret.as_str()) => text.replace(secret.as_str(), MASK),
            _ => text.to_owned(),
        };
        if out.contains('=') {
            out = mask_query(&out);
        }
        out
    }

    /// A batch command's method name: the text before `?`, which may be a webhook path.
    pub(crate) fn mask_method(&self, method: &str) -> String {
        let mut out = self.mask_text(method);
        let segments: Vec<&str> = out.split('/').filter(|s| !s.is_empty()).collect();
        if segments.len() >= 2 && segments[segments.len() - 2] != MASK {
            let mut masked: Vec<&str> = segments.clone();
            let code = masked.len() - 2;
            masked[code] = MASK;
            out = masked.join("/");
        }
        out
    }
}

fn is_secret_name(name: &str) -> bool {
    SECRET_PARAMS.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// Masks the values of secret parameters in `a=1&auth=x&b[auth]=y` (any text with `=`): the
/// base name, or any bracketed key, percent-decoded, names a secret.
fn mask_query(text: &str) -> String {
    let (head, query) = match text.split_once('?') {
        Some((head, query)) => (Some(head), query),
        None => (None, text),
    };
    let mut changed = false;
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if name_is_secret(name) => {
                changed = true;
                format!("{name}={MASK}")
            }
            _ => pair.to_owned(),
        })
        .collect();
    if !changed {
        return text.to_owned();
    }
    let query = pairs.join("&");
    match head {
        Some(head) => format!("{head}?{query}"),
        None => query,
    }
}

fn name_is_secret(raw: &str) -> bool {
    let decoded: String = form_urlencoded::parse(raw.as_bytes())
        .map(|(k, _)| k.into_owned())
        .next()
        .unwrap_or_default();
    decoded
        .split(['[', ']'])
        .map(|part| part.trim())
        .any(is_secret_name)
}

/// The parameters as JSON for the log: secrets masked at every depth and inside strings,
/// long strings cut, large arrays summarised, at most [`MAX_LOGGED_BYTES`] per entry. For an
/// ordinary request this is exactly the JSON the parameters would serialise to.
pub(crate) fn masked(params: &Array, presented: &Presented) -> serde_json::Value {
    let mut budget = MAX_LOGGED_BYTES;
    log_array(params, presented, &mut budget, 0)
}

fn truncated_marker(omitted: usize) -> String {
    format!("…[{omitted} bytes truncated]")
}

fn log_value(
    value: &Value,
    presented: &Presented,
    budget: &mut usize,
    depth: usize,
) -> serde_json::Value {
    use serde_json::Value as J;
    *budget = budget.saturating_sub(8);
    match value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(n) => J::from(*n),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::Str(s) => {
            let limit = MAX_LOGGED_STRING.min(*budget);
            // Masked before it is cut, so that a cut never leaves part of a secret visible.
            let masked = presented.mask_text(s);
            let text = if masked.len() > limit {
                let mut cut = limit;
                while !masked.is_char_boundary(cut) {
                    cut -= 1;
                }
                // A new string: truncating in place would keep the whole allocation alive.
                let omitted = masked.len() - cut;
                let mut text = String::with_capacity(cut + 32);
                text.push_str(&masked[..cut]);
                text.push_str(&truncated_marker(omitted));
                text
            } else {
                masked
            };
            *budget = budget.saturating_sub(text.len());
            J::String(text)
        }
        Value::Array(a) => log_array(a, presented, budget, depth + 1),
    }
}

fn log_array(
    array: &Array,
    presented: &Presented,
    budget: &mut usize,
    depth: usize,
) -> serde_json::Value {
    use serde_json::Value as J;
    // The parsers bound nesting (64 levels); this guard keeps the log safe on its own.
    if depth > 2 * crate::wire::MAX_NESTING {
        return J::String("…[nested too deep]".into());
    }
    let logged = array.len().min(MAX_LOGGED_KEYS);
    let mut entries = Vec::with_capacity(logged);
    for (key, value) in array.iter().take(logged) {
        if *budget == 0 {
            break;
        }
        let key = key.to_string();
        let value = if is_secret_name(&key) {
            J::String(MASK.into())
        } else {
            log_value(value, presented, budget, depth)
        };
        entries.push((key, value));
    }
    let omitted = array.len() - entries.len();
    let is_list = omitted == 0
        && array
            .iter()
            .enumerate()
            .all(|(i, (k, _))| *k == crate::php::Key::Int(i as i64));
    if is_list {
        return J::Array(entries.into_iter().map(|(_, v)| v).collect());
    }
    let mut map: serde_json::Map<String, J> = entries.into_iter().collect();
    if omitted > 0 {
        map.insert("…".into(), J::String(format!("[{omitted} more keys]")));
    }
    J::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(params: serde_json::Value) -> LogEntry {
        LogEntry {
            seq: 0,
            method: "m".into(),
            auth: AuthKind::None,
            params,
            status: 200,
            error: None,
            executed: true,
            fault: None,
            in_batch: false,
            rest_v3: false,
            idempotency_key: None,
            replayed: false,
        }
    }

    fn parsed(json: &str) -> Array {
        match serde_json::from_str::<Value>(json).unwrap() {
            Value::Array(a) => a,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_log_keeps_the_most_recent_entries() {
        let mut log = RequestLog::new(3);
        for _ in 0..5 {
            log.push(entry(serde_json::Value::Null));
        }
        let seqs: Vec<u64> = log.snapshot().iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [3, 4, 5]);
    }

    /// Every request's parameters were kept whole: 200 requests of 1.9 MB held 408 MB.
    #[test]
    fn large_parameters_are_capped() {
        let mut params = Array::new();
        params.set("BIG", Value::Str("é".repeat(1_000_000)));
        let mut many = Array::new();
        for i in 0..100_000 {
            many.set(&format!("k{i}"), Value::Int(i));
        }
        params.set("MANY", Value::Array(many));
        let logged = masked(&params, &Presented::default());
        let serde_json::Value::String(big) = &logged["BIG"] else {
            panic!("{:?}", logged["BIG"])
        };
        assert!(big.len() <= MAX_LOGGED_STRING + 40, "{}", big.len());
        // The memory kept, not just the text shown: a truncated copy kept its 2 MB buffer.
        assert!(
            big.capacity() <= MAX_LOGGED_STRING + 64,
            "{}",
            big.capacity()
        );
        assert!(
            big.ends_with("bytes truncated]"),
            "{}",
            &big[big.len() - 40..]
        );
        let many = logged["MANY"].as_object().unwrap();
        assert!(many.len() <= MAX_LOGGED_KEYS + 1);
        assert!(serde_json::to_vec(&logged).unwrap().len() <= MAX_LOGGED_BYTES + 16 * 1024);
    }

    #[test]
    fn ordinary_parameters_are_logged_as_they_serialise() {
        let params = parsed(r#"{"ID":1,"USER_ID":["2","3"],"F":{"a":1.5,"b":null,"c":true}}"#);
        assert_eq!(
            masked(&params, &Presented::default()),
            serde_json::to_value(&params).unwrap()
        );
    }

    /// Batch commands showed access tokens: only top-level secret keys were masked.
    #[test]
    fn secrets_are_masked_at_any_depth_and_inside_commands() {
        let params = parsed(
            r#"{"halt":0,"cmd":{"a":"user.current?auth=tok123&ID=1","b":"sonet_group.user.get?ID=1&AUTH%5B0%5D=x","c":"sonet_group.get?access_token=y"},
                "nested":{"Auth":"z","code":"w"},"note":"token presentedsecret42 inside"}"#,
        );
        let logged = masked(&params, &Presented::new(Some("presentedsecret42")));
        let text = logged.to_string();
        for secret in ["tok123", "=x", "\"z\"", "\"w\"", "=y", "presentedsecret42"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert_eq!(logged["cmd"]["a"], "user.current?auth=***&ID=1");
        assert_eq!(
            logged["cmd"]["b"],
            "sonet_group.user.get?ID=1&AUTH%5B0%5D=***"
        );
        assert_eq!(logged["note"], "token *** inside");
        let presented = Presented::new(Some("abc"));
        assert_eq!(
            presented.mask_method("/rest/1/somewebhookcode/user.current"),
            "rest/1/***/user.current"
        );
        assert_eq!(presented.mask_method("user.current"), "user.current");
    }
}
