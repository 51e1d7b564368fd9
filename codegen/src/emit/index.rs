//! The `api` module root: declares every generated module and re-exports
//! their public items, so adding a method needs no hand edit.

use quote::quote;

use super::{EmittedFile, OUTPUT_DIR, ident};
use crate::model::Api;

/// The `mod.rs` of the generated module.
pub fn emit(api: &Api) -> EmittedFile {
    let modules = api.methods.iter().map(|method| ident(&method.module));
    let exports = api.methods.iter().map(|method| {
        let module = ident(&method.module);
        let mut names: Vec<&String> = [&method.type_name, &method.error_name]
            .into_iter()
            .chain(method.types.iter().map(|named| &named.name))
            .collect();
        names.sort();
        let names = names.into_iter().map(|name| ident(name));
        quote!(pub use #module::{#(#names),*};)
    });
    let shared = api.shared_types.iter().map(|named| ident(&named.name));
    EmittedFile {
        path: format!("{OUTPUT_DIR}/mod.rs"),
        source: "every file in schema/".to_owned(),
        module_doc: "Everything generated from the schema: one module per method, plus shared types and system error codes."
            .to_owned(),
        tokens: quote! {
            #(mod #modules;)*
            mod system_errors;
            mod types;

            #(#exports)*
            pub use system_errors::SystemErrorCode;
            pub use types::{#(#shared),*};
        },
    }
}
