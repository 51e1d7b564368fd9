//! The documentation's type names (`integer`, `crm_status`, `user.id`,
//! `object[]`, ...) as schema types, and the shape of an example answer as
//! schema types where the documentation gives no table for it.
//!
//! A schema type here is the JSON a schema file writes (`"integer"`,
//! `{"array": "string"}`, `{"ref": "Name"}`). Knows nothing about pages.

use serde_json::{Value, json};

/// The schema type of a documented type name, or `None` where the name
/// says only "some object" (the caller looks for the object's fields).
pub fn documented(name: &str) -> Option<Value> {
    if let Some(item) = name.strip_suffix("[]") {
        return Some(json!({ "array": documented(item).unwrap_or_else(|| json!("json")) }));
    }
    let lower = name.to_ascii_lowercase();
    let primitive = match lower.as_str() {
        "string"
        | "text"
        | "char"
        | "enum"
        | "crm_status"
        | "crm_currency"
        | "lang_map"
        | "textwithtranslation"
        | "url"
        | "email"
        | "phone" => "string",
        "integer" | "int" | "user" | "crm_company" | "crm_contact" | "crm_lead" | "crm_deal"
        | "crm_entity" | "crm_category" | "crm_quote" | "crm_invoice" | "diskfile" => "integer",
        "double" | "float" | "number" | "decimal" => "number",
        "boolean" | "bool" => "boolean",
        "datetime" => "datetime",
        "date" => "date",
        "timestamp" => "timestamp",
        "file" => "file",
        "object" | "array" | "any" | "mixed" | "callable" | "null" | "time" => return None,
        // `user.id`, `catalog_product.id`, `sale_order.ID`: references by ID.
        other if other.ends_with(".id") => "integer",
        other if other.ends_with(".code") || other.ends_with(".currency") => "string",
        _ => return None,
    };
    Some(json!(primitive))
}

/// The schema type of an example value, naming nested objects with `name`
/// (which gets a suffix per level) and collecting their definitions.
pub fn of_example(
    value: &Value,
    name: &str,
    named: &mut Vec<(String, Vec<(String, Value)>)>,
) -> Value {
    match value {
        Value::String(_) => json!("string"),
        Value::Number(number) if number.is_i64() || number.is_u64() => json!("integer"),
        Value::Number(_) => json!("number"),
        Value::Bool(_) => json!("boolean"),
        Value::Null => json!("json"),
        Value::Array(items) if items.is_empty() => json!({ "array": "json" }),
        Value::Array(items) => match merged(&items.iter().collect::<Vec<_>>()) {
            Some(item) => json!({ "array": of_example(&item, name, named) }),
            None => json!({ "array": "json" }),
        },
        Value::Object(map) if map.is_empty() => json!("json"),
        Value::Object(map) => {
            // Keys that are numbers or otherwise not names make a map.
            let keyed_by_id = map
                .keys()
                .all(|key| key.chars().all(|c| c.is_ascii_digit()));
            if keyed_by_id {
                let item = merged(&map.values().collect::<Vec<_>>())
                    .unwrap_or_else(|| map.values().next().cloned().unwrap_or_default());
                return json!({ "map": of_example(&item, name, named) });
            }
            // Keys that cannot be names (`1`, `-`) beside others: a map of anything.
            if map.keys().any(|key| {
                !key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '~')
            }) {
                return json!({ "map": "json" });
            }
            let mut fields = Vec::new();
            // `~FIELD` is the raw twin of `FIELD` (HTML not escaped): left out.
            for (key, inner) in map.iter().filter(|(key, _)| !key.starts_with('~')) {
                let field_name = format!("{name}{}", heck::AsUpperCamelCase(key));
                fields.push((key.clone(), of_example(inner, &field_name, named)));
            }
            named.push((name.to_owned(), fields));
            json!({ "ref": name })
        }
    }
}

