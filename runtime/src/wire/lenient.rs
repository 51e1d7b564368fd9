//! Numbers that Bitrix24 may send as JSON numbers or as numeric strings.
//!
//! The server reads most values from the database as strings, so `"1269"` and
//! `1269` must both decode. Anything that is not a number in either form is an
//! error: a wrong type never silently becomes `0`.

use std::fmt;

use serde::{Deserializer, Serializer, de};
use serde_with::{DeserializeAs, SerializeAs};

/// Decodes a numeric ID from `1269` or `"1269"`.
///
/// Used by the generated ID newtypes (`UserId`, `GroupId`, ...).
pub fn deserialize_numeric_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    deserializer.deserialize_any(IntVisitor::<u64>::new("a numeric ID"))
}

/// A `serde_with` adapter for integers sent as numbers or numeric strings.
///
/// Encodes as a JSON number.
#[derive(Debug, Clone, Copy)]
pub struct LenientInt;

/// A `serde_with` adapter for floats sent as numbers or numeric strings.
///
/// Encodes as a JSON number.
#[derive(Debug, Clone, Copy)]
pub struct LenientFloat;

impl SerializeAs<i64> for LenientInt {
    fn serialize_as<S: Serializer>(value: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(*value)
    }
}

impl<'de> DeserializeAs<'de, i64> for LenientInt {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        deserializer.deserialize_any(IntVisitor::<i64>::new("an integer"))
    }
}

impl SerializeAs<f64> for LenientFloat {
    fn serialize_as<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(*value)
    }
}

impl<'de> DeserializeAs<'de, f64> for LenientFloat {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        deserializer.deserialize_any(FloatVisitor)
    }
}

struct IntVisitor<T> {
    expected: &'static str,
    target: std::marker::PhantomData<T>,
}

impl<T> IntVisitor<T> {
    fn new(expected: &'static str) -> Self {
        Self {
            expected,
            target: std::marker::PhantomData,
        }
    }
}

impl<T> de::Visitor<'_> for IntVisitor<T>
where
    T: TryFrom<u64> + TryFrom<i64> + std::str::FromStr,
{
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{} as a number or a numeric string",
            self.expected
        )
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        T::try_from(value).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(value), &self))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        T::try_from(value).map_err(|_| E::invalid_value(de::Unexpected::Signed(value), &self))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        value
            .parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(value), &self))
    }
}

struct FloatVisitor;

impl de::Visitor<'_> for FloatVisitor {
    type Value = f64;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a finite number, as a number or a numeric string")
    }

    // `NaN` and the infinities are no quantity the API reports, and one in
    // `time` would poison every later wait computed from it.
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<f64, E> {
        if value.is_finite() {
            Ok(value)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(value), &self))
        }
    }

    // Precision loss above 2^53 is inherent to f64 and acceptable for timings.
    #[allow(clippy::cast_precision_loss)]
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<f64, E> {
        Ok(value as f64)
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<f64, E> {
        Ok(value as f64)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<f64, E> {
        match value.parse::<f64>() {
            Ok(number) if number.is_finite() => Ok(number),
            _ => Err(E::invalid_value(de::Unexpected::Str(value), &self)),
        }
    }
}
