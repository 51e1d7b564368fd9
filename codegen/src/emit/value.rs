//! How a value reaches a constructor or setter: the argument it takes and
//! the expression that stores it.
//!
//! Arguments take anything that converts (`impl Into<T>`), so plain
//! integers pass for IDs and `&str` for text; lists take any iterator of
//! such values, so `["ID", "TITLE"]` passes for a list of select fields.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::ty::rust_type;
use crate::model::Ty;

/// One argument.
pub struct Arg {
    /// The Rust name of the argument (and of what it sets).
    pub name: String,
    /// `name: impl ...`.
    pub param: TokenStream,
    /// The expression that turns the argument into the stored value.
    pub value: TokenStream,
}

/// The argument named `name` for a value of type `ty`.
pub fn arg(name: &str, ty: &Ty) -> Arg {
    let var = ident(name);
    let (param, value) = match ty {
        Ty::Array(inner) => {
            let inner = rust_type(inner);
            (
                quote!(#var: impl rt::IntoIterator<Item = impl rt::Into<#inner>>),
                quote!(rt::Iterator::collect(rt::Iterator::map(
                    rt::IntoIterator::into_iter(#var),
                    rt::Into::into
                ))),
            )
        }
        _ => {
            let ty = rust_type(ty);
            (
                quote!(#var: impl rt::Into<#ty>),
                quote!(rt::Into::into(#var)),
            )
        }
    };
    Arg {
        name: name.to_owned(),
        param,
        value,
    }
}
