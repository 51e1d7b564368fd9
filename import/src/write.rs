//! A read method page as a schema file (format 2): the method, its
//! parameters typed from the tables (nested tables become input objects),
//! its result typed from the returned-data table and the example answer,
//! its errors from the error table and the examples, and every documented
//! answer as an example, its JSON copied as written.
//!
//! Pure: the same page gives the same bytes. Knows nothing about files.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};

use bitrix24_codegen::format::Descriptions;
use bitrix24_codegen::names;

use crate::Disagreements;
use crate::page::{MethodPage, Row};
use crate::request;
use crate::types;
use crate::version::RestVersion;

/// Where the documentation is published; page paths are appended.
const DOCS_SITE: &str = "https://apidocs.bitrix24.com/";

#[derive(Serialize)]
struct File {
    #[serde(rename = "$schema")]
    schema: &'static str,
    format_version: u32,
    method: Method,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    types: BTreeMap<String, Value>,
}

#[derive(Serialize)]
struct Method {
    name: String,
    scopes: Vec<String>,
    summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    access: String,
    docs_url: String,
    retry_safe: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    rest_version: Option<u8>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    writes: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    paged: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    paging: Option<Value>,
    params: Vec<Value>,
    result: Value,
    errors: Vec<Value>,
    examples: Vec<Example>,
}

#[derive(Serialize)]
struct Example {
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    params: Option<Box<RawValue>>,
    status: u16,
    body: Box<RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disagrees: Option<String>,
}

