//! Helpers shared by the generator's integration tests.

// Each test binary includes this module and uses only part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use bitrix24_codegen::Source;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen/ sits in the repository root")
        .to_path_buf()
}

/// The real shared schema files (types and errors), so fixtures can use them.
pub fn shared_sources() -> Vec<Source> {
    let root = repo_root();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("schema/shared"))
        .expect("schema/shared exists")
        .map(|entry| entry.expect("readable entry").path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| Source {
            path: format!(
                "schema/shared/{}",
                path.file_name().expect("a file").to_string_lossy()
            ),
            text: std::fs::read_to_string(&path).expect("readable schema file"),
        })
        .collect()
}

/// A fixture placed where a method file would be: `schema/methods/<file name>`.
pub fn method_source(fixture: &Path) -> Source {
    Source {
        path: format!(
            "schema/methods/{}",
            fixture.file_name().expect("a file").to_string_lossy()
        ),
        text: std::fs::read_to_string(fixture).expect("readable fixture"),
    }
}

/// Copies what `bitrix24_codegen::run` reads and writes (every generated
/// crate's schema folders and its folder) into `target`, as a scratch
/// repository root. Of the method files only the hand-written
/// `sonet_group.user.*` family is copied, and none of the `bitrix24` crate's
/// generated files: a real schema, small enough that the tests can run the
/// generator on it many times whatever the size of the whole API. The first
/// write brings the tree up to date.
pub fn copy_tree(target: &Path) {
    let root = repo_root();
    for layout in bitrix24_codegen::layout::ALL {
        for folder in layout.schema.iter().chain([&layout.dir]) {
            if *folder == bitrix24_codegen::layout::IMPORTED
                || *folder == bitrix24_codegen::layout::CRATE.dir
            {
                std::fs::create_dir_all(target.join(folder)).expect("a scratch folder");
                continue;
            }
            copy_dir(&root.join(folder), &target.join(folder));
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a scratch folder");
    let methods = from.ends_with("schema/methods");
    for entry in std::fs::read_dir(from).expect("a readable folder") {
        let entry = entry.expect("a readable entry");
        let name = entry.file_name();
        if methods && !name.to_string_lossy().starts_with("sonet_group.user.") {
            continue;
        }
        let destination = to.join(name);
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &destination);
        } else {
            std::fs::copy(entry.path(), destination).expect("a copied file");
        }
    }
}

/// Every entry under `dir` (recursively, links not followed) with its bytes,
/// for before/after comparisons; folders have no bytes.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a readable folder") {
        let entry = entry.expect("a readable entry");
        let path = entry.path();
        if entry.file_type().expect("a file type").is_dir() {
            entries.push((path.clone(), None));
            entries.extend(snapshot(&path));
        } else {
            let bytes = std::fs::read(&path).expect("a readable file");
            entries.push((path, Some(bytes)));
        }
    }
    entries.sort();
    entries
}
