//! Writes generated files, or checks that the committed ones are current.
//!
//! This is the only module that writes to the disk, and it writes only after
//! the whole schema generated without errors. The generator owns the folder
//! of each crate it writes (`layout::ALL`: `generated/`, `fixtures/`): every
//! file in one that the schema does not produce is stale. Writing is all or
//! nothing. Each complete new owned folder with anything stale is staged next
//! to it under a hidden name (`.generated.codegen-new`), each changed file
//! outside it (the format's JSON Schema) next to its target, and only when
//! everything is staged are they moved into place (`swap`); after an I/O error
//! the previous tree is back as it was. Those hidden names belong to the
//! generator: whatever a crashed run left there is removed by the next write
//! and never read as output. When nothing is stale, nothing is touched, so
//! cargo has nothing to rebuild; in a staged folder, the files that did not
//! change keep their modification times, so cargo rebuilds only the crates
//! whose files changed.

use std::collections::HashSet;
use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::layout;
use crate::swap::{self, Swap, with_path};

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
    /// Files in the generated folder that the schema no longer produces.
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
pub fn check(root: &Path, files: &[OutputFile]) -> io::Result<Staleness> {
    let mut staleness = Staleness::default();
    for file in files {
        if !is_current(&root.join(&file.path), &file.contents)? {
            staleness.changed.push(file.path.clone());
        }
    }
    staleness.removed = leftover_files(root, files)?;
    Ok(staleness)
}

/// Brings the tree under `root` up to date; returns what changed.
pub fn write(root: &Path, files: &[OutputFile]) -> io::Result<Staleness> {
    let staleness = check(root, files)?;
    if staleness.is_empty() {
        return Ok(staleness);
    }
    let mut swaps = Vec::new();
    let staged = stage(root, files, &staleness, &mut swaps).and_then(|()| swap::commit(&swaps));
    for swap in &swaps {
        // Whatever is still staged after a failure is a leftover; removing it
        // is tidying up, and the error worth reporting is the first one.
        let _ = swap::remove(&swap.staged);
    }
    staged.map(|()| staleness)
}

/// Stages each owned folder with anything stale in it, and every changed
/// file outside them, adding one swap per staged entry.
fn stage(
    root: &Path,
    files: &[OutputFile],
    staleness: &Staleness,
    swaps: &mut Vec<Swap>,
) -> io::Result<()> {
    let is_owned = |path: &str| owned_relative(path).is_some();
    let changed: HashSet<&str> = staleness.changed.iter().map(String::as_str).collect();
    for dir in owned_dirs() {
        let in_dir = |path: &&String| owned_relative(path).is_some_and(|(owner, _)| owner == dir);
        let stale = staleness.changed.iter().chain(&staleness.removed);
        if !stale.clone().any(|path| in_dir(&path)) {
            continue;
        }
        let swap = reserve(&root.join(dir))?;
        swaps.push(swap.clone());
        create_dir(&swap.staged)?;
        for file in files {
            if let Some((owner, relative)) = owned_relative(&file.path)
                && owner == dir
            {
                let staged = swap.staged.join(relative);
                write_new(&staged, &file.contents)?;
                if !changed.contains(file.path.as_str()) {
                    keep_modified(&root.join(&file.path), &staged)?;
                }
            }
        }
    }
    for path in staleness.changed.iter().filter(|path| !is_owned(path)) {
        let target = root.join(path);
        match std::fs::symlink_metadata(&target) {
            Ok(metadata) if !metadata.is_file() => {
                let message = format!(
                    "{} is in the way: a generated file goes there; move it elsewhere",
                    target.display()
                );
                return Err(io::Error::new(io::ErrorKind::AlreadyExists, message));
            }
            Ok(_) => {}
            Err(error) if is_absent(&error) => {}
            Err(error) => return Err(with_path("cannot inspect", &target, error)),
        }
        let swap = reserve(&target)?;
        swaps.push(swap.clone());
        let contents = files.iter().find(|file| &file.path == path);
        write_new(&swap.staged, contents.map_or("", |file| &file.contents))?;
    }
    Ok(())
}

