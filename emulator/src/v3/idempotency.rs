//! `Idempotency-Key`: the stored answers of successful REST 3.0 writes, so that a repeated
//! call with the same key and body gets the first answer back instead of running again.
//!
//! A key belongs to one caller (webhook, or application and user) and one method. Answers
//! live 24 hours of the portal's emulated clock. The store is bounded in entries and bytes,
//! evicting the oldest first: whatever a client sends, it cannot make the portal hold more.
//! Knows nothing about HTTP or which methods write.

use std::collections::{HashMap, VecDeque};
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::php::Array;

/// The longest valid key, in bytes (each one printable ASCII).
pub(crate) const MAX_KEY_LEN: usize = 255;

/// How long an answer is kept, in emulated seconds.
pub(crate) const LIFETIME_SECS: f64 = 24.0 * 3600.0;

/// Bytes of stored answers (and their keys) kept at most. An answer larger than this is not
/// stored at all, so its repeat runs again.
const MAX_STORED_BYTES: usize = 64 * 1024 * 1024;

/// Whether `raw` is a valid key: 1 to 255 printable ASCII characters (space to `~`).
pub(crate) fn valid_key(raw: &[u8]) -> bool {
    (1..=MAX_KEY_LEN).contains(&raw.len()) && raw.iter().all(|b| (0x20..=0x7e).contains(b))
}

/// A short stand-in for a key in the log: equal keys give equal fingerprints, and the key
/// itself is never written out.
pub(crate) fn key_fingerprint(key: &str) -> String {
    format!("{:016x}", hash(key.as_bytes()))
}

/// What identifies "the same body": the parameters as decoded, in order, without `auth`
/// (a token refreshed between the call and its repeat must not make it a different call).
pub(crate) fn body_fingerprint(params: &Array) -> u64 {
    hash(&crate::envelope::json_bytes(params))
}

fn hash(bytes: &[u8]) -> u64 {
    // `DefaultHasher::new` is keyed the same way every time: fingerprints are stable within a
    // run, which is all they are compared across.
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// Whose key it is: the caller, the method and the key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Scope {
    /// The credential and its user, e.g. `apauth:1/1` or `oauth:local.app/1`.
    pub(crate) caller: String,
    pub(crate) method: String,
    pub(crate) key: String,
}

impl Scope {
    fn size(&self) -> usize {
        self.caller.len() + self.method.len() + self.key.len()
    }
}

/// A stored answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StoredAnswer {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
}

/// What a key says about a call.
#[derive(Debug, PartialEq)]
pub(crate) enum Lookup {
    /// Not seen (or expired): run the method.
    Fresh,
    /// Seen with this body: send the stored answer.
    Replay(StoredAnswer),
    /// Seen with another body.
    Reused,
}

#[derive(Debug)]
struct Entry {
    body: u64,
    stored_at: f64,
    answer: StoredAnswer,
}

/// The stored answers. Every entry has exactly one place in `order`, oldest first: entries
/// leave only from its front (expired or evicted), and a scope is stored only when absent.
#[derive(Debug)]
pub(crate) struct IdempotencyStore {
    entries: HashMap<Scope, Entry>,
    order: VecDeque<Scope>,
    bytes: usize,
    capacity: usize,
}

