//! REST 3.0's `validation` list: which parameter was wrong and why.
//!
//! The list comes from the server, so what is kept of it is bounded: at most
//! [`MAX_VIOLATIONS`] entries, each text cut to a fixed length, whatever the
//! answer holds. Knows nothing about where the list is in an answer.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The most entries of a `validation` list an error keeps; the rest are
/// dropped.
pub const MAX_VIOLATIONS: usize = 32;

/// The longest `field` an entry keeps, in bytes; longer ones are cut.
const MAX_FIELD_BYTES: usize = 256;

/// The longest `message` an entry keeps, in bytes; longer ones are cut.
const MAX_MESSAGE_BYTES: usize = 1024;

/// One entry of a REST 3.0 error's `validation` list: a parameter of the
/// request and what is wrong with it.
///
/// ```
/// use bitrix24::error::Violation;
///
/// let violation = Violation::new("id", "Required field `id` is not specified");
/// assert_eq!(violation.field(), "id");
/// assert_eq!(violation.to_string(), "id: Required field `id` is not specified");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Violation {
    field: String,
    message: String,
}

impl Violation {
    /// An entry for `field` with `message`, each cut to the length an error
    /// keeps.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: cut(field.into(), MAX_FIELD_BYTES),
            message: cut(message.into(), MAX_MESSAGE_BYTES),
        }
    }

    /// The parameter, as the server names it (`id`, `fields.title`); empty
    /// when the server named none.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// What is wrong with it, in the portal's language.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The entry with `mask` applied to both texts.
    pub(crate) fn map_text(self, mask: impl Fn(&str) -> String) -> Self {
        Self::new(mask(&self.field), mask(&self.message))
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

/// Writes ` (a: x; b: y)` after an error's description, nothing for none.
pub(crate) fn write_list(f: &mut fmt::Formatter<'_>, violations: &[Violation]) -> fmt::Result {
    for (index, violation) in violations.iter().enumerate() {
        f.write_str(if index == 0 { " (" } else { "; " })?;
        fmt::Display::fmt(violation, f)?;
    }
    if violations.is_empty() {
        Ok(())
    } else {
        f.write_str(")")
    }
}

/// At most [`MAX_VIOLATIONS`] of `violations`.
pub(crate) fn bounded(violations: impl IntoIterator<Item = Violation>) -> Vec<Violation> {
    violations.into_iter().take(MAX_VIOLATIONS).collect()
}

/// `text` cut to at most `limit` bytes, on a character boundary.
fn cut(mut text: String, limit: usize) -> String {
    if text.len() > limit {
        let mut end = limit;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

/// Reads a `validation` list: entries past the cap are skipped without
/// being kept, an entry that is not an object is skipped, `null` is none.
pub(crate) fn deserialize_list<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Violation>, D::Error> {
    deserializer.deserialize_any(ListVisitor)
}

struct ListVisitor;

impl<'de> Visitor<'de> for ListVisitor {
    type Value = Vec<Violation>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a list of `field` and `message` pairs")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Self::Value, A::Error> {
        let mut kept = Vec::new();
        while kept.len() < MAX_VIOLATIONS {
            match items.next_element::<Entry>()? {
                Some(Entry(Some(violation))) => kept.push(violation),
                Some(Entry(None)) => {}
                None => return Ok(kept),
            }
        }
        while items.next_element::<IgnoredAny>()?.is_some() {}
        Ok(kept)
    }
}

/// One entry; `None` for anything but an object.
struct Entry(Option<Violation>);

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(EntryVisitor)
    }
}

struct EntryVisitor;

impl EntryVisitor {
    fn other<E>(self) -> Result<Entry, E> {
        Ok(Entry(None))
    }
}

impl<'de> Visitor<'de> for EntryVisitor {
    type Value = Entry;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an object with a `field` and a `message`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entry, A::Error> {
        let mut field = None;
        let mut message = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "field" if field.is_none() => field = map.next_value::<Text>()?.0,
                "message" if message.is_none() => message = map.next_value::<Text>()?.0,
                _ => drop(map.next_value::<IgnoredAny>()?),
            }
        }
        Ok(Entry(Some(Violation::new(
            field.unwrap_or_default(),
            message.unwrap_or_default(),
        ))))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Entry, A::Error> {
        while items.next_element::<IgnoredAny>()?.is_some() {}
        self.other()
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Entry, E> {
        self.other()
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Entry, E> {
        self.other()
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Entry, E> {
        self.other()
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Entry, E> {
        self.other()
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Entry, E> {
        self.other()
    }

    fn visit_unit<E: de::Error>(self) -> Result<Entry, E> {
        self.other()
    }
}

/// A text of an entry: a string, or `None` for any other value.
struct Text(Option<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        Ok(Self(match value {
            serde_json::Value::String(text) => Some(text),
            _ => None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Vec<Violation> {
        deserialize_list(&mut serde_json::Deserializer::from_str(json)).unwrap()
    }

    #[test]
    fn reads_entries_and_skips_what_is_not_one() {
        assert_eq!(
            read(
                r#"[{"message":"Required field `id` is not specified","field":"id"},{"field":"title"},"x",[1],{"field":7,"message":"m","extra":{}}]"#
            ),
            vec![
                Violation::new("id", "Required field `id` is not specified"),
                Violation::new("title", ""),
                Violation::new("", "m"),
            ]
        );
        assert!(read("null").is_empty());
        assert!(read("[]").is_empty());
    }

    #[test]
    fn keeps_a_bounded_part_of_a_hostile_list() {
        let long = "é".repeat(5000);
        let entry = format!(r#"{{"field":"{long}","message":"{long}"}}"#);
        let list = format!("[{}]", vec![entry; 1000].join(","));
        let kept = read(&list);
        assert_eq!(kept.len(), MAX_VIOLATIONS);
        assert!(kept[0].field().len() <= MAX_FIELD_BYTES && kept[0].field().len() > 250);
        assert!(kept[0].message().len() <= MAX_MESSAGE_BYTES);
    }

    #[test]
    fn lists_follow_the_description() {
        struct List<'a>(&'a [Violation]);
        impl fmt::Display for List<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_list(f, self.0)
            }
        }
        assert_eq!(List(&[]).to_string(), "");
        let two = [Violation::new("id", "missing"), Violation::new("", "bad")];
        assert_eq!(List(&two).to_string(), " (id: missing; bad)");
    }
}
