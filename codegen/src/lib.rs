//! The generator behind `cargo xtask codegen`: Bitrix24 method schemas in,
//! the Rust source of the `bitrix24` crate out.
//!
//! Data flows one way:
//!
//! ```text
//! schema/**/*.json -> load (parse, strict) -> lower (validate, name) -> model
//!                  -> emit (tokens) -> render (prettyplease) -> output (write or check)
//! ```
//!
//! Every stage but the first and the last is pure, which is what the tests and
//! the benchmark rely on: [`generate`] turns sources held in memory into file
//! contents without touching the disk. Problems in the schema come back as
//! [`Diagnostics`] naming each file and JSON path; the generator never panics
//! on bad input. The command line lives in `xtask`; the runtime the generated
//! code uses lives in the `bitrix24-runtime` crate, whose list of reserved
//! names this crate includes (`names::runtime`).

// The format of the schema data the generator writes into each crate (the
// `schema` feature): the runtime's own types, from the runtime's file, so
// that what is written and what is read cannot drift. Its docs are the
// file's own (an outer doc here would resolve the file's links from this
// crate's root).
#[path = "../../runtime/src/__private/schema.rs"]
pub mod data;
mod diagnostic;
mod emit;
pub mod format;
pub mod layout;
mod load;
mod lower;
pub mod model;
pub mod names;
pub mod operators;
mod output;
mod render;
mod source_files;
pub mod strict_json;
mod swap;
mod verbatim;

use std::path::Path;

pub use diagnostic::{Diagnostic, Diagnostics};
pub use load::{FORMAT_SCHEMA_FILE, Source};
pub use output::{OutputFile, Staleness, check, write};
pub use source_files::MAX_SCHEMA_FILE_BYTES;

/// Where the JSON Schema of the format is written, relative to the repository root.
pub const FORMAT_SCHEMA_PATH: &str = "schema/format.schema.json";

/// The folder of the `bitrix24` crate, relative to the repository root.
pub const OUTPUT_DIR: &str = layout::CRATE.dir;

/// Parses and validates schema sources into the model.
pub fn model(sources: &[Source]) -> Result<model::Api, Diagnostics> {
    let (parsed, mut diagnostics) = load::parse(sources);
    match lower::lower(parsed, !diagnostics.is_empty()) {
        Ok(api) if diagnostics.is_empty() => Ok(api),
        Ok(_) => Err(Diagnostics(diagnostics)),
        Err(found) => {
            diagnostics.extend(found);
            diagnostics.sort_by(|a, b| a.file.cmp(&b.file));
            Err(Diagnostics(diagnostics))
        }
    }
}

/// Generates the `bitrix24` crate and the format's JSON Schema from schema
/// sources held in memory.
pub fn generate(sources: &[Source]) -> Result<Vec<OutputFile>, Diagnostics> {
    let mut files = generate_crate(sources, &layout::CRATE)?;
    files.push(OutputFile {
        path: FORMAT_SCHEMA_PATH.to_owned(),
        contents: format_schema(),
    });
    Ok(files)
}

/// Generates every file of one crate from schema sources held in memory.
pub fn generate_crate(
    sources: &[Source],
    layout: &layout::Layout,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let api = model(sources)?;
    let rendered = render::in_parallel(&emit::jobs(&api), |job| {
        let emitted = emit::emit(&api, layout, job);
        let (path, source) = (emitted.path.clone(), emitted.source.clone());
        render::render(emitted)
            .map(|contents| OutputFile { path, contents })
            .map_err(|message| Diagnostic::new(source, "", message))
    });
    let mut files = rendered
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|diagnostic| Diagnostics(vec![diagnostic]))?;
    files.extend(
        emit::manifests(&api, layout)
            .into_iter()
            .chain(emit::schema_data(&api, layout))
            .chain(emit::package_files(&api, layout))
            .map(|(path, contents)| OutputFile { path, contents }),
    );
    Ok(files)
}

/// Reads every schema file under the `folders` of `root` (relative paths,
/// such as `schema`), with every problem reported.
pub fn read_sources(root: &Path, folders: &[&str]) -> Result<Vec<Source>, Diagnostics> {
    source_files::read_sources(root, folders).map_err(Diagnostics)
}

/// Reads the schema of every crate the generator writes ([`layout::ALL`])
/// under `root` and generates every output file: the crates and the
/// format's JSON Schema. Any problem in any schema fails the whole run.
pub fn generate_from_dir(root: &Path) -> Result<Vec<OutputFile>, Diagnostics> {
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    for layout in &layout::ALL {
        let generated =
            read_sources(root, layout.schema).and_then(|sources| generate_crate(&sources, layout));
        match generated {
            Ok(generated) => files.extend(generated),
            // The shared files are read for every crate: report a problem
            // in one of them once.
            Err(found) => {
                for diagnostic in found.0 {
                    if !diagnostics.contains(&diagnostic) {
                        diagnostics.push(diagnostic);
                    }
                }
            }
        }
    }
    if !diagnostics.is_empty() {
        return Err(Diagnostics(diagnostics));
    }
    files.push(OutputFile {
        path: FORMAT_SCHEMA_PATH.to_owned(),
        contents: format_schema(),
    });
    Ok(files)
}

/// Whether [`run`] writes the generated files or only compares them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Bring the tree up to date.
    Write,
    /// Write nothing; report what is stale.
    Check,
}

/// Why [`run`] failed.
#[derive(Debug)]
pub enum RunError {
    /// The schema has problems; nothing was written.
    Schema(Diagnostics),
    /// The generated files could not be read or written.
    Io(std::io::Error),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Schema(diagnostics) => diagnostics.fmt(f),
            Self::Io(error) => write!(f, "cannot update the generated files: {error}"),
        }
    }
}

impl std::error::Error for RunError {}

/// What `cargo xtask codegen` does: generate everything from `root/schema`,
/// then write or check it. Nothing is written unless the whole schema is valid.
pub fn run(root: &Path, mode: Mode) -> Result<(usize, Staleness), RunError> {
    let files = generate_from_dir(root).map_err(RunError::Schema)?;
    let staleness = match mode {
        Mode::Write => write(root, &files),
        Mode::Check => check(root, &files),
    }
    .map_err(RunError::Io)?;
    Ok((files.len(), staleness))
}

/// The JSON Schema of the file format, pretty-printed with sorted keys.
///
/// Sorted explicitly: whether `serde_json` keeps insertion order depends on
/// a feature any crate in the build may enable, and the file must not.
pub fn format_schema() -> String {
    let mut text = serde_json::to_string_pretty(&sorted(format::json_schema())).unwrap_or_default();
    text.push('\n');
    text
}

fn sorted(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.into_iter().collect();
            entries.sort_by(|(a, _), (b, _)| a.cmp(b));
            serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (key, sorted(value)))
                    .collect(),
            )
        }
        serde_json::Value::Array(items) => items.into_iter().map(sorted).collect(),
        other => other,
    }
}
