//! PHP `parse_str`: `a=1&b[]=2&c[x][y]=3` into nested ordered arrays.
//!
//! Knows nothing about which parameters a method reads.

use crate::php::{Array, Key, Value};

/// Parses a URL-encoded query the way PHP fills `$_GET`/`$_POST`.
pub(crate) fn parse_str(input: &str) -> Array {
    let mut out = Array::new();
    for (name, value) in form_urlencoded::parse(input.as_bytes()) {
        if let Some((base, path)) = split_name(&name) {
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
    while let Some(after_open) = rest.strip_prefix('[') {
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

fn assign(target: &mut Array, key: Key, path: &[Segment], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        target.insert(key, value);
        return;
    };
    if !matches!(target.get_key(&key), Some(Value::Array(_))) {
        target.insert(key.clone(), Value::Array(Array::new()));
    }
    let Some(Value::Array(child)) = target.get_mut_key(&key) else {
        return;
    };
    match first {
        Segment::Append => {
            let appended = child.push(Value::Null);
            assign(child, appended, rest, value);
        }
        Segment::Key(k) => assign(child, Key::from_php(k), rest, value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
