//! Named types: structs for objects (with a constructor, and setters when a
//! parameter holds them), enums for documented values, IDs as aliases of the
//! runtime's one `Id` type, and the filter and sort-order builders of list
//! methods.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{code, doc, lines, sanitize_line};
use super::serde::{Unknown, Wire, object_impls, serde_crate, serde_impls};
use super::ty::{adapter, option, rust_type, same_or};
use super::value::{Arg, arg};
use super::{builder_method_lints, ident};
use crate::model::{EnumValue, Field, FilterField, NamedType, OrderField, Shape, TypeKind};

/// One named type with its impls. ID types also need their marker, from
/// [`markers`].
pub fn named_type(named: &NamedType) -> TokenStream {
    match &named.kind {
        TypeKind::Object { fields, input } => object(named, fields, *input),
        TypeKind::Enum {
            values,
            extensible: true,
            numeric,
        } => open_enum(named, values, *numeric),
        TypeKind::Enum {
            values,
            extensible: false,
            numeric,
        } => closed_enum(named, values, *numeric),
        TypeKind::Id => id(named),
        TypeKind::Filter { fields } => filter(named, fields),
        TypeKind::Order { fields } => order(named, fields),
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

fn field_wire(field: &Field) -> Wire<'_> {
    Wire {
        wire: &field.wire,
        rust: &field.rust,
        aliases: &[],
        // A value that may be `null` may also be left out when encoding.
        optional: field.optional || field.nullable,
        or_empty: field.or_empty,
        adapter: adapter(&field.ty),
    }
}

fn field_type(field: &Field) -> TokenStream {
    let ty = rust_type(&field.ty);
    if field.is_option() { option(ty) } else { ty }
}

/// A struct, with its encoding and its decoding, which reads PHP's `[]`
/// as an object without keys.
fn object(named: &NamedType, fields: &[Field], input: bool) -> TokenStream {
    let name = ident(&named.name);
    let docs = doc(&named.doc);
    let members = fields.iter().map(|field| {
        let docs = doc(&field.doc);
        let name = ident(&field.rust);
        let ty = field_type(field);
        quote! {
            #docs
            pub #name: #ty,
        }
    });
    let builder = builder(named, fields, input);
    let constants = field_constants(&name, fields);
    let custom = {
        let name = ident(crate::names::OBJECT_CUSTOM);
        quote! {
            /// Fields the schema does not list, such as custom fields
            /// (`UF_CRM_1`), in the order they came, and values that did not
            /// fit their field's type; sent after the other fields.
            pub #name: rt::CustomFields,
        }
    };
    let default = fields
        .iter()
        .all(Field::is_option)
        .then(|| quote!(Default,));
    let wires: Vec<Wire<'_>> = fields.iter().map(field_wire).collect();
    let serde_impls = object_impls(
        &named.name,
        &wires,
        &Unknown::Keep(crate::names::OBJECT_CUSTOM),
    );
    quote! {
        #docs
        #[derive(Debug, Clone, #default PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#members)*
            #custom
        }

        #builder

        #constants

        #serde_impls
    }
}

/// A constant per field, for typed references to it from a later command
/// of a batch (`members.result().at(0).field(GroupMember::USER_ID)`).
fn field_constants(name: &Ident, fields: &[Field]) -> Option<TokenStream> {
    if fields.is_empty() {
        return None;
    }
    let constants = fields.iter().map(|field| {
        let constant = ident(&crate::names::field_constant(&field.rust));
        let ty = rust_type(&field.ty);
        let wire = &field.wire;
        let docs = doc(&format!(
            "The field `{wire}`, for a reference to it from a later command of a batch."
        ));
        quote! {
            #docs
            pub const #constant: rt::Field<Self, #ty> = rt::Field::new(#wire);
        }
    });
    Some(quote! {
        impl #name {
            #(#constants)*
        }
    })
}

