//! Values the server replaces with `""` when they are unset.
//!
//! PHP sends an unset date, number, enum or ID as the empty string
//! (`"PERSONAL_BIRTHDAY": ""`, `"mark": ""`). The adapter reads `""` (and
//! `null`) as `None` and hands anything else to the value's own adapter,
//! without buffering it, so a wrong value still fails with its own message.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{
    BoolDeserializer, BorrowedStrDeserializer, F64Deserializer, I64Deserializer,
    MapAccessDeserializer, SeqAccessDeserializer, StrDeserializer, U64Deserializer,
};
use serde::{Deserializer, Serializer, de};
use serde_with::{DeserializeAs, SerializeAs};

/// A `serde_with` adapter for `Option<T>` whose absence is sent as `""`;
/// `A` is the adapter of the value itself (`serde_with::Same` for none).
///
/// `None` is encoded as `""` too, so a decoded value encodes back to what
/// the server sent.
#[derive(Debug, Clone, Copy)]
pub struct OrEmpty<A>(PhantomData<A>);

impl<T, A: SerializeAs<T>> SerializeAs<Option<T>> for OrEmpty<A> {
    fn serialize_as<S: Serializer>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => A::serialize_as(value, serializer),
            None => serializer.serialize_str(""),
        }
    }
}

impl<'de, T, A: DeserializeAs<'de, T>> DeserializeAs<'de, Option<T>> for OrEmpty<A> {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_any(OrEmptyVisitor::<T, A>(PhantomData))
    }
}

struct OrEmptyVisitor<T, A>(PhantomData<(T, A)>);

impl<'de, T, A: DeserializeAs<'de, T>> de::Visitor<'de> for OrEmptyVisitor<T, A> {
    type Value = Option<T>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a value or the empty string")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        A::deserialize_as(deserializer).map(Some)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        A::deserialize_as(BoolDeserializer::<E>::new(value)).map(Some)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        A::deserialize_as(U64Deserializer::<E>::new(value)).map(Some)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        A::deserialize_as(I64Deserializer::<E>::new(value)).map(Some)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        A::deserialize_as(F64Deserializer::<E>::new(value)).map(Some)
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
        if value.is_empty() {
            return Ok(None);
        }
        A::deserialize_as(BorrowedStrDeserializer::<E>::new(value)).map(Some)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        if value.is_empty() {
            return Ok(None);
        }
        A::deserialize_as(StrDeserializer::<E>::new(value)).map(Some)
    }

    fn visit_seq<S: de::SeqAccess<'de>>(self, seq: S) -> Result<Self::Value, S::Error> {
        A::deserialize_as(SeqAccessDeserializer::new(seq)).map(Some)
    }

    fn visit_map<M: de::MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
        A::deserialize_as(MapAccessDeserializer::new(map)).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_with::{Same, serde_as};

    use super::*;
    use crate::wire::LenientInt;

    #[serde_as]
    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Person {
        #[serde_as(as = "OrEmpty<Same>")]
        birthday: Option<chrono::NaiveDate>,
        #[serde_as(as = "OrEmpty<LenientInt>")]
        mark: Option<i64>,
    }

    #[test]
    fn the_empty_string_and_null_are_absent() {
        for body in [
            r#"{"birthday":"","mark":""}"#,
            r#"{"birthday":null,"mark":null}"#,
        ] {
            let person: Person = serde_json::from_str(body).unwrap();
            assert_eq!(
                person,
                Person {
                    birthday: None,
                    mark: None
                }
            );
        }
        let person: Person =
            serde_json::from_str(r#"{"birthday":"1990-05-01","mark":"5"}"#).unwrap();
        assert_eq!(person.mark, Some(5));
        assert_eq!(person.birthday.unwrap().to_string(), "1990-05-01");
        assert_eq!(
            serde_json::to_string(&Person {
                birthday: None,
                mark: Some(5)
            })
            .unwrap(),
            r#"{"birthday":"","mark":5}"#
        );
    }

    #[test]
    fn a_wrong_value_keeps_its_own_error() {
        let error = serde_json::from_str::<Person>(r#"{"birthday":"soon","mark":""}"#).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("input contains invalid characters"),
            "{error}"
        );
        let error = serde_json::from_str::<Person>(r#"{"birthday":"","mark":"x"}"#).unwrap_err();
        assert!(error.to_string().contains("an integer"), "{error}");
    }
}
