//! The encoding and decoding of generated objects and requests, written by
//! the generator as one short function each instead of serde's derives.
//!
//! A derived `Deserialize` expands to a field enum with its own visitor, a
//! sequence visitor no JSON object uses, and a wrapper type per adapted
//! field, twice; across the whole API that is most of what the compiler
//! reads. Here a generated object decodes in one loop over its keys
//! ([`ReadObject`]) and encodes as one map ([`ObjectWriter`]), with the
//! adapters of [`serde_with`] and the same wire behaviour: absent optional
//! fields are `None`, `null` reads as `None`, a missing required field is
//! an error naming it, unknown keys are kept in the object's custom fields
//! ([`ObjectReader`](super::ObjectReader), which also decodes tolerantly)
//! or refused, for requests, and PHP's `[]` reads as an object without keys
//! ([`deserialize_object`]). A key sent twice keeps its last value, as PHP
//! does.
//!
//! It knows nothing about particular objects.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapDeserializer;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serializer, de};
use serde_with::de::DeserializeAsWrap;
use serde_with::ser::SerializeAsWrap;
use serde_with::{DeserializeAs, SerializeAs};

use super::CustomFields;

/// An object the generator writes a decoding for: one pass over the keys
/// of a map.
pub trait ReadObject: Sized {
    /// Decodes the object from the entries of a map.
    fn read_object<'de, A: de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Decodes a generated object, reading PHP's `[]` as an object without keys.
///
/// Anything but an object or an empty list is an error.
pub fn deserialize_object<'de, D: Deserializer<'de>, T: ReadObject>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_any(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: ReadObject> de::Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an object (or PHP's `[]` for an empty one)")
    }

    fn visit_map<M: de::MapAccess<'de>>(self, map: M) -> Result<T, M::Error> {
        let entered = super::tolerant::enter_object();
        let object = T::read_object(map);
        super::tolerant::leave_object(entered);
        object
    }

    fn visit_seq<S: de::SeqAccess<'de>>(self, mut seq: S) -> Result<T, S::Error> {
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
        }
        T::read_object(MapDeserializer::<_, S::Error>::new(std::iter::empty::<(
            &str,
            &str,
        )>()))
    }
}

/// A key of an object being decoded, borrowed from the input where it can be.
#[derive(Debug)]
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key as an owned string.
    pub fn into_owned(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> de::Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(key)))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key.to_owned())))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key)))
    }
}

/// The next key of the object, or `None` after the last.
pub fn next_key<'de, A: de::MapAccess<'de>>(map: &mut A) -> Result<Option<Key<'de>>, A::Error> {
    map.next_key()
}

/// The value of the current key, decoded through the adapter `As`
/// (`serde_with::Same` for a value that decodes as itself).
pub fn value_as<'de, As: DeserializeAs<'de, T>, T, A: de::MapAccess<'de>>(
    map: &mut A,
) -> Result<T, A::Error> {
    Ok(map.next_value::<DeserializeAsWrap<T, As>>()?.into_inner())
}

/// The error for a key a request does not take.
pub fn unknown_field<E: de::Error>(key: &Key<'_>, expected: &'static [&'static str]) -> E {
    E::unknown_field(key.as_str(), expected)
}

/// A required field's value, or the error naming it when it never came.
pub fn required<T, E: de::Error>(value: Option<T>, key: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(key))
}

/// Writes an object's fields as one map, in the order they are given.
#[derive(Debug)]
pub struct ObjectWriter<M>(M);

impl<M: SerializeMap> ObjectWriter<M> {
    /// Starts the object.
    pub fn start<S: Serializer<SerializeMap = M>>(serializer: S) -> Result<Self, S::Error> {
        serializer.serialize_map(None).map(Self)
    }

