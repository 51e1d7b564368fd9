//! PHP `parse_str`: `a=1&b[]=2&c[x][y]=3` into nested ordered arrays.
//!
//! Knows nothing about which parameters a method reads.

use crate::php::{Array, Key, Value};

/// PHP's `max_input_nesting_level` (default 64): a name with more bracket levels is dropped,
/// together with anything already stored under its base name, as `php_register_variable_ex`
/// does. The reference documents no answer for such input (its only rule for malformed input is
/// that invalid JSON silently becomes `{}`), so the emulator follows PHP: no error, the variable
/// is simply absent. This bound also caps the depth of every decoded value, which the recursive
/// code downstream (serialisation, batch references, the log) relies on.
pub(crate) const MAX_NESTING: usize = 64;

/// Parses a URL-encoded query the way PHP fills `$_GET`/`$_POST`.
pub(crate) fn parse_str(input: &str) -> Array {
    let mut out = Array::new();
    for (name, value) in form_urlencoded::parse(input.as_bytes()) {
        if let Some((base, path)) = split_name(&name) {
            if path.len() > MAX_NESTING {
                out.remove(&base);
                continue;
            }
            assign(
                &mut out,
                Key::from_php(&base),
                &path,
                Value::Str(value.into_owned()),
            );
        }
    }
    out
}

/// One bracket segment: `[]` appends, `[k]` names a key.
enum Segment {
    Append,
    Key(String),
}

/// Splits `base[a][]` into its base name and segments, applying PHP's renaming of spaces and
/// dots in the base name to underscores. Returns `None` for an empty base name (PHP skips it).
fn split_name(name: &str) -> Option<(String, Vec<Segment>)> {
    let name = name.trim_start_matches(' ');
    let (base, mut rest) = match name.find('[') {
        Some(open) if name[open..].contains(']') => (&name[..open], &name[open..]),
        _ => (name, ""),
    };
    if base.is_empty() {
        return None;
    }
    let base: String = base
        .chars()
        .map(|c| if matches!(c, ' ' | '.' | '[') { '_' } else { c })
        .collect();
    let mut segments = Vec::new();
    // One segment past the limit is enough to know the name is dropped.
    while let Some(after_open) = rest.strip_prefix('[')
        && segments.len() <= MAX_NESTING
    {
        let Some(close) = after_open.find(']') else {
            break;
        };
        let inner = &after_open[..close];
        segments.push(if inner.is_empty() {
            Segment::Append
        } else {
            Segment::Key(inner.to_owned())
        });
        rest = &after_open[close + 1..];
    }
    Some((base, segments))
}

/// Stores `value` at `target[key][path…]`, creating arrays on the way. Iterative, so the depth
/// of the path never reaches the stack.
fn assign(target: &mut Array, key: Key, path: &[Segment], value: Value) {
    let mut target = target;
    let mut key = key;
    for segment in path {
        let child = target.array_at(key);
        key = match segment {
            Segment::Append => child.next_key(),
            Segment::Key(k) => Key::from_php(k),
        };
        target = child;
    }
    target.insert(key, value);
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    #[test]
    fn thousands_of_brackets_are_dropped_not_recursed() {
        // About 6 KB of brackets overflowed a server thread's stack in a debug build; 100 KB
        // overflow any thread's.
        let deep = format!("ID=1&a=keep&a{}=1", "[]".repeat(50_000));
        assert_eq!(json(&deep), r#"{"ID":"1"}"#);
        let keyed = format!("b{}=1&c=2", "[x]".repeat(100_000));
        assert_eq!(json(&keyed), r#"{"c":"2"}"#);
        // The limit itself: 64 levels are kept, 65 are not.
        let at_limit = format!("d{}=1", "[]".repeat(MAX_NESTING));
        let mut v = parse_str(&at_limit).get("d").cloned().unwrap();
        let mut levels = 0;
        while let Value::Array(a) = v {
            levels += 1;
            v = a.get("0").cloned().unwrap();
        }
        assert_eq!((levels, v), (MAX_NESTING, Value::str("1")));
        let over = format!("d{}=1", "[]".repeat(MAX_NESTING + 1));
        assert!(parse_str(&over).is_empty());
    }

    /// Lookup and append were linear scans, so `n` keys cost O(n²): two 40,000-key bodies held
    /// the portal for 80 s. 100,000 keys plus 100,000 appends took minutes in a debug build; now
    /// well under a second (the bound is loose on purpose: debug build, shared machine).
    #[test]
    fn many_keys_parse_in_linear_time() {
        let n = 100_000;
        let body: String = (0..n).map(|i| format!("k{i}=v&l[]={i}&")).collect();
        let started = Instant::now();
        let parsed = parse_str(&body);
        let elapsed = started.elapsed();
        assert_eq!(parsed.len(), n + 1);
        let list = parsed.get("l").and_then(Value::as_array).unwrap();
        assert_eq!(list.len(), n);
        assert_eq!(list.get("99999"), Some(&Value::str("99999")));
        assert_eq!(parsed.get("k77777"), Some(&Value::str("v")));
        eprintln!("parsed {} keys in {elapsed:?}", 2 * n);
        assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
    }

    fn json(input: &str) -> String {
        serde_json::to_string(&parse_str(input)).unwrap()
    }

    #[test]
    fn scalars_and_lists() {
        assert_eq!(
            json("ID=5&USER_ID[]=1&USER_ID[]=2"),
            r#"{"ID":"5","USER_ID":["1","2"]}"#
        );
        assert_eq!(
            json("USER_ID[0]=1&USER_ID[1]=2"),
            r#"{"USER_ID":["1","2"]}"#
        );
        assert_eq!(
            json("USER_ID[1]=1&USER_ID[]=2"),
            r#"{"USER_ID":{"1":"1","2":"2"}}"#
        );
    }

    #[test]
    fn nested_keys_and_encoding() {
        assert_eq!(
            json("a[b][c]=1&a[b][d]=x+y%26z"),
            r#"{"a":{"b":{"c":"1","d":"x y&z"}}}"#
        );
        assert_eq!(json("FILTER%5BID%5D=69"), r#"{"FILTER":{"ID":"69"}}"#);
    }

    #[test]
    fn php_renames_and_skips() {
        assert_eq!(
            json("a.b=1&c d=2&=3&e[=4"),
            r#"{"a_b":"1","c_d":"2","e_":"4"}"#
        );
        assert_eq!(json("x=1&x=2"), r#"{"x":"2"}"#);
        assert_eq!(json("x=1&x[]=2"), r#"{"x":["2"]}"#);
    }
}
