//! The schema as data, behind the generated crate's `schema` feature: each
//! crate's methods and named types written as JSON into the crate
//! (`src/schema.json`), the item that embeds that file in the crate's root,
//! and the crate's `schema` module that lists every enabled family.
//!
//! The data is the runtime's own types (`crate::data`) filled in and
//! serialized, so the format is defined once, there; schema text only ever
//! becomes JSON strings here, never code. A named type is referred to by its
//! path in the crate (`crm::Deal`), which the runtime resolves, so a type
//! reached from itself is written like any other. Knows nothing about what
//! reads the data (the command line).

use proc_macro2::TokenStream;
use quote::quote;

use super::{EmittedFile, SHARED_TYPES_MODULE, family_dir, ident};
use crate::data;
use crate::layout::Layout;
use crate::model::{Api, Family, Method, NamedType, Param, Primitive, Ty, TypeKind, TypeRef};
use crate::names;

/// The feature that turns the descriptions on.
pub const FEATURE: &str = "schema";

/// The name of the data file in each crate's `src/`.
const DATA_FILE: &str = "schema.json";

/// The module of the crate root that lists every method, a file of its own.
pub fn root_module(api: &Api, layout: &Layout) -> EmittedFile {
    let shared = ident(SHARED_TYPES_MODULE);
    let families = api.families.iter().map(|family| {
        let module = ident(&family.module);
        let feature = &family.feature;
        quote!(#[cfg(feature = #feature)] &crate::#module::SCHEMA,)
    });
    EmittedFile {
        path: format!("{}/src/schema.rs", layout.dir),
        source: "every file in schema/".to_owned(),
        module_doc: "What the schema says about every method of the enabled families, as data: wire names, parameters, types, enum values, paging and docs (feature `schema`).".to_owned(),
        tokens: quote! {
            use ::bitrix24_runtime::__private as rt;

            #[doc(inline)]
            pub use rt::schema::*;

            /// The data of the shared types and of every enabled family,
            /// each parsed the first time it is read.
            static CATALOG: rt::SchemaCatalog =
                rt::SchemaCatalog::new(&[&crate::#shared::SCHEMA, #(#families)*]);

            /// Every method of the enabled families, by family and then by
            /// wire name.
            pub fn methods() -> impl Iterator<Item = &'static Method> {
                CATALOG.methods()
            }

            /// The method whose wire name is `name`, if its family is enabled:
            /// the REST 2 one where both versions serve the name.
            pub fn method(name: &str) -> Option<&'static Method> {
                CATALOG.method(name)
            }

            /// The method whose wire name is `name` in one REST version, if
            /// its family is enabled.
            pub fn method_in(name: &str, version: RestVersion) -> Option<&'static Method> {
                CATALOG.method_in(name, version)
            }

            /// The type a [`Ty::Named`] names by its path (`crm::Deal`),
            /// if its family is enabled.
            pub fn named_type(path: &str) -> Option<&'static NamedType> {
                CATALOG.named_type(path)
            }
        },
    }
}

