//! Generated code reaches the runtime only through its contract module,
//! `::bitrix24_runtime::__private` (the crate root's re-export of the
//! runtime's public items aside), in both generated crates.

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
        rust_files(&repo_root().join(layout.dir).join("src"), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a readable file");
            for (number, line) in text.lines().enumerate() {
                let mut rest = line;
                while let Some(at) = rest.find("bitrix24_runtime") {
                    let usage = &rest[at.saturating_sub(2)..];
                    let allowed = usage.starts_with(CONTRACT)
                        || (line.trim() == ROOT_RE_EXPORT && file.ends_with("src/lib.rs"));
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

#[test]
fn generated_crates_depend_on_the_runtime_alone() {
    for layout in layout::ALL {
        let manifest = std::fs::read_to_string(repo_root().join(layout.dir).join("Cargo.toml"))
            .expect("a generated manifest");
        let dependencies = manifest
            .split("[dependencies]")
            .nth(1)
            .and_then(|rest| rest.split("\n[").next())
            .expect("a [dependencies] table");
        let names: Vec<&str> = dependencies
            .lines()
            .filter_map(|line| line.split(['.', '=', ' ']).next())
            .filter(|name| !name.is_empty() && !name.starts_with('#'))
            .collect();
        assert_eq!(names, ["bitrix24-runtime"], "{}", layout.dir);
    }
}