/// The staging and backup names next to `target`, cleared of anything a
/// crashed run left there.
fn reserve(target: &Path) -> io::Result<Swap> {
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parent = target.parent().unwrap_or(Path::new("."));
    let swap = Swap {
        staged: parent.join(format!(".{name}.codegen-new")),
        target: target.to_path_buf(),
        backup: parent.join(format!(".{name}.codegen-old")),
    };
    create_dir(parent)?;
    swap::remove(&swap.staged)?;
    swap::remove(&swap.backup)?;
    Ok(swap)
}

/// The folders the generator owns, relative to the repository root.
fn owned_dirs() -> impl Iterator<Item = &'static str> {
    layout::ALL.iter().map(|layout| layout.dir)
}

/// The owned folder `path` is in, and the path inside it, if it is in one.
fn owned_relative(path: &str) -> Option<(&'static str, &str)> {
    owned_dirs().find_map(|dir| Some((dir, path.strip_prefix(dir)?.strip_prefix('/')?)))
}

fn create_dir(path: &Path) -> io::Result<()> {
    std::fs::create_dir_all(path).map_err(|error| with_path("cannot create", path, error))
}

fn write_new(path: &Path, contents: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        create_dir(parent)?;
    }
    std::fs::write(path, contents).map_err(|error| with_path("cannot write", path, error))
}

/// Gives the staged copy of an unchanged file the original's modification
/// time: build tools that go by it (cargo does) then rebuild only the crates
/// whose files did change, not every crate of the regenerated folder.
fn keep_modified(original: &Path, staged: &Path) -> io::Result<()> {
    let modified = std::fs::metadata(original)
        .and_then(|metadata| metadata.modified())
        .map_err(|error| with_path("cannot inspect", original, error))?;
    std::fs::File::options()
        .write(true)
        .open(staged)
        .and_then(|file| file.set_modified(modified))
        .map_err(|error| with_path("cannot set the modification time of", staged, error))
}

/// Whether the file at `path` holds `contents`. Anything that is not a
/// regular file there is not current, and is never opened (a FIFO would
/// block); a file much longer than `contents` is not read to its end.
fn is_current(path: &Path, contents: &str) -> io::Result<bool> {
    match std::fs::symlink_metadata(path) {
        Ok(metadata) if metadata.is_file() => {}
        Ok(_) => return Ok(false),
        Err(error) if is_absent(&error) => return Ok(false),
        Err(error) => return Err(with_path("cannot inspect", path, error)),
    }
    let cannot_read = |error| with_path("cannot read", path, error);
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    // CRLF line ends at most double the length.
    let limit = 2 * contents.len() as u64 + 1;
    let mut bytes = Vec::new();
    file.take(limit)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    Ok(String::from_utf8(bytes).is_ok_and(|text| normalize_newlines(&text) == contents))
}

/// Nothing is at the path, or a file is where a folder on the way should be.
fn is_absent(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

/// Every entry in the owned folders, at any depth, that the schema does not
/// produce; an owned path itself when it is not a folder.
fn leftover_files(root: &Path, files: &[OutputFile]) -> io::Result<Vec<String>> {
    let mut leftovers = Vec::new();
    let mut folders: Vec<(PathBuf, String)> = Vec::new();
    for dir in owned_dirs() {
        let owned = root.join(dir);
        match std::fs::symlink_metadata(&owned) {
            Ok(metadata) if metadata.is_dir() => folders.push((owned, dir.to_owned())),
            Ok(_) => leftovers.push(dir.to_owned()),
            Err(error) if is_absent(&error) => {}
            Err(error) => return Err(with_path("cannot inspect", &owned, error)),
        }
    }
    while let Some((folder, shown)) = folders.pop() {
        let cannot_list = |error| with_path("cannot list", &folder, error);
        for entry in std::fs::read_dir(&folder).map_err(cannot_list)? {
            let entry = entry.map_err(cannot_list)?;
            let path = format!("{shown}/{}", entry.file_name().to_string_lossy());
            if entry.file_type().map_err(cannot_list)?.is_dir() {
                folders.push((entry.path(), path));
            } else if !files.iter().any(|file| file.path == path) {
                leftovers.push(path);
            }
        }
    }
    leftovers.sort();
    Ok(leftovers)
}

/// Git may check files out with CRLF line ends on Windows.
fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n")
}
