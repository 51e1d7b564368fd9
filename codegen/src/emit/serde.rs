//! The serde attributes of generated types, through the runtime's re-export
//! of serde: the generated crate depends on the runtime alone.

use proc_macro2::TokenStream;
use quote::quote;

use super::ty::{optional_adapter, or_empty_adapter};
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

/// How a field or parameter is read and written.
pub struct Wire<'a> {
    /// Its wire name.
    pub wire: &'a str,
    /// Its Rust name.
    pub rust: &'a str,
    /// Other wire names it is read from.
    pub aliases: &'a [String],
    /// The key may be absent (the Rust type is an `Option`).
    pub optional: bool,
    /// The server sends `""` for no value (the Rust type is an `Option`).
    pub or_empty: bool,
    /// The adapter of the value itself.
    pub adapter: Option<String>,
}

/// The attributes of a field or parameter: its wire name and aliases,
/// absence for an optional value, and the adapter that decodes it.
///
/// An optional value is always `default` here: `serde_as` would add its own
/// `default` only when it recognises the type's path as `Option`, which it
/// does not for `rt::Option`, so it is told not to (`no_default`) and the
/// outcome does not hang on its guess.
pub fn field_attrs(field: &Wire<'_>) -> TokenStream {
    let wire = field.wire;
    let mut parts = Vec::new();
    if names::unraw(field.rust) != wire {
        parts.push(quote!(rename = #wire));
    }
    parts.extend(field.aliases.iter().map(|alias| quote!(alias = #alias)));
    if field.optional {
        parts.push(quote!(default));
        parts.push(quote!(skip_serializing_if = "rt::Option::is_none"));
    }
    let serde = (!parts.is_empty()).then(|| quote!(#[serde(#(#parts),*)]));
    let adapter = if field.or_empty {
        Some(or_empty_adapter(field.adapter.clone()))
    } else if field.optional {
        field.adapter.as_deref().map(optional_adapter)
    } else {
        field.adapter.clone()
    };
    let adapted = adapter.map(|adapter| {
        if field.optional {
            quote!(#[serde_as(as = #adapter, no_default)])
        } else {
            quote!(#[serde_as(as = #adapter)])
        }
    });
    quote!(#serde #adapted)
}
