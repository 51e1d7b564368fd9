//! Reads a documentation checkout: every page under `api-reference/`,
//! sorted by path, with its `{% include [..](path) %}` lines replaced by the
//! included files. The only module that touches the disk.
//!
//! Bounded: pages and includes of at most [`MAX_PAGE_BYTES`], includes
//! nested at most [`MAX_INCLUDE_DEPTH`] deep, only regular files inside the
//! checkout (no link is followed out of it). An include that cannot be read
//! is left out; the page is still read.

use std::io;
use std::path::{Component, Path, PathBuf};

/// The largest page or included file read, in bytes.
pub const MAX_PAGE_BYTES: u64 = 1 << 20;

/// How deep includes may nest.
pub const MAX_INCLUDE_DEPTH: usize = 4;

/// The pages of a documentation checkout.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docs {
    /// Each page's path under `api-reference/` (with `/`) and its text,
    /// includes resolved, sorted by path.
    pub pages: Vec<(String, String)>,
}

/// Reads the checkout at `root`.
///
/// # Errors
///
/// `root` has no `api-reference` folder, or a folder cannot be listed.
pub fn read(root: &Path) -> io::Result<Docs> {
    let missing = || {
        io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "{} has no api-reference folder: not a b24restdocs checkout",
                root.display()
            ),
        )
    };
    let root = root.canonicalize().map_err(|_| missing())?;
    let reference = root.join("api-reference");
    if !reference.is_dir() {
        return Err(missing());
    }
    let mut files = Vec::new();
    let mut folders = vec![reference.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                folders.push(path);
            } else if kind.is_file() && path.extension().is_some_and(|ext| ext == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut docs = Docs::default();
    for file in files {
        let Some(text) = read_bounded(&file) else {
            continue;
        };
        let relative = file
            .strip_prefix(&reference)
            .unwrap_or(&file)
            .components()
            .map(|part| part.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        docs.pages.push((relative, resolve(&root, &file, &text, 0)));
    }
    Ok(docs)
}

/// A regular file's text, if it is one and not too large.
fn read_bounded(path: &Path) -> Option<String> {
    let metadata = std::fs::symlink_metadata(path).ok()?;
    if !metadata.is_file() || metadata.len() > MAX_PAGE_BYTES {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// `text` (of the file at `at`) with its include lines replaced.
fn resolve(root: &Path, at: &Path, text: &str, depth: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        match include_target(line) {
            Some(target) if depth < MAX_INCLUDE_DEPTH => {
                let folder = at.parent().unwrap_or(root);
                if let Some(path) = inside(root, &folder.join(target))
                    && let Some(included) = read_bounded(&path)
                {
                    out.push_str(&resolve(root, &path, &included, depth + 1));
                    out.push('\n');
                }
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// The path of `{% include [title](path) %}` (also `include notitle`).
pub fn include_target(line: &str) -> Option<&str> {
    let rest = line.trim().strip_prefix("{% include")?;
    let open = rest.find("](")? + 2;
    let close = rest[open..].find(')')? + open;
    rest.trim_end().ends_with("%}").then(|| &rest[open..close])
}

/// `path` made plain, if it stays inside `root`.
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let mut plain = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                plain.pop();
            }
            Component::CurDir => {}
            other => plain.push(other),
        }
    }
    plain.starts_with(root).then_some(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_lines_name_their_file() {
        assert_eq!(
            include_target("{% include [Note](../../_includes/required.md) %}"),
            Some("../../_includes/required.md")
        );
        assert_eq!(
            include_target("{% include notitle [E](./x.md) %}"),
            Some("./x.md")
        );
        assert_eq!(include_target("{% note %}"), None);
    }

    #[test]
    fn paths_may_not_leave_the_checkout() {
        let root = Path::new("/docs");
        assert_eq!(
            inside(root, Path::new("/docs/a/../b.md")),
            Some(PathBuf::from("/docs/b.md"))
        );
        assert_eq!(inside(root, Path::new("/docs/../etc/passwd")), None);
    }
}
