//! Flags as `bool`, in the four wire forms the API uses.
//!
//! One object may mix forms (`"ACTIVE": true` next to `"IS_ADMIN": "Y"` and
//! `"MARK": "1"`), and a method may answer a flag in another form than it
//! reads it in. So every adapter reads all four forms, and each sends the
//! form its schema declares. Any other value is an error rather than a silent
//! `false`.

use std::fmt;

use serde::{Deserializer, Serializer, de};
use serde_with::{DeserializeAs, SerializeAs};

/// A flag sent as JSON `true`/`false`.
#[derive(Debug, Clone, Copy)]
pub struct TrueFalse;

/// A flag sent as `"Y"`/`"N"`.
#[derive(Debug, Clone, Copy)]
pub struct YesNo;

/// A flag sent as the strings `"1"`/`"0"`.
#[derive(Debug, Clone, Copy)]
pub struct OneZero;

/// A flag sent as the numbers `1`/`0`.
#[derive(Debug, Clone, Copy)]
pub struct OneZeroNumber;

impl SerializeAs<bool> for TrueFalse {
    fn serialize_as<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bool(*value)
    }
}

impl SerializeAs<bool> for YesNo {
    fn serialize_as<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(if *value { "Y" } else { "N" })
    }
}

impl SerializeAs<bool> for OneZero {
    fn serialize_as<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(if *value { "1" } else { "0" })
    }
}

impl SerializeAs<bool> for OneZeroNumber {
    fn serialize_as<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(u8::from(*value))
    }
}

macro_rules! reads_every_form {
    ($($adapter:ty),*) => {$(
        impl<'de> DeserializeAs<'de, bool> for $adapter {
            fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
                deserializer.deserialize_any(FlagVisitor)
            }
        }
    )*};
}

reads_every_form!(TrueFalse, YesNo, OneZero, OneZeroNumber);

struct FlagVisitor;

impl de::Visitor<'_> for FlagVisitor {
    type Value = bool;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(r#"a flag: true or false, "Y" or "N", "1" or "0", 1 or 0"#)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<bool, E> {
        Ok(value)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<bool, E> {
        match value {
            1 => Ok(true),
            0 => Ok(false),
            other => Err(E::invalid_value(de::Unexpected::Unsigned(other), &self)),
        }
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<bool, E> {
        match u64::try_from(value) {
            Ok(value) => self.visit_u64(value),
            Err(_) => Err(E::invalid_value(de::Unexpected::Signed(value), &self)),
        }
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<bool, E> {
        match value {
            "Y" | "1" => Ok(true),
            "N" | "0" => Ok(false),
            other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_with::serde_as;

    use super::*;

    #[serde_as]
    #[derive(Debug, Deserialize, serde::Serialize)]
    struct Flags {
        #[serde_as(as = "TrueFalse")]
        a: bool,
        #[serde_as(as = "YesNo")]
        b: bool,
        #[serde_as(as = "OneZero")]
        c: bool,
        #[serde_as(as = "OneZeroNumber")]
        d: bool,
    }

    #[test]
    fn every_adapter_reads_every_form_and_sends_its_own() {
        for (a, b, c, d) in [
            ("true", "\"Y\"", "\"1\"", "1"),
            ("\"Y\"", "1", "true", "\"1\""),
        ] {
            let body = format!(r#"{{"a":{a},"b":{b},"c":{c},"d":{d}}}"#);
            let flags: Flags = serde_json::from_str(&body).unwrap();
            assert!(flags.a && flags.b && flags.c && flags.d);
            assert_eq!(
                serde_json::to_string(&flags).unwrap(),
                r#"{"a":true,"b":"Y","c":"1","d":1}"#
            );
        }
        let off: Flags = serde_json::from_str(r#"{"a":false,"b":"N","c":"0","d":0}"#).unwrap();
        assert!(!off.a && !off.b && !off.c && !off.d);
    }

    #[test]
    fn anything_else_is_an_error() {
        for value in [r#""yes""#, "2", "-1", r#""""#, "null", r#""true""#] {
            let body = format!(r#"{{"a":{value},"b":"Y","c":"1","d":1}}"#);
            let error = serde_json::from_str::<Flags>(&body).unwrap_err();
            assert!(error.to_string().contains("a flag"), "{value}: {error}");
        }
    }
}
