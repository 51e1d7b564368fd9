//! The validated model of the schema: what the emitters read.
//!
//! Every name here is final (derived or overridden, escaped, checked for
//! collisions) and every reference resolves. The model knows nothing about
//! JSON files, paths or token streams.

use serde_json::Value;

pub use crate::format::{Category, Primitive, Retry};

/// The whole API: every method, shared type and system error.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Methods, ordered by wire name.
    pub methods: Vec<Method>,
    /// Types defined outside method files, ordered by name.
    pub shared_types: Vec<NamedType>,
    /// Errors any method can return, in schema order.
    pub system_errors: Vec<SystemError>,
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
    /// The module, file and client function name, such as `sonet_group_user_get`.
    pub module: String,
    /// The permission scope.
    pub scope: String,
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
    /// Whether it pages with `start`, `next` and `total`.
    pub paged: bool,
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
    /// What it means.
    pub doc: String,
}

/// A type as used by a field, parameter or result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// A built-in type.
    Primitive(Primitive),
    /// A named type, by its Rust name.
    Named(String),
    /// A list.
    Array(Box<Ty>),
    /// An object with string keys.
    Map(Box<Ty>),
    /// One value or a list.
    OneOrMany(Box<Ty>),
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
    },
    /// An enum of strings.
    Enum {
        /// The documented values.
        values: Vec<EnumValue>,
        /// Whether unknown values are kept in an `Unknown(String)` variant.
        extensible: bool,
    },
    /// A numeric ID newtype.
    Id,
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
    /// What it means.
    pub doc: String,
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
    /// The `error` code; empty for most method errors.
    pub code: String,
    /// The exact `error_description`, or `None` to match on the code alone
    /// (the variant then carries the server's description).
    pub description: Option<String>,
    /// What it means.
    pub doc: Option<String>,
}

/// An error any method can return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemError {
    /// The `error` code.
    pub code: String,
    /// The variant name.
    pub variant: String,
    /// The usual description.
    pub description: String,
    /// The usual HTTP status.
    pub status: Option<u16>,
    /// What kind of failure it is.
    pub category: Category,
    /// Whether a call may be sent again.
    pub retry: Retry,
    /// What it means.
    pub doc: String,
}

/// A documented request and answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// What it shows.
    pub description: String,
    /// The request parameters.
    pub params: Value,
    /// The request parameters as the schema writes them (minified JSON).
    pub params_json: String,
    /// The HTTP status of the answer.
    pub status: u16,
    /// The answer's body.
    pub body: Value,
    /// The answer's body as the schema writes it (minified JSON).
    pub body_json: String,
}

impl Method {
    /// Parameters that are constructor arguments.
    pub fn required_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|param| param.required)
    }

    /// Parameters that are set with setters.
    pub fn optional_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|param| !param.required)
    }
}
