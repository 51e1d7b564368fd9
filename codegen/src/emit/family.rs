//! The root of a family's crate: its method modules, their re-exports, and
//! the trait that adds the family's client functions to `Client`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{lines, sanitize_line};
use super::method::{empty_codes, required_args, with_required_params};
use super::{EmittedFile, family_dir, ident, runtime_import};
use crate::layout::Layout;
use crate::model::{Family, Method, TypeKind};
use crate::names;

/// The `lib.rs` of a family's crate.
pub fn emit(layout: &Layout, family: &Family) -> EmittedFile {
    let runtime = runtime_import();
    let modules = family.methods.iter().map(|method| {
        let module = ident(&method.module);
        quote!(mod #module;)
    });
    let exports = family.methods.iter().map(|method| {
        let module = ident(&method.module);
        let mut items: Vec<&String> = [&method.type_name, &method.error_name]
            .into_iter()
            .chain(&method.setters_trait)
            .chain(&method.params_struct)
            .chain(method.types.iter().map(|named| &named.name))
            .collect();
        items.sort();
        let items = items.into_iter().map(|name| ident(name));
        quote!(pub use #module::{#(#items),*};)
    });
    let markers = markers(family);
    let empty_codes = empty_codes(family);
    let client_trait = client_trait(family);
    let schema = super::schema::family_items(family);
    let count = family.methods.len();
    let noun = if count == 1 { "method" } else { "methods" };
    EmittedFile {
        path: format!("{}/lib.rs", family_dir(layout, family)),
        source: format!("the {} methods in schema/", family.wire),
        module_doc: format!(
            "The `{}.*` family of the `{}` crate: {count} {noun}, enabled there by the cargo feature `{}` as the module `{}`.",
            family.wire,
            layout.package,
            family.feature,
            names::unraw(&family.module)
        ),
        tokens: quote! {
            #runtime
            #(#modules)*
            #(#exports)*
            #markers
            #empty_codes
            #client_trait
            #schema
        },
    }
}

/// The markers of the family's own ID types, gathered from its method files.
fn markers(family: &Family) -> TokenStream {
    let ids: Vec<TokenStream> = family
        .methods
        .iter()
        .flat_map(|method| {
            let module = ident(&method.module);
            method
                .types
                .iter()
                .filter(|named| named.kind == TypeKind::Id)
                .map(move |named| {
                    let name = ident(&named.name);
                    quote!(pub use super::#module::markers::#name;)
                })
        })
        .collect();
    if ids.is_empty() {
        return quote!();
    }
    quote! {
        /// The types that tell the family's kinds of IDs apart.
        pub mod markers {
            #(#ids)*
        }
    }
}

fn client_trait(family: &Family) -> TokenStream {
    let name = ident(&family.client_trait);
    let docs = lines(&[
        format!(
            "The client functions of the `{}.*` methods: `client.{}(...)`.",
            family.wire,
            family
                .methods
                .first()
                .map_or("", |method| names::unraw(method.client_fn()))
        ),
        String::new(),
        "Implemented for `Client` (and, with the `blocking` feature, `blocking::Client`); bring it into scope with `use bitrix24::prelude::*;`."
            .to_owned(),
    ]);
    let functions = family.methods.iter().map(client_fn);
    quote! {
        #docs
        pub trait #name: rt::ClientHandle {
            #(#functions)*
        }

        impl<T: rt::ClientHandle> #name for T {}
    }
}

fn client_fn(method: &Method) -> TokenStream {
    let request = ident(&method.type_name);
    let function = ident(method.client_fn());
    let args = required_args(method);
    let arg_names = method.required_params().map(|param| ident(&param.rust));
    let mut text = vec![
        format!(
            "Prepares a `{}` call: {}",
            method.wire,
            sanitize_line(&method.summary)
        ),
        String::new(),
    ];
    text.push(match &method.setters_trait {
        Some(setters) => format!(
            "Set optional parameters on the returned call ([`{setters}`]), then `.await` it. See [`{}`] for the details.",
            method.type_name
        ),
        None => format!(
            "`.await` the returned call. See [`{}`] for the details.",
            method.type_name
        ),
    });
    let docs = lines(&with_required_params(text, method));
    let params = args.iter().map(|arg| &arg.param);
    quote! {
        #docs
        fn #function(&self, #(#params),*) -> rt::Call<#request> {
            rt::prepare(self, #request::new(#(#arg_names),*))
        }
    }
}
