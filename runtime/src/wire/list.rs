//! The building blocks of typed list requests: filter conditions and sort
//! orders, kept in the order the caller gives them, on the wire too.
//!
//! Generated filter and order types wrap these and add one method per field
//! and operator the schema declares; these types only keep entries in order,
//! replace a key set twice in place, and encode. They know nothing about
//! particular fields or operators.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use serde_with::SerializeAs;
use serde_with::ser::SerializeAsWrap;

/// The conditions of a list method's filter: keys such as `%TITLE` or
/// `>=DATE_CREATE` with their values, in the order they were set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Conditions(Vec<(String, Value)>);

impl Conditions {
    /// No conditions.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to `value` encoded by the adapter `A`; a key set before
    /// keeps its place and takes the new value.
    pub fn set_as<T, A: SerializeAs<T>>(&mut self, key: impl Into<String>, value: &T) {
        // The values of filter fields (text, numbers, flags, dates, IDs,
        // enums) always encode; `null` stands in for the impossible failure.
        let value =
            serde_json::to_value(SerializeAsWrap::<T, A>::new(value)).unwrap_or(Value::Null);
        self.set(key.into(), value);
    }

    /// Sets `key` to an already encoded `value`, as [`set_as`](Self::set_as) does.
    pub fn set(&mut self, key: String, value: Value) {
        match self.0.iter_mut().find(|(known, _)| *known == key) {
            Some((_, old)) => *old = value,
            None => self.0.push((key, value)),
        }
    }

    /// The conditions in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(key, value)| (key.as_str(), value))
    }

    /// How many conditions there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Conditions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Conditions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_map(EntriesVisitor::<Value>::new("filter conditions"))
            .map(Self)
    }
}

/// The direction of one sort key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Ascending, `ASC`.
    Asc,
    /// Descending, `DESC`.
    Desc,
}

impl Direction {
    /// The wire form: `ASC` or `DESC`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Asc => "ASC",
            Self::Desc => "DESC",
        }
    }
}

impl Serialize for Direction {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Direction {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The server reads the direction case-insensitively.
        let text = String::deserialize(deserializer)?;
        if text.eq_ignore_ascii_case("ASC") {
            Ok(Self::Asc)
        } else if text.eq_ignore_ascii_case("DESC") {
            Ok(Self::Desc)
        } else {
            Err(de::Error::invalid_value(
                de::Unexpected::Str(&text),
                &"ASC or DESC",
            ))
        }
    }
}

/// A sort order: keys with their directions, in priority order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SortOrder(Vec<(String, Direction)>);

impl SortOrder {
    /// No sort keys: the method's default order.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sorts by `key` in `direction` after the keys set before; a key set
    /// before keeps its place and takes the new direction.
    pub fn set(&mut self, key: impl Into<String>, direction: Direction) {
        let key = key.into();
        match self.0.iter_mut().find(|(known, _)| *known == key) {
            Some((_, old)) => *old = direction,
            None => self.0.push((key, direction)),
        }
    }

    /// The keys in priority order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Direction)> {
        self.0
            .iter()
            .map(|(key, direction)| (key.as_str(), *direction))
    }

    /// Whether no key is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for SortOrder {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, direction) in &self.0 {
            map.serialize_entry(key, direction)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for SortOrder {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_map(EntriesVisitor::<Direction>::new("a sort order"))
            .map(Self)
    }
}

struct EntriesVisitor<V> {
    expected: &'static str,
    value: std::marker::PhantomData<V>,
}

impl<V> EntriesVisitor<V> {
    fn new(expected: &'static str) -> Self {
        Self {
            expected,
            value: std::marker::PhantomData,
        }
    }
}

impl<'de, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<V> {
    type Value = Vec<(String, V)>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{} as an object", self.expected)
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut entries: Vec<(String, V)> = Vec::new();
        // A set, so that a filter of many thousand keys (a command line's
        // JSON, say) is read in linear time.
        let mut seen = HashSet::new();
        while let Some((key, value)) = map.next_entry::<String, V>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format_args!(
                    "the key {key:?} appears twice"
                )));
            }
            entries.push((key, value));
        }
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    use serde_with::Same;

    use super::*;
    use crate::wire::YesNo;

    #[test]
    fn conditions_keep_their_order_and_replace_in_place() {
        let mut conditions = Conditions::new();
        conditions.set_as::<String, Same>("%TITLE", &"a".to_owned());
        conditions.set_as::<bool, YesNo>("ACTIVE", &true);
        conditions.set_as::<Vec<u64>, Same>("@ID", &vec![3, 1]);
        conditions.set_as::<String, Same>("%TITLE", &"b".to_owned());
        let json = serde_json::to_string(&conditions).unwrap();
        assert_eq!(json, r#"{"%TITLE":"b","ACTIVE":"Y","@ID":[3,1]}"#);
        let back: Conditions = serde_json::from_str(&json).unwrap();
        assert_eq!(back, conditions);
        assert!(serde_json::from_str::<Conditions>(r#"{"A":1,"A":2}"#).is_err());
    }

    #[test]
    fn a_large_filter_reads_in_linear_time_and_still_rejects_a_repeated_key() {
        let keys: Vec<String> = (0..100_000)
            .map(|index| format!(r#""K{index}":1"#))
            .collect();
        let body = format!("{{{}}}", keys.join(","));
        let conditions: Conditions = serde_json::from_str(&body).unwrap();
        assert_eq!(conditions.len(), 100_000);
        let repeated = format!("{{{},\"K5\":2}}", keys.join(","));
        assert!(serde_json::from_str::<Conditions>(&repeated).is_err());
    }

    #[test]
    fn a_sort_order_keeps_the_callers_order() {
        let mut order = SortOrder::new();
        order.set("TITLE", Direction::Asc);
        order.set("OPPORTUNITY", Direction::Desc);
        order.set("TITLE", Direction::Desc);
        let json = serde_json::to_string(&order).unwrap();
        assert_eq!(json, r#"{"TITLE":"DESC","OPPORTUNITY":"DESC"}"#);
        let back: SortOrder =
            serde_json::from_str(r#"{"TITLE":"desc","OPPORTUNITY":"DESC"}"#).unwrap();
        assert_eq!(back, order);
        assert!(serde_json::from_str::<SortOrder>(r#"{"ID":"UP"}"#).is_err());
    }
}
