//! The JSON Schema that editors use agrees with the loader: it is generated
//! from the loader's own types, accepts every real schema file and fixture,
//! and rejects the structural mistakes the loader rejects.

mod common;

use serde_json::Value;

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&bitrix24_codegen::format_schema())
        .expect("the format schema is JSON");
    jsonschema::validator_for(&schema).expect("the format schema is a valid JSON Schema")
}

fn read(path: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("valid JSON")
}

fn json_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("readable folder")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_committed_json_schema_is_generated_from_the_loader_types() {
    let committed =
        std::fs::read_to_string(common::repo_root().join(bitrix24_codegen::FORMAT_SCHEMA_PATH))
            .expect("schema/format.schema.json exists");
    assert_eq!(
        committed.replace("\r\n", "\n"),
        bitrix24_codegen::format_schema()
    );
}

#[test]
fn every_schema_file_and_fixture_is_valid_against_the_json_schema() {
    let validator = validator();
    let root = common::repo_root();
    let dirs = [
        root.join("schema/methods"),
        root.join("schema/shared"),
        root.join("codegen/tests/fixtures"),
    ];
    let files: Vec<_> = dirs.iter().flat_map(|dir| json_files(dir)).collect();
    assert!(files.len() >= 16, "found only {} files", files.len());
    for path in files {
        let errors: Vec<String> = validator
            .iter_errors(&read(&path))
            .map(|error| error.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{} is invalid: {errors:?}",
            path.display()
        );
    }
}

#[test]
fn structural_mistakes_are_rejected_by_the_json_schema_too() {
    let validator = validator();
    let bad = common::repo_root().join("codegen/tests/bad");
    for name in [
        "unknown_top_key.json",
        "unknown_param_key.json",
        "unknown_type.json",
        "wrong_field_type.json",
        "wrong_version.json",
        "missing_version.json",
        "several_problems.json",
    ] {
        assert!(
            !validator.is_valid(&read(&bad.join(name))),
            "{name} should be invalid"
        );
    }
}
