//! Bad schema files and the exact errors they produce.
//!
//! Each file in `tests/bad/` is placed where a method file would be, next to
//! the real shared files; a folder there holds several files that are bad
//! together. The rendered diagnostics are snapshotted, so a reviewer sees
//! every change to an error message.

mod common;

use std::path::Path;

use bitrix24_codegen::Source;

fn sources_for(path: &Path) -> Vec<Source> {
    let mut sources = common::shared_sources();
    if path.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(path)
            .expect("readable folder")
            .map(|entry| entry.expect("readable entry").path())
            .collect();
        files.sort();
        sources.extend(files.iter().map(|file| common::method_source(file)));
    } else {
        sources.push(common::method_source(path));
    }
    sources
}

#[test]
fn every_bad_schema_is_rejected_with_a_clear_error() {
    insta::glob!("bad/*", |path| {
        let diagnostics = match bitrix24_codegen::generate(&sources_for(path)) {
            Ok(_) => panic!("{} should be rejected", path.display()),
            Err(diagnostics) => diagnostics,
        };
        for diagnostic in &diagnostics.0 {
            assert!(
                diagnostic.file.starts_with("schema/methods/"),
                "{diagnostic} names the bad file"
            );
        }
        insta::assert_snapshot!(diagnostics.to_string());
    });
}

#[test]
fn all_problems_of_a_file_are_reported_together() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad/several_problems.json");
    let diagnostics = bitrix24_codegen::generate(&sources_for(&path)).expect_err("the file is bad");
    assert!(
        diagnostics.0.len() >= 3,
        "expected every problem, got:\n{diagnostics}"
    );
}
