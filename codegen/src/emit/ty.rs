//! Rust types for schema types, and the `serde_with` adapters that decode them.
//!
//! Most types map to a Rust type directly. Integers, numbers and `Y`/`N`
//! flags need an adapter from the crate's `wire` module because the server
//! sends them as strings; the adapter mirrors the type's shape
//! (`Option<Vec<LenientInt>>` for `Option<Vec<i64>>`).

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::model::{Primitive, Ty};

/// The Rust type.
pub fn rust_type(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Primitive(primitive) => primitive_type(*primitive),
        Ty::Named(name) => {
            let name = ident(name);
            quote!(#name)
        }
        Ty::Array(inner) => {
            let inner = rust_type(inner);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = rust_type(inner);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        Ty::OneOrMany(inner) => {
            let inner = rust_type(inner);
            quote!(OneOrMany<#inner>)
        }
    }
}

fn primitive_type(primitive: Primitive) -> TokenStream {
    match primitive {
        Primitive::String => quote!(String),
        Primitive::Integer => quote!(i64),
        Primitive::Number => quote!(f64),
        Primitive::Boolean | Primitive::YesNo => quote!(bool),
        Primitive::Datetime => quote!(chrono::DateTime<chrono::FixedOffset>),
        Primitive::Date => quote!(chrono::NaiveDate),
        Primitive::Json => quote!(serde_json::Value),
    }
}

/// The `serde_as` adapter for a type, if it needs one.
pub fn adapter(ty: &Ty) -> Option<String> {
    match ty {
        Ty::Primitive(Primitive::Integer) => Some("crate::wire::LenientInt".to_owned()),
        Ty::Primitive(Primitive::Number) => Some("crate::wire::LenientFloat".to_owned()),
        Ty::Primitive(Primitive::YesNo) => Some("crate::wire::YesNo".to_owned()),
        Ty::Primitive(_) | Ty::Named(_) => None,
        Ty::Array(inner) => adapter(inner).map(|inner| format!("Vec<{inner}>")),
        Ty::Map(inner) => {
            adapter(inner).map(|inner| format!("std::collections::BTreeMap<_, {inner}>"))
        }
        Ty::OneOrMany(inner) => adapter(inner).map(|inner| format!("OneOrMany<{inner}>")),
    }
}

/// Whether the type mentions `OneOrMany`, so the file must import it.
pub fn uses_one_or_many(ty: &Ty) -> bool {
    match ty {
        Ty::OneOrMany(_) => true,
        Ty::Array(inner) | Ty::Map(inner) => uses_one_or_many(inner),
        Ty::Primitive(_) | Ty::Named(_) => false,
    }
}

/// Every named type the type mentions.
pub fn named_types<'a>(ty: &'a Ty, out: &mut Vec<&'a str>) {
    match ty {
        Ty::Named(name) => out.push(name),
        Ty::Array(inner) | Ty::Map(inner) | Ty::OneOrMany(inner) => named_types(inner, out),
        Ty::Primitive(_) => {}
    }
}
