//! PHP arrays where JSON has objects.
//!
//! PHP has one array type for lists and maps, and `json_encode` writes an
//! empty one as `[]` and one with keys `0..n` as a list, whatever the array
//! stands for. So `"accomplicesData": []` sits next to
//! `"auditorsData": {"13": {...}}`, and an empty object result is `[]`.
//! Maps read both forms ([`PhpMap`]); generated objects read `[]` as an
//! object without keys ([`deserialize_object`]), so required fields still
//! fail with their own names. A non-empty list where an object belongs stays
//! an error.

use std::fmt;
use std::marker::PhantomData;

use indexmap::IndexMap;
use serde::de::value::{MapAccessDeserializer, MapDeserializer};
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

/// A generated object's derived decoding, which [`deserialize_object`] wraps.
///
/// Generated objects derive their decoding under `#[serde(remote = "Self")]`,
/// which makes it an inherent function, and implement this trait with it.
pub trait DerivedObject: Sized {
    /// Decodes the object from a map, as derived.
    fn deserialize_derived<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// Decodes a generated object, reading PHP's `[]` as an object without keys.
///
/// Anything but an object or an empty list is an error.
pub fn deserialize_object<'de, D: Deserializer<'de>, T: DerivedObject>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_any(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: DerivedObject> de::Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an object (or PHP's `[]` for an empty one)")
    }

    fn visit_map<M: de::MapAccess<'de>>(self, map: M) -> Result<T, M::Error> {
        T::deserialize_derived(MapAccessDeserializer::new(map))
    }

    fn visit_seq<S: de::SeqAccess<'de>>(self, mut seq: S) -> Result<T, S::Error> {
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
        }
        T::deserialize_derived(MapDeserializer::<_, S::Error>::new(std::iter::empty::<(
            &str,
            &str,
        )>()))
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

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(remote = "Self")]
    struct Options {
        #[serde(default)]
        color: Option<String>,
    }

    impl DerivedObject for Options {
        fn deserialize_derived<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Self, D::Error> {
            Self::deserialize(deserializer)
        }
    }

    impl<'de> Deserialize<'de> for Options {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_object(deserializer)
        }
    }

    #[derive(Debug, Deserialize)]
    #[serde(remote = "Self")]
    struct Required {
        #[allow(dead_code)]
        id: u64,
    }

    impl DerivedObject for Required {
        fn deserialize_derived<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Self, D::Error> {
            Self::deserialize(deserializer)
        }
    }

    impl<'de> Deserialize<'de> for Required {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_object(deserializer)
        }
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

    #[test]
    fn objects_read_an_empty_list_as_no_keys() {
        let options: Options = serde_json::from_str("[]").unwrap();
        assert_eq!(options, Options { color: None });
        let options: Options = serde_json::from_str(r#"{"color":"red"}"#).unwrap();
        assert_eq!(options.color.as_deref(), Some("red"));
        let error = serde_json::from_str::<Options>(r#"["red"]"#).unwrap_err();
        assert!(error.to_string().contains("an object"), "{error}");
        let error = serde_json::from_str::<Required>("[]").unwrap_err();
        assert!(error.to_string().contains("missing field `id`"), "{error}");
    }
}
