//! Turns the model into Rust token streams, one per generated file.
//!
//! Emitters are pure functions of the model: they read no files, write none,
//! and make no naming decisions (those are final in the model). Formatting and
//! the file header are added later, in `render`.

mod client;
pub(crate) mod docs;
mod index;
mod method;
mod named;
mod system_errors;
mod tests;
mod ty;

use proc_macro2::{Ident, Span, TokenStream};

use crate::model::Api;

/// Where generated Rust files go, relative to the repository root.
pub const OUTPUT_DIR: &str = "generated/src/api";

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

/// Every generated Rust file for the API, in a stable order.
pub fn emit(api: &Api) -> Vec<EmittedFile> {
    let mut files = vec![
        index::emit(api),
        named::emit_shared(api),
        system_errors::emit(api),
    ];
    files.extend(api.methods.iter().map(method::emit));
    files
}

/// An identifier from a final name; `r#` names become raw identifiers.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}
