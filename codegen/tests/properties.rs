//! Property tests of the loader and the checks behind it: whatever bytes a
//! schema file holds, and however a valid file is mutated, the generator
//! answers with a model or with diagnostics naming the file, in bounded
//! time, and never panics.

mod common;

use std::time::{Duration, Instant};

use bitrix24_codegen::Source;
use proptest::prelude::*;
use serde_json::Value;

/// A real method file, the starting point of the mutations.
fn valid_method() -> Value {
    let text =
        std::fs::read_to_string(common::repo_root().join("schema/methods/sonet_group.get.json"))
            .expect("the method file is readable");
    serde_json::from_str(&text).expect("the method file is JSON")
}

/// Runs the loader on the shared files plus `text` as a method file.
fn load(text: String) -> Duration {
    let mut sources = common::shared_sources();
    sources.push(Source {
        path: "schema/methods/sonet_group.get.json".to_owned(),
        text,
    });
    let started = Instant::now();
    if let Err(diagnostics) = bitrix24_codegen::model(&sources) {
        for diagnostic in &diagnostics.0 {
            assert!(diagnostic.file.starts_with("schema/"), "{diagnostic}");
        }
    }
    started.elapsed()
}

/// JSON values of every shape, nested a few levels.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(
            |number| serde_json::Number::from_f64(number).map_or(Value::Null, Value::Number)
        ),
        "[a-zA-Z_ .%><=!*-]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Every JSON pointer into `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                pointers(
                    item,
                    format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                pointers(item, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_bytes_are_a_model_or_diagnostics(text in ".{0,400}") {
        prop_assert!(load(text) < Duration::from_secs(5));
    }

    #[test]
    fn a_valid_file_with_one_value_replaced_is_a_model_or_diagnostics(
        pick in any::<prop::sample::Index>(),
        replacement in json(),
    ) {
        let mut method = valid_method();
        let mut all = Vec::new();
        pointers(&method, String::new(), &mut all);
        let pointer = pick.get(&all).clone();
        if pointer.is_empty() {
            method = replacement;
        } else if let Some(slot) = method.pointer_mut(&pointer) {
            *slot = replacement;
        }
        prop_assert!(load(method.to_string()) < Duration::from_secs(5));
    }
}
