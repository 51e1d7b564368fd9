//! `$result[cmd][field]` references in batch parameters (`CRestUtil::processBatchElement`).
//!
//! A reference is `$` + a section name (`result`, `next`, `total`, `time`, `error`) + the rest
//! of the non-blank run; every `[key]` in that run is a path step, and the walk stops at the
//! deepest existing level. A parameter that is exactly one reference takes the referenced
//! value whatever its type; inside a longer string only strings and numbers are substituted.

use std::collections::HashSet;

use crate::php::{Array, Key, Value};

const SECTIONS: &[&str] = &["result", "next", "total", "time", "error"];

/// Applies references to every string value of the parsed parameters.
pub(super) fn substitute(params: Array, sections: &Array) -> Array {
    let mut out = Array::new();
    for (key, value) in params.iter() {
        let value = match value {
            Value::Array(nested) => Value::Array(substitute(nested.clone(), sections)),
            Value::Str(s) => element(s, sections),
            other => other.clone(),
        };
        out.insert(key.clone(), value);
    }
    out
}

/// One reference found in a string: its full text, section and path.
struct Reference<'a> {
    text: &'a str,
    section: &'a str,
    path: Vec<&'a str>,
}

/// Finds references like `preg_match_all('/\$(result|next|total|time|error)([^\s]*)/i')`.
fn find_references(query: &str) -> Vec<Reference<'_>> {
    let mut found = Vec::new();
    let mut pos = 0;
    while let Some(offset) = query[pos..].find('$') {
        let start = pos + offset;
        let after = &query[start + 1..];
        let Some(section) = SECTIONS.iter().find(|name| {
            after.len() >= name.len()
                && after.is_char_boundary(name.len())
                && after[..name.len()].eq_ignore_ascii_case(name)
        }) else {
            pos = start + 1;
            continue;
        };
        let section_text = &after[..section.len()];
        let rest = &after[section.len()..];
        let run = rest
            .find(char::is_whitespace)
            .map_or(rest, |end| &rest[..end]);
        let end = start + 1 + section.len() + run.len();
        found.push(Reference {
            text: &query[start..end],
            section: section_text,
            path: bracket_keys(run),
        });
        pos = end;
    }
    found
}

/// Every `[key]` (non-empty) in the text, in order.
fn bracket_keys(run: &str) -> Vec<&str> {
    let mut keys = Vec::new();
    let mut rest = run;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        match after.find(']') {
            Some(close) if close > 0 => {
                keys.push(&after[..close]);
                rest = &after[close + 1..];
            }
            Some(close) => rest = &after[close + 1..],
            None => break,
        }
    }
    keys
}

/// Distinct references substituted inside one string value; later ones stay as written. The
/// real server has no such bound, but each substitution rewrites the whole string (PHP's
/// `str_replace`), so a 2.5 MB value of distinct references held the portal's lock for a minute
/// (debug build). No real command comes near it.
const MAX_REFERENCES: usize = 100;

fn element(query: &str, sections: &Array) -> Value {
    let mut current = query.to_owned();
    let mut done: HashSet<&str> = HashSet::new();
    for reference in find_references(query) {
        if reference.path.is_empty() || done.contains(reference.text) {
            // `str_replace` already rewrote every occurrence of an identical reference.
            continue;
        }
        if done.len() == MAX_REFERENCES {
            break;
        }
        done.insert(reference.text);
        // The section lookup is case-sensitive even though the pattern is not.
        let mut target = sections.get_key(&Key::Str(reference.section.to_owned()));
        for step in &reference.path {
            match target.and_then(Value::as_array).and_then(|a| a.get(step)) {
                Some(next) if *next != Value::Null => target = Some(next),
                _ => break,
            }
        }
        if reference.text == query {
            return target.cloned().unwrap_or(Value::Null);
        }
        if let Some(text) = target.and_then(Value::to_php_string) {
            current = current.replace(reference.text, &text);
        }
    }
    Value::Str(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections() -> Array {
        let json = r#"{"result":{"g":[{"ID":"7","LIST":[1,2]}],"n":5},"next":{"g":50},"total":[],"time":[],"error":[]}"#;
        serde_json::from_str::<Value>(json)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    /// Each reference rewrote the whole string, so a value of many references cost
    /// O(references x length): a minute for a 2.5 MB value in a debug build.
    #[test]
    fn many_references_cost_linear_time() {
        let started = std::time::Instant::now();
        let same = "$result[g][0][ID] ".repeat(100_000);
        let Value::Str(out) = element(&same, &sections()) else {
            panic!()
        };
        assert_eq!(out, "7 ".repeat(100_000));
        let distinct: String = (0..100_000)
            .map(|i| format!("$result[g][0][ID]x{i}y "))
            .collect();
        let Value::Str(out) = element(&distinct, &sections()) else {
            panic!()
        };
        assert!(out.starts_with("7 7 7 "), "{}", &out[..40]);
        assert!(out.ends_with("$result[g][0][ID]x99999y "));
        let elapsed = started.elapsed();
        // Loose on purpose: debug build on a shared machine; the old code took 59 s.
        assert!(elapsed < std::time::Duration::from_secs(5), "{elapsed:?}");
    }

    #[test]
    fn whole_value_keeps_type() {
        assert_eq!(
            element("$result[g][0][LIST]", &sections()),
            Value::list([Value::Int(1), Value::Int(2)])
        );
        assert_eq!(element("$result[n]", &sections()), Value::Int(5));
    }

    #[test]
    fn inside_strings_only_scalars() {
        assert_eq!(
            element("id=$result[g][0][ID] x", &sections()),
            Value::str("id=7 x")
        );
        assert_eq!(element("n:$next[g]", &sections()), Value::str("n:50"));
        assert_eq!(
            element("a $result[g][0][LIST] b", &sections()),
            Value::str("a $result[g][0][LIST] b")
        );
    }

    #[test]
    fn unresolvable_paths_stop_at_deepest_level() {
        assert_eq!(element("$result[g][0][MISSING]", &sections()), {
            let s = sections();
            s.get("result")
                .unwrap()
                .as_array()
                .unwrap()
                .get("g")
                .unwrap()
                .as_array()
                .unwrap()
                .get("0")
                .unwrap()
                .clone()
        });
        // A keyset page's reference to the 50th item of a short page, or of a
        // command that failed, stops at the page, or at the whole section.
        let result = sections().get("result").unwrap().clone();
        let page = result.as_array().unwrap().get("g").unwrap().clone();
        assert_eq!(element("$result[g][49][ID]", &sections()), page);
        assert_eq!(element("$result[c07][49][ID]", &sections()), result);
        assert_eq!(element("$Result[n]", &sections()), Value::Null);
        assert_eq!(element("cost $5", &sections()), Value::str("cost $5"));
        assert_eq!(element("$result", &sections()), Value::str("$result"));
    }
}
