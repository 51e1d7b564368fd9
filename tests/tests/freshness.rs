//! `cargo test` fails when the committed generated code is stale, naming the
//! files and the command that fixes them.

use bitrix24_codegen::{Mode, run};

#[test]
fn generated_code_matches_the_schema() {
    let (count, staleness) =
        run(&bitrix24_tests::repo_root(), Mode::Check).unwrap_or_else(|error| panic!("{error}"));
    assert!(
        count > 7,
        "expected a file per method and the shared files, got {count}"
    );
    assert!(
        staleness.is_empty(),
        "generated files are out of date:\n{staleness}run `cargo xtask codegen`, then `cargo insta review`"
    );
}
