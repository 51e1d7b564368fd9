//! Decoding a string without keeping it, for enums that match known values.

use std::fmt;

use serde::{Deserializer, de};

/// Decodes a JSON string and hands it to `parse` as `&str`.
///
/// Generated enums match their known values on the borrowed text and
/// allocate only for a value they do not know, which keeps decoding a list of
/// 100,000 members as fast as decoding into a closed enum.
pub fn deserialize_str_with<'de, D, T>(deserializer: D, parse: fn(&str) -> T) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_str(TextVisitor(parse))
}

struct TextVisitor<T>(fn(&str) -> T);

impl<T> de::Visitor<'_> for TextVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        Ok((self.0)(value))
    }
}

/// Decodes an integer-valued enum sent as a number (`2`) or a string
/// (`"2"`), handing the digits to `parse` as `&str`; `None` from `parse` is
/// an unknown value.
pub fn deserialize_numeric_with<'de, D, T>(
    deserializer: D,
    parse: fn(&str) -> Option<T>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_any(NumericVisitor(parse))
}

struct NumericVisitor<T>(fn(&str) -> Option<T>);

impl<T> NumericVisitor<T> {
    fn parse<E: de::Error>(&self, text: &str) -> Result<T, E> {
        (self.0)(text).ok_or_else(|| E::invalid_value(de::Unexpected::Str(text), self))
    }
}

impl<T> de::Visitor<'_> for NumericVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a documented integer, as a number or a string")
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        self.parse(&value.to_string())
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        self.parse(&value.to_string())
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        self.parse(value)
    }
}
