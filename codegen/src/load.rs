//! Parses each schema file into the raw format types.
//!
//! [`parse`] is pure so that tests and the benchmark can feed files from
//! memory; reading them from the disk is `source_files`. A file that is not
//! valid JSON (a key written twice counts as invalid, see `strict_json`), has
//! another format version, does not match the format, or has a path with a
//! control character is reported with its path and the JSON path of the
//! problem; the other files are still parsed. What the files mean together is
//! checked later, in `lower`.

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::format::{self, FORMAT_VERSION};
use crate::{source_files, strict_json, verbatim};

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

/// Parses every source; files with problems are left out and reported.
pub fn parse(sources: &[Source]) -> (Vec<Parsed>, Vec<Diagnostic>) {
    let mut parsed = Vec::new();
    let mut diagnostics = Vec::new();
    for source in sources {
        if let Some(problem) = source_files::path_problem(&source.path) {
            let file = source_files::escape_controls(&source.path);
            diagnostics.push(Diagnostic::new(file, "", problem));
            continue;
        }
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
    let mut file: format::File = format::read_value(value).map_err(|error| {
        let diagnostic = Diagnostic::new(&source.path, error.path, error.message);
        match error.hint {
            Some(hint) => diagnostic.with_hint(hint),
            None => diagnostic,
        }
    })?;
    attach_example_texts(&source.text, &mut file);
    Ok(file)
}

/// Gives each example the text of its `params` and `body` (see `verbatim`).
/// An example whose text cannot be found becomes an error item, which
/// `lower` reports at its path like any other bad item.
fn attach_example_texts(text: &str, file: &mut format::File) {
    let Some(method) = &mut file.method else {
        return;
    };
    let mut texts = verbatim::example_texts(text).into_iter();
    for item in &mut method.examples.0 {
        let found = texts.next().flatten();
        if let Ok(example) = item {
            match found {
                Some(texts) => {
                    example.params_json = texts.params;
                    example.body_json = texts.body;
                }
                None => {
                    *item = Err(format::ItemError {
                        path: String::new(),
                        message: "cannot find the text of this example in the file".to_owned(),
                        hint: None,
                    });
                }
            }
        }
    }
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
