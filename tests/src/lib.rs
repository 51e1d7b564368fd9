//! Workspace-level tests of the generated crate and of the generator as users
//! run it: freshness of `generated/`, regeneration on a scratch copy of the
//! tree, the public API used as a user would, and the wire examples of the
//! Bitrix24 reference.
//!
//! The code here: the helper that copies the tree for those tests, a
//! loopback `redis-server` for the shared limits ([`redis`]), and generated
//! JSON for the property tests ([`json`]).

pub mod json;
pub mod redis;

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the repository root")
        .to_path_buf()
}

/// Copies what `bitrix24_codegen::run` reads and writes (every generated
/// crate's schema folders and its folder) into `target`, as a scratch
/// repository root, and brings it up to date. The imported methods and
/// what they generate are left out: the hand-written schema is real and
/// small enough to generate in every test, and `freshness.rs` checks the
/// whole of it.
pub fn copy_tree(target: &Path) -> std::io::Result<()> {
    let root = repo_root();
    for layout in bitrix24_codegen::layout::ALL {
        for folder in layout.schema.iter().chain([&layout.dir]) {
            if *folder == bitrix24_codegen::layout::IMPORTED {
                std::fs::create_dir_all(target.join(folder))?;
            } else if *folder == bitrix24_codegen::layout::CRATE.dir {
                // Generated below from the copied schema.
            } else {
                copy_dir(&root.join(folder), &target.join(folder))?;
            }
        }
    }
    // The format's JSON Schema is written too, beside the schema folders.
    let format = bitrix24_codegen::FORMAT_SCHEMA_PATH;
    std::fs::copy(root.join(format), target.join(format))?;
    bitrix24_codegen::run(target, bitrix24_codegen::Mode::Write)
        .map(|_| ())
        .map_err(std::io::Error::other)
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let destination = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &destination)?;
        } else {
            std::fs::copy(entry.path(), destination)?;
        }
    }
    Ok(())
}

/// Every file under `dir` with its bytes, for before/after comparisons.
pub fn snapshot_dir(dir: &Path) -> std::io::Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files.extend(snapshot_dir(&path)?);
        } else {
            let bytes = std::fs::read(&path)?;
            files.push((path, bytes));
        }
    }
    files.sort();
    Ok(files)
}
