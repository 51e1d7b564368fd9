//! Writes generated files, or checks that the committed ones are current.
//!
//! This is the only module that writes to the disk. Writing happens only
//! after the whole schema generated without errors, so a bad schema never
//! leaves a half-updated tree. Files under the generated folder that the
//! schema no longer produces are stale and are removed (or reported).

use std::fmt;
use std::path::Path;

use crate::layout;

/// A file the generator produces, with its full contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// The path relative to the repository root.
    pub path: String,
    /// The contents.
    pub contents: String,
}

/// What is out of date in the tree.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Staleness {
    /// Files that are missing or differ from what the schema generates.
    pub changed: Vec<String>,
    /// Generated files the schema no longer produces.
    pub removed: Vec<String>,
}

impl Staleness {
    /// Whether everything is current.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

impl fmt::Display for Staleness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for path in &self.changed {
            writeln!(f, "  stale: {path}")?;
        }
        for path in &self.removed {
            writeln!(f, "  no longer generated: {path}")?;
        }
        Ok(())
    }
}

/// Compares the tree under `root` with the files the schema generates.
pub fn check(root: &Path, files: &[OutputFile]) -> std::io::Result<Staleness> {
    let mut staleness = Staleness::default();
    for file in files {
        let current = match std::fs::read_to_string(root.join(&file.path)) {
            Ok(text) => Some(normalize_newlines(&text)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => return Err(error),
        };
        if current.as_deref() != Some(file.contents.as_str()) {
            staleness.changed.push(file.path.clone());
        }
    }
    staleness.removed = leftover_files(root, files)?;
    Ok(staleness)
}

/// Brings the tree under `root` up to date; returns what changed.
pub fn write(root: &Path, files: &[OutputFile]) -> std::io::Result<Staleness> {
    let staleness = check(root, files)?;
    for file in files
        .iter()
        .filter(|file| staleness.changed.contains(&file.path))
    {
        let path = root.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, &file.contents)?;
    }
    for path in &staleness.removed {
        std::fs::remove_file(root.join(path))?;
    }
    Ok(staleness)
}

/// Files in the generated folder that the schema does not produce.
fn leftover_files(root: &Path, files: &[OutputFile]) -> std::io::Result<Vec<String>> {
    let mut leftovers = Vec::new();
    for layout in &layout::ALL {
        collect_leftovers(root, layout.dir, files, &mut leftovers)?;
    }
    leftovers.sort();
    Ok(leftovers)
}

fn collect_leftovers(
    root: &Path,
    dir: &str,
    files: &[OutputFile],
    leftovers: &mut Vec<String>,
) -> std::io::Result<()> {
    let entries = match std::fs::read_dir(root.join(dir)) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error),
    };
    for entry in entries {
        let entry = entry?;
        let path = format!("{dir}/{}", entry.file_name().to_string_lossy());
        if entry.file_type()?.is_dir() {
            collect_leftovers(root, &path, files, leftovers)?;
        } else if !files.iter().any(|file| file.path == path) {
            leftovers.push(path);
        }
    }
    Ok(())
}

/// Git may check files out with CRLF line ends on Windows.
fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n")
}