impl IdempotencyStore {
    /// An empty store keeping at most `capacity` answers (at least one).
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            entries: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
            capacity: capacity.max(1),
        }
    }

    /// What `scope` with a body of fingerprint `body` means at emulated time `now`.
    pub(crate) fn lookup(&mut self, scope: &Scope, body: u64, now: f64) -> Lookup {
        self.expire(now);
        match self.entries.get(scope) {
            None => Lookup::Fresh,
            Some(entry) if entry.body == body => Lookup::Replay(entry.answer.clone()),
            Some(_) => Lookup::Reused,
        }
    }

    /// Keeps the answer of a successful call, evicting the oldest answers to stay in bounds.
    pub(crate) fn store(&mut self, scope: Scope, body: u64, now: f64, answer: StoredAnswer) {
        let size = scope.size() + answer.body.len();
        if size > MAX_STORED_BYTES || self.entries.contains_key(&scope) {
            return;
        }
        while self.entries.len() >= self.capacity || self.bytes + size > MAX_STORED_BYTES {
            if !self.evict_oldest() {
                break;
            }
        }
        self.bytes += size;
        self.order.push_back(scope.clone());
        self.entries.insert(
            scope,
            Entry {
                body,
                stored_at: now,
                answer,
            },
        );
    }

    /// Drops the answers older than [`LIFETIME_SECS`]. The clock only moves forward, so they
    /// are all at the front.
    fn expire(&mut self, now: f64) {
        while let Some(oldest) = self.order.front()
            && self
                .entries
                .get(oldest)
                .is_some_and(|e| now - e.stored_at >= LIFETIME_SECS)
        {
            self.evict_oldest();
        }
    }

    fn evict_oldest(&mut self) -> bool {
        let Some(scope) = self.order.pop_front() else {
            return false;
        };
        if let Some(entry) = self.entries.remove(&scope) {
            self.bytes -= scope.size() + entry.answer.body.len();
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(key: &str) -> Scope {
        Scope {
            caller: "apauth:1/1".into(),
            method: "tasks.task.add".into(),
            key: key.into(),
        }
    }

    fn answer(text: &str) -> StoredAnswer {
        StoredAnswer {
            status: 200,
            body: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn keys() {
        assert!(valid_key(b"9f1c1a7e-5f1b-4a1e-9a2c-2f5f2b6c7d80"));
        assert!(valid_key(b" ~"));
        assert!(valid_key(&[b'k'; MAX_KEY_LEN]));
        assert!(!valid_key(b""));
        assert!(!valid_key(&[b'k'; MAX_KEY_LEN + 1]));
        assert!(!valid_key(b"a\tb"));
        assert!(!valid_key("ключ".as_bytes()));
        assert_eq!(key_fingerprint("a"), key_fingerprint("a"));
        assert_ne!(key_fingerprint("a"), key_fingerprint("b"));
    }

    #[test]
    fn replay_reuse_and_expiry() {
        let mut store = IdempotencyStore::new(10);
        assert_eq!(store.lookup(&scope("k"), 1, 0.0), Lookup::Fresh);
        store.store(scope("k"), 1, 0.0, answer("first"));
        assert_eq!(
            store.lookup(&scope("k"), 1, 100.0),
            Lookup::Replay(answer("first"))
        );
        assert_eq!(store.lookup(&scope("k"), 2, 100.0), Lookup::Reused);
        // A second store of a known scope changes nothing.
        store.store(scope("k"), 2, 100.0, answer("second"));
        assert_eq!(
            store.lookup(&scope("k"), 1, LIFETIME_SECS - 1.0),
            Lookup::Replay(answer("first"))
        );
        assert_eq!(store.lookup(&scope("k"), 1, LIFETIME_SECS), Lookup::Fresh);
        assert_eq!((store.entries.len(), store.bytes), (0, 0));
    }

    #[test]
    fn bounded_oldest_first() {
        let mut store = IdempotencyStore::new(3);
        for (i, key) in ["a", "b", "c", "d"].into_iter().enumerate() {
            store.store(scope(key), 1, i as f64, answer(key));
        }
        assert_eq!(store.entries.len(), 3);
        assert_eq!(store.lookup(&scope("a"), 1, 5.0), Lookup::Fresh);
        assert_eq!(
            store.lookup(&scope("d"), 1, 5.0),
            Lookup::Replay(answer("d"))
        );
        let huge = StoredAnswer {
            status: 200,
            body: vec![b' '; MAX_STORED_BYTES],
        };
        store.store(scope("e"), 1, 6.0, huge);
        assert_eq!(store.lookup(&scope("e"), 1, 6.0), Lookup::Fresh);
        assert_eq!(store.entries.len(), 3);
    }
}
