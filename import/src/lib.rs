//! The importer behind `cargo xtask import-docs`: the official Bitrix24
//! REST documentation (a checkout of `b24restdocs`, YFM Markdown) in, one
//! method schema file (format 2) per method page out, with a report of
//! what was imported and what was skipped and why.
//!
//! ```text
//! docs folder -> docs::read (the only I/O; includes resolved)
//!             -> page::read (one page's tables, prose, examples)
//!             -> write::schema_file (format 2 JSON, deterministic; the
//!                examples the caller's record says disagree are marked)
//!             -> overlay::apply (the caller's hand corrections, if any)
//! ```
//!
//! The same documentation gives byte-identical files. A page the importer
//! does not understand is skipped with its reason, never a panic. It knows
//! nothing about the generator: checking that the files generate is the
//! caller's (`xtask`), and so is deciding which files to write.

pub mod disagreements;
pub mod docs;
pub mod overlay;
pub mod page;
mod request;
pub mod types;
mod write;
pub mod yfm;

use std::collections::BTreeMap;

pub use disagreements::Disagreements;
pub use docs::{Docs, read};

/// The result of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Import {
    /// The schema files, by method name, with their text.
    pub files: BTreeMap<String, String>,
    /// Pages not imported, by reason.
    pub skipped: BTreeMap<String, Vec<String>>,
    /// How many documented answers became examples (JSON with the
    /// envelope the example tests read).
    pub examples: usize,
    /// How many pages were read.
    pub pages: usize,
}

impl Import {
    /// How many pages document a method: those read, less those whose title
    /// names no method.
    pub fn method_pages(&self) -> usize {
        let not_methods = self
            .skipped
            .get(page::Skip::NotAMethod.reason())
            .map_or(0, Vec::len);
        self.pages - not_methods
    }
}

/// Imports every method page of `docs`, marking the examples that
/// `disagreements` records as failing.
pub fn import(docs: &Docs, disagreements: &Disagreements) -> Import {
    let mut import = Import {
        pages: docs.pages.len(),
        ..Import::default()
    };
    let mut lower_names: BTreeMap<String, String> = BTreeMap::new();
    for (path, text) in &docs.pages {
        let page = match page::read(text) {
            Ok(page) => page,
            Err(skip) => {
                import
                    .skipped
                    .entry(skip.reason().to_owned())
                    .or_default()
                    .push(path.clone());
                continue;
            }
        };
        // The server reads method names in any case: one file per name.
        let lower = page.name.to_ascii_lowercase();
        if let Some(first) = lower_names.get(&lower) {
            let reason = format!("documented again (first on {first})");
            import.skipped.entry(reason).or_default().push(path.clone());
            continue;
        }
        lower_names.insert(lower, path.clone());
        let (file, examples) = write::schema_file(&page, path, disagreements);
        import.examples += examples;
        import.files.insert(page.name.clone(), file);
    }
    import
}
