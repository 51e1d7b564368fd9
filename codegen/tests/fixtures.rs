//! Edge cases of the format, each a small method file in `tests/fixtures/`
//! generated together with the real shared types; the method's generated code
//! is snapshotted.

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
        let method = path.file_stem().expect("a file name").to_string_lossy();
        let module = bitrix24_codegen::names::method_module(&method);
        let generated = files
            .iter()
            .find(|file| file.path.ends_with(&format!("/{module}.rs")))
            .expect("the fixture's method is generated");
        insta::assert_snapshot!(generated.contents);
    });
}