/// The item of a family's crate root that embeds its data.
pub fn family_items(family: &Family) -> TokenStream {
    let module = names::unraw(&family.module);
    let wire = &family.wire;
    embed(quote!(rt::EmbeddedSchema::family(#module, #wire, include_str!(#DATA_FILE))))
}

/// The item of the shared types' crate root that embeds their data.
pub fn shared_items() -> TokenStream {
    embed(quote!(rt::EmbeddedSchema::shared(#SHARED_TYPES_MODULE, include_str!(#DATA_FILE))))
}

/// `SCHEMA`, the crate's data, as `embedded` makes it.
fn embed(embedded: TokenStream) -> TokenStream {
    quote! {
        /// The crate's methods and types as data, for the `bitrix24`
        /// crate's `schema` module.
        #[cfg(feature = #FEATURE)]
        #[doc(hidden)]
        pub static SCHEMA: rt::EmbeddedSchema = #embedded;
    }
}

/// The data files: the shared types' and each family's, as paths and
/// contents.
pub fn data_files(api: &Api, layout: &Layout) -> Vec<(String, String)> {
    let shared = data::CrateData {
        methods: Vec::new(),
        types: api.shared_types.iter().map(named_type).collect(),
    };
    let shared = (
        format!("{}/src/{DATA_FILE}", layout.shared_types().dir),
        json(&shared),
    );
    let families = api.families.iter().map(|family| {
        let path = format!("{}/{DATA_FILE}", family_dir(layout, family));
        (path, json(&family_data(family)))
    });
    std::iter::once(shared).chain(families).collect()
}

/// Minified, as only the runtime reads it; a file ends with a line break.
fn json(data: &data::CrateData) -> String {
    let mut text = serde_json::to_string(data).expect("the data holds only strings and lists");
    text.push('\n');
    text
}

fn family_data(family: &Family) -> data::CrateData {
    data::CrateData {
        methods: family
            .methods
            .iter()
            .map(|described| method(family, described))
            .collect(),
        types: family
            .methods
            .iter()
            .flat_map(|method| &method.types)
            .map(named_type)
            .collect(),
    }
}

fn method(family: &Family, method: &Method) -> data::Method {
    data::Method {
        name: method.wire.clone(),
        family: family.wire.clone(),
        summary: method.summary.clone(),
        description: method.description.clone(),
        access: method.access.clone(),
        scopes: method.scopes.clone(),
        docs_url: method.docs_url.clone(),
        retry_safe: method.retry_safe,
        rest_version: method.rest_version,
        writes: method.writes,
        paging: method.paging.as_ref().map(|paging| data::Paging {
            items: paging.items_wire.clone(),
            keyset: paging.keyset.as_ref().map(|keyset| data::KeysetPaging {
                order: keyset.order.clone(),
                filter: keyset.filter.clone(),
                field: keyset.field.clone(),
                select: keyset.select.clone(),
            }),
        }),
        params: method.params.iter().map(param).collect(),
        result: ty(&method.result),
    }
}

fn param(param: &Param) -> data::Param {
    data::Param {
        name: param.wire.clone(),
        aliases: param.aliases.clone(),
        ty: ty(&param.ty),
        required: param.required,
        page_start: param.page_start,
        doc: param.doc.clone(),
    }
}

fn named_type(named: &NamedType) -> data::NamedType {
    data::NamedType {
        name: named.name.clone(),
        doc: named.doc.clone(),
        kind: kind(&named.kind),
    }
}

fn kind(kind: &TypeKind) -> data::Kind {
    match kind {
        TypeKind::Object { fields, .. } => data::Kind::Object {
            fields: fields
                .iter()
                .map(|field| data::Field {
                    name: field.wire.clone(),
                    ty: ty(&field.ty),
                    optional: field.optional || field.or_empty,
                    nullable: field.nullable,
                    doc: field.doc.clone(),
                })
                .collect(),
        },
        TypeKind::Enum {
            values,
            extensible,
            numeric,
        } => data::Kind::Enum {
            values: values
                .iter()
                .map(|value| data::EnumValue {
                    value: value.wire.clone(),
                    doc: value.doc.clone(),
                })
                .collect(),
            extensible: *extensible,
            numeric: *numeric,
        },
        TypeKind::Id => data::Kind::Id,
        TypeKind::Filter { fields } => data::Kind::Filter {
            fields: fields
                .iter()
                .map(|field| data::FilterField {
                    name: field.wire.clone(),
                    ty: ty(&field.ty),
                    operators: field
                        .operators
                        .iter()
                        .map(|operator| operator.prefix.to_owned())
                        .collect(),
                })
                .collect(),
        },
        TypeKind::Order { fields } => data::Kind::Order {
            fields: fields.iter().map(|field| field.wire.clone()).collect(),
        },
    }
}

fn ty(ty: &Ty) -> data::Ty {
    match ty {
        Ty::Primitive(primitive) => data::Ty::Primitive(self::primitive(*primitive)),
        Ty::Named(at) => data::Ty::Named(type_path(at)),
        Ty::Array(inner) => data::Ty::Array(Box::new(self::ty(inner))),
        Ty::Map(inner) => data::Ty::Map(Box::new(self::ty(inner))),
        Ty::OneOrMany(inner) => data::Ty::OneOrMany(Box::new(self::ty(inner))),
    }
}

/// The path of a named type in the facade, which names it in the data: its
/// family's module or the shared types', then its name.
fn type_path(at: &TypeRef) -> String {
    let module = at
        .family
        .as_deref()
        .map_or(SHARED_TYPES_MODULE, names::unraw);
    format!("{module}::{}", at.name)
}

fn primitive(primitive: Primitive) -> data::Primitive {
    match primitive {
        Primitive::String => data::Primitive::String,
        Primitive::Integer => data::Primitive::Integer,
        Primitive::Number => data::Primitive::Number,
        Primitive::Boolean => data::Primitive::Boolean,
        Primitive::YesNo => data::Primitive::YesNo,
        Primitive::OneZero => data::Primitive::OneZero,
        Primitive::OneZeroNumber => data::Primitive::OneZeroNumber,
        Primitive::Datetime => data::Primitive::Datetime,
        Primitive::LocalDatetime => data::Primitive::LocalDatetime,
        Primitive::Date => data::Primitive::Date,
        Primitive::Timestamp => data::Primitive::Timestamp,
        Primitive::File => data::Primitive::File,
        Primitive::Direction => data::Primitive::Direction,
        Primitive::Json => data::Primitive::Json,
    }
}
