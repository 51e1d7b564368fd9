//! Any text as a method's schema file, beside the real shared files: a model
//! or diagnostics, never a panic.

#![no_main]

use bitrix24_codegen::Source;
use libfuzzer_sys::fuzz_target;

/// The shared schema files, embedded so the target needs no checkout.
const SHARED: &[(&str, &str)] = &[
    (
        "schema/shared/errors.json",
        include_str!("../../schema/shared/errors.json"),
    ),
    (
        "schema/shared/filters.json",
        include_str!("../../schema/shared/filters.json"),
    ),
    (
        "schema/shared/types.json",
        include_str!("../../schema/shared/types.json"),
    ),
];

fuzz_target!(|text: &str| {
    let mut sources: Vec<Source> = SHARED
        .iter()
        .map(|(path, text)| Source {
            path: (*path).to_owned(),
            text: (*text).to_owned(),
        })
        .collect();
    sources.push(Source {
        path: "schema/methods/fuzzed.method.json".to_owned(),
        text: text.to_owned(),
    });
    let _ = bitrix24_codegen::model(&sources);
});
