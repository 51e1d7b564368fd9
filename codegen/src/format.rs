//! The schema file format as Rust types: what a file may say, not what it means.
//!
//! Every struct rejects unknown keys, so a typo is an error rather than a
//! silently ignored setting. Lists and maps of items are read item by item
//! ([`Each`], [`EachMap`]) so that one bad parameter does not hide the problems
//! of the others. The JSON Schema that editors use (`schema/format.schema.json`)
//! is derived from these types, so the two cannot drift apart. Checks that need
//! more than one item (references, names, collisions) live in `lower`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer};
use serde_json::Value;

/// The only format version this generator reads.
pub const FORMAT_VERSION: u32 = 2;

/// A schema file: one method, shared definitions, or both.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Bitrix24 REST method schema",
    description = "One file of the schema that `cargo xtask codegen` turns into the `bitrix24` crate. See schema/README.md."
)]
pub struct File {
    /// Path to this JSON Schema, for editors.
    #[serde(rename = "$schema")]
    pub schema: String,
    /// The version of the file format.
    #[schemars(range(min = 2, max = 2))]
    pub format_version: u32,
    /// The method this file describes.
    #[serde(default)]
    pub method: Option<Method>,
    /// Named types, by Rust type name (`UpperCamelCase`).
    #[serde(default)]
    pub types: EachMap<TypeDef>,
    /// Method errors that several methods share, by a key used in `{"ref": key}`.
    #[serde(default)]
    pub errors: EachMap<SharedError>,
    /// The filter operators list methods accept, by a name that filter types
    /// refer to: key prefixes such as `">="` and `"%"`.
    #[serde(default)]
    pub operator_sets: EachMap<Vec<String>>,
    /// The codes older servers send instead of the empty code, with the same
    /// descriptions (`ERROR_ARGUMENT`, `ERROR_CORE`); one file declares them.
    #[serde(default)]
    pub legacy_empty_codes: Option<Vec<String>>,
}

/// A REST method.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Method {
    /// The wire name, such as `sonet_group.user.get`; the file must be named after it.
    pub name: String,
    /// Overrides the `UpperCamelCase` base of the generated names.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// The permission scopes that allow the call, any one of them.
    pub scopes: Vec<String>,
    /// One sentence: what the method does.
    pub summary: String,
    /// More about its behaviour.
    #[serde(default)]
    pub description: Option<String>,
    /// Who may call it.
    pub access: String,
    /// The official documentation page.
    pub docs_url: String,
    /// Whether sending it again after an ambiguous failure is harmless.
    pub retry_safe: bool,
    /// The REST version that serves the method: `3` for REST 3.0 (at
    /// `/rest/api/`); omitted for REST 2. A method documented in both
    /// versions has a file for each, the REST 3.0 one under a `v3` folder.
    #[serde(default)]
    pub rest_version: Option<u32>,
    /// REST 3.0 only: whether the method creates, changes or deletes data,
    /// so that each call carries an `Idempotency-Key`.
    #[serde(default)]
    pub writes: bool,
    /// Whether the method pages results with `start` and answers with `next` and `total`.
    #[serde(default)]
    pub paged: bool,
    /// Where a paged method's list is and whether it can be walked by key;
    /// only with `paged`.
    #[serde(default)]
    pub paging: Option<Paging>,
    /// The parameters, with their exact, case-sensitive wire names.
    pub params: Each<Param>,
    /// The `result` of a successful call.
    pub result: MethodResult,
    /// The method's own errors, in the order the server checks them.
    pub errors: Each<ErrorEntry>,
    /// Documented requests and answers; each is checked by the generated tests.
    #[serde(default)]
    pub examples: Each<Example>,
}

/// How a paged method's pages are read and walked.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Paging {
    /// The field of an object `result` that holds the list, such as `tasks`;
    /// omitted when `result` is the list itself.
    #[serde(default)]
    pub items: Option<String>,
    /// The key of keyset paging, such as `ID`: a field of every item, a
    /// unique positive integer, that the method's `order` parameter sorts by
    /// and its `filter` parameter compares with `>` and `<`. Declare it only
    /// where the method accepts `start=-1` and pages by 50.
    #[serde(default)]
    pub keyset: Option<String>,
}

