//! What a page's documented request teaches about its parameters where
//! the tables say otherwise: the request is the one call shown to work, so
//! its spelling, its flags' form, its lists and the shapes of its values
//! win over the tables' words. Knows nothing about pages or files: it
//! corrects schema entries (JSON) in place.

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// How deep [`learn`] follows objects in objects: the pages
/// nest `fields` two or three levels at most.
const MAX_REQUEST_DEPTH: usize = 8;

/// What the documented request of a success shows about the parameters
/// and the fields of the objects `named` defines (followed into them):
/// - a `boolean` it sends as `"Y"` or `"N"` is a `yes_no` flag: the tables
///   say "boolean" for both forms, and the server reads `"false"` as true;
/// - an object it sends a list of is a list of those objects (the tables
///   type such a parameter by its items' table);
/// - a parameter it spells in another case (`ID` for the table's `id`) is
///   sent as the request spells it, the table's spelling kept as an alias:
///   the documented call is the one spelling shown to work;
/// - one marked required that it leaves out is optional: the documented
///   call works without it (the tables mark both of two alternatives, such
///   as `IBLOCK_ID` and `IBLOCK_CODE`, required);
/// - a value the table's type cannot hold gives the type it shows
///   ([`fitted`]).
pub(crate) fn learn(
    entries: &mut [Value],
    request: &Value,
    named: &mut BTreeMap<String, Value>,
    depth: usize,
) {
    let Some(request) = request.as_object() else {
        return;
    };
    if depth > MAX_REQUEST_DEPTH {
        return;
    }
    if depth == 0 {
        respell_parameters(entries, request);
    }
    for entry in entries {
        let Some(value) = entry["name"].as_str().and_then(|name| request.get(name)) else {
            // Parameters say `required`, object fields `optional`.
            if entry["required"] == true {
                entry["required"] = json!(false);
            } else if entry["optional"] == false {
                entry["optional"] = json!(true);
            }
            continue;
        };
        if entry["type"] == "boolean" && matches!(value.as_str(), Some("Y" | "N")) {
            entry["type"] = json!("yes_no");
        } else if let Some(fitted) = fitted(&entry["type"], value, depth == 0) {
            entry["type"] = fitted;
        } else if let Some(target) = entry["type"]["ref"].as_str().map(str::to_owned) {
            let mut value = value;
            if let Some(items) = value.as_array()
                && let Some(first) = items.first()
                && items.iter().all(Value::is_object)
            {
                entry["type"] = json!({ "array": { "ref": target } });
                value = first;
            }
            let fields = named
                .get_mut(&target)
                .and_then(|ty| ty["fields"].as_array_mut())
                .map(std::mem::take);
            if let Some(mut fields) = fields {
                learn(&mut fields, value, named, depth + 1);
                if let Some(ty) = named.get_mut(&target) {
                    ty["fields"] = Value::Array(fields);
                }
            }
        }
    }
}

/// Each parameter the request spells only in another case gets the
/// request's spelling, and the table's as an alias.
fn respell_parameters(params: &mut [Value], request: &serde_json::Map<String, Value>) {
    let names: Vec<String> = params
        .iter()
        .filter_map(|param| param["name"].as_str().map(str::to_owned))
        .collect();
    for param in params {
        let Some(name) = param["name"].as_str().map(str::to_owned) else {
            continue;
        };
        if request.contains_key(&name) {
            continue;
        }
        let spelled = request
            .keys()
            .find(|key| key.eq_ignore_ascii_case(&name) && !names.contains(key));
        if let Some(spelled) = spelled {
            param["name"] = json!(spelled);
            param["aliases"] = json!([name]);
        }
    }
}

