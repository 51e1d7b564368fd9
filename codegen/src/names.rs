//! Every Rust name the generator writes comes from here.
//!
//! Names derive deterministically from wire names with `heck`; a schema file
//! may override any of them with `rust_name`. Keywords are escaped the same way
//! everywhere: raw identifiers (`r#type`) where Rust allows them, a trailing
//! underscore for `self`, `super`, `crate` and `Self`, which cannot be raw.
//! This module knows nothing about schema files or token streams.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that are keywords in Rust 2024 (strict and reserved).
const KEYWORDS: [&str; 52] = [
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: [&str; 4] = ["crate", "self", "super", "Self"];

/// The names the runtime claims, from the runtime's own list (this file is
/// shared with it, so the two cannot drift).
#[path = "../../runtime/src/__private/reserved.rs"]
pub mod runtime;

/// Modules the generator writes at the crate root beside the families.
pub const GENERATED_ROOT_MODULES: &[&str] = &["prelude", "schema", "types"];

/// The module that holds the marker types of IDs, in `types` and in every
/// family module.
pub const MARKERS_MODULE: &[&str] = &["markers"];

/// Names a module may not take: primitive types (a module shadows them),
/// the standard crates, and the cargo features a family's feature would
/// collide with (`default`; `redis`, the runtime's shared limits;
/// `blocking`, its synchronous client; `schema`, the methods as data).
pub const RESERVED_MODULE_NAMES: &[&str] = &[
    "alloc", "blocking", "bool", "char", "core", "default", "f32", "f64", "i128", "i16", "i32",
    "i64", "i8", "isize", "redis", "schema", "std", "str", "u128", "u16", "u32", "u64", "u8",
    "usize",
];

/// Methods that every request and pending call has from a standard trait
/// (`Clone`, `Debug`, `PartialEq`, `Into`, `IntoFuture`, serde's traits) or
/// as its constructor: a setter of the same name would be shadowed or make
/// calls ambiguous. Client functions avoid them too.
pub const STD_METHODS: &[&str] = &[
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "clone_into",
    "default",
    "deserialize",
    "eq",
    "fmt",
    "from",
    "into",
    "into_future",
    "ne",
    "new",
    "serialize",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
];

/// The [`STD_METHODS`] of traits outside the prelude (`Any`): an inherent
/// method of the same name takes precedence without ambiguity.
pub const NON_PRELUDE_TRAIT_METHODS: &[&str] = &["type_id"];

/// Methods every generated filter and sort-order builder has beside its
/// fields' (`raw` is the escape for keys the schema does not list).
pub const BUILDER_METHODS: &[&str] = &["conditions", "keys", "raw"];

/// Items of the runtime's trait for objects' decoding (`rt::ReadObject`),
/// which every generated object implements: a setter of the same name would
/// be ambiguous.
pub const OBJECT_TRAIT_ITEMS: &[&str] = &["read_object"];

/// The field of every object that holds the fields the schema does not list
/// (and, in an answer, the values that did not fit their types), and the
/// setter of an input object's: neither a field nor a setter may take the
/// name.
pub const OBJECT_CUSTOM: &str = "custom";

/// The builder method of a filter field (`snake_case` base, unescaped) and
/// an operator suffix: `title` and `like` give `title_like`; the default
/// operator (no suffix) gives the base itself. Escaped if a keyword.
pub fn operator_method(base: &str, suffix: &str) -> String {
    if suffix.is_empty() {
        escape(base)
    } else {
        escape(&format!("{base}_{suffix}"))
    }
}

/// The variants every generated method error has. The items of the
/// runtime's error table every one implements (`OWN_ERRORS`, `class`) need
/// no list: a variant's name is UpperCamelCase without underscores.
pub const ERROR_FALLBACK_VARIANTS: &[&str] = &["System", "Unknown"];

/// Who already has a method named `setter` on every request or call.
pub fn setter_owner(setter: &str) -> Option<&'static str> {
    let places: [(&[&str], &str); 3] = [
        (runtime::CALL_METHODS, "a pending call"),
        (runtime::REQUEST_TRAIT_ITEMS, "the runtime's request traits"),
        (STD_METHODS, "a standard trait or the constructor"),
    ];
    places
        .into_iter()
        .find(|(names, _)| names.contains(&setter))
        .map(|(_, owner)| owner)
}

/// The first word of a wire name, which names the method's family:
/// `sonet_group.user.get` -> `sonet_group`.
pub fn family_wire(wire: &str) -> &str {
    wire.split('.').next().unwrap_or(wire)
}

