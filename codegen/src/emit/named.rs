//! Named types: structs for objects, enums for documented values, ID newtypes.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc;
use super::ty::{adapter, named_types, rust_type, uses_one_or_many};
use super::{EmittedFile, OUTPUT_DIR, ident};
use crate::model::{Api, EnumValue, Field, NamedType, TypeKind};
use crate::names;

/// The file of types defined outside method files.
pub fn emit_shared(api: &Api) -> EmittedFile {
    let items = api.shared_types.iter().map(named_type);
    let imports = imports_for(&api.shared_types);
    EmittedFile {
        path: format!("{OUTPUT_DIR}/types.rs"),
        source: "the shared type definitions in schema/".to_owned(),
        module_doc: "Types shared by several methods: IDs, roles, the `time` object.".to_owned(),
        tokens: quote! {
            #imports
            #(#items)*
        },
    }
}

/// `use` lines for what the given types mention but do not define.
pub fn imports_for(types: &[NamedType]) -> TokenStream {
    let mut mentioned = Vec::new();
    let mut one_or_many = false;
    for named in types {
        if let TypeKind::Object { fields } = &named.kind {
            for field in fields {
                named_types(&field.ty, &mut mentioned);
                one_or_many |= uses_one_or_many(&field.ty);
            }
        }
    }
    let defined: Vec<&str> = types.iter().map(|named| named.name.as_str()).collect();
    crate_imports(mentioned, &defined, one_or_many)
}

/// `use crate::{...}` for named types defined elsewhere, sorted and without repeats.
pub fn crate_imports(mut mentioned: Vec<&str>, defined: &[&str], one_or_many: bool) -> TokenStream {
    mentioned.retain(|name| !defined.contains(name));
    mentioned.sort_unstable();
    mentioned.dedup();
    let names = mentioned.into_iter().map(ident);
    let wire = one_or_many.then(|| {
        quote!(
            use crate::wire::OneOrMany;
        )
    });
    let names: Vec<_> = names.collect();
    let types = (!names.is_empty()).then(|| quote!(use crate::{#(#names),*};));
    quote!(#types #wire)
}

/// One named type with its impls.
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

fn object(named: &NamedType, fields: &[Field]) -> TokenStream {
    let name = ident(&named.name);
    let docs = doc(&named.doc);
    let needs_serde_as = fields.iter().any(|field| adapter(&field.ty).is_some());
    let serde_as = needs_serde_as.then(|| quote!(#[serde_with::serde_as]));
    let fields = fields.iter().map(|field| {
        let docs = doc(&field.doc);
        let name = ident(&field.rust);
        let optional = field.optional || field.nullable;
        let ty = rust_type(&field.ty);
        let ty = if optional { quote!(Option<#ty>) } else { ty };
        let attrs = serde_attrs(
            &field.wire,
            &field.rust,
            optional,
            adapter(&field.ty).is_some(),
        );
        let serde_as = adapter(&field.ty).map(|adapter| {
            let adapter = if optional {
                format!("Option<{adapter}>")
            } else {
                adapter
            };
            quote!(#[serde_as(as = #adapter)])
        });
        quote! {
            #docs
            #attrs
            #serde_as
            pub #name: #ty,
        }
    });
    quote! {
        #docs
        #serde_as
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// The `#[serde(...)]` attribute of a field or parameter, if it needs one.
///
/// `serde_as` already defaults `Option` fields it adapts, and serde rejects a
/// second `default`.
pub fn serde_attrs(wire: &str, rust: &str, optional: bool, adapted: bool) -> TokenStream {
    let mut parts = Vec::new();
    if names::unraw(rust) != wire {
        parts.push(quote!(rename = #wire));
    }
    if optional {
        if !adapted {
            parts.push(quote!(default));
        }
        parts.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    if parts.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#(#parts),*)])
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
            Unknown(String),
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
                    _ => Self::Unknown(value.to_owned()),
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::from_wire(value)
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::wire::deserialize_str_with(deserializer, Self::from_wire)
            }
        }
    }
}

fn closed_enum(named: &NamedType, values: &[EnumValue]) -> TokenStream {
    let name = ident(&named.name);
    let docs = doc(&named.doc);
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
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
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

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
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
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub struct #name(#[serde(deserialize_with = "crate::wire::deserialize_numeric_id")] pub u64);

        impl From<u64> for #name {
            fn from(id: u64) -> Self {
                Self(id)
            }
        }

        impl From<#name> for u64 {
            fn from(id: #name) -> Self {
                id.0
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<u64> for crate::wire::OneOrMany<#name> {
            fn from(id: u64) -> Self {
                Self::One(#name(id))
            }
        }

        impl From<Vec<u64>> for crate::wire::OneOrMany<#name> {
            fn from(ids: Vec<u64>) -> Self {
                Self::Many(ids.into_iter().map(#name).collect())
            }
        }

        impl<const N: usize> From<[u64; N]> for crate::wire::OneOrMany<#name> {
            fn from(ids: [u64; N]) -> Self {
                Self::Many(ids.into_iter().map(#name).collect())
            }
        }
    }
}
