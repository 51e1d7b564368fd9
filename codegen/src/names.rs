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

/// Names the hand-written part of the crate exports at its root, which
/// generated items must not shadow.
pub const RESERVED_TYPE_NAMES: [&str; 12] = [
    "ApiError",
    "Client",
    "Envelope",
    "Error",
    "Method",
    "MethodError",
    "OneOrMany",
    "Response",
    "SystemError",
    "SystemErrorCategory",
    "SystemErrorCode",
    "SystemErrorRetry",
];

/// The `UpperCamelCase` base name of a method: `sonet_group.user.get` -> `SonetGroupUserGet`.
pub fn method_type(wire: &str) -> String {
    wire.to_upper_camel_case()
}

/// The module (and file) name of a method: `sonet_group.user.get` -> `sonet_group_user_get`.
pub fn method_module(wire: &str) -> String {
    escape(&wire.to_snake_case())
}

/// The function name of a method on the client; the same as its module name.
pub fn method_fn(wire: &str) -> String {
    method_module(wire)
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

/// The name without a raw-identifier prefix, as people read and compare it.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Whether `name` is a usable identifier (after escaping).
pub fn is_identifier(name: &str) -> bool {
    let bare = unraw(name);
    let mut chars = bare.chars();
    let starts_well = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    starts_well && chars.all(|c| c.is_ascii_alphanumeric() || c == '_') && bare != "_"
}

/// Whether `name` is `UpperCamelCase`, as type and variant names must be.
pub fn is_upper_camel(name: &str) -> bool {
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
        assert_eq!(method_type("sonet_group.user.get"), "SonetGroupUserGet");
        assert_eq!(
            method_module("sonet_group.user.get"),
            "sonet_group_user_get"
        );
        assert_eq!(
            method_type("crm.item.productrow.list"),
            "CrmItemProductrowList"
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
        assert!(is_upper_camel("GroupId"));
        assert!(!is_upper_camel("group_id"));
        assert!(is_snake("group_id"));
        assert!(!is_snake("GroupId"));
    }
}
