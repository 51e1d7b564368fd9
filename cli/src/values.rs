//! Parameter values, by their schema type: the text of a flag turned into
//! the JSON the typed client would send, and JSON (from `--params`, an
//! object flag or a batch file) checked against the type.
//!
//! The wire forms come from the runtime's own types where it has them
//! (files, dates), so a value sent from the command line is the value the
//! crate sends. Knows nothing about flags or requests.

use bitrix24::chrono::{DateTime, NaiveDate, NaiveDateTime};
use bitrix24::schema::{Kind, NamedType, Primitive, Ty};
use serde_json::{Map, Value};

/// Why a value does not fit its type: the message names what was expected.
pub type Invalid = String;

/// The JSON for one flag's text of type `ty` (the item type for a flag
/// given several times).
pub fn from_text(text: &str, ty: &Ty) -> Result<Value, Invalid> {
    match ty {
        Ty::Primitive(primitive) => primitive_from_text(text, *primitive),
        Ty::Named(path) => {
            let named = named(path);
            match &named.kind {
                Kind::Id => id(text).map(Value::from),
                Kind::Enum {
                    values,
                    extensible,
                    numeric,
                } => {
                    if !extensible && !values.iter().any(|value| value.value == text) {
                        return Err(format!("expected one of {}", enum_list(named)));
                    }
                    match numeric {
                        true => text
                            .parse::<i64>()
                            .map(Value::from)
                            .map_err(|_| "expected a whole number".to_owned()),
                        false => Ok(Value::String(text.to_owned())),
                    }
                }
                Kind::Object { .. } | Kind::Filter { .. } | Kind::Order { .. } => {
                    json_then_check(text, ty)
                }
            }
        }
        Ty::Array(_) | Ty::Map(_) | Ty::OneOrMany(_) => json_then_check(text, ty),
    }
}

fn json_then_check(text: &str, ty: &Ty) -> Result<Value, Invalid> {
    let value: Value =
        serde_json::from_str(text).map_err(|error| format!("expected JSON: {error}"))?;
    check(&value, ty).map_err(|invalid| invalid.to_string())?;
    Ok(value)
}

fn primitive_from_text(text: &str, primitive: Primitive) -> Result<Value, Invalid> {
    let flag =
        || parse_flag(text).ok_or_else(|| "expected Y or N (yes/no, true/false, 1/0)".to_owned());
    Ok(match primitive {
        Primitive::String => Value::String(text.to_owned()),
        Primitive::Integer => Value::from(
            text.parse::<i64>()
                .map_err(|_| "expected a whole number".to_owned())?,
        ),
        Primitive::Number => {
            let number = text
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .ok_or_else(|| "expected a finite number".to_owned())?;
            Value::Number(number)
        }
        Primitive::Boolean => Value::Bool(flag()?),
        Primitive::YesNo => Value::from(if flag()? { "Y" } else { "N" }),
        Primitive::OneZero => Value::from(if flag()? { "1" } else { "0" }),
        Primitive::OneZeroNumber => Value::from(u8::from(flag()?)),
        Primitive::Datetime => {
            let at = DateTime::parse_from_rfc3339(text)
                .map_err(|_| "expected a date and time with offset, 2026-03-18T19:15:53+02:00")?;
            Value::String(at.to_rfc3339())
        }
        Primitive::LocalDatetime => {
            let at = local_datetime(text)
                .ok_or("expected a local date and time, 2026-03-18T19:15:53")?;
            Value::String(at.format("%Y-%m-%dT%H:%M:%S").to_string())
        }
        Primitive::Date => {
            let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| "expected a date, 2026-03-18")?;
            Value::String(date.format("%Y-%m-%d").to_string())
        }
        Primitive::Timestamp => match text.parse::<i64>() {
            Ok(seconds) => Value::from(seconds),
            Err(_) => Value::from(
                DateTime::parse_from_rfc3339(text)
                    .map_err(|_| "expected Unix seconds or a date and time with offset")?
                    .timestamp(),
            ),
        },
        Primitive::File => {
            let content =
                std::fs::read(text).map_err(|error| format!("cannot read {text}: {error}"))?;
            let name = std::path::Path::new(text).file_name().map_or_else(
                || text.to_owned(),
                |name| name.to_string_lossy().into_owned(),
            );
            serde_json::to_value(bitrix24::File::new(name, content))
                .map_err(|error| error.to_string())?
        }
        Primitive::Direction => match text.to_ascii_uppercase().as_str() {
            direction @ ("ASC" | "DESC") => Value::from(direction),
            _ => return Err("expected ASC or DESC".to_owned()),
        },
        Primitive::Json => {
            serde_json::from_str(text).map_err(|error| format!("expected JSON: {error}"))?
        }
    })
}