/// The schema file of `page`, found at `path` under `api-reference/`, and
/// how many documented answers it holds as examples; the examples
/// `disagreements` records for the file's `key` are marked with their
/// reasons. The types of a REST 3.0 `twin` of a REST 2 method take the
/// generator's `V3` suffix.
pub fn schema_file(
    page: &MethodPage,
    key: &str,
    twin: bool,
    path: &str,
    disagreements: &Disagreements,
) -> (String, usize) {
    let base = names::method_type(&page.name, twin);
    let mut named: BTreeMap<String, Value> = BTreeMap::new();
    let mut params = Vec::new();
    let mut paged = false;
    let mut taken = Taken::default();
    let rest2 = page.version == RestVersion::Two;
    for row in &page.params {
        // REST 3.0 lists do not page with `start`, `next` and `total`.
        if rest2 && row.name == "start" {
            paged = true;
            continue;
        }
        let ty = param_type(page, row, &base, &mut named);
        let param = json!({
            "name": row.name,
            "type": ty,
            "required": row.required,
            "description": text_or(&row.doc, "Not described."),
        });
        params.extend(entry(param, &row.name, &mut taken));
    }
    let success = page.answers.iter().find(|(status, _)| *status == 200);
    let success_value: Option<Value> =
        success.and_then(|(_, text)| serde_json::from_str(text).ok());
    let result_value = success_value.as_ref().and_then(|body| body.get("result"));
    let result_ty = result_type(page, result_value, &base, &mut named);
    let paging = paged.then(|| paging(result_value)).flatten();
    let paged = paged && (paging.is_some() || result_value.is_some_and(Value::is_array));
    // The list of a paged result is in every answer.
    if paged && let Some(items) = paging.as_ref().and_then(|paging| paging["items"].as_str()) {
        let result = named
            .get_mut(&format!("{base}Result"))
            .and_then(|ty| ty["fields"].as_array_mut());
        for field in result.into_iter().flatten() {
            if field["name"] == items {
                field["optional"] = json!(false);
                field["nullable"] = json!(false);
            }
        }
    }
    let mut examples = examples(page);
    for (index, example) in examples.iter_mut().enumerate() {
        example.disagrees = disagreements.reason(key, index + 1).map(str::to_owned);
    }
    if let Some(request) = examples.iter().find_map(|example| example.params.as_ref())
        && let Ok(request) = serde_json::from_str::<Value>(request.get())
    {
        request::learn(&mut params, &request, &mut named, 0);
        request::add_unlisted(&mut params, &request, &mut |param, wire| {
            entry(param, wire, &mut taken)
        });
    }
    let example_count = examples.len();
    let file = File {
        // Relative to the file: REST 3.0 files are a folder deeper.
        schema: if rest2 {
            "../format.schema.json"
        } else {
            "../../format.schema.json"
        },
        format_version: 2,
        method: Method {
            name: page.name.clone(),
            scopes: page.scopes.clone(),
            summary: text_or(&page.summary, "Not described."),
            description: page.description.clone(),
            access: text_or(&page.access, "Not stated."),
            docs_url: docs_url(path),
            retry_safe: is_read(&page.name),
            rest_version: page.version.number(),
            writes: !rest2 && writes(&page.name),
            paged,
            paging: if paged { paging } else { None },
            params,
            result: json!({ "type": result_ty, "description": "The result." }),
            errors: errors(page),
            examples,
        },
        types: named,
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    (text, example_count)
}

fn text_or(text: &str, fallback: &str) -> String {
    if text.trim().is_empty() {
        fallback.to_owned()
    } else {
        text.to_owned()
    }
}

/// Reads are safe to send twice; nothing else is unless an override says so.
fn is_read(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    matches!(
        last.as_str(),
        "get" | "list" | "fields" | "getfields" | "getlist"
    )
}

/// Whether a REST 3.0 method creates, changes or deletes data (the server
/// then reads the `Idempotency-Key` header): all but the reads, by the last
/// word of the name, so that a method not clearly a read counts as a write.
fn writes(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    let read = matches!(
        last.as_str(),
        "search"
            | "count"
            | "tail"
            | "thread"
            | "children"
            | "subordinates"
            | "multidepartment"
            | "senders"
            | "listcontacts"
            | "listemployees"
    );
    !(read || is_read(name))
}

fn docs_url(path: &str) -> String {
    let html = path.strip_suffix(".md").unwrap_or(path);
    format!("{DOCS_SITE}api-reference/{html}.html")
}

/// A parameter's type: its documented type, or the input object of the
/// nested table its description links to, else JSON.
fn param_type(
    page: &MethodPage,
    row: &Row,
    base: &str,
    named: &mut BTreeMap<String, Value>,
) -> Value {
    if let Some(ty) = types::documented(&row.ty) {
        return ty;
    }
    let nested = row
        .links
        .iter()
        .find_map(|anchor| page.nested.iter().find(|(name, _)| name == anchor));
    match nested {
        Some((_, fields)) if !fields.is_empty() => {
            let name = type_name(base, &row.name);
            let mut taken = Taken::default();
            let fields: Vec<Value> = fields
                .iter()
                .filter_map(|field| {
                    let value = json!({
                        "name": field.name,
                        "type": types::documented(&field.ty).unwrap_or_else(|| json!("json")),
                        "optional": !field.required,
                        "description": text_or(&field.doc, "Not described."),
                    });
                    entry(value, &field.name, &mut taken)
                })
                .collect();
            named.insert(
                name.clone(),
                object(&format!("The `{}` of `{}`.", row.name, page.name), fields),
            );
            json!({ "ref": name })
        }
        _ => json!("json"),
    }
}

/// The name of a method's own type for `part`: `CrmDealAddFields`. Names
/// ending like the generator's own types of a method (`...Params`,
/// `...Setters`, `...Error`) get `Value` appended.
fn type_name(base: &str, part: &str) -> String {
    let name = format!("{base}{}", part.to_upper_camel_case());
    let taken = ["Params", "Setters", "Error"]
        .iter()
        .any(|suffix| name.ends_with(suffix));
    if taken { format!("{name}Value") } else { name }
}

fn object(description: &str, fields: Vec<Value>) -> Value {
    json!({ "kind": "object", "description": description, "fields": fields })
}

/// The result's type: from the example answer where there is one (its
/// fields typed by the returned-data table where it names them), else from
/// the table's `result` row.
fn result_type(
    page: &MethodPage,
    example: Option<&Value>,
    base: &str,
    named: &mut BTreeMap<String, Value>,
) -> Value {
    let documented: BTreeMap<&str, &Row> = page
        .returned
        .iter()
        .map(|row| (row.name.as_str(), row))
        .collect();
    if let Some(example) = example {
        let mut found = Vec::new();
        let ty = types::of_example(example, &format!("{base}Result"), &mut found);
        for (name, fields) in found {
            let mut taken = Taken::default();
            let fields: Vec<Value> = fields
                .into_iter()
                .filter_map(|(field, inferred)| {
                    let row = documented.get(field.as_str());
                    // The table's type where it is a plain one; the example's shape otherwise,
                    // and where the answer sends a number or flag the table calls a string.
                    let answered_scalar =
                        matches!(inferred.as_str(), Some("integer" | "number" | "boolean"));
                    let ty = row
                        .and_then(|row| types::documented(&row.ty))
                        .filter(|ty| ty.is_string() && inferred.is_string())
                        .filter(|ty| !(*ty == "string" && answered_scalar))
                        .unwrap_or(inferred);
                    let value = json!({
                        "name": field,
                        "type": ty,
                        "optional": true,
                        "nullable": true,
                        "description": row.map_or_else(|| "Not described.".to_owned(), |row| text_or(&row.doc, "Not described.")),
                    });
                    entry(value, &field, &mut taken)
                })
                .collect();
            named.insert(
                name.clone(),
                object(&format!("Part of the result of `{}`.", page.name), fields),
            );
        }
        return ty;
    }
    documented
        .get("result")
        .and_then(|row| types::documented(&row.ty))
        .unwrap_or_else(|| json!("json"))
}

/// Where the items of a paged result are: the result itself, or its one
/// list field.
fn paging(result: Option<&Value>) -> Option<Value> {
    let map = result?.as_object()?;
    let lists: Vec<&String> = map
        .iter()
        .filter(|(_, value)| value.is_array())
        .map(|(key, _)| key)
        .collect();
    match lists.as_slice() {
        [items] => Some(json!({ "items": items })),
        _ => None,
    }
}

/// The error table's entries, each pair of code and text once, then the
/// documented error answers the table does not list. An answer worded like
/// an entry (the same variant) that the entry would not recognise, with
/// another code (the tables often give the HTTP status as the code) or
/// other text, widens the entry: the answer's text becomes an alternative,
/// and an entry whose code disagrees with the answer's is matched on its
/// texts alone.
fn errors(page: &MethodPage) -> Vec<Value> {
    let mut variants: Vec<String> = Vec::new();
    let mut entries: Vec<Value> = Vec::new();
    let documented = page
        .errors
        .iter()
        .map(|(code, description, doc)| (code.clone(), description.clone(), doc.clone(), false));
    let answered = page
        .answers
        .iter()
        .filter(|(status, _)| *status != 200)
        .filter_map(|(_, text)| {
            let (code, description) = answered_error(&serde_json::from_str(text).ok()?)?;
            Some((code, description, String::new(), true))
        });
    for (code, description, doc, is_answer) in documented.chain(answered) {
        // Texts that name no variant (`-`, `0`) are no entries.
        let variant = names::variant(&description);
        if !variant.starts_with(|c: char| c.is_ascii_uppercase()) {
            continue;
        }
        if let Some(index) = variants.iter().position(|seen| *seen == variant) {
            if is_answer {
                widen(&mut entries[index], &code, &description);
            }
            continue;
        }
        variants.push(variant);
        let mut entry = json!({ "code": code, "description": description });
        if !doc.is_empty() {
            entry["doc"] = json!(doc);
        }
        entries.push(entry);
    }
    entries
}

/// `entry` made to recognise the answer `code` and `description` too.
fn widen(entry: &mut Value, code: &str, description: &str) {
    if entry.get("code").is_some_and(|known| known != code) {
        entry
            .as_object_mut()
            .map(|entry| entry.shift_remove("code"));
    }
    let mut texts: Vec<Value> = match entry["description"].take() {
        Value::Array(texts) => texts,
        text => vec![text],
    };
    let same = |text: &Value| {
        text.as_str().is_some_and(|text| {
            Descriptions::normalized(text) == Descriptions::normalized(description)
        })
    };
    if !texts.iter().any(same) {
        texts.push(json!(description));
    }
    entry["description"] = if texts.len() == 1 {
        texts.remove(0)
    } else {
        Value::Array(texts)
    };
}

/// The code and description of an error answer, in each form the client
/// reads: `"error"` a code or a number, the description in
/// `error_description` or, for REST 3's error object, its `message`.
fn answered_error(body: &Value) -> Option<(String, String)> {
    let error = body.get("error")?;
    let text = |value: &Value| match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) if number.is_i64() || number.is_u64() => Some(number.to_string()),
        _ => None,
    };
    let (code, message) = match error {
        Value::Object(object) => (
            object.get("code").and_then(text).unwrap_or_default(),
            object.get("message").and_then(Value::as_str),
        ),
        other => (text(other)?, None),
    };
    let description = body
        .get("error_description")
        .and_then(Value::as_str)
        .or(message)?;
    Some((code, description.to_owned()))
}

