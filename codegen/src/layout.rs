//! The crates the generator writes: where each goes, what it is called,
//! and which schema folders it is generated from.
//!
//! The real crate, `bitrix24`, comes from `schema/shared/`, `schema/methods/`
//! (written by hand) and `schema/imported/` (written by `cargo xtask
//! import-docs`). The fixture crate comes from the generator's own edge-case fixtures (and the shared types),
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

/// The folder `cargo xtask import-docs` writes, relative to the repository
/// root: schema files of the `bitrix24` crate that no one edits by hand.
pub const IMPORTED: &str = "schema/imported";

/// The `bitrix24` crate users depend on.
pub const CRATE: Layout = Layout {
    dir: "generated",
    package: "bitrix24",
    description: "Typed Bitrix24 REST API bindings generated from a JSON schema of the methods",
    crate_docs: include_str!("emit/crate_docs.md"),
    publish: true,
    // Not the whole folder: `schema/overrides/` holds the importer's hand
    // corrections, which are merge patches, not schema files.
    schema: &["schema/shared", "schema/methods", IMPORTED],
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

/// The name every generated crate gives its dependency on the crate of
/// shared types, whatever that crate's package is called, so that generated
/// code names shared types by one path (`::bitrix24_types::UserId`).
pub const SHARED_TYPES_DEPENDENCY: &str = "bitrix24-types";

/// One crate of the facade's workspace: the shared types, or a family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The crate's folder, relative to the repository root.
    pub dir: String,
    /// The package name.
    pub package: String,
}

impl Member {
    /// The name Rust code uses for the crate (`bitrix24_api_crm`).
    pub fn crate_name(&self) -> String {
        crate::names::crate_name(&self.package)
    }
}

impl Layout {
    /// The folder holding the facade's member crates: the shared types and
    /// one crate per family, each compiled on its own.
    pub fn members_dir(&self) -> String {
        format!("{}/crates", self.dir)
    }

    /// The crate of the shared types (`bitrix24-types`).
    pub fn shared_types(&self) -> Member {
        Member {
            dir: format!("{}/types", self.members_dir()),
            package: format!("{}-types", self.package),
        }
    }

    /// The crate of the family whose module is `module` (`bitrix24-api-crm`).
    ///
    /// The `api-` part keeps every family's package apart from the shared
    /// types' and from every other crate of the workspace, whatever the
    /// family is called (`runtime`, `emulator`).
    pub fn family(&self, module: &str) -> Member {
        Member {
            dir: format!("{}/{}", self.members_dir(), crate::names::unraw(module)),
            package: format!(
                "{}-api-{}",
                self.package,
                crate::names::package_part(module)
            ),
        }
    }
}
