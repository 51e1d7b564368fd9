//! The crates the generator writes: where each goes, what it is called,
//! and which schema folders it is generated from.
//!
//! The real crate, `bitrix24`, comes from `schema/shared/` and `schema/methods/`. The fixture crate
//! comes from the generator's own edge-case fixtures (and the shared types),
//! so that CI compiles, lints and tests the output for every odd schema the
//! fixtures describe, not only snapshots it. This module knows nothing
//! about what is generated.

/// One generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// The folder the generator owns, relative to the repository root:
    /// every file in it is generated.
    pub dir: &'static str,
    /// The package name.
    pub package: &'static str,
    /// The package description.
    pub description: &'static str,
    /// The crate docs (Markdown), shown on the crate's front page.
    pub crate_docs: &'static str,
    /// Whether the package may be published.
    pub publish: bool,
    /// The folders whose `*.json` files are its schema, relative to the
    /// repository root.
    pub schema: &'static [&'static str],
}

/// The `bitrix24` crate users depend on.
pub const CRATE: Layout = Layout {
    dir: "generated",
    package: "bitrix24",
    description: "Typed Bitrix24 REST API bindings generated from a JSON schema of the methods",
    crate_docs: include_str!("emit/crate_docs.md"),
    publish: true,
    // Not the whole folder: `schema/overrides/` holds the importer's hand
    // corrections, which are merge patches, not schema files.
    schema: &["schema/shared", "schema/methods"],
};

/// The crate generated from the generator's test fixtures.
pub const FIXTURES: Layout = Layout {
    dir: "fixtures",
    package: "bitrix24-fixtures",
    description: "The generator's edge-case fixtures as a crate, so that CI compiles and lints what they generate",
    crate_docs: "The generator's edge-case fixtures (`codegen/tests/fixtures/`), generated\nlike the `bitrix24` crate so that CI compiles, lints and tests them.\nNot published, and not an API to use.",
    publish: false,
    schema: &["schema/shared", "codegen/tests/fixtures"],
};

/// Every crate the generator writes.
pub const ALL: [Layout; 2] = [CRATE, FIXTURES];
