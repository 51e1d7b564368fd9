//! Files that hold secrets (the profiles, an OAuth token pair): written
//! whole or not at all and, on Unix, readable by their owner alone; read
//! with a bound on their size, and refused when others may read them.

use std::io::{self, Read, Write};
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

/// Creates `folder` and its missing parents, those it creates readable by
/// their owner alone on Unix; an existing folder is left as it is.
pub fn create_folder(folder: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(folder)
}

/// The text of `path`, or `None` when there is no such file. A file larger
/// than `limit` bytes, not UTF-8, or (on Unix) readable by its group or
/// others is an error naming the file: secrets others could read are
/// refused, as ssh refuses such a key, rather than used.
pub fn read(path: &Path, limit: u64) -> Result<Option<String>, String> {
    let shown = path.display();
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(format!("cannot read {shown}: {error}")),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file
            .metadata()
            .map_err(|error| format!("cannot read {shown}: {error}"))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(format!(
                "{shown} may be read by others (mode {:03o}) and holds secrets: `chmod 600 {shown}` and check they are still secret",
                mode & 0o777
            ));
        }
    }
    let mut text = String::new();
    file.take(limit + 1)
        .read_to_string(&mut text)
        .map_err(|error| format!("cannot read {shown}: {error}"))?;
    if text.len() as u64 > limit {
        return Err(format!("{shown} is larger than {limit} bytes"));
    }
    Ok(Some(text))
}