/// One value that stands for all of `values` (the items of a list, the
/// values of a map by ID), or `None` where they are of kinds no one type
/// reads:
/// - objects: every key any of them has, in the order first seen, each
///   key's values merged in turn (the first one's where they conflict);
/// - integers beside strings of digits: an integer, as the server mixes
///   them (`"parentId": "431"` beside `"parentId": 0`) and an integer field
///   reads both; integers beside fractions: a fraction;
/// - `null` gives way to any other value.
fn merged(values: &[&Value]) -> Option<Value> {
    let present: Vec<&Value> = values
        .iter()
        .copied()
        .filter(|value| !value.is_null())
        .collect();
    let Some(&first) = present.first() else {
        return Some(Value::Null);
    };
    if present.iter().all(|value| same_kind(value, first)) {
        return Some(match first {
            Value::Object(_) => merged_objects(&present),
            Value::Array(_) => {
                let items = present
                    .iter()
                    .filter_map(|value| value.as_array())
                    .flatten()
                    .collect::<Vec<_>>();
                Value::Array(
                    merged(&items)
                        .into_iter()
                        .filter(|item| !item.is_null())
                        .collect(),
                )
            }
            Value::Number(_) => present
                .iter()
                .copied()
                .find(|value| value.is_f64())
                .unwrap_or(first)
                .clone(),
            _ => first.clone(),
        });
    }
    let integer_or_digits = |value: &&Value| match value {
        Value::Number(number) => !number.is_f64(),
        Value::String(text) => !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit()),
        _ => false,
    };
    if present.iter().all(integer_or_digits) {
        return present
            .iter()
            .copied()
            .find(|value| value.is_number())
            .cloned();
    }
    None
}

fn merged_objects(objects: &[&Value]) -> Value {
    let mut keys: Vec<(&str, Vec<&Value>)> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (key, value) in objects
        .iter()
        .filter_map(|object| object.as_object())
        .flatten()
    {
        let at = *index.entry(key.as_str()).or_insert_with(|| {
            keys.push((key.as_str(), Vec::new()));
            keys.len() - 1
        });
        keys[at].1.push(value);
    }
    let mut object = serde_json::Map::new();
    for (key, values) in keys {
        let value = merged(&values).unwrap_or_else(|| values[0].clone());
        object.insert(key.to_owned(), value);
    }
    Value::Object(object)
}

fn same_kind(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_names_map_to_schema_types() {
        assert_eq!(documented("integer"), Some(json!("integer")));
        assert_eq!(documented("user.id"), Some(json!("integer")));
        assert_eq!(
            documented("crm_multifield[]"),
            Some(json!({"array": "json"}))
        );
        assert_eq!(documented("string[]"), Some(json!({"array": "string"})));
        assert_eq!(documented("object"), None);
        assert_eq!(documented("something_new"), None);
    }

    #[test]
    fn the_items_of_a_list_or_map_are_typed_together() {
        let mut named = Vec::new();
        let value = json!({
            "byId": {"433": {"parentId": "431", "title": null}, "431": {"parentId": 0, "title": "x", "sort": 1}},
            "prices": [{"price": 5}, {"price": 5.5}],
            "mixed": [1, "one"],
        });
        of_example(&value, "Result", &mut named);
        let fields = |name: &str| {
            named
                .iter()
                .find(|(found, _)| found == name)
                .unwrap()
                .1
                .clone()
        };
        assert_eq!(
            fields("ResultById"),
            [
                ("parentId".to_owned(), json!("integer")),
                ("title".to_owned(), json!("string")),
                ("sort".to_owned(), json!("integer")),
            ]
        );
        assert_eq!(
            fields("ResultPrices"),
            [("price".to_owned(), json!("number"))]
        );
        assert_eq!(
            fields("Result")[2],
            ("mixed".to_owned(), json!({"array": "json"}))
        );
    }

    #[test]
    fn examples_give_named_objects_and_maps_by_id() {
        let mut named = Vec::new();
        let value = json!({"items": [{"id": 1, "title": "x"}], "byId": {"7": {"n": 1.5}}});
        let ty = of_example(&value, "Result", &mut named);
        assert_eq!(ty, json!({"ref": "Result"}));
        let names: Vec<&str> = named.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["ResultItems", "ResultById", "Result"]);
        assert_eq!(named[2].1[1].1, json!({"map": {"ref": "ResultById"}}));
    }
}
