//! What the schema says about each method, as data: wire names, parameters
//! with their types and required flags, enum values, paging, docs.
//!
//! Tools such as a command line read it (`bitrix24::schema::methods()`,
//! behind the `schema` feature of the `bitrix24` crate) to check and build
//! requests for any method without a type per method. No request type is
//! touched.
//!
//! These types are also the one definition of the data's format: the
//! generator includes this file, fills them in and writes them as JSON into
//! each generated crate, which embeds the file; the runtime parses it on
//! first use. So the file depends on serde alone, and names nothing else of
//! the runtime. A named
//! type is referred to by its path ([`Ty::Named`]), which is how recursive
//! types are written.

use serde::{Deserialize, Serialize};

/// What one generated crate describes: its methods and its named types.
/// The root of the data the generator writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrateData {
    /// The crate's methods, by wire name (none for the shared types).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub methods: Vec<Method>,
    /// The crate's named types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<NamedType>,
}

/// A REST method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Method {
    /// The wire name, such as `sonet_group.user.get`.
    pub name: String,
    /// The family: the first word of the name, such as `sonet_group`, which
    /// is also the cargo feature that enables it.
    pub family: String,
    /// One sentence: what the method does.
    pub summary: String,
    /// More about its behaviour, if the schema says more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who may call it.
    pub access: String,
    /// The permission scopes that allow the call, any one of them.
    pub scopes: Vec<String>,
    /// The official documentation page.
    pub docs_url: String,
    /// Whether sending it again after an ambiguous failure is harmless.
    #[serde(default, skip_serializing_if = "is_false")]
    pub retry_safe: bool,
    /// The REST version that serves it, which decides its address.
    #[serde(default, skip_serializing_if = "RestVersion::is_v2")]
    pub rest_version: RestVersion,
    /// REST 3.0 only: whether it creates, changes or deletes data, so that
    /// a call carries an `Idempotency-Key` and may be repeated safely.
    #[serde(default, skip_serializing_if = "is_false")]
    pub writes: bool,
    /// How it pages, if it pages with `start`, `next` and `total`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
    /// The parameters in schema order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Param>,
    /// The type of `result`.
    pub result: Ty,
}

impl Method {
    /// The parameter whose wire name (or one of its aliases) is `name`.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params
            .iter()
            .find(|param| param.name == name || param.aliases.iter().any(|alias| alias == name))
    }
}

/// The REST version that serves a method: REST 2 at `/rest/`, or REST 3.0
/// at `/rest/api/` (JSON bodies only, one error shape, `Idempotency-Key` on
/// writes, no `batch` of REST 2's form).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum RestVersion {
    /// REST 2, at `/rest/<method>`.
    #[default]
    #[serde(rename = "2")]
    V2,
    /// REST 3.0, at `/rest/api/<method>`.
    #[serde(rename = "3")]
    V3,
}

impl RestVersion {
    /// Whether this is REST 2, the version a method has unless it says.
    pub fn is_v2(&self) -> bool {
        *self == Self::V2
    }
}

/// How a paged method's answers hold their items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paging {
    /// The field of `result` that holds the items; `None` when `result` is
    /// the list itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<String>,
    /// How it is walked by key, if it can be.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyset: Option<KeysetPaging>,
}

/// How a paged method is walked by its key, as the runtime's `Keyset` says
/// it (which converts from this): the wire names of its sort and filter
/// parameters and of the key field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeysetPaging {
    /// The sort parameter.
    pub order: String,
    /// The filter parameter.
    pub filter: String,
    /// The key field, a positive integer unique per item.
    pub field: String,
    /// The parameter that selects the fields of the items, if the method
    /// has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<String>,
}

/// A parameter of a method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param {
    /// The exact wire name, such as `GROUP_ID`.
    pub name: String,
    /// Other wire names the server reads for it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Its type.
    pub ty: Ty,
    /// Whether every call must send it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Whether it is the page offset of a paged method (`start`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub page_start: bool,
    /// What it means.
    pub doc: String,
}

/// A type as a parameter, field or result uses it.
///
/// Written as an object with one key (`{"primitive": "integer"}`,
/// `{"array": {"named": "crm::Deal"}}`): a bare string for a primitive
/// would be shorter, but serde reads an enum with an untagged variant
/// through a buffer, three times slower.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ty {
    /// A built-in type.
    Primitive(Primitive),
    /// A named type, by its path in the `bitrix24` crate (`crm::Deal`,
    /// `types::UserId`), which `bitrix24::schema::named_type` resolves.
    Named(String),
    /// A list.
    Array(Box<Ty>),
    /// An object with string keys.
    Map(Box<Ty>),
    /// One value or a list of them.
    OneOrMany(Box<Ty>),
}

/// A built-in type, with how it is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Primitive {
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// A flag sent as JSON `true`/`false`.
    Boolean,
    /// A flag sent as `"Y"`/`"N"`.
    YesNo,
    /// A flag sent as `"1"`/`"0"`.
    OneZero,
    /// A flag sent as `1`/`0`.
    OneZeroNumber,
    /// An ISO-8601 date and time with offset.
    Datetime,
    /// A date and time without offset, in the portal's time zone.
    LocalDatetime,
    /// An ISO-8601 date.
    Date,
    /// Unix seconds.
    Timestamp,
    /// A file upload, `[name, base64]`.
    File,
    /// A sort direction, `ASC` or `DESC`.
    Direction,
    /// Any JSON value.
    Json,
}

/// A type the schema names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedType {
    /// Its Rust name in its module of the `bitrix24` crate, such as
    /// `GroupMember`.
    pub name: String,
    /// What it is.
    pub doc: String,
    /// Its shape.
    pub kind: Kind,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An object with known fields.
    Object {
        /// The fields in wire order.
        fields: Vec<Field>,
    },
    /// A set of values.
    Enum {
        /// The documented values.
        values: Vec<EnumValue>,
        /// Whether values the schema does not list are kept (open), else
        /// only these are valid.
        #[serde(default, skip_serializing_if = "is_false")]
        extensible: bool,
        /// Whether the values are integers, sent as JSON numbers.
        #[serde(default, skip_serializing_if = "is_false")]
        numeric: bool,
    },
    /// A numeric ID.
    Id,
    /// A list method's filter: keys are an operator prefix and a field.
    Filter {
        /// The filterable fields.
        fields: Vec<FilterField>,
    },
    /// A list method's sort order: field names to `ASC` or `DESC`.
    Order {
        /// The sortable fields.
        fields: Vec<String>,
    },
}

/// A field of an object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// The wire name.
    pub name: String,
    /// Its type.
    pub ty: Ty,
    /// Whether the key may be absent.
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
    /// Whether the value may be `null`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    /// What it means.
    pub doc: String,
}

/// A documented enum value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumValue {
    /// The wire value.
    pub value: String,
    /// What it means.
    pub doc: String,
}

/// A field of a filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilterField {
    /// The wire name, without an operator.
    pub name: String,
    /// The type of its values.
    pub ty: Ty,
    /// The key prefixes it accepts (`""` for the default comparison, `>=`,
    /// `%`, `@`, ...).
    pub operators: Vec<String>,
}

/// Whether a flag is off, which the data leaves out (serde passes it by
/// reference).
fn is_false(flag: &bool) -> bool {
    !flag
}
