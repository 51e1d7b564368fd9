//! The filter operators of list methods: the key prefixes the API reads
//! (`>=DATE_CREATE`, `%TITLE`, `@ID`) and the builder methods they become.
//!
//! Schema files group these into named operator sets; which fields accept
//! which set is schema, what each operator means and how its value is
//! shaped is here, once. Knows nothing about schema files or Rust syntax.

/// How an operator's value is shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One value of the field's type.
    One,
    /// A list of them (`IN`).
    List,
    /// Two of them, a range (`BETWEEN`).
    Pair,
}

/// One filter operator.
#[derive(Debug, PartialEq, Eq)]
pub struct Operator {
    /// The key prefix, such as `>=`; empty for the default comparison.
    pub prefix: &'static str,
    /// The suffix of the builder method after the field's name, such as
    /// `gte`; empty for the default comparison.
    pub suffix: &'static str,
    /// The value's shape.
    pub shape: Shape,
    /// What it does, for the generated docs.
    pub meaning: &'static str,
}

const fn op(
    prefix: &'static str,
    suffix: &'static str,
    shape: Shape,
    meaning: &'static str,
) -> Operator {
    Operator {
        prefix,
        suffix,
        shape,
        meaning,
    }
}

/// Every operator the generator knows.
pub const KNOWN: &[Operator] = &[
    op(
        "",
        "",
        Shape::One,
        "matches the value (the method's default comparison)",
    ),
    op("=", "eq", Shape::One, "is equal to the value"),
    op("!=", "ne", Shape::One, "is not equal to the value"),
    op("!", "not", Shape::One, "is not equal to the value"),
    op(">", "gt", Shape::One, "is greater than the value"),
    op(
        ">=",
        "gte",
        Shape::One,
        "is greater than or equal to the value",
    ),
    op("<", "lt", Shape::One, "is less than the value"),
    op(
        "<=",
        "lte",
        Shape::One,
        "is less than or equal to the value",
    ),
    op(
        "%",
        "like",
        Shape::One,
        "contains the value (`LIKE '%value%'`)",
    ),
    op("!%", "not_like", Shape::One, "does not contain the value"),
    op(
        "=%",
        "like_pattern",
        Shape::One,
        "matches the pattern, `%` included by the caller (`LIKE 'value'`)",
    ),
    op(
        "%=",
        "pattern_like",
        Shape::One,
        "matches the pattern, `%` included by the caller",
    ),
    op(
        "!=%",
        "not_like_pattern",
        Shape::One,
        "does not match the pattern, `%` included by the caller",
    ),
    op(
        "!%=",
        "not_pattern_like",
        Shape::One,
        "does not match the pattern, `%` included by the caller",
    ),
    op("@", "in", Shape::List, "is one of the values"),
    op("!@", "not_in", Shape::List, "is none of the values"),
    op(
        "><",
        "between",
        Shape::Pair,
        "lies between the two values, inclusive",
    ),
    op(
        "!><",
        "not_between",
        Shape::Pair,
        "lies outside the two values",
    ),
    op("?", "search", Shape::One, "matches the search expression"),
];

/// The operator written `prefix`.
pub fn find(prefix: &str) -> Option<&'static Operator> {
    KNOWN.iter().find(|operator| operator.prefix == prefix)
}
