//! Named types: structs for objects, enums for documented values, and IDs as
//! aliases of the runtime's one `Id` type.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc;
use super::ident;
use super::serde::{field_attrs, serde_as, serde_crate};
use super::ty::{adapter, option, rust_type};
use crate::model::{EnumValue, Field, NamedType, TypeKind};

/// One named type with its impls. ID types also need their marker, from
/// [`markers`].
pub fn named_type(named: &NamedType) -> TokenStream {
    match &named.kind {
        TypeKind::Object { fields } => object(named, fields),
        TypeKind::Enum {
            values,
            extensible: true,
        } => open_enum(named, values),
        TypeKind::Enum {
            values,
            extensible: false,
        } => closed_enum(named, values),
        TypeKind::Id => id(named),
    }
}

/// The `markers` module of the ID types among `types`, if there are any.
pub fn markers(types: &[NamedType]) -> TokenStream {
    let markers: Vec<TokenStream> = types
        .iter()
        .filter(|named| named.kind == TypeKind::Id)
        .map(|named| {
            let name = ident(&named.name);
            let docs = format!(" Marks a [`{0}`](super::{0}).", named.name);
            quote! {
                #[doc = #docs]
                #[derive(Debug)]
                pub enum #name {}
            }
        })
        .collect();
    if markers.is_empty() {
        return quote!();
    }
    quote! {
        /// The types that tell the kinds of IDs apart: each ID here is an
        /// `Id` of its own marker, so one kind cannot be passed for another.
        pub mod markers {
            #(#markers)*
        }
    }
}

fn object(named: &NamedType, fields: &[Field]) -> TokenStream {
    let name = ident(&named.name);
    let docs = doc(&named.doc);
    let serde_as = serde_as(fields.iter().any(|field| adapter(&field.ty).is_some()));
    let serde_crate = serde_crate();
    let fields = fields.iter().map(|field| {
        let docs = doc(&field.doc);
        let name = ident(&field.rust);
        let optional = field.optional || field.nullable;
        let ty = rust_type(&field.ty);
        let ty = if optional { option(ty) } else { ty };
        let attrs = field_attrs(&field.wire, &field.rust, optional, adapter(&field.ty));
        quote! {
            #docs
            #attrs
            pub #name: #ty,
        }
    });
    quote! {
        #docs
        #serde_as
        #[derive(Debug, Clone, PartialEq, rt::serde::Serialize, rt::serde::Deserialize)]
        #serde_crate
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
    }
}

fn open_enum(named: &NamedType, values: &[EnumValue]) -> TokenStream {
    let name = ident(&named.name);
    let docs = doc(&named.doc);
    let variants = values.iter().map(|value| {
        let docs = doc(&value.doc);
        let variant = ident(&value.variant);
        quote!(#docs #variant,)
    });
    let to_wire = values.iter().map(|value| {
        let variant = ident(&value.variant);
        let wire = &value.wire;
        quote!(Self::#variant => #wire,)
    });
    let from_wire = values.iter().map(|value| {
        let variant = ident(&value.variant);
        let wire = &value.wire;
        quote!(#wire => Self::#variant,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this crate does not know yet, kept as the server sent it.
            Unknown(rt::String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    Self::Unknown(value) => value,
                }
            }

            /// The variant for a wire value; `Unknown` keeps any other value.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    #(#from_wire)*
                    _ => Self::Unknown(rt::ToOwned::to_owned(value)),
                }
            }
        }

        impl rt::From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::from_wire(value)
            }
        }

        impl rt::fmt::Display for #name {
            fn fmt(&self, f: &mut rt::fmt::Formatter<'_>) -> rt::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl rt::serde::Serialize for #name {
            fn serialize<S: rt::serde::Serializer>(
                &self,
                serializer: S,
            ) -> rt::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: rt::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> rt::Result<Self, D::Error> {
                rt::deserialize_str_with(deserializer, Self::from_wire)
            }
        }
    }
}

fn closed_enum(named: &NamedType, values: &[EnumValue]) -> TokenStream {
    let name = ident(&named.name);
    let docs = doc(&named.doc);
    let serde_crate = serde_crate();
    let variants = values.iter().map(|value| {
        let docs = doc(&value.doc);
        let variant = ident(&value.variant);
        let wire = &value.wire;
        quote!(#docs #[serde(rename = #wire)] #variant,)
    });
    let to_wire = values.iter().map(|value| {
        let variant = ident(&value.variant);
        let wire = &value.wire;
        quote!(Self::#variant => #wire,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, rt::serde::Serialize, rt::serde::Deserialize)]
        #serde_crate
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The value as sent on the wire.
            pub const fn as_str(self) -> &'static str {
                match self {
                    #(#to_wire)*
                }
            }
        }

        impl rt::fmt::Display for #name {
            fn fmt(&self, f: &mut rt::fmt::Formatter<'_>) -> rt::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn id(named: &NamedType) -> TokenStream {
    let name = ident(&named.name);
    let docs = doc(&named.doc);
    quote! {
        #docs
        pub type #name = rt::Id<markers::#name>;
    }
}
