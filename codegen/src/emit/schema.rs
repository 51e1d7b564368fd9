//! The schema as data, behind the generated crate's `schema` feature: each
//! family's method descriptions (`schema()` in its crate's root), the
//! descriptions of its named types (`rt::Described`), and the crate's
//! `schema` module that lists every enabled family's methods.
//!
//! Everything is `static` data built from string literals, so schema text
//! cannot become code here either, and a type reached from itself is only
//! ever named through its `describe` function. Knows nothing about what
//! reads the data (the command line).

use proc_macro2::TokenStream;
use quote::quote;

use super::ty::type_path;
use super::{EmittedFile, ident};
use crate::layout::Layout;
use crate::model::{Api, Family, Method, NamedType, Param, Primitive, Ty, TypeKind, TypeRef};

/// The feature that turns the descriptions on.
pub const FEATURE: &str = "schema";

/// The module of the crate root that lists every method, a file of its own.
pub fn root_module(api: &Api, layout: &Layout) -> EmittedFile {
    let families = api.families.iter().map(|family| {
        let module = ident(&family.module);
        let feature = &family.feature;
        quote!(#[cfg(feature = #feature)] crate::#module::schema,)
    });
    EmittedFile {
        path: format!("{}/src/schema.rs", layout.dir),
        source: "every file in schema/".to_owned(),
        module_doc: "What the schema says about every method of the enabled families, as data: wire names, parameters, types, enum values, paging and docs (feature `schema`).".to_owned(),
        tokens: quote! {
            #[doc(inline)]
            pub use ::bitrix24_runtime::__private::schema::*;

            /// Every family's description of its methods, by family.
            static FAMILIES: &[fn() -> &'static [Method]] = &[#(#families)*];

            /// Every method of the enabled families, by family and then by
            /// wire name.
            pub fn methods() -> impl Iterator<Item = &'static Method> {
                FAMILIES.iter().flat_map(|family| family().iter())
            }

            /// The method whose wire name is `name`, if its family is enabled.
            pub fn method(name: &str) -> Option<&'static Method> {
                methods().find(|method| method.name == name)
            }
        },
    }
}

/// A family's `schema()` and the descriptions of its named types, for its
/// crate's root.
pub fn family_items(family: &Family) -> TokenStream {
    let methods = family
        .methods
        .iter()
        .map(|method| describe_method(family, method));
    let types = family.methods.iter().flat_map(|method| {
        method.types.iter().map(|named| {
            let at = TypeRef {
                family: Some(family.module.clone()),
                name: named.name.clone(),
            };
            described(&at, named)
        })
    });
    quote! {
        /// The descriptions of the family's methods, for the `bitrix24`
        /// crate's `schema` module, which lists them with every other
        /// family's.
        #[cfg(feature = #FEATURE)]
        #[doc(hidden)]
        pub fn schema() -> &'static [rt::schema::Method] {
            static METHODS: &[rt::schema::Method] = &[#(#methods),*];
            METHODS
        }

        #(#types)*
    }
}