/// A flag's text: `Y`/`N`, `yes`/`no`, `true`/`false`, `1`/`0`, any case.
fn parse_flag(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "y" | "yes" | "true" | "1" => Some(true),
        "n" | "no" | "false" | "0" => Some(false),
        _ => None,
    }
}

fn local_datetime(text: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
}

/// An ID is a whole number that is not negative. `0` is a real ID of some
/// kinds (the general sales funnel is category `0`), and for the others the
/// portal has its own answer, which the user should see.
fn id(text: &str) -> Result<u64, Invalid> {
    text.parse::<u64>()
        .map_err(|_| "expected an ID, a whole number that is not negative".to_owned())
}

/// The type a [`Ty::Named`] names.
///
/// # Panics
///
/// If the schema data names a type it does not hold, which the tests of
/// the `bitrix24` crate rule out for every family, all of which `b24`
/// enables.
pub fn named(path: &str) -> &'static NamedType {
    bitrix24::schema::named_type(path)
        .unwrap_or_else(|| panic!("the schema data names the type {path} but does not hold it"))
}

/// The documented values of an enum, for messages and help.
pub fn enum_list(named: &NamedType) -> String {
    match &named.kind {
        Kind::Enum { values, .. } => values
            .iter()
            .map(|value| value.value.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

/// Where in a JSON value a check failed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The JSON path below the checked value, such as `.fields.TITLE`.
    pub path: String,
    /// What was expected there.
    pub expected: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.expected)
        } else {
            write!(f, "at {}: {}", self.path, self.expected)
        }
    }
}

/// Checks `value` against `ty`, leniently where the server is (numbers as
/// numeric strings, flags in their four forms) and allowing object keys
/// the schema does not list (a portal's custom fields).
pub fn check(value: &Value, ty: &Ty) -> Result<(), Mismatch> {
    check_at(value, ty, &mut String::new())
}

fn check_at(value: &Value, ty: &Ty, path: &mut String) -> Result<(), Mismatch> {
    let mismatch = |path: &str, expected: &str| Mismatch {
        path: path.to_owned(),
        expected: expected.to_owned(),
    };
    match ty {
        Ty::Primitive(primitive) => {
            check_primitive(value, *primitive).map_err(|expected| mismatch(path, expected))
        }
        Ty::Array(item) => {
            let items = value
                .as_array()
                .ok_or_else(|| mismatch(path, "expected a list"))?;
            each(indexed(items), item, path)
        }
        Ty::OneOrMany(item) => match value.as_array() {
            Some(items) => each(indexed(items), item, path),
            None => check_at(value, item, path),
        },
        Ty::Map(item) => {
            let map = object(value).ok_or_else(|| mismatch(path, "expected an object"))?;
            each(
                map.iter().map(|(key, value)| (format!(".{key}"), value)),
                item,
                path,
            )
        }
        Ty::Named(type_path) => check_named(value, named(type_path), path),
    }
}

/// A list's items with their JSON path steps.
fn indexed(items: &[Value]) -> impl Iterator<Item = (String, &Value)> {
    items
        .iter()
        .enumerate()
        .map(|(n, item)| (format!("[{n}]"), item))
}

/// PHP sends an empty object as `[]`; a caller may too.
fn object(value: &Value) -> Option<Map<String, Value>> {
    match value {
        Value::Object(map) => Some(map.clone()),
        Value::Array(items) if items.is_empty() => Some(Map::new()),
        _ => None,
    }
}

fn each<'a>(
    items: impl Iterator<Item = (String, &'a Value)>,
    ty: &Ty,
    path: &mut String,
) -> Result<(), Mismatch> {
    for (step, item) in items {
        let before = path.len();
        path.push_str(&step);
        check_at(item, ty, path)?;
        path.truncate(before);
    }
    Ok(())
}