/// A parameter of a method.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// The wire name, exactly as the server reads it.
    pub name: String,
    /// Overrides the `snake_case` Rust name.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// The type.
    #[serde(rename = "type")]
    pub ty: TypeExpr,
    /// Whether the call needs it: required parameters are constructor arguments.
    pub required: bool,
    /// Other wire names the server reads for the same parameter, such as
    /// `filter` for `FILTER`; examples may use them, the client sends `name`.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// What it means.
    pub description: String,
}

/// The result of a method.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MethodResult {
    /// The type of `result`.
    #[serde(rename = "type")]
    pub ty: TypeExpr,
    /// What it holds.
    pub description: String,
}

/// A method error: a reference to a shared one, or defined in place.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorEntry {
    /// The key of a shared error in a file's `errors`; nothing else may be set then.
    #[serde(default, rename = "ref")]
    pub reference: Option<String>,
    /// The `error` code (the empty string for most method errors); without
    /// it the error is matched on its description alone, whatever the code.
    #[serde(default)]
    pub code: Option<String>,
    /// The `error_description`, or alternative texts of it; without it the
    /// error is matched on its code alone.
    #[serde(default)]
    pub description: Option<Descriptions>,
    /// Overrides the variant name.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// What it means for the caller.
    #[serde(default)]
    pub doc: Option<String>,
}

/// A method error shared by several methods.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SharedError {
    /// The `error` code, as in a method's entry.
    #[serde(default)]
    pub code: Option<String>,
    /// The `error_description` or its alternatives, as in a method's entry.
    #[serde(default)]
    pub description: Option<Descriptions>,
    /// Overrides the variant name.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// What it means for the caller.
    pub doc: String,
}

/// One `error_description`, or texts the server sends for the same error.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Descriptions {
    /// One text.
    One(String),
    /// Alternative texts, in the order the generated docs list them.
    Many(Vec<String>),
}

impl Descriptions {
    /// The texts.
    pub fn into_vec(self) -> Vec<String> {
        match self {
            Self::One(text) => vec![text],
            Self::Many(texts) => texts,
        }
    }

    /// A description as the runtime compares it: without surrounding
    /// whitespace and one trailing period.
    pub fn normalized(description: &str) -> &str {
        let trimmed = description.trim();
        trimmed.strip_suffix('.').unwrap_or(trimmed).trim_end()
    }
}

/// A documented request, answer, or both.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// What the example shows.
    pub description: String,
    /// The request parameters as a JSON object; without them the example is
    /// an answer alone.
    #[serde(default)]
    pub params: Option<serde_json::Map<String, Value>>,
    /// The HTTP status of the answer; given with `body`.
    #[serde(default)]
    pub status: Option<u16>,
    /// The answer's body; without it the example is a request alone.
    #[serde(default)]
    pub body: Option<Value>,
    /// Why the generated types cannot follow this example, when they
    /// cannot (the documentation disagrees with itself): its test is still
    /// compiled, and skipped with this reason (`cargo test -- --ignored`
    /// runs it). Written by `cargo xtask import-docs --verify`, one line.
    #[serde(default)]
    pub disagrees: Option<String>,
    /// `params` as the file writes it, less whitespace between tokens; set by
    /// the loader from the file's text.
    #[serde(skip)]
    pub params_json: Option<String>,
    /// `body` as the file writes it, like `params_json`.
    #[serde(skip)]
    pub body_json: Option<String>,
}

/// A named type.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TypeDef {
    /// A JSON object with known fields.
    Object {
        /// What it is.
        description: String,
        /// Its fields, in wire order.
        fields: Each<Field>,
    },
    /// A string with documented values.
    Enum {
        /// What it is.
        description: String,
        /// Whether values unknown to the schema are kept (required where the
        /// server sends the enum, forbidden nowhere).
        extensible: bool,
        /// Whether the values are integers: written as digit strings here,
        /// sent as JSON numbers, read as numbers or numeric strings.
        #[serde(default)]
        numeric: bool,
        /// The documented values.
        values: Each<EnumValue>,
    },
    /// A numeric ID, sent as a number and returned as a number or numeric string.
    Id {
        /// What it identifies.
        description: String,
    },
    /// The typed `filter` of a list method: fields with the operators they accept.
    Filter {
        /// What it filters.
        description: String,
        /// The operator set (in some file's `operator_sets`) of every field
        /// that does not name its own.
        operators: String,
        /// The filterable fields.
        fields: Each<FilterField>,
    },
    /// The typed `order` of a list method: the fields it sorts by.
    Order {
        /// What it sorts.
        description: String,
        /// The sortable fields.
        fields: Each<ListField>,
    },
    /// The element of a list method's `select`: fields and masks, with any
    /// other text as a raw escape.
    Select {
        /// What it selects.
        description: String,
        /// The selectable fields.
        fields: Each<ListField>,
        /// Masks such as `*` and `UF_*`.
        #[serde(default)]
        masks: Each<EnumValue>,
    },
}

