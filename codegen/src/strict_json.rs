//! A strict JSON reader: serde_json's parser, except that a key written twice
//! in one object is an error instead of the last one silently winning.
//!
//! `"retry_safe": false, "retry_safe": true` reads as `true` with any ordinary
//! JSON reader, so a careless merge could turn a method retry-safe without
//! anyone seeing it. Every error carries the JSON path of the value being read
//! when it happened, in the loader's syntax (`method.params[1].required`), next
//! to serde_json's line and column. Nesting deeper than serde_json's recursion
//! limit (128 arrays or objects) is such an error, never a stack overflow.
//! This module knows JSON, not the schema format.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Why a text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Where the reader was: the duplicate key itself, or the innermost value
    /// being read; empty for the document as a whole.
    pub path: String,
    /// What is wrong, with the line and column.
    pub message: String,
    /// Whether the problem is a duplicate key (the text is otherwise JSON).
    pub duplicate_key: bool,
}

/// Reads `text` as one JSON value.
pub fn parse(text: &str) -> Result<Value, JsonError> {
    let failure = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let seed = ValueSeed {
        path: Path::Root,
        failure: &failure,
    };
    let value = seed
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    value.map_err(|error| {
        let failure = failure.take().unwrap_or_default();
        JsonError {
            path: failure.path,
            message: error.to_string(),
            duplicate_key: failure.duplicate_key,
        }
    })
}

/// Where the first error happened; later ones are only its consequences.
#[derive(Debug, Default)]
struct Failure {
    path: String,
    duplicate_key: bool,
}

/// The path to the value being read, kept on the stack until it is needed.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Root => Ok(()),
            Self::Key(Self::Root, key) => f.write_str(key),
            Self::Key(parent, key) => write!(f, "{parent}.{key}"),
            Self::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

struct ValueSeed<'a> {
    path: Path<'a>,
    failure: &'a RefCell<Option<Failure>>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        let (path, failure) = (self.path, self.failure);
        let value = deserializer.deserialize_any(self);
        if value.is_err() {
            failure.borrow_mut().get_or_insert_with(|| Failure {
                path: path.to_string(),
                duplicate_key: false,
            });
        }
        value
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let path = self.path;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(ValueSeed {
            path: Path::Index(&path, items.len()),
            failure: self.failure,
        })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let path = self.path;
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let key_path = Path::Key(&path, &key);
            if object.contains_key(&key) {
                *self.failure.borrow_mut() = Some(Failure {
                    path: key_path.to_string(),
                    duplicate_key: true,
                });
                return Err(de::Error::custom(format!(
                    "key {key:?} is written twice in one object"
                )));
            }
            let value = map.next_value_seed(ValueSeed {
                path: key_path,
                failure: self.failure,
            })?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn a_duplicate_key_is_an_error_at_its_path() {
        let error = parse(r#"{"a": [{"b": 1}, {"c": true, "c": false}]}"#).unwrap_err();
        assert_eq!(error.path, "a[1].c");
        assert!(error.duplicate_key);
        assert!(error.message.contains("line 1 column"), "{}", error.message);
    }

    #[test]
    fn keys_are_compared_after_unescaping() {
        let error = parse(r#"{"key": 1, "k\u0065y": 2}"#).unwrap_err();
        assert_eq!(error.path, "key");
    }

    #[test]
    fn the_same_key_in_different_objects_is_fine() {
        let value = parse(r#"{"a": {"x": 1}, "b": {"x": 2}, "c": [{"x": 3}, {"x": 4}]}"#);
        assert_eq!(value.unwrap()["c"][1]["x"], 4);
    }

    #[test]
    fn values_read_like_serde_json_reads_them() {
        let text = r#"{"n": null, "t": true, "i": -3, "u": 18446744073709551615, "f": 0.5, "s": "\u00e9\n", "a": []}"#;
        let expected: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(parse(text).unwrap(), expected);
    }

    #[test]
    fn a_syntax_error_names_the_innermost_value() {
        let error = parse(r#"{"a": {"b": [1, 2,]}}"#).unwrap_err();
        assert_eq!(error.path, "a.b");
        assert!(!error.duplicate_key);
        assert!(
            error.message.starts_with("trailing comma"),
            "{}",
            error.message
        );
    }

    #[test]
    fn trailing_text_is_an_error() {
        let error = parse("{} {}").unwrap_err();
        assert_eq!(error.path, "");
        assert!(error.message.contains("trailing characters"));
    }

    #[test]
    fn hostile_nesting_is_an_error_not_a_stack_overflow() {
        for (open, close) in [("[", "]"), (r#"{"k":"#, "}")] {
            let text = format!("{}{}", open.repeat(100_000), close.repeat(100_000));
            let error = parse(&text).unwrap_err();
            assert!(
                error.message.starts_with("recursion limit exceeded"),
                "{}",
                error.message
            );
        }
    }
}
