//! Dates and times in the forms the server sends that chrono does not read
//! by default.
//!
//! Datetimes with an offset (`2024-07-23T08:08:50+03:00`) are chrono's own
//! `DateTime<FixedOffset>` and need nothing here. Some methods answer local
//! times without an offset (`2024-07-23 08:08:50`), dates as the midnight of
//! a datetime (`1990-05-01T00:00:00+03:00`), or Unix timestamps as numeric
//! strings; these adapters read them and send the form the server reads.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserializer, Serializer, de};
use serde_with::{DeserializeAs, SerializeAs};

/// A `serde_with` adapter for `NaiveDateTime`: reads `2024-07-23 08:08:50`
/// and `2024-07-23T08:08:50`, sends the ISO 8601 form with a `T`.
#[derive(Debug, Clone, Copy)]
pub struct LocalDateTime;

/// A `serde_with` adapter for `NaiveDate`: reads `2024-07-23` and the date
/// of a datetime as written (`2024-07-23T00:00:00+03:00`), sends `2024-07-23`.
#[derive(Debug, Clone, Copy)]
pub struct LenientDate;

/// A `serde_with` adapter for `DateTime<Utc>` sent as Unix seconds, a number
/// or a numeric string; sends a number.
#[derive(Debug, Clone, Copy)]
pub struct UnixTime;

const LOCAL_FORMATS: [&str; 2] = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"];

impl SerializeAs<NaiveDateTime> for LocalDateTime {
    fn serialize_as<S: Serializer>(
        value: &NaiveDateTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&value.format("%Y-%m-%dT%H:%M:%S"))
    }
}

impl<'de> DeserializeAs<'de, NaiveDateTime> for LocalDateTime {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDateTime, D::Error> {
        deserializer.deserialize_str(ParseVisitor {
            expected: "a local date and time, `2024-07-23 08:08:50`",
            parse: |text| {
                LOCAL_FORMATS
                    .iter()
                    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
            },
        })
    }
}

impl SerializeAs<NaiveDate> for LenientDate {
    fn serialize_as<S: Serializer>(value: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&value.format("%Y-%m-%d"))
    }
}

impl<'de> DeserializeAs<'de, NaiveDate> for LenientDate {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        deserializer.deserialize_str(ParseVisitor {
            expected: "a date, `2024-07-23`, or a datetime",
            parse: |text| {
                let (date, rest) = text.split_at_checked(10)?;
                let time_follows = rest.is_empty() || rest.starts_with(['T', ' ']);
                time_follows
                    .then(|| NaiveDate::parse_from_str(date, "%Y-%m-%d").ok())
                    .flatten()
            },
        })
    }
}

struct ParseVisitor<T> {
    expected: &'static str,
    parse: fn(&str) -> Option<T>,
}

impl<T> de::Visitor<'_> for ParseVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.expected)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        (self.parse)(value).ok_or_else(|| E::invalid_value(de::Unexpected::Str(value), &self))
    }
}

impl SerializeAs<DateTime<Utc>> for UnixTime {
    fn serialize_as<S: Serializer>(
        value: &DateTime<Utc>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(value.timestamp())
    }
}

impl<'de> DeserializeAs<'de, DateTime<Utc>> for UnixTime {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
        deserializer.deserialize_any(UnixVisitor)
    }
}

struct UnixVisitor;

impl UnixVisitor {
    fn at<E: de::Error>(self, seconds: i64) -> Result<DateTime<Utc>, E> {
        DateTime::from_timestamp(seconds, 0)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Signed(seconds), &self))
    }
}

impl de::Visitor<'_> for UnixVisitor {
    type Value = DateTime<Utc>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("Unix seconds as a number or a numeric string")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        self.at(value)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        match i64::try_from(value) {
            Ok(value) => self.at(value),
            Err(_) => Err(E::invalid_value(de::Unexpected::Unsigned(value), &self)),
        }
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        match value.parse() {
            Ok(seconds) => self.at(seconds),
            Err(_) => Err(E::invalid_value(de::Unexpected::Str(value), &self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_with::serde_as;

    use super::*;

    #[serde_as]
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Times {
        #[serde_as(as = "LocalDateTime")]
        local: NaiveDateTime,
        #[serde_as(as = "LenientDate")]
        date: NaiveDate,
        #[serde_as(as = "UnixTime")]
        at: DateTime<Utc>,
    }

    #[test]
    fn each_form_reads_and_encodes_as_the_server_reads_it() {
        let times: Times = serde_json::from_str(
            r#"{"local":"2024-07-23 08:08:50","date":"1990-05-01T00:00:00+03:00","at":"1773850553"}"#,
        )
        .unwrap();
        assert_eq!(
            serde_json::to_string(&times).unwrap(),
            r#"{"local":"2024-07-23T08:08:50","date":"1990-05-01","at":1773850553}"#
        );
        let again: Times = serde_json::from_str(&serde_json::to_string(&times).unwrap()).unwrap();
        assert_eq!(again, times);
    }

    #[test]
    fn wrong_forms_are_errors() {
        for (field, value) in [
            ("local", r#""2024-07-23""#),
            ("local", r#""2024-07-23T08:08:50+03:00""#),
            ("date", r#""1990-05-01x""#),
            ("date", r#""1990-5-1""#),
            ("at", r#""soon""#),
            ("at", "18446744073709551615"),
            ("at", "9223372036854775807"),
        ] {
            let mut body =
                serde_json::json!({"local":"2024-07-23 08:08:50","date":"1990-05-01","at":1});
            body[field] = serde_json::from_str(value).unwrap();
            assert!(
                serde_json::from_value::<Times>(body).is_err(),
                "{field}: {value}"
            );
        }
    }
}
