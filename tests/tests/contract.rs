//! Generated code reaches the runtime only through its contract module,
//! `::bitrix24_runtime::__private` (the facade's re-export of the runtime's
//! public items aside), in every generated crate, and the generated crates
//! depend on nothing else.

use std::path::{Path, PathBuf};

use bitrix24_codegen::layout;
use bitrix24_tests::repo_root;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable folder") {
        let path = entry.expect("a readable entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn generated_code_names_the_runtime_only_through_its_contract_module() {
    const ROOT_RE_EXPORT: &str = "pub use ::bitrix24_runtime::*;";
    const CONTRACT: &str = "::bitrix24_runtime::__private";
    let mut checked = 0;
    for layout in layout::ALL {
        let mut files = Vec::new();
        let facade_root = repo_root().join(layout.dir).join("src/lib.rs");
        rust_files(&repo_root().join(layout.dir), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a readable file");
            for (number, line) in text.lines().enumerate() {
                let mut rest = line;
                while let Some(at) = rest.find("bitrix24_runtime") {
                    let usage = &rest[at.saturating_sub(2)..];
                    let allowed = usage.starts_with(CONTRACT)
                        || (line.trim() == ROOT_RE_EXPORT && file == facade_root);
                    assert!(
                        allowed,
                        "{}:{}: the runtime is named outside its contract module: {line}",
                        file.display(),
                        number + 1
                    );
                    rest = &rest[at + "bitrix24_runtime".len()..];
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} generated files were found");
}

/// The lines of a manifest's `[dependencies]` table.
fn dependencies(manifest: &str) -> Vec<&str> {
    manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("a [dependencies] table")
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .collect()
}

fn key(dependency: &str) -> &str {
    dependency.split(['.', '=', ' ']).next().unwrap_or_default()
}

#[test]
fn generated_crates_depend_on_the_runtime_and_each_other_alone() {
    for layout in layout::ALL {
        let read = |dir: &str| {
            std::fs::read_to_string(repo_root().join(dir).join("Cargo.toml"))
                .expect("a generated manifest")
        };
        let facade = read(layout.dir);
        let members: Vec<&str> = dependencies(&facade)
            .into_iter()
            .filter(|line| key(line) != "bitrix24-runtime")
            .collect();
        assert!(
            members.len() >= 2,
            "{}: the shared types and a family",
            layout.dir
        );
        for member in &members {
            // A generated crate, by path: the shared types or a family.
            let path = member
                .split("path = \"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_else(|| panic!("{}: not a path dependency: {member}", layout.dir));
            let dir = format!("{}/{path}", layout.dir);
            assert!(
                path.starts_with("crates/"),
                "{}: outside the generated folder: {member}",
                layout.dir
            );
            let manifest = read(&dir);
            let inner: Vec<&str> = dependencies(&manifest).into_iter().map(key).collect();
            let expected: &[&str] = if key(member) == layout::SHARED_TYPES_DEPENDENCY {
                &["bitrix24-runtime"]
            } else {
                &["bitrix24-runtime", layout::SHARED_TYPES_DEPENDENCY]
            };
            assert_eq!(inner, expected, "{dir}");
        }
    }
}
