//! `"Y"`/`"N"` flags as `bool`.

use std::fmt;

use serde::{Deserializer, Serializer, de};
use serde_with::{DeserializeAs, SerializeAs};

/// A `serde_with` adapter for Bitrix24's `"Y"`/`"N"` flags.
///
/// Decodes `"Y"` and `"N"` (and JSON booleans, which some methods return) into
/// `bool`, and encodes `bool` as `"Y"`/`"N"`. Any other value is an error rather
/// than a silent `false`.
#[derive(Debug, Clone, Copy)]
pub struct YesNo;

impl SerializeAs<bool> for YesNo {
    fn serialize_as<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(if *value { "Y" } else { "N" })
    }
}

impl<'de> DeserializeAs<'de, bool> for YesNo {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(FlagVisitor)
    }
}

struct FlagVisitor;

impl de::Visitor<'_> for FlagVisitor {
    type Value = bool;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(r#"the flag "Y" or "N""#)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<bool, E> {
        Ok(value)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<bool, E> {
        match value {
            "Y" => Ok(true),
            "N" => Ok(false),
            other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
        }
    }
}
