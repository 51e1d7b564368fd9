//! Parameters as a PHP-style query string (`USER_ID[0]=1&USER_ID[1]=2`).
//!
//! `batch` takes each command as `method?query`, and the server parses that
//! query with PHP's `parse_str`. This encoder mirrors PHP's `http_build_query`
//! where it matters for round trips: nested arrays and objects become bracketed
//! keys, `true`/`false` become `1`/`0` (PHP reads the string `"false"` as true),
//! and `null` values and empty arrays are left out, as PHP leaves them out.

use serde_json::Value;

/// Encodes a JSON object of parameters as a PHP-style query string.
///
/// Key segments and values are percent-encoded; the brackets that join
/// segments are written as-is, which PHP accepts and people can read.
///
/// ```
/// use serde_json::json;
///
/// let query = bitrix24::wire::to_php_query(&json!({"GROUP_ID": 69, "USER_ID": [1, 2], "halt": false}));
/// assert_eq!(query, "GROUP_ID=69&USER_ID[0]=1&USER_ID[1]=2&halt=0");
/// ```
///
/// A value that is not an object has no parameter names and encodes as the
/// empty string.
pub fn to_php_query(params: &Value) -> String {
    let mut pairs = Vec::new();
    if let Value::Object(map) = params {
        for (key, value) in map {
            push_pairs(&encode(key), value, &mut pairs);
        }
    }
    pairs.join("&")
}

fn push_pairs(key: &str, value: &Value, pairs: &mut Vec<String>) {
    match value {
        Value::Null => {}
        Value::Bool(flag) => pairs.push(format!("{key}={}", u8::from(*flag))),
        Value::Number(number) => pairs.push(format!("{key}={number}")),
        Value::String(text) => pairs.push(format!("{key}={}", encode(text))),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                push_pairs(&format!("{key}[{index}]"), item, pairs);
            }
        }
        Value::Object(map) => {
            for (name, item) in map {
                push_pairs(&format!("{key}[{}]", encode(name)), item, pairs);
            }
        }
    }
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::to_php_query;

    #[test]
    fn scalars_and_lists() {
        let query = to_php_query(&json!({"GROUP_ID": 69, "USER_ID": [1271, 1272]}));
        assert_eq!(query, "GROUP_ID=69&USER_ID[0]=1271&USER_ID[1]=1272");
    }

    #[test]
    fn nested_objects_use_bracketed_names() {
        let query = to_php_query(&json!({"FILTER": {">ID": 5, "NAME": ["a b"]}}));
        assert_eq!(query, "FILTER[%3EID]=5&FILTER[NAME][0]=a+b");
    }

    #[test]
    fn booleans_are_digits_and_nulls_are_dropped() {
        let query = to_php_query(&json!({"a": true, "b": false, "c": null, "d": []}));
        assert_eq!(query, "a=1&b=0");
    }

    #[test]
    fn text_is_percent_encoded() {
        let query = to_php_query(&json!({"MESSAGE": "Join & win = 100%"}));
        assert_eq!(query, "MESSAGE=Join+%26+win+%3D+100%25");
    }

    #[test]
    fn non_objects_have_no_parameters() {
        assert_eq!(to_php_query(&json!([1, 2])), "");
    }
}
