//! Which mismatches have been logged: each method and path is logged once
//! for the life of the process, however many answers repeat it.
//!
//! The set is bounded, so a portal that sends ever new paths costs a fixed
//! amount of memory; past the bound nothing new is logged, and that is
//! logged once.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

/// How many method and path pairs the process remembers.
const LIMIT: usize = 4096;

static LOGGED: Mutex<Seen> = Mutex::new(Seen::new(LIMIT));

/// Whether the mismatch at `path` of an answer to `method` is the first of
/// its kind, to be logged: list items count as one (`items[3].price` is
/// `items[].price`).
pub(crate) fn first(method: &str, path: &str) -> bool {
    LOGGED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .first(method, path)
}

/// The pairs seen so far, at most `limit` of them.
struct Seen {
    pairs: Option<HashSet<(String, String)>>,
    limit: usize,
    full: bool,
}

impl Seen {
    const fn new(limit: usize) -> Self {
        Self {
            pairs: None,
            limit,
            full: false,
        }
    }

    fn first(&mut self, method: &str, path: &str) -> bool {
        let pairs = self.pairs.get_or_insert_with(HashSet::new);
        let key = (method.to_owned(), without_indexes(path));
        if self.full || pairs.contains(&key) {
            return false;
        }
        if pairs.len() == self.limit {
            self.full = true;
            tracing::warn!(
                limit = self.limit,
                "this many kinds of mismatches were logged; further ones are not, but each answer still reports its own"
            );
            return false;
        }
        pairs.insert(key)
    }
}

/// `path` with every list index left out.
fn without_indexes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push_str("[]");
            }
            ']' => in_index = false,
            _ if in_index => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_method_and_path_is_logged_once_whatever_the_item() {
        assert_eq!(
            without_indexes("result.items[12].price[0]"),
            "result.items[].price[]"
        );
        let mut seen = Seen::new(3);
        assert!(seen.first("a.list", "result[0].price"));
        assert!(!seen.first("a.list", "result[7].price"));
        assert!(seen.first("a.list", "result[0].name"));
        assert!(seen.first("b.list", "result[0].price"));
        // Full: nothing new is logged, and memory stays bounded.
        assert!(!seen.first("c.list", "result"));
        assert!(!seen.first("d.list", "result"));
        assert_eq!(seen.pairs.as_ref().map(HashSet::len), Some(3));
    }
}
