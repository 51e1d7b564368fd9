//! Moves staged files and folders into place all together: either every
//! target is replaced, or after an I/O error every one is put back as it was.
//!
//! Each replacement is two renames within one folder (the old entry to a
//! backup name, the staged one to the target), so no reader ever sees a
//! half-written file, and undoing is renaming back. This module knows nothing
//! about what the entries hold or which names the generator reserves.

use std::io;
use std::path::{Path, PathBuf};

/// One entry to replace: `staged` becomes `target`; the old `target`, if
/// any, waits at `backup` until every replacement succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Swap {
    /// The complete new file or folder, in the target's folder.
    pub staged: PathBuf,
    /// Where it goes.
    pub target: PathBuf,
    /// Where the old target waits; must not exist beforehand.
    pub backup: PathBuf,
}

/// Replaces every target, or none: on an error the targets replaced so far
/// are put back and the error names the entry that failed.
pub fn commit(swaps: &[Swap]) -> io::Result<()> {
    for (done, swap) in swaps.iter().enumerate() {
        if let Err(error) = swap.apply() {
            for earlier in swaps[..done].iter().rev() {
                earlier.undo();
            }
            return Err(error);
        }
    }
    for swap in swaps {
        // Every target is in place; a backup that cannot be removed is only
        // a hidden leftover, which the next run removes.
        let _ = remove(&swap.backup);
    }
    Ok(())
}

impl Swap {
    fn apply(&self) -> io::Result<()> {
        let had_target = exists(&self.target)?;
        if had_target {
            rename(&self.target, &self.backup)?;
        }
        if let Err(error) = rename(&self.staged, &self.target) {
            if had_target {
                let _ = std::fs::rename(&self.backup, &self.target);
            }
            return Err(error);
        }
        Ok(())
    }

    /// Best effort: when putting an entry back fails too, nothing more can
    /// be done, and the first error is the one worth reporting.
    fn undo(&self) {
        let _ = std::fs::rename(&self.target, &self.staged);
        if exists(&self.backup).unwrap_or(false) {
            let _ = std::fs::rename(&self.backup, &self.target);
        }
    }
}

/// Whether anything (a file, folder or link) is at `path`.
pub fn exists(path: &Path) -> io::Result<bool> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(with_path("cannot inspect", path, error)),
    }
}

/// Removes whatever is at `path` (a folder with its contents; a link, not
/// what it points to); nothing there is fine.
pub fn remove(path: &Path) -> io::Result<()> {
    let removed = match std::fs::symlink_metadata(path) {
        Ok(metadata) if metadata.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error),
    };
    removed.map_err(|error| with_path("cannot remove", path, error))
}

fn rename(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::rename(from, to).map_err(|error| {
        let message = format!(
            "cannot move {} to {}: {error}",
            from.display(),
            to.display()
        );
        io::Error::new(error.kind(), message)
    })
}

/// `error` with what was being done and to which path.
pub fn with_path(action: &str, path: &Path, error: io::Error) -> io::Error {
    io::Error::new(
        error.kind(),
        format!("{action} {}: {error}", path.display()),
    )
}

#[cfg(test)]
mod tests {
    use super::{Swap, commit};

    #[test]
    fn a_failed_swap_puts_back_the_ones_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name);
        std::fs::write(path("a"), "old a").unwrap();
        std::fs::write(path("a.new"), "new a").unwrap();
        std::fs::create_dir(path("b")).unwrap();
        std::fs::write(path("b/inside"), "old b").unwrap();
        std::fs::create_dir(path("b.new")).unwrap();
        let swaps = [
            Swap {
                staged: path("a.new"),
                target: path("a"),
                backup: path("a.old"),
            },
            Swap {
                staged: path("b.new"),
                target: path("b"),
                backup: path("b.old"),
            },
            Swap {
                staged: path("missing.new"),
                target: path("c"),
                backup: path("c.old"),
            },
        ];
        let error = commit(&swaps).unwrap_err();
        assert!(error.to_string().contains("missing.new"), "{error}");
        assert_eq!(std::fs::read_to_string(path("a")).unwrap(), "old a");
        assert_eq!(std::fs::read_to_string(path("b/inside")).unwrap(), "old b");
        assert_eq!(std::fs::read_to_string(path("a.new")).unwrap(), "new a");
        for leftover in ["a.old", "b.old", "c", "c.old"] {
            assert!(!path(leftover).exists(), "{leftover} is left");
        }
    }

    #[test]
    fn a_complete_commit_replaces_every_target_and_drops_the_backups() {
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name);
        std::fs::write(path("a"), "old").unwrap();
        std::fs::write(path("a.new"), "new").unwrap();
        std::fs::write(path("fresh.new"), "fresh").unwrap();
        let swaps = [
            Swap {
                staged: path("a.new"),
                target: path("a"),
                backup: path("a.old"),
            },
            Swap {
                staged: path("fresh.new"),
                target: path("fresh"),
                backup: path("fresh.old"),
            },
        ];
        commit(&swaps).unwrap();
        assert_eq!(std::fs::read_to_string(path("a")).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(path("fresh")).unwrap(), "fresh");
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["a", "fresh"]);
    }
}