/// The constructor of an object from its required fields. An object a
/// parameter holds also gets a setter per optional field and one for fields
/// the schema does not list; an answer's object is built for tests and
/// examples, its optional fields set through its public fields.
fn builder(named: &NamedType, fields: &[Field], input: bool) -> TokenStream {
    let name = ident(&named.name);
    let required: Vec<&Field> = fields.iter().filter(|field| !field.is_option()).collect();
    let args: Vec<Arg> = required
        .iter()
        .map(|field| arg(&field.rust, &field.ty))
        .collect();
    let params = args.iter().map(|arg| &arg.param);
    let inits = fields.iter().map(|field| {
        let member = ident(&field.rust);
        match args.iter().find(|arg| arg.name == field.rust) {
            Some(arg) => {
                let value = &arg.value;
                quote!(#member: #value,)
            }
            None => quote!(#member: None,),
        }
    });
    let custom = ident(crate::names::OBJECT_CUSTOM);
    let mut text = vec![match (required.is_empty(), input) {
        (true, true) => format!(
            "A `{}` with no field set; the setters set them.",
            named.name
        ),
        (true, false) => format!(
            "A `{}` with no field set, for tests and examples; its fields are public.",
            named.name
        ),
        (false, true) => format!("A new `{}` from its required fields.", named.name),
        (false, false) if required.len() < fields.len() => format!(
            "A `{}` from its required fields, for tests and examples: the others are `None`, and every field is public.",
            named.name
        ),
        (false, false) => format!(
            "A `{}` from its fields, for tests and examples.",
            named.name
        ),
    }];
    if !required.is_empty() {
        text.push(String::new());
        text.extend(required.iter().map(|field| {
            format!(
                "- `{}` ({}): {}",
                crate::names::unraw(&field.rust),
                code(&field.wire),
                sanitize_line(&field.doc)
            )
        }));
    }
    let constructor_docs = lines(&text);
    let setters = fields
        .iter()
        .filter(|field| input && field.is_option())
        .map(|field| {
            let setter = ident(&field.rust);
            let arg = arg(&field.rust, &field.ty);
            let (param, value) = (&arg.param, &arg.value);
            let docs = lines(&[
                format!("Sets {}.", code(&field.wire)),
                String::new(),
                sanitize_line(&field.doc),
            ]);
            let lints = builder_method_lints(&field.rust);
            quote! {
                #docs
                #lints
                pub fn #setter(mut self, #param) -> Self {
                    self.#setter = Some(#value);
                    self
                }
            }
        });
    let custom_setter = input.then(|| {
        quote! {
            /// Sets a field the schema does not list, such as a custom field
            /// (`UF_CRM_1`), to any JSON value: `5`, `"text"`,
            /// `serde_json::json!([1, 2])`.
            pub fn #custom(
                mut self,
                key: impl rt::Into<rt::String>,
                value: impl rt::Into<rt::serde_json::Value>,
            ) -> Self {
                self.#custom.insert(rt::Into::into(key), rt::Into::into(value));
                self
            }
        }
    });
    let lint = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let custom_init = quote!(#custom: rt::CustomFields::new(),);
    // With no required field the type derives `Default`, which says it all.
    let body = if required.is_empty() {
        quote!(Self::default())
    } else {
        quote!(Self {
            #(#inits)*
            #custom_init
        })
    };
    quote! {
        impl #name {
            #constructor_docs
            #lint
            pub fn new(#(#params),*) -> Self {
                #body
            }

            #(#setters)*

            #custom_setter
        }
    }
}

fn open_enum(named: &NamedType, values: &[EnumValue], numeric: bool) -> TokenStream {
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
    let (serialize, deserialize) = if numeric {
        (
            numeric_serialize(
                values,
                // An unknown value goes back as it came: a number if it is one.
                quote!(Self::Unknown(value) => match value.parse::<i64>() {
                    Ok(number) => serializer.serialize_i64(number),
                    Err(_) => serializer.serialize_str(value),
                },),
            ),
            quote!(rt::deserialize_numeric_with(deserializer, |value| Some(
                Self::from_wire(value)
            ))),
        )
    } else {
        (
            quote!(serializer.serialize_str(self.as_str())),
            quote!(rt::deserialize_str_with(deserializer, Self::from_wire)),
        )
    };
    let serde_impls = serde_impls(&name, &serialize, &deserialize);
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

        #serde_impls
    }
}