/// The Rust names given so far in one place (a method's parameters, an
/// object's fields), and the wire names they came from.
#[derive(Default)]
struct Taken {
    names: std::collections::HashSet<String>,
    wires: std::collections::HashSet<String>,
    next_suffix: std::collections::HashMap<String, usize>,
}

/// A parameter or field entry, with a `rust_name` where the derived name
/// would be refused: taken by a standard trait (`from`, `default`) or by an
/// earlier entry (`chatId` and `chat_id`). `None` for a wire name the
/// place already has (a table that lists one twice).
fn entry(mut value: Value, wire: &str, taken: &mut Taken) -> Option<Value> {
    if !taken.wires.insert(wire.to_owned()) {
        return None;
    }
    let derived = names::unraw(&names::field(wire)).to_owned();
    let refused = |name: &str, taken: &Taken| {
        names::STD_METHODS.contains(&name)
            || name == names::OBJECT_CUSTOM
            || taken.names.contains(name)
    };
    let mut name = derived.clone();
    if refused(&name, taken) {
        name = format!("{derived}_value");
        while refused(&name, taken) {
            let suffix = taken.next_suffix.entry(derived.clone()).or_insert(2);
            name = format!("{derived}_{suffix}");
            *suffix += 1;
        }
        if let Some(map) = value.as_object_mut() {
            let mut renamed = serde_json::Map::new();
            for (key, inner) in std::mem::take(map) {
                let is_name = key == "name";
                renamed.insert(key, inner);
                if is_name {
                    renamed.insert("rust_name".to_owned(), json!(name));
                }
            }
            *map = renamed;
        }
    }
    taken.names.insert(name);
    Some(value)
}

