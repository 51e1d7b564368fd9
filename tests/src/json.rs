//! Generated JSON for property tests: values of every shape, and every place
//! in a document where one could be swapped in.
//!
//! Knows nothing about what reads the JSON.

use proptest::prelude::*;
use serde_json::Value;

/// JSON values nested up to four levels, with object keys drawn from `keys`:
/// scalars of every type (numbers at their limits, strings of operator and
/// date characters, `NaN` and `1e400` as text), lists and objects.
pub fn values(keys: BoxedStrategy<String>) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|number| {
            serde_json::Number::from_f64(number).map_or(Value::Null, Value::Number)
        }),
        "[A-Za-z0-9_ :+.%><=!*-]{0,24}".prop_map(Value::String),
        Just(Value::String("NaN".to_owned())),
        Just(Value::String("1e400".to_owned())),
    ];
    leaf.prop_recursive(4, 32, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(keys.clone(), inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Every JSON pointer into `value`, the root (`""`) first.
pub fn pointers(value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    walk(value, String::new(), &mut found);
    found
}

fn walk(value: &Value, at: String, found: &mut Vec<String>) {
    found.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let key = key.replace('~', "~0").replace('/', "~1");
                walk(item, format!("{at}/{key}"), found);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                walk(item, format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}

/// `document` with the value at `pointer` replaced (the whole document for
/// the root).
pub fn replaced(mut document: Value, pointer: &str, replacement: Value) -> Value {
    match document.pointer_mut(pointer) {
        Some(slot) if !pointer.is_empty() => *slot = replacement,
        _ => document = replacement,
    }
    document
}
