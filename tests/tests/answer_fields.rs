//! The rule for required answer fields (ARCHITECTURE.md, "Invariants"): in
//! an imported schema, a field of an object the result holds is optional,
//! but for the list of a paged result; only hand-written schemas, checked
//! against the server, make answer fields required.

use std::collections::BTreeSet;

use serde_json::Value;

/// Every `ref` in `value`.
fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(name)) = map.get("ref") {
                out.push(name);
            }
            map.values().for_each(|inner| refs(inner, out));
        }
        Value::Array(items) => items.iter().for_each(|inner| refs(inner, out)),
        _ => {}
    }
}

/// The required fields of the objects `schema`'s result holds, as
/// `Type.FIELD`, leaving out the paged list.
fn required_answer_fields(schema: &Value) -> Vec<String> {
    let types = &schema["types"];
    let items = schema["method"]["paging"]["items"].as_str();
    let mut stack = Vec::new();
    refs(&schema["method"]["result"], &mut stack);
    let mut seen = BTreeSet::new();
    let mut required = Vec::new();
    while let Some(name) = stack.pop() {
        if !seen.insert(name) {
            continue;
        }
        let Some(fields) = types[name]["fields"].as_array() else {
            continue;
        };
        for field in fields {
            let wire = field["name"].as_str().unwrap_or_default();
            let optional = field["optional"].as_bool().unwrap_or(false);
            let is_items = name.ends_with("Result") && Some(wire) == items;
            if !optional && !is_items {
                required.push(format!("{name}.{wire}"));
            }
            refs(&field["type"], &mut stack);
        }
    }
    required
}

#[test]
fn imported_answer_fields_are_optional_but_the_paged_list() {
    let folder = bitrix24_tests::repo_root().join("schema/imported");
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .expect("schema/imported")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    assert!(files.len() > 1000, "{} files", files.len());
    let mut offenders = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable");
        let schema: Value = serde_json::from_str(&text).expect("JSON");
        for field in required_answer_fields(&schema) {
            offenders.push(format!("{}: {field}", path.display()));
        }
    }
    assert!(
        offenders.is_empty(),
        "required answer fields:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_rule_sees_a_required_answer_field() {
    let schema = serde_json::json!({
        "method": {"result": {"type": {"array": {"ref": "Item"}}}, "paging": {"items": "items"}},
        "types": {
            "Item": {"fields": [
                {"name": "ID", "type": "integer", "optional": true},
                {"name": "OWNER", "type": {"ref": "Owner"}, "optional": true}
            ]},
            "Owner": {"fields": [{"name": "NAME", "type": "string"}]}
        }
    });
    assert_eq!(required_answer_fields(&schema), ["Owner.NAME"]);
}
