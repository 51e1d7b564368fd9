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
/// An optional value is always `default` here: `serde_as` would add its own
/// `default` only when it recognises the type's path as `Option`, which it
/// does not for `rt::Option`, so it is told not to (`no_default`) and the
/// outcome does not hang on its guess.
pub fn field_attrs(wire: &str, rust: &str, optional: bool, adapter: Option<String>) -> TokenStream {
    let mut parts = Vec::new();
    if names::unraw(rust) != wire {
        parts.push(quote!(rename = #wire));
    }
    if optional {
        parts.push(quote!(default));
        parts.push(quote!(skip_serializing_if = "rt::Option::is_none"));
    }
    let serde = (!parts.is_empty()).then(|| quote!(#[serde(#(#parts),*)]));
    let adapted = adapter.map(|adapter| {
        if optional {
            let adapter = optional_adapter(&adapter);
            quote!(#[serde_as(as = #adapter, no_default)])
        } else {
            quote!(#[serde_as(as = #adapter)])
        }
    });
    quote!(#serde #adapted)
}
