//! Rust types for schema types, and the `serde_with` adapters that decode them.
//!
//! Every type is written by a path no name from the schema can shadow:
//! schema types by full path (`::bitrix24_types::UserId` for a shared type,
//! `crate::GroupMember` for one of the family's own), std and runtime items
//! through `rt`, the file's alias of the runtime's contract module
//! (`rt::String`, `rt::OneOrMany`). Integers, numbers and `Y`/`N` flags need an adapter from the
//! runtime because the server sends them as strings; the adapter mirrors
//! the type's shape (`Option<Vec<LenientInt>>` for `Option<Vec<i64>>`).

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::model::{Primitive, Ty, TypeRef};

/// The Rust type.
pub fn rust_type(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Primitive(primitive) => primitive_type(*primitive),
        Ty::Named(at) => type_path(at),
        Ty::Array(inner) => {
            let inner = rust_type(inner);
            quote!(rt::Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = rust_type(inner);
            quote!(rt::IndexMap<rt::String, #inner>)
        }
        Ty::OneOrMany(inner) => {
            let inner = rust_type(inner);
            quote!(rt::OneOrMany<#inner>)
        }
    }
}

/// `rt::Option<ty>`.
pub fn option(ty: TokenStream) -> TokenStream {
    quote!(rt::Option<#ty>)
}

/// The full path of a named type, from the crate of its family or of the
/// shared types: `::bitrix24_types::UserId`, `crate::GroupMember`.
///
/// A file sees only its own family's types and the shared ones (`lower`), so
/// a family's type is always at the root of the crate naming it.
pub fn type_path(at: &TypeRef) -> TokenStream {
    let name = ident(&at.name);
    match &at.family {
        Some(_) => quote!(crate::#name),
        None => {
            let shared = super::shared_types_crate();
            quote!(#shared::#name)
        }
    }
}

fn primitive_type(primitive: Primitive) -> TokenStream {
    match primitive {
        Primitive::String => quote!(rt::String),
        Primitive::Integer => quote!(i64),
        Primitive::Number => quote!(f64),
        Primitive::Boolean | Primitive::YesNo | Primitive::OneZero | Primitive::OneZeroNumber => {
            quote!(bool)
        }
        Primitive::Datetime => quote!(rt::chrono::DateTime<rt::chrono::FixedOffset>),
        Primitive::LocalDatetime => quote!(rt::chrono::NaiveDateTime),
        Primitive::Date => quote!(rt::chrono::NaiveDate),
        Primitive::Timestamp => quote!(rt::chrono::DateTime<rt::chrono::Utc>),
        Primitive::File => quote!(rt::File),
        Primitive::Direction => quote!(rt::Direction),
        Primitive::Json => quote!(rt::serde_json::Value),
    }
}

/// The `serde_as` adapter for a type, if it needs one, as the text of a
/// `#[serde_as(as = "...")]` attribute.
pub fn adapter(ty: &Ty) -> Option<String> {
    let primitive = |name: &str| Some(format!("rt::{name}"));
    match ty {
        Ty::Primitive(Primitive::Integer) => primitive("LenientInt"),
        Ty::Primitive(Primitive::Number) => primitive("LenientFloat"),
        Ty::Primitive(Primitive::Boolean) => primitive("TrueFalse"),
        Ty::Primitive(Primitive::YesNo) => primitive("YesNo"),
        Ty::Primitive(Primitive::OneZero) => primitive("OneZero"),
        Ty::Primitive(Primitive::OneZeroNumber) => primitive("OneZeroNumber"),
        Ty::Primitive(Primitive::LocalDatetime) => primitive("LocalDateTime"),
        Ty::Primitive(Primitive::Date) => primitive("LenientDate"),
        Ty::Primitive(Primitive::Timestamp) => primitive("UnixTime"),
        Ty::Primitive(
            Primitive::String
            | Primitive::Datetime
            | Primitive::File
            | Primitive::Direction
            | Primitive::Json,
        )
        | Ty::Named(_) => None,
        Ty::Array(inner) => adapter(inner).map(|inner| format!("rt::Vec<{inner}>")),
        // Every map reads PHP's list form, so every map has an adapter.
        Ty::Map(inner) => Some(format!("rt::PhpMap<{}>", same_or(adapter(inner)))),
        Ty::OneOrMany(inner) => adapter(inner).map(|inner| format!("rt::OneOrMany<{inner}>")),
    }
}

/// The adapter, or `rt::Same` for a type that decodes as itself.
pub fn same_or(adapter: Option<String>) -> String {
    adapter.unwrap_or_else(|| "rt::Same".to_owned())
}

/// The adapter of an optional value.
pub fn optional_adapter(adapter: &str) -> String {
    format!("rt::Option<{adapter}>")
}

/// The adapter of a value the server sends as `""` when unset.
pub fn or_empty_adapter(adapter: Option<String>) -> String {
    format!("rt::OrEmpty<{}>", same_or(adapter))
}
