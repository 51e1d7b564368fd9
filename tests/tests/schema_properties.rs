//! Property tests of the schema loader and the checks behind it: whatever
//! bytes a schema file holds, and however a valid file is mutated, the
//! generator answers with a model or with diagnostics naming a schema file,
//! in bounded time, and never panics.

use std::time::{Duration, Instant};

use bitrix24_codegen::Source;
use bitrix24_tests::json::{pointers, replaced, values};
use bitrix24_tests::repo_root;
use proptest::prelude::*;
use serde_json::Value;

const METHOD: &str = "schema/methods/sonet_group.get.json";

/// The real shared files, and a real method file to mutate.
fn files() -> (Vec<Source>, Value) {
    let root = repo_root();
    let shared = ["errors", "filters", "types"]
        .map(|name| {
            let path = format!("schema/shared/{name}.json");
            let text = std::fs::read_to_string(root.join(&path)).expect("a shared schema file");
            Source { path, text }
        })
        .to_vec();
    let method = std::fs::read_to_string(root.join(METHOD)).expect("the method file");
    (shared, serde_json::from_str(&method).expect("JSON"))
}

/// Runs the loader on the shared files plus `text` as the method file.
fn load(text: String) -> Duration {
    let (mut sources, _) = files();
    sources.push(Source {
        path: METHOD.to_owned(),
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_is_a_model_or_diagnostics(text in ".{0,400}") {
        prop_assert!(load(text) < Duration::from_secs(5));
    }

    #[test]
    fn a_valid_file_with_one_value_replaced_is_a_model_or_diagnostics(
        pick in any::<prop::sample::Index>(),
        replacement in values("[a-z_]{1,10}".boxed()),
    ) {
        let (_, method) = files();
        let pointer = pick.get(&pointers(&method)).clone();
        let mutated = replaced(method, &pointer, replacement);
        prop_assert!(load(mutated.to_string()) < Duration::from_secs(5));
    }
}
