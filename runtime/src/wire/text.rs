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
