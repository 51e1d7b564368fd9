//! Edge cases of the format, each a small method file in `tests/fixtures/`
//! generated together with the real shared types; the method's generated code
//! is snapshotted. All of them together also form the fixture crate
//! (`fixtures/`), which CI compiles, lints and tests.

mod common;

#[test]
fn every_fixture_generates_the_expected_code() {
    insta::glob!("fixtures/*.json", |path| {
        let mut sources = common::shared_sources();
        let fixture = common::method_source(path);
        sources.push(fixture.clone());
        let files = bitrix24_codegen::generate(&sources).unwrap_or_else(|diagnostics| {
            panic!("{} should be valid:\n{diagnostics}", fixture.path)
        });
        // The one method file in a family's crate, and the family's tests of
        // its examples, if it has any.
        let method = files
            .iter()
            .find(|file| {
                file.path.starts_with("generated/crates/")
                    && file.path.contains("/src/")
                    && file.path.ends_with(".rs")
                    && !file.path.ends_with("/lib.rs")
            })
            .expect("the fixture's method is generated");
        let examples = files.iter().find(|file| {
            file.path.starts_with("generated/crates/") && file.path.ends_with("/tests/examples.rs")
        });
        let snapshot = match examples {
            Some(examples) => format!("{}\n{}", method.contents, examples.contents),
            None => method.contents.clone(),
        };
        insta::assert_snapshot!(snapshot);
    });
}
