//! The serde attributes of generated types, through the runtime's re-export
//! of serde: the generated crate depends on the runtime alone.

use proc_macro2::TokenStream;
use quote::quote;

use super::ty::optional_adapter;
use crate::names;

/// The path derives use for serde, written out in full so it resolves in
/// whatever scope the derive expands into.
const SERDE: &str = "::bitrix24_runtime::__private::serde";

/// The path of `serde_with`, for its `serde_as` attribute.
const SERDE_WITH: &str = "::bitrix24_runtime::__private::serde_with";

/// `#[serde(crate = ...)]`, which every type deriving serde's traits needs.
pub fn serde_crate() -> TokenStream {
    quote!(#[serde(crate = #SERDE)])
}

/// `#[serde_as]` on a type with adapted fields, if any field needs one.
pub fn serde_as(needed: bool) -> TokenStream {
    if needed {
        quote!(#[rt::serde_with::serde_as(crate = #SERDE_WITH)])
    } else {
        quote!()
    }
}

/// The attributes of a field or parameter: its wire name, absence for an
/// optional value, and the adapter that decodes it.
///
/// `serde_as` already defaults `Option` fields it adapts, and serde rejects
/// a second `default`.
pub fn field_attrs(wire: &str, rust: &str, optional: bool, adapter: Option<String>) -> TokenStream {
    let mut parts = Vec::new();
    if names::unraw(rust) != wire {
        parts.push(quote!(rename = #wire));
    }
    if optional {
        if adapter.is_none() {
            parts.push(quote!(default));
        }
        parts.push(quote!(skip_serializing_if = "rt::Option::is_none"));
    }
    let serde = (!parts.is_empty()).then(|| quote!(#[serde(#(#parts),*)]));
    let adapted = adapter.map(|adapter| {
        let adapter = if optional {
            optional_adapter(&adapter)
        } else {
            adapter
        };
        quote!(#[serde_as(as = #adapter)])
    });
    quote!(#serde #adapted)
}