/// A field of a filter type.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FilterField {
    /// The wire name, without an operator.
    pub name: String,
    /// Overrides the `snake_case` base of the method names.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// The type of the values: a scalar.
    #[serde(rename = "type")]
    pub ty: TypeExpr,
    /// The operator set, if not the filter's.
    #[serde(default)]
    pub operators: Option<String>,
    /// What it means.
    #[serde(default)]
    pub description: Option<String>,
}

/// A field of an order or select type.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListField {
    /// The wire name.
    pub name: String,
    /// Overrides the Rust name (`snake_case` method, `UpperCamelCase` variant).
    #[serde(default)]
    pub rust_name: Option<String>,
}

/// A field of an object type.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The wire name.
    pub name: String,
    /// Overrides the `snake_case` Rust name.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// The type.
    #[serde(rename = "type")]
    pub ty: TypeExpr,
    /// The key may be absent.
    #[serde(default)]
    pub optional: bool,
    /// The value may be `null`.
    #[serde(default)]
    pub nullable: bool,
    /// The server sends `""` for no value.
    #[serde(default)]
    pub or_empty: bool,
    /// What it means.
    pub description: String,
}

/// A documented value of an enum type.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The wire value.
    pub value: String,
    /// Overrides the variant name.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// What it means.
    pub description: String,
}

/// A type: a primitive name, or an object with one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    /// A built-in type, such as `integer`.
    Primitive(Primitive),
    /// `{"ref": "Name"}`: a named type.
    Ref(String),
    /// `{"array": T}`.
    Array(Box<TypeExpr>),
    /// `{"map": T}`: an object with string keys.
    Map(Box<TypeExpr>),
    /// `{"one_or_many": T}`: one value or an array (parameters only).
    OneOrMany(Box<TypeExpr>),
}

/// The built-in types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Primitive {
    /// Text.
    String,
    /// A whole number; numeric strings are accepted.
    Integer,
    /// A number; numeric strings are accepted.
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

impl Primitive {
    /// Every primitive with its name in schema files.
    pub const ALL: [(&'static str, Primitive); 14] = [
        ("string", Primitive::String),
        ("integer", Primitive::Integer),
        ("number", Primitive::Number),
        ("boolean", Primitive::Boolean),
        ("yes_no", Primitive::YesNo),
        ("one_zero", Primitive::OneZero),
        ("one_zero_number", Primitive::OneZeroNumber),
        ("datetime", Primitive::Datetime),
        ("local_datetime", Primitive::LocalDatetime),
        ("date", Primitive::Date),
        ("timestamp", Primitive::Timestamp),
        ("file", Primitive::File),
        ("direction", Primitive::Direction),
        ("json", Primitive::Json),
    ];

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, primitive)| *primitive)
    }
}

const TYPE_KEYS: [&str; 4] = ["ref", "array", "map", "one_or_many"];

impl<'de> Deserialize<'de> for TypeExpr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TypeExprVisitor)
    }
}

struct TypeExprVisitor;

