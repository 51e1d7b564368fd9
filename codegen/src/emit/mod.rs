//! Turns the model into the files of the generated crate: Rust token
//! streams, one per file, and the crate's manifest.
//!
//! Emitters are pure functions of the model: they read no files, write none,
//! and make no naming decisions (those are final in the model). Formatting and
//! the file header are added later, in `render`.
//!
//! The layout they write, in the crate's folder (`generated/`): a facade
//! crate over one crate per family, so that the families compile in parallel
//! and each on its own.
//! - `Cargo.toml`: the facade's package, with one cargo feature per family
//!   that turns on the family's crate (`manifest.rs`, which writes every
//!   manifest);
//! - `src/lib.rs`: the crate docs, the runtime's items, every family crate as
//!   a module, and the root re-exports (`root.rs`);
//! - `src/prelude.rs`: the traits that add client functions and setters;
//! - `src/schema.rs`: every method as data, behind the `schema` feature
//!   (`schema.rs`, which also writes each crate's data, `src/schema.json`,
//!   and the item of its root that embeds it);
//! - `crates/types/`: the crate of shared types (`src/lib.rs`);
//! - `crates/<family>/`: a family's crate: `src/lib.rs` holds its methods'
//!   re-exports and its trait of client functions (`family.rs`),
//!   `src/<method>.rs` one method (`method.rs`, with `named.rs` for its
//!   types), `tests/examples.rs` the tests of its methods' examples
//!   (`tests.rs`), an integration test so that the library is compiled once,
//!   not again for its tests;
//! - `crates/rustfmt.toml`: keeps `cargo fmt` off the member crates, which
//!   prettyplease formats;
//! - for crates.io (`publish.rs`): each member crate's `README.md`, and the
//!   licence texts in every crate's folder, since a package holds only the
//!   files under its folder.

pub(crate) mod docs;
mod family;
mod manifest;
mod method;
mod named;
mod publish;
mod root;
mod schema;
mod serde;
mod tests;
mod ty;
mod value;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

pub use manifest::manifests;
pub use publish::files as package_files;
pub use schema::data_files as schema_data;

use crate::layout::Layout;
use crate::model::{Api, Family};

/// One generated Rust file before formatting.
#[derive(Debug, Clone)]
pub struct EmittedFile {
    /// The path relative to the repository root.
    pub path: String,
    /// What it is generated from, for the header.
    pub source: String,
    /// The module doc comment (first line of the file after the header).
    pub module_doc: String,
    /// The file's items.
    pub tokens: TokenStream,
}

/// One generated Rust file, named by what it is generated from.
///
/// Token streams cannot cross threads, so files are listed first and each
/// is then emitted (and formatted) wherever it is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileJob {
    /// `src/lib.rs`.
    Lib,
    /// `src/prelude.rs`.
    Prelude,
    /// The shared types' `lib.rs`.
    SharedTypes,
    /// `src/schema.rs`.
    Schema,
    /// A family's `lib.rs`, by index in `Api::families`.
    Family(usize),
    /// A method's file: the family's index, then the method's.
    Method(usize, usize),
    /// A family's `tests/examples.rs`, by index in `Api::families`: the
    /// tests of its methods' examples.
    Examples(usize),
}

/// Every generated Rust file for the API, in a stable order.
pub fn jobs(api: &Api) -> Vec<FileJob> {
    let mut jobs = vec![
        FileJob::Lib,
        FileJob::Prelude,
        FileJob::SharedTypes,
        FileJob::Schema,
    ];
    for (index, family) in api.families.iter().enumerate() {
        jobs.push(FileJob::Family(index));
        jobs.extend((0..family.methods.len()).map(|method| FileJob::Method(index, method)));
        if family
            .methods
            .iter()
            .any(|method| !method.examples.is_empty())
        {
            jobs.push(FileJob::Examples(index));
        }
    }
    jobs
}

/// The tokens of one file.
pub fn emit(api: &Api, layout: &Layout, job: FileJob) -> EmittedFile {
    match job {
        FileJob::Lib => root::lib(api, layout),
        FileJob::Prelude => root::prelude(api, layout),
        FileJob::SharedTypes => root::shared_types(api, layout),
        FileJob::Schema => schema::root_module(api, layout),
        FileJob::Family(family) => family::emit(layout, &api.families[family]),
        FileJob::Examples(family) => tests::emit(layout, &api.families[family]),
        FileJob::Method(family, method) => {
            let family = &api.families[family];
            method::emit(layout, family, &family.methods[method])
        }
    }
}

/// The source folder of a family's crate.
fn family_dir(layout: &Layout, family: &Family) -> String {
    format!("{}/src", layout.family(&family.module).dir)
}

/// The facade's module of the shared types (`bitrix24::types`).
const SHARED_TYPES_MODULE: &str = "types";

/// The path every generated file names a shared type by: the crate of
/// shared types under the one dependency name every generated crate gives it.
fn shared_types_crate() -> TokenStream {
    let name = shared_types_name();
    quote!(::#name)
}

/// The name of the crate of shared types in generated code (`bitrix24_types`).
fn shared_types_name() -> Ident {
    ident(&crate::names::crate_name(
        crate::layout::SHARED_TYPES_DEPENDENCY,
    ))
}

/// The one way generated code reaches the runtime: its contract module,
/// under a name no schema item can take in a generated file.
fn runtime_import() -> TokenStream {
    quote!(
        use ::bitrix24_runtime::__private as rt;
    )
}

/// An identifier from a final name; `r#` names become raw identifiers.
///
/// The model only holds names that `names::is_identifier` accepts, so this
/// cannot fail on them.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[allow(clippy::wrong_self_convention)]` for a builder method whose
/// name, taken from a wire name (`IS_ADMIN`, `FROM_DATE`), reads like a
/// conversion or a predicate to clippy; nothing otherwise. Builder methods
/// take `self` by value whatever they are called.
pub(crate) fn builder_method_lints(name: &str) -> TokenStream {
    let name = crate::names::unraw(name);
    let looks_like_conversion = ["as_", "from_", "is_", "to_"]
        .iter()
        .any(|prefix| name.starts_with(prefix))
        || name.ends_with("_mut");
    if looks_like_conversion {
        quote::quote!(#[allow(clippy::wrong_self_convention)])
    } else {
        TokenStream::new()
    }
}