/// The type a documented value shows where the table's cannot hold it:
/// - a list of values where the table says one, or one value (an ID too)
///   where it says a list: either (`one_or_many`), as the server takes both; in an
///   object's field (not `parameter`), where the format has no "either", a
///   list;
/// - words where the table says a number: text;
/// - a number where the table says text: a number (IDs the tables call
///   strings);
/// - a date alone where the table says date and time: a date; a date and
///   time without an offset: a local one; a date and time with an offset
///   where the table says date: a date and time;
/// - an object of texts where the table says text: a map of texts (names
///   by language).
fn fitted(ty: &Value, value: &Value, parameter: bool) -> Option<Value> {
    let scalar = ty.as_str().filter(|ty| SCALARS.contains(ty));
    let listed = ty["array"].as_str().filter(|ty| SCALARS.contains(ty));
    // A list of IDs (`{"array": {"ref": "UserId"}}`) takes one ID too.
    let listed_ids = ty["array"]["ref"]
        .as_str()
        .filter(|name| name.ends_with("Id"))
        .filter(|_| fits("integer", value));
    match value {
        Value::Array(items) if !items.is_empty() => {
            let ty = scalar?;
            let either = if parameter {
                json!({ "one_or_many": ty })
            } else {
                json!({ "array": ty })
            };
            items.iter().all(|item| fits(ty, item)).then_some(either)
        }
        _ if parameter && listed.is_some_and(|ty| fits(ty, value)) => {
            Some(json!({ "one_or_many": listed? }))
        }
        _ if parameter && listed_ids.is_some() => {
            Some(json!({ "one_or_many": { "ref": listed_ids? } }))
        }
        // A list of anything the table does not type, sent as one value:
        // either of that value's type.
        Value::String(_) | Value::Number(_) if parameter && ty["array"] == "json" => {
            Some(json!({ "one_or_many": inferred(value) }))
        }
        Value::String(text) => match ty.as_str()? {
            "integer" | "number" if text.trim().parse::<f64>().is_err() => Some(json!("string")),
            "datetime" if is_date(text) => Some(json!("date")),
            "datetime" if is_local_datetime(text) => Some(json!("local_datetime")),
            "date" if text.len() > 10 && is_date(&text[..10]) && has_offset(text) => {
                Some(json!("datetime"))
            }
            _ => None,
        },
        Value::Number(number) if scalar == Some("string") => Some(if number.is_f64() {
            json!("number")
        } else {
            json!("integer")
        }),
        Value::Object(fields)
            if scalar == Some("string")
                && !fields.is_empty()
                && fields.values().all(Value::is_string) =>
        {
            Some(json!({ "map": "string" }))
        }
        _ => None,
    }
}

/// The types a value of a documented request is checked against.
const SCALARS: [&str; 3] = ["string", "integer", "number"];

/// Whether `value` is a value of the scalar type `ty` as the server reads
/// it (numbers also as numeric strings).
fn fits(ty: &str, value: &Value) -> bool {
    let numeric = |text: &str| text.trim().parse::<f64>().is_ok();
    match ty {
        "string" => value.is_string(),
        "integer" => {
            value.is_i64()
                || value
                    .as_str()
                    .is_some_and(|text| text.trim().parse::<i64>().is_ok())
        }
        "number" => value.is_number() || value.as_str().is_some_and(numeric),
        _ => false,
    }
}

