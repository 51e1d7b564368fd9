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
