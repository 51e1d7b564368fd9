//! The generator's write step on a scratch copy of the tree: it restores
//! deleted files byte for byte, removes files the schema no longer produces,
//! and leaves everything untouched when the schema is bad.

use bitrix24_codegen::{Mode, OUTPUT_DIR, RunError, run};
use bitrix24_tests::{copy_tree, snapshot_dir};

fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_tree(dir.path()).expect("the tree copies");
    dir
}

#[test]
fn a_deleted_generated_file_comes_back_byte_for_byte() {
    let dir = scratch();
    let file = dir
        .path()
        .join(OUTPUT_DIR)
        .join("crates/sonet_group/src/sonet_group_user_invite.rs");
    let original = std::fs::read(&file).expect("the file exists");
    std::fs::remove_file(&file).expect("the file is deleted");

    let (_, staleness) = run(dir.path(), Mode::Check).expect("the schema is valid");
    assert_eq!(
        staleness.changed,
        [format!(
            "{OUTPUT_DIR}/crates/sonet_group/src/sonet_group_user_invite.rs"
        )]
    );

    run(dir.path(), Mode::Write).expect("the schema is valid");
    assert_eq!(std::fs::read(&file).expect("the file is back"), original);
    let (_, staleness) = run(dir.path(), Mode::Check).expect("the schema is valid");
    assert!(staleness.is_empty());
}

#[test]
fn a_removed_method_loses_its_generated_file() {
    let dir = scratch();
    std::fs::remove_file(
        dir.path()
            .join("schema/methods/sonet_group.user.request.json"),
    )
    .expect("removed");
    let (_, staleness) = run(dir.path(), Mode::Write).expect("the schema is valid");
    assert_eq!(
        staleness.removed,
        [format!(
            "{OUTPUT_DIR}/crates/sonet_group/src/sonet_group_user_request.rs"
        )]
    );
    assert!(
        !dir.path()
            .join(OUTPUT_DIR)
            .join("crates/sonet_group/src/sonet_group_user_request.rs")
            .exists()
    );
    let index = std::fs::read_to_string(
        dir.path()
            .join(OUTPUT_DIR)
            .join("crates/sonet_group/src/lib.rs"),
    )
    .expect("lib.rs");
    assert!(!index.contains("sonet_group_user_request"));
}

#[test]
fn a_corrupted_schema_names_the_file_and_changes_nothing() {
    let dir = scratch();
    let schema = dir.path().join("schema/methods/sonet_group.user.get.json");
    let text = std::fs::read_to_string(&schema).expect("readable");
    std::fs::write(
        &schema,
        text.replacen("\"retry_safe\"", "\"retry_sfae\"", 1),
    )
    .expect("written");
    std::fs::remove_file(dir.path().join(OUTPUT_DIR).join("crates/types/src/lib.rs"))
        .expect("removed");
    let before = snapshot_dir(&dir.path().join("generated")).expect("readable");

    let error = run(dir.path(), Mode::Write).expect_err("the schema is bad");
    let RunError::Schema(diagnostics) = &error else {
        panic!("expected a schema error, got {error}")
    };
    let message = error.to_string();
    assert!(
        message
            .contains("schema/methods/sonet_group.user.get.json: method.retry_sfae: unknown field"),
        "{message}"
    );
    assert!(message.contains("did you mean `retry_safe`?"), "{message}");
    assert_eq!(diagnostics.0.len(), 1);

    assert_eq!(
        snapshot_dir(&dir.path().join("generated")).expect("readable"),
        before,
        "nothing was written"
    );
}

#[test]
fn invalid_json_is_reported_with_its_position() {
    let dir = scratch();
    let schema = dir.path().join("schema/shared/types.json");
    std::fs::write(&schema, "{ \"format_version\": 1, ").expect("written");
    let message = run(dir.path(), Mode::Write)
        .expect_err("the schema is bad")
        .to_string();
    assert!(
        message.contains("schema/shared/types.json: not valid JSON: EOF while parsing"),
        "{message}"
    );
    assert!(message.contains("line 1 column"), "{message}");
}

#[test]
fn hand_corrections_for_the_importer_are_not_read_as_schema() {
    let dir = scratch();
    let overrides = dir.path().join("schema/overrides");
    std::fs::create_dir_all(&overrides).expect("the folder is created");
    // A merge patch is no schema file: read as one, it would be refused.
    std::fs::write(
        overrides.join("sonet_group.user.get.json"),
        r#"{"method": {"retry_safe": false}}"#,
    )
    .expect("the override is written");
    let (_, staleness) = run(dir.path(), Mode::Check).expect("the schema is valid");
    assert!(staleness.is_empty());
}