/// The descriptions of the shared types, for their crate's root.
pub fn shared_items(api: &Api) -> TokenStream {
    let types = api.shared_types.iter().map(|named| {
        let at = TypeRef {
            family: None,
            name: named.name.clone(),
        };
        described(&at, named)
    });
    quote!(#(#types)*)
}

fn describe_method(family: &Family, method: &Method) -> TokenStream {
    let name = &method.wire;
    let family_wire = &family.wire;
    let summary = &method.summary;
    let description = optional_str(method.description.as_deref());
    let access = &method.access;
    let scopes = &method.scopes;
    let docs_url = &method.docs_url;
    let retry_safe = method.retry_safe;
    let paging = match &method.paging {
        None => quote!(rt::Option::None),
        Some(paging) => {
            let items = optional_str(paging.items_wire.as_deref());
            let keyset = match &paging.keyset {
                None => quote!(rt::Option::None),
                Some(keyset) => {
                    let keyset = super::method::keyset_expr(keyset);
                    quote!(rt::Option::Some(#keyset))
                }
            };
            quote!(rt::Option::Some(rt::schema::Paging { items: #items, keyset: #keyset }))
        }
    };
    let params = method.params.iter().map(describe_param);
    let result = ty(&method.result);
    quote! {
        rt::schema::Method {
            name: #name,
            family: #family_wire,
            summary: #summary,
            description: #description,
            access: #access,
            scopes: &[#(#scopes),*],
            docs_url: #docs_url,
            retry_safe: #retry_safe,
            paging: #paging,
            params: &[#(#params),*],
            result: #result,
        }
    }
}

fn describe_param(param: &Param) -> TokenStream {
    let name = &param.wire;
    let aliases = &param.aliases;
    let ty = ty(&param.ty);
    let required = param.required;
    let page_start = param.page_start;
    let doc = &param.doc;
    quote! {
        rt::schema::Param {
            name: #name,
            aliases: &[#(#aliases),*],
            ty: #ty,
            required: #required,
            page_start: #page_start,
            doc: #doc,
        }
    }
}

/// `impl rt::Described` for the named type at `at`; for an ID, for its
/// marker (the ID is the runtime's `Id<Marker>`, which forwards to it).
fn described(at: &TypeRef, named: &NamedType) -> TokenStream {
    let path = if named.kind == TypeKind::Id {
        let marker = ident(&at.name);
        match &at.family {
            Some(_) => quote!(crate::markers::#marker),
            None => {
                let shared = super::shared_types_crate();
                quote!(#shared::markers::#marker)
            }
        }
    } else {
        type_path(at)
    };
    let name = &named.name;
    let doc = &named.doc;
    let kind = kind(&named.kind);
    quote! {
        #[cfg(feature = #FEATURE)]
        impl rt::Described for #path {
            fn describe() -> &'static rt::schema::NamedType {
                static TYPE: rt::schema::NamedType = rt::schema::NamedType {
                    name: #name,
                    doc: #doc,
                    kind: #kind,
                };
                &TYPE
            }
        }
    }
}

fn kind(kind: &TypeKind) -> TokenStream {
    match kind {
        TypeKind::Object { fields, .. } => {
            let fields = fields.iter().map(|field| {
                let (name, ty, doc) = (&field.wire, ty(&field.ty), &field.doc);
                let optional = field.optional || field.or_empty;
                let nullable = field.nullable;
                quote! {
                    rt::schema::Field {
                        name: #name,
                        ty: #ty,
                        optional: #optional,
                        nullable: #nullable,
                        doc: #doc,
                    }
                }
            });
            quote!(rt::schema::Kind::Object { fields: &[#(#fields),*] })
        }
        TypeKind::Enum {
            values,
            extensible,
            numeric,
        } => {
            let values = values.iter().map(|value| {
                let (wire, doc) = (&value.wire, &value.doc);
                quote!(rt::schema::EnumValue { value: #wire, doc: #doc })
            });
            quote! {
                rt::schema::Kind::Enum {
                    values: &[#(#values),*],
                    extensible: #extensible,
                    numeric: #numeric,
                }
            }
        }
        TypeKind::Id => quote!(rt::schema::Kind::Id),
        TypeKind::Filter { fields } => {
            let fields = fields.iter().map(|field| {
                let (name, ty) = (&field.wire, ty(&field.ty));
                let operators = field.operators.iter().map(|operator| operator.prefix);
                quote! {
                    rt::schema::FilterField {
                        name: #name,
                        ty: #ty,
                        operators: &[#(#operators),*],
                    }
                }
            });
            quote!(rt::schema::Kind::Filter { fields: &[#(#fields),*] })
        }
        TypeKind::Order { fields } => {
            let fields = fields.iter().map(|field| &field.wire);
            quote!(rt::schema::Kind::Order { fields: &[#(#fields),*] })
        }
    }
}

fn ty(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Primitive(primitive) => {
            let variant = ident(primitive_variant(*primitive));
            quote!(rt::schema::Ty::Primitive(rt::schema::Primitive::#variant))
        }
        Ty::Named(at) => {
            let path = type_path(at);
            quote!(rt::schema::Ty::Named(<#path as rt::Described>::describe))
        }
        Ty::Array(inner) => {
            let inner = self::ty(inner);
            quote!(rt::schema::Ty::Array(&#inner))
        }
        Ty::Map(inner) => {
            let inner = self::ty(inner);
            quote!(rt::schema::Ty::Map(&#inner))
        }
        Ty::OneOrMany(inner) => {
            let inner = self::ty(inner);
            quote!(rt::schema::Ty::OneOrMany(&#inner))
        }
    }
}

fn primitive_variant(primitive: Primitive) -> &'static str {
    match primitive {
        Primitive::String => "String",
        Primitive::Integer => "Integer",
        Primitive::Number => "Number",
        Primitive::Boolean => "Boolean",
        Primitive::YesNo => "YesNo",
        Primitive::OneZero => "OneZero",
        Primitive::OneZeroNumber => "OneZeroNumber",
        Primitive::Datetime => "Datetime",
        Primitive::LocalDatetime => "LocalDatetime",
        Primitive::Date => "Date",
        Primitive::Timestamp => "Timestamp",
        Primitive::File => "File",
        Primitive::Direction => "Direction",
        Primitive::Json => "Json",
    }
}

fn optional_str(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) => quote!(rt::Option::Some(#text)),
        None => quote!(rt::Option::None),
    }
}