impl<'de> de::Visitor<'de> for TypeExprVisitor {
    type Value = TypeExpr;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"a type: a primitive name such as "integer", or an object with one key: ref, array, map or one_or_many"#)
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<TypeExpr, E> {
        if let Some(primitive) = Primitive::from_name(name) {
            return Ok(TypeExpr::Primitive(primitive));
        }
        let names = Primitive::ALL.map(|(known, _)| known);
        let mut message = format!(
            "unknown type {name:?}; the primitive types are {}",
            names.join(", ")
        );
        if let Some(suggestion) = crate::diagnostic::did_you_mean(name, names) {
            message.push_str("; ");
            message.push_str(&suggestion);
        }
        Err(E::custom(message))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<TypeExpr, A::Error> {
        let Some(key) = map.next_key::<String>()? else {
            return Err(de::Error::custom(
                "a type object needs one key: ref, array, map or one_or_many",
            ));
        };
        let expr = match key.as_str() {
            "ref" => TypeExpr::Ref(map.next_value()?),
            "array" => TypeExpr::Array(Box::new(map.next_value()?)),
            "map" => TypeExpr::Map(Box::new(map.next_value()?)),
            "one_or_many" => TypeExpr::OneOrMany(Box::new(map.next_value()?)),
            other => return Err(de::Error::unknown_field(other, &TYPE_KEYS)),
        };
        if let Some(extra) = map.next_key::<String>()? {
            return Err(de::Error::custom(format!(
                "a type object has exactly one key; remove {extra:?}"
            )));
        }
        Ok(expr)
    }
}

impl JsonSchema for TypeExpr {
    fn schema_name() -> Cow<'static, str> {
        "Type".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let this = generator.subschema_for::<TypeExpr>();
        let names: Vec<&str> = Primitive::ALL.iter().map(|(name, _)| *name).collect();
        let wrapper = |key: &str, inner: &Schema| {
            json_schema!({
                "type": "object",
                "properties": { key: inner },
                "required": [key],
                "additionalProperties": false
            })
        };
        let reference = json_schema!({ "type": "string" });
        json_schema!({
            "description": "A primitive type name, or an object with exactly one key: `ref` (a named type), `array`, `map` (string keys) or `one_or_many` (parameters only).",
            "oneOf": [
                { "type": "string", "enum": names },
                wrapper("ref", &reference),
                wrapper("array", &this),
                wrapper("map", &this),
                wrapper("one_or_many", &this)
            ]
        })
    }
}

/// A list read item by item: a bad item is reported with its index and the
/// others are still read.
#[derive(Debug)]
pub struct Each<T>(pub Vec<Item<T>>);

/// A map read entry by entry, like [`Each`].
#[derive(Debug)]
pub struct EachMap<T>(pub BTreeMap<String, Item<T>>);

impl<T> Default for Each<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T> Default for EachMap<T> {
    fn default() -> Self {
        Self(BTreeMap::new())
    }
}

/// One item of an [`Each`] or [`EachMap`]: read, or the reason it could not be.
pub type Item<T> = Result<T, ItemError>;

/// Why a value could not be read, relative to the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemError {
    /// The path inside the value; empty for the value itself.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// A suggestion, such as the known key closest to an unknown one.
    pub hint: Option<String>,
}

/// Reads a JSON value into `T`, keeping the path of the first problem.
pub fn read_value<T: DeserializeOwned>(value: Value) -> Result<T, ItemError> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let message = error.into_inner().to_string();
        ItemError {
            path: if path == "." { String::new() } else { path },
            hint: unknown_field_hint(&message),
            message,
        }
    })
}

/// serde names the expected keys of an unknown one; a near miss becomes a suggestion.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (found, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    crate::diagnostic::did_you_mean(found, candidates)
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Each<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let values = Vec::<Value>::deserialize(deserializer)?;
        Ok(Self(values.into_iter().map(read_value).collect()))
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for EachMap<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let values = BTreeMap::<String, Value>::deserialize(deserializer)?;
        Ok(Self(
            values
                .into_iter()
                .map(|(key, value)| (key, read_value(value)))
                .collect(),
        ))
    }
}

impl<T: JsonSchema> JsonSchema for Each<T> {
    fn schema_name() -> Cow<'static, str> {
        Vec::<T>::schema_name()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        Vec::<T>::json_schema(generator)
    }
}

impl<T: JsonSchema> JsonSchema for EachMap<T> {
    fn schema_name() -> Cow<'static, str> {
        BTreeMap::<String, T>::schema_name()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        BTreeMap::<String, T>::json_schema(generator)
    }
}

/// The JSON Schema of the file format, as written to `schema/format.schema.json`.
pub fn json_schema() -> Value {
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<File>();
    schema.to_value()
}
