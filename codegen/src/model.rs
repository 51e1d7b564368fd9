//! The validated model of the schema: what the emitters read.
//!
//! Every name here is final (derived or overridden, escaped, checked for
//! collisions) and every reference resolves. The model knows nothing about
//! JSON files, paths or token streams.

use serde_json::Value;

pub use crate::data::RestVersion;

pub use crate::format::Primitive;
pub use crate::operators::{Operator, Shape};

/// The whole API: every family of methods and the shared types.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Families, ordered by module name.
    pub families: Vec<Family>,
    /// Types defined outside method files, ordered by name.
    pub shared_types: Vec<NamedType>,
}

/// The methods whose wire names start with the same word, such as every
/// `sonet_group.*` method: one module and one cargo feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    /// The first word of the wire names, such as `sonet_group`.
    pub wire: String,
    /// The module name, such as `sonet_group` (escaped if a keyword).
    pub module: String,
    /// The cargo feature that enables the module: the module name unescaped.
    pub feature: String,
    /// The trait that adds the family's client functions to `Client`, such
    /// as `SonetGroupMethods`.
    pub client_trait: String,
    /// Methods, ordered by wire name.
    pub methods: Vec<Method>,
}

/// A REST method.
#[derive(Debug, Clone, PartialEq)]
pub struct Method {
    /// The wire name, such as `sonet_group.user.get`.
    pub wire: String,
    /// The schema file, relative to the repository root.
    pub source: String,
    /// The request type, such as `SonetGroupUserGet`.
    pub type_name: String,
    /// The error type, such as `SonetGroupUserGetError`.
    pub error_name: String,
    /// The module and file name within the family, such as `sonet_group_user_get`.
    pub module: String,
    /// The type of the parameter keys, such as `SonetGroupUserUpdateParams`;
    /// `None` when the method has no parameters of its own.
    pub params_struct: Option<String>,
    /// The trait of setters for the optional parameters, such as
    /// `SonetGroupUserGetSetters`; `None` when there are none.
    pub setters_trait: Option<String>,
    /// The permission scopes that allow the call, any one of them.
    pub scopes: Vec<String>,
    /// One sentence: what the method does.
    pub summary: String,
    /// More about its behaviour.
    pub description: Option<String>,
    /// Who may call it.
    pub access: String,
    /// The official documentation page.
    pub docs_url: String,
    /// Whether sending it again after an ambiguous failure is harmless.
    pub retry_safe: bool,
    /// The REST version that serves it.
    pub rest_version: RestVersion,
    /// REST 3.0 only: whether it creates, changes or deletes data.
    pub writes: bool,
    /// How it pages, if it pages with `start`, `next` and `total`.
    pub paging: Option<Paging>,
    /// Parameters in schema order; required ones become constructor arguments.
    pub params: Vec<Param>,
    /// The type of `result`.
    pub result: Ty,
    /// What `result` holds.
    pub result_doc: String,
    /// The method's own errors in the order the server checks them.
    pub errors: Vec<MethodError>,
    /// Types defined in the method's file, ordered by name.
    pub types: Vec<NamedType>,
    /// Documented requests and answers.
    pub examples: Vec<Example>,
}

/// How a paged method's pages are read and walked.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// The type of one item of the list.
    pub item: Ty,
    /// The Rust field of the result that holds the list; `None` when the
    /// result is the list.
    pub items_field: Option<String>,
    /// The wire name of that field.
    pub items_wire: Option<String>,
    /// Keyset paging, if the method supports it.
    pub keyset: Option<Keyset>,
}

/// How a method is walked by key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyset {
    /// The wire name of the sort parameter.
    pub order: String,
    /// The wire name of the filter parameter.
    pub filter: String,
    /// The wire name of the key, in the items and the filter.
    pub field: String,
    /// The wire name of the parameter that selects the items' fields, if any.
    pub select: Option<String>,
    /// The Rust field of the item that holds the key.
    pub item_field: String,
    /// Whether that field is an `Option`.
    pub item_field_optional: bool,
    /// Whether the key is an ID type (else an `i64`).
    pub id: bool,
}

/// A parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The exact wire name.
    pub wire: String,
    /// The Rust field and setter name.
    pub rust: String,
    /// The type.
    pub ty: Ty,
    /// Whether it is a constructor argument.
    pub required: bool,
    /// Other wire names the server reads for it.
    pub aliases: Vec<String>,
    /// Whether it is the `start` the generator adds to paged methods: a page
    /// offset, of the type of the answer's `next`.
    pub page_start: bool,
    /// What it means.
    pub doc: String,
}

