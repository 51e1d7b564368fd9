//! Schema text can never become code, a doctest or a rustdoc warning.
//!
//! `tests/fixtures/fixture.hostile_prose.json` puts line breaks followed by
//! `pub fn evil() {}`, code fences, indented code, HTML, unbalanced backticks,
//! links, images, headings, lists, tables, block-comment ends and bidi
//! controls into every kind of text the generator documents. The generated
//! file must parse, define nothing named `evil`, hold every doc line as a
//! plain `///` or `//!` line that starts no code block, and pass rustdoc with
//! warnings denied and with no doctest.

mod common;

use std::path::Path;
use std::process::Command;

use proc_macro2::{TokenStream, TokenTree};

fn hostile_file() -> String {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fixture.hostile_prose.json");
    let mut sources = common::shared_sources();
    sources.push(common::method_source(&fixture));
    let files = bitrix24_codegen::generate(&sources).unwrap_or_else(|errors| panic!("{errors}"));
    let file = files
        .into_iter()
        .find(|file| file.path.ends_with("/fixture_hostile_prose.rs"))
        .expect("the fixture's file is generated");
    file.contents
}

fn idents(tokens: TokenStream, found: &mut Vec<String>) {
    for token in tokens {
        match token {
            TokenTree::Ident(ident) => found.push(ident.to_string()),
            TokenTree::Group(group) => idents(group.stream(), found),
            TokenTree::Punct(_) | TokenTree::Literal(_) => {}
        }
    }
}

/// The text of a `///` or `//!` line, if it is one.
fn doc_text(line: &str) -> Option<&str> {
    let line = line.trim_start();
    let text = line
        .strip_prefix("///")
        .or_else(|| line.strip_prefix("//!"))?;
    Some(text.strip_prefix(' ').unwrap_or(text))
}

#[test]
fn hostile_prose_parses_and_defines_no_item_of_its_own() {
    let source = hostile_file();
    let syntax = syn::parse_file(&source).expect("the generated file parses");
    let mut found = Vec::new();
    idents(quote::ToTokens::into_token_stream(syntax), &mut found);
    assert!(
        !found.iter().any(|ident| ident == "evil"),
        "an item named evil was generated"
    );
    for line in source.lines() {
        assert!(
            !line.trim_start().starts_with("pub fn evil"),
            "prose became code: {line}"
        );
    }
}

#[test]
fn every_doc_line_is_a_plain_line_that_starts_no_code_block() {
    let source = hostile_file();
    assert!(!source.contains('\r'), "a carriage return reached the file");
    for marker in ["/**", "/*!", "#[doc", "#![doc", "\u{202e}"] {
        assert!(!source.contains(marker), "{marker:?} in the generated file");
    }
    let mut doc_lines = 0;
    for line in source.lines() {
        let Some(text) = doc_text(line) else { continue };
        doc_lines += 1;
        let unindented = text.trim_start();
        assert!(
            !unindented.starts_with("```") && !unindented.starts_with("~~~"),
            "a doc line opens a code fence: {line}"
        );
        assert!(
            !text.starts_with("    "),
            "a doc line is indented code: {line}"
        );
        assert!(
            !text.starts_with('\t'),
            "a doc line is indented code: {line}"
        );
    }
    assert!(
        doc_lines > 100,
        "only {doc_lines} doc lines: is the fixture hostile enough?"
    );
}

/// The generated docs, each run of `///` lines on an item of its own, plus
/// a stub for every type the docs may link to, as a crate rustdoc can check.
fn scratch_crate(source: &str) -> String {
    let syntax = syn::parse_file(source).expect("the generated file parses");
    let mut scratch = String::new();
    for line in source.lines().filter(|line| line.starts_with("//!")) {
        scratch.push_str(line);
        scratch.push('\n');
    }
    for item in &syntax.items {
        match item {
            syn::Item::Struct(syn::ItemStruct { ident, .. })
            | syn::Item::Enum(syn::ItemEnum { ident, .. }) => {
                scratch.push_str(&format!("pub struct {ident};\n"));
            }
            syn::Item::Trait(item) => scratch.push_str(&format!("pub trait {} {{}}\n", item.ident)),
            _ => {}
        }
    }
    let mut in_doc = false;
    let mut items = 0;
    for line in source.lines() {
        let line = line.trim_start();
        if line.starts_with("///") {
            scratch.push_str(line);
            scratch.push('\n');
            in_doc = true;
        } else if in_doc {
            items += 1;
            // Docs link to their item's own constructor (`Self::new`).
            scratch.push_str(&format!(
                "pub struct Documented{items};\nimpl Documented{items} {{ pub fn new() {{}} }}\n"
            ));
            in_doc = false;
        }
    }
    scratch
}

#[test]
fn rustdoc_with_warnings_denied_accepts_the_docs_and_finds_no_doctest() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let lib = dir.path().join("lib.rs");
    std::fs::write(&lib, scratch_crate(&hostile_file())).expect("written");
    let rustdoc = std::env::var("RUSTDOC").unwrap_or_else(|_| "rustdoc".to_owned());
    let run = |extra: &[&str]| {
        Command::new(&rustdoc)
            .args([
                "--edition",
                "2024",
                "--crate-type",
                "lib",
                "--crate-name",
                "scratch",
            ])
            .args(["-D", "warnings", "-o"])
            .arg(dir.path().join("doc"))
            .args(extra)
            .arg(&lib)
            .output()
    };
    let docs = match run(&[]) {
        Ok(output) => output,
        Err(error) => {
            println!("skipped: rustdoc is not available ({error})");
            return;
        }
    };
    let stderr = String::from_utf8_lossy(&docs.stderr);
    assert!(
        docs.status.success(),
        "rustdoc rejected the docs:\n{stderr}"
    );
    assert!(stderr.trim().is_empty(), "rustdoc warned:\n{stderr}");
    let doctests = run(&["--test"]).expect("rustdoc runs");
    let stdout = String::from_utf8_lossy(&doctests.stdout);
    assert!(
        doctests.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&doctests.stderr)
    );
    assert!(
        stdout.contains("running 0 tests"),
        "the docs hold doctests:\n{stdout}"
    );
}
