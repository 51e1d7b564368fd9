//! The generated example tests hold each example's `params` and `body`
//! exactly as the schema file writes them, less the whitespace between
//! tokens: numbers and strings byte for byte, keys in file order. Parsing and
//! printing them again would change `-0`, `1.0` or a long float depending on
//! which serde_json features some other crate enables, and the freshness
//! check would fail on one machine but not another.

mod common;

use std::path::Path;

/// The tests of the fixture's family's examples.
fn generated_examples(fixture: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    let mut sources = common::shared_sources();
    sources.push(common::method_source(&path));
    let files = bitrix24_codegen::generate(&sources).unwrap_or_else(|errors| panic!("{errors}"));
    files
        .into_iter()
        .find(|file| file.path.ends_with("/fixture/tests/examples.rs"))
        .expect("the fixture's examples are generated")
        .contents
}

#[test]
fn example_json_reaches_the_generated_test_as_written() {
    let source = generated_examples("fixture.verbatim_numbers.json");
    let params = r#"let params = "{\"RATIO\":0.9421911239624023}";"#;
    assert!(source.contains(params), "params were rewritten:\n{source}");
    let body = concat!(
        r#"{\"result\":{\"zeta\":0.9421911239624023,\"one\":1.0,\"negative_zero\":-0,"#,
        r#"\"long\":123456789.12345678901234567890,\"tiny\":4.9406564584124654e-324,"#,
        r#"\"exponent\":1E5,"#,
        r#"\"text\":\"caf\\u00e9 \\\"quoted\\\"  two  spaces, \\\\ and \\/\","#,
        r#"\"nested\":[1.50,{\"b\":2,\"a\":3}]},"#,
        r#"\"time\":{\"start\":1773854153.036006,\"finish\":1773854153.978197,"#,
        r#"\"duration\":0.9421911239624023,\"processing\":0,"#,
    );
    assert!(source.contains(body), "the body was rewritten:\n{source}");
}