/// A type as used by a field, parameter or result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// A built-in type.
    Primitive(Primitive),
    /// A named type.
    Named(TypeRef),
    /// A list.
    Array(Box<Ty>),
    /// An object with string keys.
    Map(Box<Ty>),
    /// One value or a list.
    OneOrMany(Box<Ty>),
}

/// Where a named type lives, which is how generated code names it: by full
/// path, so that no other name can shadow it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TypeRef {
    /// The module that exports it: `None` for the shared `types` module,
    /// else the family module.
    pub family: Option<String>,
    /// The Rust name.
    pub name: String,
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedType {
    /// The Rust name.
    pub name: String,
    /// The schema file that defines it.
    pub source: String,
    /// What it is.
    pub doc: String,
    /// Its shape.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A struct.
    Object {
        /// Its fields in wire order.
        fields: Vec<Field>,
        /// Whether a parameter holds it, so users build it: it then gets a
        /// constructor and setters.
        input: bool,
    },
    /// An enum of strings.
    Enum {
        /// The documented values.
        values: Vec<EnumValue>,
        /// Whether unknown values are kept in an `Unknown(String)` variant.
        extensible: bool,
        /// Whether the values are integers, sent as JSON numbers.
        numeric: bool,
    },
    /// A numeric ID newtype.
    Id,
    /// A list method's filter builder.
    Filter {
        /// The filterable fields.
        fields: Vec<FilterField>,
    },
    /// A list method's sort-order builder.
    Order {
        /// The sortable fields.
        fields: Vec<OrderField>,
    },
}

/// A field of a filter.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterField {
    /// The wire name, without an operator.
    pub wire: String,
    /// The `snake_case` base of its methods (unescaped).
    pub rust: String,
    /// The type of its values.
    pub ty: Ty,
    /// The operators it accepts, each one method.
    pub operators: Vec<&'static Operator>,
    /// What it means.
    pub doc: Option<String>,
}

impl FilterField {
    /// The builder method for `operator`, such as `title_like`: the base,
    /// then the operator's suffix, escaped if a keyword.
    pub fn method(&self, operator: &Operator) -> String {
        crate::names::operator_method(&self.rust, operator.suffix)
    }
}

/// A field of a sort order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderField {
    /// The wire name.
    pub wire: String,
    /// The builder method (escaped if a keyword).
    pub rust: String,
}

/// A field of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The wire name.
    pub wire: String,
    /// The Rust name.
    pub rust: String,
    /// The type.
    pub ty: Ty,
    /// The key may be absent.
    pub optional: bool,
    /// The value may be `null`.
    pub nullable: bool,
    /// The server sends `""` for no value.
    pub or_empty: bool,
    /// What it means.
    pub doc: String,
}

impl Field {
    /// Whether the Rust type is an `Option`.
    pub fn is_option(&self) -> bool {
        self.optional || self.nullable || self.or_empty
    }
}

/// A documented enum value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    /// The wire value.
    pub wire: String,
    /// The variant name.
    pub variant: String,
    /// What it means.
    pub doc: String,
}

/// A method's own error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodError {
    /// The variant name.
    pub variant: String,
    /// The code the schema declares, or `None` to match any code (the
    /// variant then carries the server's code).
    pub code: Option<String>,
    /// The codes that match: the declared one, and for the empty code the
    /// legacy codes older servers send; empty for any code.
    pub codes: Vec<String>,
    /// The descriptions that match, the first one canonical; empty to match
    /// on the code alone (the variant then carries the server's description).
    pub descriptions: Vec<String>,
    /// What it means.
    pub doc: Option<String>,
}

impl MethodError {
    /// The text the schema knows it by, for messages and names: the first
    /// description, else the code.
    pub fn wire_text(&self) -> &str {
        self.descriptions
            .first()
            .or(self.code.as_ref())
            .map_or("", String::as_str)
    }
}

/// A documented request, answer, or both.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// What it shows.
    pub description: String,
    /// The request parameters as the schema writes them (minified JSON).
    pub params_json: Option<String>,
    /// The answer.
    pub answer: Option<Answer>,
    /// Why the generated types cannot follow the example, if they cannot:
    /// its test is skipped with this reason.
    pub disagrees: Option<String>,
}

/// A documented answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: Value,
    /// The body as the schema writes it (minified JSON).
    pub body_json: String,
}

impl Answer {
    /// Whether it is a success (`result`), else an error.
    pub fn is_success(&self) -> bool {
        self.body.get("result").is_some()
    }
}

impl Method {
    /// Parameters that are constructor arguments.
    pub fn required_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|param| param.required)
    }

    /// The client function, such as `sonet_group_user_get`: named like the
    /// method's module.
    pub fn client_fn(&self) -> &str {
        &self.module
    }

    /// Parameters that are set with setters.
    pub fn optional_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|param| !param.required)
    }
}