/// Module names rustc reads as a crate's own files (`special_module_name`):
/// a family of that name (`main.eventlog.get`) gets a trailing `_`.
const SPECIAL_MODULE_NAMES: [&str; 2] = ["lib", "main"];

/// The module (and cargo feature) of a method's family: `sonet_group.user.get` -> `sonet_group`;
/// `main.eventlog.get` -> `main_`.
pub fn family_module(wire: &str) -> String {
    let module = family_wire(wire).to_snake_case();
    if SPECIAL_MODULE_NAMES.contains(&module.as_str()) {
        format!("{module}_")
    } else {
        escape(&module)
    }
}

/// The trait of a family's client functions: `sonet_group` -> `SonetGroupMethods`.
pub fn family_trait(family_wire: &str) -> String {
    format!("{}Methods", family_wire.to_upper_camel_case())
}

/// The trait of a request's setters: `SonetGroupUserInvite` -> `SonetGroupUserInviteSetters`.
pub fn setters_trait(request: &str) -> String {
    format!("{request}Setters")
}

/// The type of a request's parameter keys: `SonetGroupUserUpdate` -> `SonetGroupUserUpdateParams`.
pub fn params_struct(request: &str) -> String {
    format!("{request}Params")
}

/// The constant of a field, for references to it: `user_id` -> `USER_ID`,
/// `r#type` -> `TYPE`. Field names are lower-case, so no two share one.
pub fn field_constant(field: &str) -> String {
    unraw(field).to_ascii_uppercase()
}

/// The error type of a request: `SonetGroupUserInvite` -> `SonetGroupUserInviteError`.
pub fn error_type(request: &str) -> String {
    format!("{request}Error")
}

/// The `UpperCamelCase` base name of a method: `sonet_group.user.get` ->
/// `SonetGroupUserGet`; the REST 3.0 twin of a REST 2 method (`twin`) takes
/// a `V3` suffix, as S3's `ListObjectsV2` does: `TasksTaskUpdateV3`.
pub fn method_type(wire: &str, twin: bool) -> String {
    let base = wire.to_upper_camel_case();
    if twin { format!("{base}V3") } else { base }
}

/// The module (and file) name of a method, which its client function also
/// takes: `sonet_group.user.get` -> `sonet_group_user_get`, and a REST 3.0
/// twin `tasks_task_update_v3`.
pub fn method_module(wire: &str, twin: bool) -> String {
    let base = wire.to_snake_case();
    escape(&if twin { format!("{base}_v3") } else { base })
}

/// A field, parameter or setter name: `GROUP_ID` -> `group_id`, `type` -> `r#type`.
pub fn field(wire: &str) -> String {
    escape(&wire.to_snake_case())
}

/// A variant name from a wire value or an error text: `Wrong group ID` -> `WrongGroupId`.
///
/// Acronyms are words (`IDs` -> `Ids`), as the Rust API guidelines ask;
/// heck alone would keep `IDs`.
pub fn variant(wire: &str) -> String {
    let words = wire
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty());
    let camel: String = words.map(acronym_as_word).collect::<Vec<_>>().concat();
    escape(&camel.to_upper_camel_case())
}

/// `IDs` -> `Ids`, `URL` -> `Url`; other words are left to heck.
fn acronym_as_word(word: &str) -> String {
    let stem = word.strip_suffix('s').unwrap_or(word);
    let is_acronym = stem.len() > 1
        && stem
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if !is_acronym {
        return word.to_upper_camel_case();
    }
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_string() + &chars.as_str().to_ascii_lowercase()
    })
}

/// Escapes a keyword so that it can stand as an identifier.
pub fn escape(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// The local a generated decoder reads a field into before it builds the
/// object: prefixed, so that no field name can shadow the decoder's own
/// `map` and `key`.
pub fn decoded_field(field: &str) -> String {
    format!("field_{}", unraw(field))
}

/// The name without a raw-identifier prefix, as people read and compare it.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// A module name as part of a cargo package name: `sonet_group` ->
/// `sonet-group` (`r#type` -> `type`, `main_` -> `main`). A package name is
/// not an identifier, so a module's escape is not part of it: a trailing
/// `-` reads as a typo on crates.io.
pub fn package_part(module: &str) -> String {
    let module = unraw(module);
    module.strip_suffix('_').unwrap_or(module).replace('_', "-")
}

/// The name Rust code gives the crate of a package: `bitrix24-api-crm` ->
/// `bitrix24_api_crm`.
pub fn crate_name(package: &str) -> String {
    package.replace('-', "_")
}

/// Whether `name` is a usable identifier as the generator writes it: a plain
/// identifier that is not a keyword, or a keyword in raw form (`r#type`)
/// where Rust allows one.
pub fn is_identifier(name: &str) -> bool {
    match name.strip_prefix("r#") {
        Some(raw) => is_plain_identifier(raw) && KEYWORDS.contains(&raw) && !NOT_RAW.contains(&raw),
        None => is_plain_identifier(name) && !KEYWORDS.contains(&name),
    }
}

/// Whether `name` is made of ASCII letters, digits and underscores and does
/// not start with a digit (keywords included, `_` alone excluded).
pub fn is_plain_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let starts_well = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    starts_well && chars.all(|c| c.is_ascii_alphanumeric() || c == '_') && name != "_"
}

