//! The importer behind `cargo xtask import-docs`: the official Bitrix24
//! REST documentation (a checkout of `b24restdocs`, YFM Markdown) in, one
//! method schema file (format 2) per method page out, with a report of
//! what was imported and what was skipped and why.
//!
//! ```text
//! docs folder -> docs::read (the only I/O; includes resolved)
//!             -> page::read (one page's tables, prose, examples, and its
//!                REST version, `version.rs`)
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
pub mod version;
mod write;
pub mod yfm;

use std::collections::{BTreeMap, HashSet};

pub use disagreements::Disagreements;
pub use docs::{Docs, read};
pub use version::RestVersion;

/// The result of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Import {
    /// The schema files, by key (the method's name, under `v3/` for a
    /// REST 3.0 method: [`RestVersion::key`]), with their text.
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

    /// How many REST 3.0 methods were imported.
    pub fn rest3(&self) -> usize {
        self.files
            .keys()
            .filter(|key| RestVersion::of_key(key).0 == RestVersion::Three)
            .count()
    }

    /// The methods imported in both versions, by their REST 2 names.
    pub fn twins(&self) -> Vec<&str> {
        let rest3: HashSet<String> = self
            .files
            .keys()
            .filter_map(|key| match RestVersion::of_key(key) {
                (RestVersion::Three, name) => Some(name.to_ascii_lowercase()),
                (RestVersion::Two, _) => None,
            })
            .collect();
        self.files
            .keys()
            .filter(|key| {
                RestVersion::of_key(key).0 == RestVersion::Two
                    && rest3.contains(&key.to_ascii_lowercase())
            })
            .map(String::as_str)
            .collect()
    }
}

/// Imports every method page of `docs`, marking the examples that
/// `disagreements` records as failing.
pub fn import(docs: &Docs, disagreements: &Disagreements) -> Import {
    let mut import = Import {
        pages: docs.pages.len(),
        ..Import::default()
    };
    let mut lower_keys: BTreeMap<String, String> = BTreeMap::new();
    let mut pages = Vec::new();
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
        // The server reads method names in any case: one file per name and
        // version, so a method documented in both versions has two.
        let key = page.version.key(&page.name);
        let lower = key.to_ascii_lowercase();
        if let Some(first) = lower_keys.get(&lower) {
            let reason = format!("documented again (first on {first})");
            import.skipped.entry(reason).or_default().push(path.clone());
            continue;
        }
        lower_keys.insert(lower, path.clone());
        pages.push((key, path, page));
    }
    // The REST 3.0 twin of a REST 2 method names its types as the generator
    // names its request (`TasksTaskUpdateV3...`): both are in one family.
    let rest2: HashSet<String> = pages
        .iter()
        .filter(|(_, _, page)| page.version == RestVersion::Two)
        .map(|(_, _, page)| page.name.to_ascii_lowercase())
        .collect();
    for (key, path, page) in pages {
        let twin =
            page.version == RestVersion::Three && rest2.contains(&page.name.to_ascii_lowercase());
        let (file, examples) = write::schema_file(&page, &key, twin, path, disagreements);
        import.examples += examples;
        import.files.insert(key, file);
    }
    import
}
