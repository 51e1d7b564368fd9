//! PHP arrays where JSON has objects.
//!
//! PHP has one array type for lists and maps, and `json_encode` writes an
//! empty one as `[]` and one with keys `0..n` as a list, whatever the array
//! stands for. So `"accomplicesData": []` sits next to
//! `"auditorsData": {"13": {...}}`, and an empty object result is `[]`.
//! Maps read both forms ([`PhpMap`]); generated objects read `[]` as an
//! object without keys (`super::object`).

use std::fmt;
use std::marker::PhantomData;

use indexmap::IndexMap;
use serde::ser::SerializeMap;
use serde::{Deserializer, Serializer, de};
use serde_with::de::DeserializeAsWrap;
use serde_with::ser::SerializeAsWrap;
use serde_with::{DeserializeAs, SerializeAs};

/// A `serde_with` adapter for `IndexMap<String, T>` that also reads PHP's
/// list form (`[]`, or `[a, b]` for the keys `"0"` and `"1"`); `A` is the
/// adapter of the values (`serde_with::Same` for none).
///
/// Keys keep the order they arrive or are inserted in, on the wire too.
#[derive(Debug, Clone, Copy)]
pub struct PhpMap<A>(PhantomData<A>);

impl<T, A: SerializeAs<T>> SerializeAs<IndexMap<String, T>> for PhpMap<A> {
    fn serialize_as<S: Serializer>(
        map: &IndexMap<String, T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_map(Some(map.len()))?;
        for (key, value) in map {
            out.serialize_entry(key, &SerializeAsWrap::<T, A>::new(value))?;
        }
        out.end()
    }
}

impl<'de, T, A: DeserializeAs<'de, T>> DeserializeAs<'de, IndexMap<String, T>> for PhpMap<A> {
    fn deserialize_as<D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<IndexMap<String, T>, D::Error> {
        deserializer.deserialize_any(MapVisitor::<T, A>(PhantomData))
    }
}

struct MapVisitor<T, A>(PhantomData<(T, A)>);

impl<'de, T, A: DeserializeAs<'de, T>> de::Visitor<'de> for MapVisitor<T, A> {
    type Value = IndexMap<String, T>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an object, or a PHP array written as a list")
    }

    fn visit_map<M: de::MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        // The size hint comes from the input: cap it so a hostile length
        // cannot reserve memory the body does not hold.
        let mut out = IndexMap::with_capacity(map.size_hint().unwrap_or(0).min(1024));
        while let Some((key, value)) = map.next_entry::<String, DeserializeAsWrap<T, A>>()? {
            out.insert(key, value.into_inner());
        }
        Ok(out)
    }

    fn visit_seq<S: de::SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
        let mut out = IndexMap::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(value) = seq.next_element::<DeserializeAsWrap<T, A>>()? {
            out.insert(out.len().to_string(), value.into_inner());
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_with::{Same, serde_as};

    use super::*;
    use crate::wire::LenientInt;

    #[serde_as]
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Task {
        #[serde_as(as = "PhpMap<Same>")]
        auditors: IndexMap<String, String>,
        #[serde_as(as = "PhpMap<LenientInt>")]
        marks: IndexMap<String, i64>,
    }

    #[test]
    fn maps_read_objects_and_php_lists_in_order() {
        let task: Task =
            serde_json::from_str(r#"{"auditors":{"13":"Ann","2":"Bob"},"marks":[]}"#).unwrap();
        assert_eq!(task.auditors.keys().collect::<Vec<_>>(), ["13", "2"]);
        assert!(task.marks.is_empty());
        let task: Task = serde_json::from_str(r#"{"auditors":[],"marks":["5",6]}"#).unwrap();
        assert_eq!(
            task.marks,
            IndexMap::from([("0".to_owned(), 5), ("1".to_owned(), 6)])
        );
        assert_eq!(
            serde_json::to_string(&task).unwrap(),
            r#"{"auditors":{},"marks":{"0":5,"1":6}}"#
        );
    }
}