/// Serializes an integer-valued enum as a JSON number; `rest` covers the
/// variants that are not documented values.
fn numeric_serialize(values: &[EnumValue], rest: TokenStream) -> TokenStream {
    let arms = values.iter().map(|value| {
        let variant = ident(&value.variant);
        // Lowering checked that every value of a numeric enum is an integer.
        let number: i64 = value.wire.parse().unwrap_or_default();
        quote!(Self::#variant => serializer.serialize_i64(#number),)
    });
    quote! {
        match self {
            #(#arms)*
            #rest
        }
    }
}

fn closed_enum(named: &NamedType, values: &[EnumValue], numeric: bool) -> TokenStream {
    let name = ident(&named.name);
    let docs = doc(&named.doc);
    let serde_crate = serde_crate();
    let to_wire = values.iter().map(|value| {
        let variant = ident(&value.variant);
        let wire = &value.wire;
        quote!(Self::#variant => #wire,)
    });
    let common = quote! {
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
    };
    if !numeric {
        let variants = values.iter().map(|value| {
            let docs = doc(&value.doc);
            let variant = ident(&value.variant);
            let wire = &value.wire;
            quote!(#docs #[serde(rename = #wire)] #variant,)
        });
        return quote! {
            #docs
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, rt::serde::Serialize, rt::serde::Deserialize)]
            #serde_crate
            pub enum #name {
                #(#variants)*
            }

            #common
        };
    }
    let variants = values.iter().map(|value| {
        let docs = doc(&value.doc);
        let variant = ident(&value.variant);
        quote!(#docs #variant,)
    });
    let from_wire = values.iter().map(|value| {
        let variant = ident(&value.variant);
        let wire = &value.wire;
        quote!(#wire => Some(Self::#variant),)
    });
    let serialize = numeric_serialize(values, quote!());
    let deserialize = quote! {
        rt::deserialize_numeric_with(deserializer, |value| match value {
            #(#from_wire)*
            _ => None,
        })
    };
    let serde_impls = serde_impls(&name, &serialize, &deserialize);
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
        }

        #common

        #serde_impls
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

/// A filter builder: one method per field and operator, each adding the
/// condition `<operator><FIELD>`, in the order they are called.
fn filter(named: &NamedType, fields: &[FilterField]) -> TokenStream {
    let name = ident(&named.name);
    let docs = doc(&named.doc);
    let serde_crate = serde_crate();
    let methods = fields.iter().flat_map(|field| {
        field.operators.iter().map(move |operator| {
            let method = ident(&field.method(operator));
            let key = format!("{}{}", operator.prefix, field.wire);
            let ty = rust_type(&field.ty);
            let value_adapter = same_or(adapter(&field.ty));
            let mut text = vec![format!(
                "{} {}: sends {}.",
                code(&field.wire),
                operator.meaning,
                code(&key)
            )];
            if let Some(field_doc) = &field.doc {
                text.push(String::new());
                text.push(sanitize_line(field_doc));
            }
            let docs = lines(&text);
            let (params, value, value_type, adapter) = match operator.shape {
                Shape::One => (
                    quote!(value: impl rt::Into<#ty>),
                    quote!(rt::Into::into(value)),
                    quote!(#ty),
                    value_adapter,
                ),
                Shape::List => (
                    quote!(values: impl rt::IntoIterator<Item = impl rt::Into<#ty>>),
                    quote!(rt::Iterator::collect(rt::Iterator::map(
                        rt::IntoIterator::into_iter(values),
                        rt::Into::into
                    ))),
                    quote!(rt::Vec<#ty>),
                    format!("rt::Vec<{value_adapter}>"),
                ),
                Shape::Pair => (
                    quote!(from: impl rt::Into<#ty>, to: impl rt::Into<#ty>),
                    quote!((rt::Into::into(from), rt::Into::into(to))),
                    quote!((#ty, #ty)),
                    format!("({value_adapter}, {value_adapter})"),
                ),
            };
            let adapter: TokenStream = adapter.parse().unwrap_or_default();
            let lints = builder_method_lints(&field.method(operator));
            quote! {
                #docs
                #lints
                pub fn #method(mut self, #params) -> Self {
                    let value: #value_type = #value;
                    self.0.set_as::<#value_type, #adapter>(#key, &value);
                    self
                }
            }
        })
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Default, PartialEq, rt::serde::Serialize, rt::serde::Deserialize)]
        #serde_crate
        #[serde(transparent)]
        pub struct #name(rt::Conditions);

        impl #name {
            /// No conditions: every item.
            pub fn new() -> Self {
                Self::default()
            }

            /// Any condition, for custom fields (`UF_*`) and operators this
            /// filter has no method for: `key` is the operator and the
            /// field, such as `">=UF_CRM_1"`.
            pub fn raw<V: rt::serde::Serialize>(mut self, key: impl rt::Into<rt::String>, value: V) -> Self {
                self.0.set_as::<V, rt::Same>(key, &value);
                self
            }

            #(#methods)*

            /// The conditions set so far, in order.
            pub fn conditions(&self) -> &rt::Conditions {
                &self.0
            }
        }
    }
}

/// A sort-order builder: one method per field, each adding a sort key after
/// the ones before.
fn order(named: &NamedType, fields: &[OrderField]) -> TokenStream {
    let name = ident(&named.name);
    let docs = doc(&named.doc);
    let serde_crate = serde_crate();
    let methods = fields.iter().map(|field| {
        let method = ident(&field.rust);
        let wire = &field.wire;
        let docs = lines(&[format!(
            "Sorts by {} in `direction`, after the keys set before.",
            code(wire)
        )]);
        let lints = builder_method_lints(&field.rust);
        quote! {
            #docs
            #lints
            pub fn #method(mut self, direction: rt::Direction) -> Self {
                self.0.set(#wire, direction);
                self
            }
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Default, PartialEq, Eq, rt::serde::Serialize, rt::serde::Deserialize)]
        #serde_crate
        #[serde(transparent)]
        pub struct #name(rt::SortOrder);

        impl #name {
            /// No sort keys: the method's default order.
            pub fn new() -> Self {
                Self::default()
            }

            /// Sorts by any `key`, such as a custom field (`UF_*`), after
            /// the keys set before.
            pub fn raw(mut self, key: impl rt::Into<rt::String>, direction: rt::Direction) -> Self {
                self.0.set(key, direction);
                self
            }

            #(#methods)*

            /// The sort keys set so far, in order.
            pub fn keys(&self) -> &rt::SortOrder {
                &self.0
            }
        }
    }
}