/// The parameters without `auth`, the access token OAuth examples send
/// beside them: the client sends it itself, and no method takes it.
fn without_auth(params: Box<RawValue>) -> Option<Box<RawValue>> {
    let mut object: serde_json::Map<String, Value> = serde_json::from_str(params.get()).ok()?;
    if object.shift_remove("auth").is_none() {
        return Some(params);
    }
    RawValue::from_string(serde_json::to_string(&object).ok()?).ok()
}

/// Every documented answer that is JSON the schema reader takes, with the
/// request of the webhook example on the success. An answer that writes a
/// key twice in one object (no server does; a page's hand edit) is left
/// out, as the reader would refuse the whole file for it.
fn examples(page: &MethodPage) -> Vec<Example> {
    let request = page
        .request
        .as_deref()
        .and_then(|text| RawValue::from_string(text.to_owned()).ok())
        .filter(|raw| raw.get().trim_start().starts_with('{'))
        .and_then(without_auth);
    page.answers
        .iter()
        .filter_map(|(status, text)| {
            let parsed = bitrix24_codegen::strict_json::parse(text).ok()?;
            let success = *status == 200;
            // The envelope the generator's example tests read.
            let key = if success { "result" } else { "error" };
            parsed.get(key)?;
            let body = RawValue::from_string(text.clone()).ok()?;
            Some(Example {
                description: if success {
                    "The documented answer.".to_owned()
                } else {
                    "A documented error.".to_owned()
                },
                params: if success { request.clone() } else { None },
                status: *status,
                body,
                disagrees: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_owned()).unwrap()
    }

    #[test]
    fn an_answer_that_writes_a_key_twice_is_no_example() {
        let page = MethodPage {
            name: "fixture.get".to_owned(),
            answers: vec![
                (200, r#"{"result": {"a": 1, "a": 2}}"#.to_owned()),
                (
                    400,
                    r#"{"error": "E", "error_description": "bad"}"#.to_owned(),
                ),
            ],
            ..MethodPage::default()
        };
        let kept: Vec<u16> = examples(&page)
            .iter()
            .map(|example| example.status)
            .collect();
        assert_eq!(kept, [400]);
    }

    #[test]
    fn rest_3_methods_write_unless_their_last_word_reads() {
        let reads = [
            "tasks.task.get",
            "tasks.task.list",
            "tasks.task.field.get",
            "note.document.search.field.list",
            "humanresources.node.search",
            "humanresources.employee.count",
            "humanresources.node.children",
            "main.eventlog.tail",
            "mail.message.thread",
            "mail.recipient.listcontacts",
        ];
        let writes_ = [
            "tasks.task.add",
            "tasks.task.file.attach",
            "tasks.task.result.addfromchatmessage",
            "note.collection.archive",
            "humanresources.node.member.move",
            "mail.message.createtask",
            "mail.message.send",
        ];
        assert!(reads.iter().all(|name| !writes(name)), "{reads:?}");
        assert!(writes_.iter().all(|name| writes(name)), "{writes_:?}");
    }

    #[test]
    fn error_answers_are_read_in_every_form_the_client_reads() {
        let read = |body: &str| answered_error(&serde_json::from_str(body).unwrap());
        let pair = |code: &str, description: &str| Some((code.to_owned(), description.to_owned()));
        assert_eq!(
            read(r#"{"error":"A","error_description":"B"}"#),
            pair("A", "B")
        );
        assert_eq!(
            read(r#"{"error":1013,"error_description":"B"}"#),
            pair("1013", "B")
        );
        assert_eq!(
            read(r#"{"error":{"code":"V3","message":"Bad request","validation":[]}}"#),
            pair("V3", "Bad request")
        );
        assert_eq!(read(r#"{"error":"A"}"#), None);
        assert_eq!(read(r#"{"error":1.5,"error_description":"B"}"#), None);
    }

    #[test]
    fn flags_the_documented_request_sends_as_y_or_n_are_yes_no() {
        let mut params = vec![
            json!({"name": "ACTIVE", "type": "boolean"}),
            json!({"name": "STRICT", "type": "boolean"}),
            json!({"name": "FIELDS", "type": {"ref": "Fields"}}),
        ];
        let mut named = BTreeMap::from([(
            "Fields".to_owned(),
            json!({"kind": "object", "fields": [{"name": "USE", "type": "boolean"}, {"name": "NAME", "type": "string"}]}),
        )]);
        let request = json!({"ACTIVE": "Y", "STRICT": true, "FIELDS": {"USE": "N", "NAME": "Y"}});
        crate::request::learn(&mut params, &request, &mut named, 0);
        assert_eq!(params[0]["type"], "yes_no");
        assert_eq!(params[1]["type"], "boolean");
        assert_eq!(named["Fields"]["fields"][0]["type"], "yes_no");
        assert_eq!(named["Fields"]["fields"][1]["type"], "string");
    }

    #[test]
    fn error_answers_worded_like_a_table_entry_widen_it() {
        let entry = |code: &str, text: &str| (code.to_owned(), text.to_owned(), "Why.".to_owned());
        let answer = |code: &str, text: &str| {
            (
                400,
                json!({"error": code, "error_description": text}).to_string(),
            )
        };
        let page = MethodPage {
            errors: vec![
                entry("403", "Access denied"),
                entry("ERROR_NOT_FOUND", "Not found"),
                entry("ERROR_ARGUMENT", "Bad id"),
            ],
            answers: vec![
                answer("", "Access denied."),
                answer("ERROR_NOT_FOUND", "Not found"),
                answer("ERROR_ARGUMENT", "Bad id!"),
                answer("ERROR_CORE", "Task is gone"),
            ],
            ..MethodPage::default()
        };
        assert_eq!(
            errors(&page),
            [
                json!({"description": "Access denied", "doc": "Why."}),
                json!({"code": "ERROR_NOT_FOUND", "description": "Not found", "doc": "Why."}),
                json!({"code": "ERROR_ARGUMENT", "description": ["Bad id", "Bad id!"], "doc": "Why."}),
                json!({"code": "ERROR_CORE", "description": "Task is gone"}),
            ]
        );
    }

    #[test]
    fn a_number_the_answer_sends_where_the_table_says_string_stays_a_number() {
        let row = |name: &str, ty: &str| Row {
            name: name.to_owned(),
            ty: ty.to_owned(),
            required: false,
            doc: String::new(),
            links: Vec::new(),
        };
        let page = MethodPage {
            returned: vec![
                row("DELETED_TYPE", "string"),
                row("ID", "integer"),
                row("NAME", "string"),
            ],
            ..MethodPage::default()
        };
        let mut named = BTreeMap::new();
        let answer = json!({"DELETED_TYPE": 0, "ID": "5", "NAME": null});
        result_type(&page, Some(&answer), "Copy", &mut named);
        let types: Vec<&Value> = named["CopyResult"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|field| &field["type"])
            .collect();
        assert_eq!(
            types,
            [&json!("integer"), &json!("integer"), &json!("string")]
        );
    }

    #[test]
    fn a_parameter_the_request_spells_in_another_case_is_sent_as_spelled() {
        let mut params = vec![
            json!({"name": "id", "type": "integer", "required": true}),
            json!({"name": "select", "type": "json", "required": false}),
            json!({"name": "filter", "type": "json", "required": false}),
            json!({"name": "FILTER", "type": "json", "required": false}),
        ];
        let request = json!({"ID": 5, "SELECT": ["ID"], "FILTER": {}});
        crate::request::learn(&mut params, &request, &mut BTreeMap::new(), 0);
        assert_eq!(params[0]["name"], "ID");
        assert_eq!(params[0]["aliases"], json!(["id"]));
        assert_eq!(params[0]["required"], true, "the request sends it");
        assert_eq!(params[1]["name"], "SELECT");
        assert_eq!(
            params[2]["name"], "filter",
            "another parameter has that spelling"
        );
        assert!(params[2].get("aliases").is_none());
    }

    #[test]
    fn an_object_the_request_sends_a_list_of_is_a_list() {
        let mut params = vec![
            json!({"name": "MESSAGES", "type": {"ref": "Message"}, "required": true}),
            json!({"name": "EMPTY", "type": {"ref": "Message"}, "required": false}),
        ];
        let mut named = BTreeMap::from([(
            "Message".to_owned(),
            json!({"kind": "object", "fields": [
                {"name": "id", "type": "string", "optional": false},
                {"name": "sticky", "type": "boolean", "optional": false},
            ]}),
        )]);
        let request = json!({"MESSAGES": [{"id": "m1", "sticky": "Y"}], "EMPTY": []});
        crate::request::learn(&mut params, &request, &mut named, 0);
        assert_eq!(params[0]["type"], json!({"array": {"ref": "Message"}}));
        assert_eq!(
            params[1]["type"],
            json!({"ref": "Message"}),
            "no item shows what it holds"
        );
        assert_eq!(
            named["Message"]["fields"][1]["type"], "yes_no",
            "learnt from the item"
        );
        assert_eq!(named["Message"]["fields"][0]["optional"], false);
    }

    #[test]
    fn what_the_documented_request_leaves_out_is_not_required() {
        let mut params = vec![
            json!({"name": "IBLOCK_ID", "type": "integer", "required": true}),
            json!({"name": "IBLOCK_CODE", "type": "string", "required": true}),
            json!({"name": "fields", "type": {"ref": "Fields"}, "required": true}),
        ];
        let mut named = BTreeMap::from([(
            "Fields".to_owned(),
            json!({"kind": "object", "fields": [
                {"name": "NAME", "type": "string", "optional": false},
                {"name": "CODE", "type": "string", "optional": false},
            ]}),
        )]);
        let request = json!({"IBLOCK_ID": 5, "fields": {"NAME": "x"}});
        crate::request::learn(&mut params, &request, &mut named, 0);
        assert_eq!(params[0]["required"], true);
        assert_eq!(params[1]["required"], false);
        assert_eq!(params[2]["required"], true);
        assert_eq!(named["Fields"]["fields"][0]["optional"], false);
        assert_eq!(named["Fields"]["fields"][1]["optional"], true);
    }

    #[test]
    fn example_parameters_lose_the_access_token_and_keep_their_order() {
        let params = without_auth(raw(r#"{"CODE":"x","auth":"token","FIELDS":{"A":1.50}}"#));
        assert_eq!(params.unwrap().get(), r#"{"CODE":"x","FIELDS":{"A":1.5}}"#);
        // Without `auth` the text stays as documented.
        let params = without_auth(raw(r#"{ "id": 1.50 }"#));
        assert_eq!(params.unwrap().get(), r#"{ "id": 1.50 }"#);
    }
}
