//! The facade's root (`lib.rs`) and prelude, which gather every family's
//! crate, and the root of the crate of shared types.

use quote::quote;

use super::named::{markers, named_type};
use super::{
    EmittedFile, SHARED_TYPES_MODULE, ident, runtime_import, shared_types_crate, shared_types_name,
};
use crate::layout::Layout;
use crate::model::{Api, Family};

/// `lib.rs`: the crate docs, the runtime's items, the families' crates as
/// modules behind their features, and the re-exports at the root.
///
/// prettyplease formats the files, so every item carries `rustfmt::skip`:
/// rustfmt must not reformat them (an inner `#![rustfmt::skip]` is unstable).
pub fn lib(api: &Api, layout: &Layout) -> EmittedFile {
    let families = api.families.iter().map(|family| {
        let module = ident(&family.module);
        let family_crate = ident(&layout.family(&family.module).crate_name());
        let feature = &family.feature;
        let mut items: Vec<&String> = family
            .methods
            .iter()
            .flat_map(|method| [&method.type_name, &method.error_name])
            .collect();
        items.sort();
        let items = items.into_iter().map(|name| ident(name));
        // The family's crate has its own docs; rendering every family again
        // inside the facade's would take rustdoc minutes and gigabytes.
        quote! {
            #[cfg(feature = #feature)]
            #[rustfmt::skip]
            pub use ::#family_crate as #module;
            #[cfg(feature = #feature)]
            #[doc(no_inline)]
            #[rustfmt::skip]
            pub use #module::{#(#items),*};
        }
    });
    let shared = shared_type_names(api);
    let shared_module = ident(SHARED_TYPES_MODULE);
    let shared = (!shared.is_empty()).then(|| {
        quote! {
            #[rustfmt::skip]
            pub use #shared_module::{#(#shared),*};
        }
    });
    let schema_feature = super::schema::FEATURE;
    let shared_types = shared_types_crate();
    EmittedFile {
        path: format!("{}/src/lib.rs", layout.dir),
        source: "every file in schema/".to_owned(),
        module_doc: String::new(),
        tokens: quote! {
            #[doc(inline)]
            #[rustfmt::skip]
            pub use ::bitrix24_runtime::*;

            #[rustfmt::skip]
            pub mod prelude;
            #[doc(inline)]
            #[rustfmt::skip]
            pub use #shared_types as #shared_module;
            #[cfg(feature = #schema_feature)]
            #[rustfmt::skip]
            pub mod schema;

            #(#families)*
            #shared
        },
    }
    .with_crate_docs(layout.crate_docs)
}

/// `prelude.rs`: every trait of client functions and of setters, so one
/// glob import makes `client.method(...)` and `.setter(...)` work.
pub fn prelude(api: &Api, layout: &Layout) -> EmittedFile {
    let families = api.families.iter().map(|family| {
        let module = ident(&family.module);
        let feature = &family.feature;
        let traits = prelude_traits(family);
        quote! {
            #[cfg(feature = #feature)]
            #[doc(no_inline)]
            pub use crate::#module::{#(#traits),*};
        }
    });
    EmittedFile {
        path: format!("{}/src/prelude.rs", layout.dir),
        source: "every file in schema/".to_owned(),
        module_doc: "The traits that add client functions to `Client` and setters to requests and calls: `use bitrix24::prelude::*;`.".to_owned(),
        tokens: quote!(#(#families)*),
    }
}

fn prelude_traits(family: &Family) -> Vec<proc_macro2::Ident> {
    let mut traits: Vec<&String> = family
        .methods
        .iter()
        .filter_map(|method| method.setters_trait.as_ref())
        .chain([&family.client_trait])
        .collect();
    traits.sort();
    traits.into_iter().map(|name| ident(name)).collect()
}

/// The shared types' `lib.rs`: the types defined outside method files.
///
/// Generated code names a shared type by the crate's dependency name
/// (`::bitrix24_types::UserId`), which the crate gives itself too.
pub fn shared_types(api: &Api, layout: &Layout) -> EmittedFile {
    let runtime = runtime_import();
    let items = api.shared_types.iter().map(named_type);
    let markers = markers(&api.shared_types);
    let schema = super::schema::shared_items();
    let own_name = shared_types_name();
    EmittedFile {
        path: format!("{}/src/lib.rs", layout.shared_types().dir),
        source: "the shared type definitions in schema/".to_owned(),
        module_doc: format!(
            "Types shared by several families of the `{}` crate, such as IDs and roles; re-exported there as `types` and at its root.",
            layout.package
        ),
        tokens: quote! {
            extern crate self as #own_name;
            #runtime
            #(#items)*
            #markers
            #schema
        },
    }
}

fn shared_type_names(api: &Api) -> Vec<proc_macro2::Ident> {
    api.shared_types
        .iter()
        .map(|named| ident(&named.name))
        .collect()
}

impl EmittedFile {
    /// The file with `docs` as its module docs, one `//!` line each.
    fn with_crate_docs(mut self, docs: &str) -> Self {
        self.module_doc = docs.trim_end().to_owned();
        self
    }
}
