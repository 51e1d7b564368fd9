//! Files that hold secrets (an OAuth token pair): written whole or not at
//! all and, on Unix, readable by their owner alone.

use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `path` through a file beside it moved over it, so a
/// crash never leaves half a file. The new file is created with mode 0600,
/// or narrower when the file it replaces was (a mode is never widened); a
/// staged file a crash left behind, which may have other rights, is removed
/// first rather than reused.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let staged = path.with_extension("new");
    match std::fs::remove_file(&staged) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
        _ => {}
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let mode = std::fs::metadata(path)
            .map(|existing| existing.permissions().mode() & 0o600)
            .unwrap_or(0o600);
        options.mode(mode);
    }
    let mut file = options.open(&staged)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&staged, path)
}
