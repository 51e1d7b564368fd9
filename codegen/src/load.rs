//! Finds schema files and parses each into the raw format types.
//!
//! Reading is the only I/O here; [`parse`] is pure so that tests and the
//! benchmark can feed files from memory. A file that is not valid JSON (a key
//! written twice counts as invalid, see `strict_json`), has
//! another format version, or does not match the format is reported with its
//! path and the JSON path of the problem; the other files are still parsed.
//! What the files mean together is checked later, in `lower`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::format::{self, FORMAT_VERSION};
use crate::strict_json;

/// The JSON Schema of the format, which is generated and not itself a schema file.
pub const FORMAT_SCHEMA_FILE: &str = "format.schema.json";

/// A schema file's text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The path relative to the repository root, with `/` separators.
    pub path: String,
    /// The file's contents.
    pub text: String,
}

/// A schema file that parsed.
#[derive(Debug)]
pub struct Parsed {
    /// The path relative to the repository root.
    pub path: String,
    /// The contents.
    pub file: format::File,
}

/// Reads every `*.json` file under `root/schema`, in a stable order.
///
/// Returns an error diagnostic for a file that cannot be read.
pub fn read_sources(root: &Path) -> Result<Vec<Source>, Diagnostic> {
    let schema_dir = root.join("schema");
    let mut paths = Vec::new();
    collect_json_files(&schema_dir, &mut paths).map_err(|error| {
        Diagnostic::new(
            "schema",
            "",
            format!("cannot read the schema folder: {error}"),
        )
    })?;
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let relative = relative_path(root, &path);
            std::fs::read_to_string(&path)
                .map(|text| Source {
                    path: relative.clone(),
                    text,
                })
                .map_err(|error| {
                    Diagnostic::new(relative, "", format!("cannot read the file: {error}"))
                })
        })
        .collect()
}

fn collect_json_files(dir: &Path, paths: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_json_files(&path, paths)?;
        } else if path.extension().is_some_and(|ext| ext == "json")
            && path
                .file_name()
                .is_some_and(|name| name != FORMAT_SCHEMA_FILE)
        {
            paths.push(path);
        }
    }
    Ok(())
}

fn relative_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|component| component.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Parses every source; files with problems are left out and reported.
pub fn parse(sources: &[Source]) -> (Vec<Parsed>, Vec<Diagnostic>) {
    let mut parsed = Vec::new();
    let mut diagnostics = Vec::new();
    for source in sources {
        match parse_one(source) {
            Ok(file) => parsed.push(Parsed {
                path: source.path.clone(),
                file,
            }),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    (parsed, diagnostics)
}

fn parse_one(source: &Source) -> Result<format::File, Diagnostic> {
    let value = strict_json::parse(&source.text).map_err(|error| {
        if error.duplicate_key {
            Diagnostic::new(&source.path, error.path, error.message)
                .with_hint("JSON readers keep only the last of duplicate keys; remove the other")
        } else {
            let message = format!("not valid JSON: {}", error.message);
            Diagnostic::new(&source.path, error.path, message)
        }
    })?;
    check_version(&source.path, &value)?;
    format::read_value(value).map_err(|error| {
        let diagnostic = Diagnostic::new(&source.path, error.path, error.message);
        match error.hint {
            Some(hint) => diagnostic.with_hint(hint),
            None => diagnostic,
        }
    })
}

/// The version is checked first: a file of another version would otherwise
/// fail with confusing errors about keys this generator does not know.
fn check_version(path: &str, value: &Value) -> Result<(), Diagnostic> {
    let version = value.get("format_version");
    match version.and_then(Value::as_u64) {
        Some(found) if found == u64::from(FORMAT_VERSION) => Ok(()),
        Some(found) => Err(Diagnostic::new(
            path,
            "format_version",
            format!(
                "unsupported format version {found}; this generator reads version {FORMAT_VERSION}"
            ),
        )),
        None if value.is_object() => Err(Diagnostic::new(
            path,
            "format_version",
            format!("missing or not a number; expected {FORMAT_VERSION}"),
        )
        .with_hint(format!(
            "add \"format_version\": {FORMAT_VERSION} at the top of the file"
        ))),
        None => Err(Diagnostic::new(
            path,
            "",
            "a schema file must hold a JSON object",
        )),
    }
}
