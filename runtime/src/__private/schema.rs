//! What the schema says about each method, as data: wire names, parameters
//! with their types and required flags, enum values, paging, docs.
//!
//! Generated code fills these types in (`bitrix24::schema::methods()`,
//! behind the `schema` feature of the `bitrix24` crate), so tools such as a
//! command line can check and build requests for any method without a type
//! per method. Everything is `'static` data: reading it allocates nothing,
//! and no request type is touched. Named types are reached through a
//! function ([`Ty::Named`]), which is how recursive types are written.
//!
//! Knows nothing about how a request is sent.

use std::fmt;

/// A REST method.
#[derive(Debug, Clone, Copy)]
pub struct Method {
    /// The wire name, such as `sonet_group.user.get`.
    pub name: &'static str,
    /// The family: the first word of the name, such as `sonet_group`, which
    /// is also the cargo feature that enables it.
    pub family: &'static str,
    /// One sentence: what the method does.
    pub summary: &'static str,
    /// More about its behaviour, if the schema says more.
    pub description: Option<&'static str>,
    /// Who may call it.
    pub access: &'static str,
    /// The permission scopes that allow the call, any one of them.
    pub scopes: &'static [&'static str],
    /// The official documentation page.
    pub docs_url: &'static str,
    /// Whether sending it again after an ambiguous failure is harmless.
    pub retry_safe: bool,
    /// How it pages, if it pages with `start`, `next` and `total`.
    pub paging: Option<Paging>,
    /// The parameters in schema order.
    pub params: &'static [Param],
    /// The type of `result`.
    pub result: Ty,
}

impl Method {
    /// The parameter whose wire name (or one of its aliases) is `name`.
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params
            .iter()
            .find(|param| param.name == name || param.aliases.contains(&name))
    }
}

/// How a paged method's answers hold their items.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// The field of `result` that holds the items; `None` when `result` is
    /// the list itself.
    pub items: Option<&'static str>,
    /// How it is walked by key, if it can be.
    pub keyset: Option<crate::Keyset>,
}

/// A parameter of a method.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// The exact wire name, such as `GROUP_ID`.
    pub name: &'static str,
    /// Other wire names the server reads for it.
    pub aliases: &'static [&'static str],
    /// Its type.
    pub ty: Ty,
    /// Whether every call must send it.
    pub required: bool,
    /// Whether it is the page offset of a paged method (`start`).
    pub page_start: bool,
    /// What it means.
    pub doc: &'static str,
}

/// A type as a parameter, field or result uses it.
#[derive(Clone, Copy)]
pub enum Ty {
    /// A built-in type.
    Primitive(Primitive),
    /// A named type, through the function that describes it.
    Named(fn() -> &'static NamedType),
    /// A list.
    Array(&'static Ty),
    /// An object with string keys.
    Map(&'static Ty),
    /// One value or a list of them.
    OneOrMany(&'static Ty),
}

impl fmt::Debug for Ty {
    /// A named type is shown by its name, so recursive types end.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Primitive(primitive) => primitive.fmt(f),
            Self::Named(describe) => write!(f, "{}", describe().name),
            Self::Array(inner) => f.debug_tuple("Array").field(inner).finish(),
            Self::Map(inner) => f.debug_tuple("Map").field(inner).finish(),
            Self::OneOrMany(inner) => f.debug_tuple("OneOrMany").field(inner).finish(),
        }
    }
}

/// A built-in type, with how it is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone, Copy)]
pub struct NamedType {
    /// Its Rust name in the `bitrix24` crate, such as `GroupMember`.
    pub name: &'static str,
    /// What it is.
    pub doc: &'static str,
    /// Its shape.
    pub kind: Kind,
}

/// The shape of a named type.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// An object with known fields.
    Object {
        /// The fields in wire order.
        fields: &'static [Field],
    },
    /// A set of values.
    Enum {
        /// The documented values.
        values: &'static [EnumValue],
        /// Whether values the schema does not list are kept (open), else
        /// only these are valid.
        extensible: bool,
        /// Whether the values are integers, sent as JSON numbers.
        numeric: bool,
    },
    /// A numeric ID.
    Id,
    /// A list method's filter: keys are an operator prefix and a field.
    Filter {
        /// The filterable fields.
        fields: &'static [FilterField],
    },
    /// A list method's sort order: field names to `ASC` or `DESC`.
    Order {
        /// The sortable fields.
        fields: &'static [&'static str],
    },
}

/// A field of an object.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The wire name.
    pub name: &'static str,
    /// Its type.
    pub ty: Ty,
    /// Whether the key may be absent.
    pub optional: bool,
    /// Whether the value may be `null`.
    pub nullable: bool,
    /// What it means.
    pub doc: &'static str,
}

/// A documented enum value.
#[derive(Debug, Clone, Copy)]
pub struct EnumValue {
    /// The wire value.
    pub value: &'static str,
    /// What it means.
    pub doc: &'static str,
}

/// A field of a filter.
#[derive(Debug, Clone, Copy)]
pub struct FilterField {
    /// The wire name, without an operator.
    pub name: &'static str,
    /// The type of its values.
    pub ty: Ty,
    /// The key prefixes it accepts (`""` for the default comparison, `>=`,
    /// `%`, `@`, ...).
    pub operators: &'static [&'static str],
}

/// Implemented by every named type of the `bitrix24` crate (with its
/// `schema` feature): the description [`Ty::Named`] points to. An ID type
/// is described by its marker.
pub trait Described {
    /// The type's description.
    fn describe() -> &'static NamedType;
}

impl<Marker: Described> Described for crate::Id<Marker> {
    fn describe() -> &'static NamedType {
        Marker::describe()
    }
}