/// Whether `name` can name a type or variant: an `UpperCamelCase`
/// identifier that is not a keyword (`Self`).
pub fn is_type_name(name: &str) -> bool {
    is_identifier(name) && name.starts_with(|c: char| c.is_ascii_uppercase()) && !name.contains('_')
}

/// Whether `name` is `snake_case`, as field and parameter names must be.
pub fn is_snake(name: &str) -> bool {
    is_identifier(name)
        && unraw(name)
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names() {
        assert_eq!(
            method_type("sonet_group.user.get", false),
            "SonetGroupUserGet"
        );
        assert_eq!(
            method_module("sonet_group.user.get", false),
            "sonet_group_user_get"
        );
        assert_eq!(
            method_type("crm.item.productrow.list", false),
            "CrmItemProductrowList"
        );
        assert_eq!(method_type("tasks.task.update", true), "TasksTaskUpdateV3");
        assert_eq!(
            method_module("tasks.task.update", true),
            "tasks_task_update_v3"
        );
    }

    #[test]
    fn family_modules_avoid_keywords_and_the_names_of_crate_files() {
        assert_eq!(family_module("sonet_group.user.get"), "sonet_group");
        assert_eq!(family_module("main.eventlog.get"), "main_");
        assert_eq!(family_module("lib.x"), "lib_");
        assert_eq!(family_module("self.x"), "self_");
        assert_eq!(family_module("type.list"), "r#type");
    }

    #[test]
    fn package_parts_drop_the_escapes_of_modules() {
        assert_eq!(package_part("sonet_group"), "sonet-group");
        assert_eq!(package_part("main_"), "main");
        assert_eq!(package_part("self_"), "self");
        assert_eq!(package_part("r#type"), "type");
        assert_eq!(
            crate_name(&format!("bitrix24-api-{}", package_part("main_"))),
            "bitrix24_api_main"
        );
    }

    #[test]
    fn fields_are_snake_case_and_escaped() {
        assert_eq!(field("GROUP_ID"), "group_id");
        assert_eq!(field("USER_ID"), "user_id");
        assert_eq!(field("ID"), "id");
        assert_eq!(field("type"), "r#type");
        assert_eq!(field("ref"), "r#ref");
        assert_eq!(field("self"), "self_");
        assert_eq!(field("gen"), "r#gen");
        assert_eq!(field("fooBarID2"), "foo_bar_id2");
    }

    #[test]
    fn variants_are_upper_camel_case() {
        assert_eq!(variant("Wrong group ID"), "WrongGroupId");
        assert_eq!(variant("Wrong user IDs"), "WrongUserIds");
        assert_eq!(variant("ERROR_CREATE_USER2GROUP"), "ErrorCreateUser2group");
        assert_eq!(variant("inProgress"), "InProgress");
        assert_eq!(variant("QUERY_LIMIT_EXCEEDED"), "QueryLimitExceeded");
        assert_eq!(variant("expired_token"), "ExpiredToken");
        assert_eq!(variant("self"), "Self_");
        assert_eq!(variant("A"), "A");
    }

    #[test]
    fn identifier_checks() {
        assert!(is_identifier("r#type"));
        assert!(!is_identifier("2fa"));
        assert!(!is_identifier(""));
        assert!(!is_identifier("_"));
        assert!(is_type_name("GroupId"));
        assert!(!is_type_name("group_id"));
        assert!(!is_type_name("Self"));
        assert!(!is_identifier("r#self"));
        assert!(!is_identifier("r#Self"));
        assert!(!is_identifier("r#foo"));
        assert!(!is_identifier("type"));
        assert!(is_identifier("r#type"));
        assert!(is_snake("group_id"));
        assert!(!is_snake("GroupId"));
    }
}