    /// A field, encoded through the adapter `As` (`serde_with::Same` for a
    /// value that encodes as itself).
    pub fn field<As: SerializeAs<T>, T: ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        self.0
            .serialize_entry(key, &SerializeAsWrap::<T, As>::new(value))
    }

    /// An optional field, left out when `None`; `As` adapts the whole
    /// `Option`, as `serde_with` adapters do.
    pub fn optional<As: SerializeAs<Option<T>>, T>(
        &mut self,
        key: &'static str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        if value.is_none() {
            return Ok(());
        }
        self.field::<As, Option<T>>(key, value)
    }

    /// Custom fields, after the others, in their order.
    pub fn custom(&mut self, custom: &CustomFields) -> Result<(), M::Error> {
        custom
            .iter()
            .try_for_each(|(key, value)| self.0.serialize_entry(key, value))
    }

    /// Ends the object.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;
    use serde_with::Same;

    use super::*;
    use indexmap::IndexMap;

    use crate::wire::{LenientInt, ObjectReader, TrueFalse};

    /// What the generator writes for an object with a required adapted
    /// field, an optional one, and custom fields.
    #[derive(Debug, PartialEq)]
    struct Task {
        id: i64,
        title: Option<String>,
        done: Option<bool>,
        custom: CustomFields,
    }

    impl ReadObject for Task {
        fn read_object<'de, A: de::MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
            let mut id = None;
            let mut title = None;
            let mut done = None;
            let mut map = ObjectReader::new(map);
            while let Some(key) = map.next_key()? {
                match key.as_str() {
                    "ID" | "id" => map.required::<LenientInt, _>(key, &mut id)?,
                    "TITLE" => map.optional::<Same, _>(key, &mut title)?,
                    "DONE" => map.optional::<Option<TrueFalse>, _>(key, &mut done)?,
                    _ => map.keep(key)?,
                }
            }
            Ok(Self {
                id: required(id, "ID")?,
                title,
                done,
                custom: map.finish(),
            })
        }
    }

    impl<'de> Deserialize<'de> for Task {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_object(deserializer)
        }
    }

    impl Serialize for Task {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut object = ObjectWriter::start(serializer)?;
            object.field::<LenientInt, _>("ID", &self.id)?;
            object.optional::<Same, _>("TITLE", &self.title)?;
            object.optional::<Option<TrueFalse>, _>("DONE", &self.done)?;
            object.custom(&self.custom)?;
            object.end()
        }
    }

    /// A request: unknown keys are refused.
    #[derive(Debug)]
    struct Strict;

    impl ReadObject for Strict {
        fn read_object<'de, A: de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            while let Some(key) = next_key(&mut map)? {
                match key.as_str() {
                    "a" => value_as::<Same, de::IgnoredAny, _>(&mut map).map(drop)?,
                    _ => return Err(unknown_field(&key, &["a"])),
                }
            }
            Ok(Self)
        }
    }

    #[test]
    fn objects_decode_adapted_optional_and_custom_fields_and_encode_them_back() {
        let task: Task =
            serde_json::from_str(r#"{"ID":"7","DONE":"Y","UF_1":[1],"TITLE":null}"#).unwrap();
        assert_eq!(
            task,
            Task {
                id: 7,
                title: None,
                done: Some(true),
                custom: CustomFields::from(IndexMap::from([(
                    "UF_1".to_owned(),
                    serde_json::json!([1])
                )])),
            }
        );
        assert_eq!(
            serde_json::to_string(&task).unwrap(),
            r#"{"ID":7,"DONE":true,"UF_1":[1]}"#
        );
        // An alias reads too; the last of two values wins.
        let task: Task = serde_json::from_str(r#"{"id":1,"ID":2}"#).unwrap();
        assert_eq!(task.id, 2);
    }

    #[test]
    fn objects_read_an_empty_list_as_no_keys_and_name_what_is_missing() {
        let error = serde_json::from_str::<Task>("[]").unwrap_err();
        assert!(error.to_string().contains("missing field `ID`"), "{error}");
        let error = serde_json::from_str::<Task>(r#"["ID"]"#).unwrap_err();
        assert!(error.to_string().contains("an object"), "{error}");
        let error = serde_json::from_str::<Task>(r#"{"ID":"seven"}"#).unwrap_err();
        assert!(error.to_string().contains("integer"), "{error}");
    }

    #[test]
    fn requests_refuse_unknown_keys_by_name() {
        let value = serde_json::json!({"a": 1, "b": 2});
        let error = deserialize_object::<_, Strict>(value)
            .map(drop)
            .unwrap_err();
        assert_eq!(error.to_string(), "unknown field `b`, expected `a`");
        let strict = MapDeserializer::<_, de::value::Error>::new([("a", 1)].into_iter());
        assert!(Strict::read_object(strict).is_ok());
    }
}