/// `2024-06-14`.
fn is_date(text: &str) -> bool {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

/// `2024-10-21T10:00:00`: the form a local date and time is sent in.
fn is_local_datetime(text: &str) -> bool {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").is_ok()
}

/// `2026-03-13T10:00:00+01:00`.
fn has_offset(text: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

/// Adds, as optional parameters, those the documented request sends and
/// the table does not list (after [`learn`] has matched the spellings),
/// typed by their values; `entry` makes each an entry under its name.
pub(crate) fn add_unlisted(
    params: &mut Vec<Value>,
    request: &Value,
    entry: &mut dyn FnMut(Value, &str) -> Option<Value>,
) {
    let Some(request) = request.as_object() else {
        return;
    };
    for (name, value) in request {
        let listed = params.iter().any(|param| {
            param["name"].as_str() == Some(name.as_str())
                || param["aliases"]
                    .as_array()
                    .is_some_and(|aliases| aliases.iter().any(|alias| alias == name))
        });
        // `start` is paging, which the generator adds itself.
        if listed || name == "start" || value.is_null() || !is_wire_name(name) {
            continue;
        }
        let param = json!({
            "name": name,
            "type": inferred(value),
            "required": false,
            "description": "Not in the page's parameter table; the documented request sends it.",
        });
        params.extend(entry(param, name));
    }
}

/// A parameter name as the server's tables write them: letters, digits and
/// underscores, not starting with a digit.
fn is_wire_name(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The type a documented value shows on its own: a scalar or a list of one
/// kind of scalar as such, anything else any JSON (the page documents no
/// shape for it).
fn inferred(value: &Value) -> Value {
    let scalar = |value: &Value| match value {
        Value::String(_) => Some("string"),
        Value::Number(number) if number.is_f64() => Some("number"),
        Value::Number(_) => Some("integer"),
        Value::Bool(_) => Some("boolean"),
        _ => None,
    };
    if let Some(ty) = scalar(value) {
        return json!(ty);
    }
    if let Some(items) = value.as_array()
        && let Some(ty) = items.first().and_then(scalar)
        && items.iter().all(|item| scalar(item) == Some(ty))
    {
        return json!({ "array": ty });
    }
    json!("json")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn learned(params: Value, request: Value) -> Vec<Value> {
        let mut params: Vec<Value> = serde_json::from_value(params).unwrap();
        let mut named = BTreeMap::new();
        learn(&mut params, &request, &mut named, 0);
        add_unlisted(&mut params, &request, &mut |param, _| Some(param));
        params
    }

    fn types(params: &[Value]) -> Vec<&Value> {
        params.iter().map(|param| &param["type"]).collect()
    }

    #[test]
    fn values_the_table_type_cannot_hold_give_the_type_they_show() {
        let params = json!([
            { "name": "IDS", "type": "integer", "required": true },
            { "name": "USER", "type": { "array": "integer" }, "required": true },
            { "name": "ORDER", "type": "integer", "required": true },
            { "name": "KEY", "type": "string", "required": true },
            { "name": "FROM", "type": "datetime", "required": true },
            { "name": "MODIFIED", "type": "datetime", "required": true },
            { "name": "BEGIN", "type": "date", "required": true },
            { "name": "NAME", "type": "string", "required": true },
            { "name": "KEPT", "type": "integer", "required": true },
            { "name": "USERS", "type": { "array": { "ref": "UserId" } }, "required": true },
            { "name": "ANY", "type": { "array": "json" }, "required": true },
        ]);
        let request = json!({
            "IDS": [1, "2"],
            "USER": 7,
            "ORDER": "asc",
            "KEY": 525,
            "FROM": "2024-06-14",
            "MODIFIED": "2024-10-21T10:00:00",
            "BEGIN": "2026-03-13T10:00:00+01:00",
            "NAME": { "en": "Name", "de": "Name" },
            "KEPT": "12",
            "USERS": 1269,
            "ANY": 7,
        });
        let params = learned(params, request);
        assert_eq!(
            types(&params),
            [
                &json!({ "one_or_many": "integer" }),
                &json!({ "one_or_many": "integer" }),
                &json!("string"),
                &json!("integer"),
                &json!("date"),
                &json!("local_datetime"),
                &json!("datetime"),
                &json!({ "map": "string" }),
                &json!("integer"),
                &json!({ "one_or_many": { "ref": "UserId" } }),
                &json!({ "one_or_many": "integer" }),
            ]
        );
    }

    #[test]
    fn values_that_fit_or_do_not_show_a_type_change_nothing() {
        let params = json!([
            { "name": "A", "type": "integer", "required": true },
            { "name": "B", "type": "string", "required": true },
            { "name": "C", "type": "datetime", "required": true },
            { "name": "D", "type": "integer", "required": true },
            { "name": "E", "type": "string", "required": true },
        ]);
        let request = json!({
            "A": [1, "x"],
            "B": [],
            "C": "**put_current_date_here**",
            "D": { "x": 1 },
            "E": { "x": 1 },
        });
        let before: Vec<Value> = serde_json::from_value(params.clone()).unwrap();
        assert_eq!(types(&learned(params, request)), types(&before));
    }

    #[test]
    fn parameters_the_table_does_not_list_are_added_as_optional_typed_by_their_values() {
        let params = json!([{ "name": "id", "type": "integer", "required": true }]);
        let request = json!({
            "ID": 5,
            "filter": { "name": "x" },
            "select": ["ID", "NAME"],
            "rate": 1.5,
            "active": true,
            "gone": null,
            "bad name": 1,
            "start": 50,
        });
        let params = learned(params, request);
        let names: Vec<&Value> = params.iter().map(|param| &param["name"]).collect();
        // `id` is sent as the request spells it, `ID`; the rest are new.
        assert_eq!(names, ["ID", "filter", "select", "rate", "active"]);
        assert_eq!(
            types(&params)[1..],
            [
                &json!("json"),
                &json!({ "array": "string" }),
                &json!("number"),
                &json!("boolean"),
            ]
        );
        assert!(params[1..].iter().all(|param| param["required"] == false));
    }
}