fn check_named(value: &Value, named: &NamedType, path: &mut String) -> Result<(), Mismatch> {
    let mismatch = |path: &str, expected: String| Mismatch {
        path: path.to_owned(),
        expected,
    };
    match &named.kind {
        Kind::Id => match value {
            Value::Number(number) if number.as_u64().is_some() => Ok(()),
            Value::String(text) if id(text).is_ok() => Ok(()),
            _ => Err(mismatch(
                path,
                "expected an ID, a whole number that is not negative".to_owned(),
            )),
        },
        Kind::Enum {
            values, extensible, ..
        } => {
            let text = match value {
                Value::String(text) => text.clone(),
                Value::Number(number) => number.to_string(),
                _ => {
                    return Err(mismatch(
                        path,
                        format!("expected one of {}", enum_list(named)),
                    ));
                }
            };
            if *extensible || values.iter().any(|known| known.value == text) {
                Ok(())
            } else {
                Err(mismatch(
                    path,
                    format!("expected one of {}", enum_list(named)),
                ))
            }
        }
        Kind::Object { fields } => {
            let map =
                object(value).ok_or_else(|| mismatch(path, "expected an object".to_owned()))?;
            for field in fields {
                match map.get(&field.name) {
                    Some(Value::Null) if field.nullable || field.optional => {}
                    Some(inner) => each(
                        [(format!(".{}", field.name), inner)].into_iter(),
                        &field.ty,
                        path,
                    )?,
                    None if field.optional || field.nullable => {}
                    None => {
                        return Err(mismatch(
                            path,
                            format!("the field {} is required", field.name),
                        ));
                    }
                }
            }
            Ok(())
        }
        Kind::Filter { fields } => {
            let map = object(value)
                .ok_or_else(|| mismatch(path, "expected an object of conditions".to_owned()))?;
            for (key, condition) in &map {
                let name = key.trim_start_matches(['=', '!', '<', '>', '%', '@', '?', '*']);
                let Some(field) = fields.iter().find(|field| field.name == name) else {
                    continue;
                };
                // A list is the value of `@` (in) and of several values at once.
                let ty = match condition {
                    Value::Array(_) => Ty::Array(Box::new(field.ty.clone())),
                    _ => field.ty.clone(),
                };
                each([(format!(".{key}"), condition)].into_iter(), &ty, path)?;
            }
            Ok(())
        }
        Kind::Order { .. } => {
            let map = object(value).ok_or_else(|| {
                mismatch(path, "expected an object of field: ASC or DESC".to_owned())
            })?;
            for (key, direction) in &map {
                let known = direction.as_str().is_some_and(|text| {
                    text.eq_ignore_ascii_case("asc") || text.eq_ignore_ascii_case("desc")
                });
                if !known {
                    return Err(mismatch(
                        &format!("{path}.{key}"),
                        "expected ASC or DESC".to_owned(),
                    ));
                }
            }
            Ok(())
        }
    }
}

fn check_primitive(value: &Value, primitive: Primitive) -> Result<(), &'static str> {
    let text = value.as_str();
    let fits = match primitive {
        Primitive::Json => true,
        Primitive::String => value.is_string() || value.is_number(),
        Primitive::Integer => {
            value.as_i64().is_some() || text.is_some_and(|text| text.parse::<i64>().is_ok())
        }
        Primitive::Number => {
            value.is_number()
                || text.is_some_and(|text| text.parse::<f64>().is_ok_and(f64::is_finite))
        }
        Primitive::Boolean | Primitive::YesNo | Primitive::OneZero | Primitive::OneZeroNumber => {
            value.is_boolean()
                || value.as_u64().is_some_and(|n| n <= 1)
                || text.is_some_and(|text| parse_flag(text).is_some())
        }
        Primitive::Datetime => text.is_some_and(|text| DateTime::parse_from_rfc3339(text).is_ok()),
        Primitive::LocalDatetime => text.is_some_and(|text| local_datetime(text).is_some()),
        Primitive::Date => {
            text.is_some_and(|text| NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok())
        }
        Primitive::Timestamp => {
            value.as_i64().is_some() || text.is_some_and(|text| text.parse::<i64>().is_ok())
        }
        Primitive::File => value
            .as_array()
            .is_some_and(|pair| pair.len() == 2 && pair.iter().all(Value::is_string)),
        Primitive::Direction => text.is_some_and(|text| {
            text.eq_ignore_ascii_case("asc") || text.eq_ignore_ascii_case("desc")
        }),
    };
    if fits {
        Ok(())
    } else {
        Err(expected(primitive))
    }
}

/// What a value of `primitive` looks like, for messages and help.
pub fn expected(primitive: Primitive) -> &'static str {
    match primitive {
        Primitive::String => "expected text",
        Primitive::Integer => "expected a whole number",
        Primitive::Number => "expected a number",
        Primitive::Boolean | Primitive::YesNo | Primitive::OneZero | Primitive::OneZeroNumber => {
            "expected Y or N"
        }
        Primitive::Datetime => "expected a date and time with offset, 2026-03-18T19:15:53+02:00",
        Primitive::LocalDatetime => "expected a local date and time, 2026-03-18T19:15:53",
        Primitive::Date => "expected a date, 2026-03-18",
        Primitive::Timestamp => "expected Unix seconds",
        Primitive::File => "expected [name, base64 content]",
        Primitive::Direction => "expected ASC or DESC",
        Primitive::Json => "expected JSON",
    }
}
