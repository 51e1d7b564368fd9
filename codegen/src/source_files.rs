//! Finds and reads the schema files under `schema/`: the generator's only
//! read of the disk.
//!
//! The folder is walked without following links to folders, so a link loop
//! cannot make the walk endless; such a link is reported rather than skipped,
//! so no method silently drops out of the output. A `*.json` entry must be a
//! regular file once links to it are followed: a FIFO or a link to a device
//! would block or never end, so it is reported without being opened. At most
//! [`MAX_SCHEMA_FILE_BYTES`] are read from a file, so even one that grows while it is
//! read cannot exhaust memory. Paths end up in diagnostics and in the `//`
//! header of generated files, so a path that is not UTF-8 or holds a control
//! character (a line break would start a line of code) is reported, escaped.
//! This module knows nothing about what the files say.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::load::{FORMAT_SCHEMA_FILE, Source};

/// The largest schema file read, in bytes (4 MiB): the largest real file is
/// a few kilobytes, so anything near this is a mistake, not a schema.
pub const MAX_SCHEMA_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Reads every `*.json` file under the `schema` folders of `root`, ordered
/// by path.
///
/// Every problem is reported, not only the first.
pub fn read_sources(root: &Path, schema: &[&str]) -> Result<Vec<Source>, Vec<Diagnostic>> {
    let mut paths = Vec::new();
    let mut diagnostics = Vec::new();
    let mut folders: Vec<_> = schema.iter().map(|folder| root.join(folder)).collect();
    while let Some(folder) = folders.pop() {
        let listed = list_folder(root, &folder, &mut folders, &mut paths, &mut diagnostics);
        if let Err(diagnostic) = listed {
            diagnostics.push(diagnostic);
        }
    }
    paths.sort();
    let mut sources = Vec::new();
    for path in paths {
        match read_source(root, &path) {
            Ok(source) => sources.push(source),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    if diagnostics.is_empty() {
        Ok(sources)
    } else {
        diagnostics.sort_by(|a, b| a.file.cmp(&b.file));
        Err(diagnostics)
    }
}

/// Why a path cannot name a schema file, if it cannot.
pub fn path_problem(path: &str) -> Option<&'static str> {
    path.chars()
        .any(char::is_control)
        .then_some("the path holds a control character; rename the file or folder")
}

/// `text` with control characters escaped (`\n`), for messages.
pub fn escape_controls(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Adds the subfolders of `folder` to `folders`, its `*.json` files to
/// `paths` and its links to folders to `diagnostics`.
fn list_folder(
    root: &Path,
    folder: &Path,
    folders: &mut Vec<PathBuf>,
    paths: &mut Vec<PathBuf>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), Diagnostic> {
    let unreadable = |error: std::io::Error| {
        let message = format!("cannot read the folder: {error}");
        Diagnostic::new(display_path(root, folder), "", message)
    };
    for entry in std::fs::read_dir(folder).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let path = entry.path();
        let kind = entry.file_type().map_err(unreadable)?;
        if kind.is_dir() {
            folders.push(path);
        } else if is_schema_file_name(&path) {
            paths.push(path);
        } else if kind.is_symlink() && path.is_dir() {
            let message = "a link to a folder is not followed; move the schema files into schema/";
            diagnostics.push(Diagnostic::new(display_path(root, &path), "", message));
        }
    }
    Ok(())
}

fn is_schema_file_name(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "json")
        && path
            .file_name()
            .is_some_and(|name| name != FORMAT_SCHEMA_FILE)
}

fn read_source(root: &Path, path: &Path) -> Result<Source, Diagnostic> {
    let shown = display_path(root, path);
    let error = |message: String| Diagnostic::new(shown.clone(), "", message);
    let relative = relative_path(root, path).ok_or_else(|| {
        error("the path is not valid UTF-8; rename the file or folder".to_owned())
    })?;
    if let Some(problem) = path_problem(&relative) {
        return Err(error(problem.to_owned()));
    }
    let cannot_read = |io: std::io::Error| error(format!("cannot read the file: {io}"));
    // Checked before opening: opening a FIFO blocks until someone writes to it.
    if !std::fs::metadata(path).map_err(cannot_read)?.is_file() {
        return Err(error("not a regular file".to_owned()));
    }
    let file = File::open(path).map_err(cannot_read)?;
    // Checked again on the open file, which is what is actually read.
    if !file.metadata().map_err(cannot_read)?.is_file() {
        return Err(error("not a regular file".to_owned()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_SCHEMA_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > MAX_SCHEMA_FILE_BYTES {
        let limit = MAX_SCHEMA_FILE_BYTES / (1024 * 1024);
        return Err(error(format!(
            "the file is larger than {limit} MiB, the limit for a schema file"
        )));
    }
    let text =
        String::from_utf8(bytes).map_err(|_| error("the file is not UTF-8 text".to_owned()))?;
    Ok(Source {
        path: relative,
        text,
    })
}

/// The path relative to `root` with `/` separators, if it is UTF-8.
fn relative_path(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|component| component.as_os_str().to_str())
        .collect();
    parts.map(|parts| parts.join("/"))
}

/// The path as a diagnostic shows it: relative, with bytes that are not UTF-8
/// replaced and control characters escaped, so it cannot break the message.
fn display_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<_> = relative
        .components()
        .map(|component| component.as_os_str().to_string_lossy())
        .collect();
    escape_controls(&parts.join("/"))
}
