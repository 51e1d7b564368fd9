//! The importer on pages copied from the official documentation
//! (`tests/fixtures/docs`, with its licence) and on pages written here for
//! the forms those do not show: the schema files it writes (snapshots), the
//! pages it skips and why, determinism, includes, hostile pages, and how its
//! output for the hand-written `sonet_group.user.*` files differs from them.

use std::path::{Path, PathBuf};

use bitrix24_import::{Disagreements, Docs, import, read};
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docs")
}

fn fixture_import() -> bitrix24_import::Import {
    import(
        &read(&fixtures()).expect("the fixtures are a docs checkout"),
        &Disagreements::default(),
    )
}

#[test]
fn the_fixture_pages_import_into_the_expected_schema_files() {
    let imported = fixture_import();
    let names: Vec<&str> = imported.files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "crm.deal.add",
            "crm.deal.list",
            "sonet_group.user.get",
            "sonet_group.user.invite"
        ]
    );
    for (name, text) in &imported.files {
        insta::assert_snapshot!(name.as_str(), text);
    }
    assert_eq!(imported.pages, 6);
    // One success and one error answer on each of the four pages, as the
    // snapshots show.
    assert_eq!(imported.examples, 8);
}

#[test]
fn recorded_disagreements_mark_their_examples_and_nothing_else() {
    let docs = read(&fixtures()).expect("the fixtures are a docs checkout");
    let plain = import(&docs, &Disagreements::default());
    let mut record = Disagreements::default();
    record.insert("crm.deal.add", 2, "the error answer names no table entry");
    // An example the page does not have, and a method it does not document.
    record.insert("crm.deal.add", 9, "nothing");
    record.insert("crm.deal.gone", 1, "nothing");
    let marked = import(&docs, &record);
    for (name, text) in &marked.files {
        let file: Value = serde_json::from_str(text).unwrap();
        let reasons: Vec<&Value> = file["method"]["examples"]
            .as_array()
            .unwrap()
            .iter()
            .map(|example| &example["disagrees"])
            .collect();
        if name == "crm.deal.add" {
            assert_eq!(
                reasons,
                [
                    &Value::Null,
                    &Value::from("the error answer names no table entry")
                ]
            );
        } else {
            assert_eq!(text, &plain.files[name], "{name} is unchanged");
        }
    }
    assert_eq!(
        marked.method_pages(),
        4,
        "six pages, two of which name no method"
    );
}

#[test]
fn pages_that_document_no_method_are_skipped_with_their_reason() {
    let imported = fixture_import();
    let skipped: Vec<(&str, Vec<&str>)> = imported
        .skipped
        .iter()
        .map(|(reason, pages)| (reason.as_str(), pages.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        skipped,
        [(
            "the title names no method (overviews, events, guides)",
            vec!["crm/deals/events/on-crm-deal-add.md", "crm/deals/index.md"]
        )]
    );
}

#[test]
fn what_the_pages_say_becomes_the_schema() {
    let imported = fixture_import();
    let file = |name: &str| -> Value { serde_json::from_str(&imported.files[name]).unwrap() };
    let get = file("sonet_group.user.get");
    assert_eq!(get["method"]["scopes"], serde_json::json!(["sonet"]));
    assert_eq!(get["method"]["retry_safe"], true);
    assert_eq!(get["method"]["params"][0]["name"], "ID");
    assert_eq!(get["method"]["params"][0]["required"], true);
    assert_eq!(get["method"]["params"][0]["type"], "integer");
    let errors: Vec<&str> = get["method"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["description"].as_str().unwrap())
        .collect();
    assert_eq!(
        errors,
        [
            "Wrong socialnetwork group ID",
            "Socialnetwork group not found"
        ]
    );
    assert_eq!(
        get["method"]["docs_url"],
        "https://apidocs.bitrix24.com/api-reference/sonet-group/members/sonet-group-user-get.html"
    );

    // A nested table the parameter links to is an input object.
    let add = file("crm.deal.add");
    assert_eq!(
        add["method"]["retry_safe"], false,
        "only reads are safe by default"
    );
    assert_eq!(
        add["method"]["params"][0]["type"],
        serde_json::json!({"ref": "CrmDealAddFields"})
    );
    let fields = add["types"]["CrmDealAddFields"]["fields"]
        .as_array()
        .unwrap();
    assert!(
        fields
            .iter()
            .any(|field| field["name"] == "TITLE" && field["type"] == "string")
    );
    assert!(
        fields
            .iter()
            .any(|field| field["name"] == "OPPORTUNITY" && field["type"] == "number")
    );

    // `start` makes a list method paged; the generator adds `start` itself.
    let list = file("crm.deal.list");
    assert_eq!(list["method"]["paged"], true);
    assert!(
        list["method"]["params"]
            .as_array()
            .unwrap()
            .iter()
            .all(|param| param["name"] != "start")
    );
}

#[test]
fn the_same_docs_give_byte_identical_files_wherever_they_are() {
    let first = fixture_import();
    let copy = tempfile::tempdir().unwrap();
    copy_tree(&fixtures(), copy.path());
    let second = import(&read(copy.path()).unwrap(), &Disagreements::default());
    assert_eq!(first, second);
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A docs checkout in a temporary folder with the given pages.
fn docs_of(pages: &[(&str, &str)]) -> (tempfile::TempDir, Docs) {
    let root = tempfile::tempdir().unwrap();
    for (path, text) in pages {
        let path = root.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let docs = read(root.path()).unwrap();
    (root, docs)
}

const PAGE: &str = "# Get a thing a.thing.get\n\n> Scope: [`a`](x.md)\n>\n> Who can execute the method: anyone\n\nReturns a thing. More words.\n\n## Method Parameters\n\n{% include [t](../_includes/params.md) %}\n\n## Response Handling\n\nHTTP status: **200**\n\n```json\n{\"result\": {\"ID\": \"1\", \"~NAME\": \"<b>\", \"NAME\": \"x\"}, \"time\": {}}\n```\n";

#[test]
fn includes_are_read_in_place_and_never_outside_the_checkout() {
    let table = "#|\n|| **Name**\n`type` | **Description** ||\n|| **ID***\n[`integer`](x) | The thing. ||\n|#\n";
    let (_root, docs) = docs_of(&[
        ("api-reference/a/get.md", PAGE),
        ("api-reference/_includes/params.md", table),
    ]);
    let imported = import(&docs, &Disagreements::default());
    let file: Value = serde_json::from_str(&imported.files["a.thing.get"]).unwrap();
    assert_eq!(file["method"]["params"][0]["name"], "ID");
    assert_eq!(file["method"]["summary"], "Returns a thing.");
    assert_eq!(file["method"]["description"], "More words.");
    // The raw twin of a field is left out of the inferred type.
    let fields = file["types"]["AThingGetResult"]["fields"]
        .as_array()
        .unwrap();
    let names: Vec<&str> = fields
        .iter()
        .map(|field| field["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ID", "NAME"]);

    let escaping = PAGE.replace("../_includes/params.md", "../../../../../../etc/hostname");
    let looping = PAGE.replace("../_includes/params.md", "get.md");
    let (_root, docs) = docs_of(&[
        ("api-reference/a/get.md", &escaping),
        (
            "api-reference/b/get.md",
            &looping.replace("a.thing.get", "b.thing.get"),
        ),
    ]);
    let imported = import(&docs, &Disagreements::default());
    let file: Value = serde_json::from_str(&imported.files["a.thing.get"]).unwrap();
    assert_eq!(
        file["method"]["params"],
        serde_json::json!([]),
        "nothing read from outside"
    );
    assert!(
        imported.files.contains_key("b.thing.get"),
        "a page that includes itself ends"
    );
}

/// A REST 3.0 page: the note under the title, and a call at `/rest/api/`.
fn rest3_page(title: &str, name: &str) -> String {
    format!(
        "# {title} {name}\n\n> Scope: [`tasks`](x.md)\n\n{{% note info \"\" %}}\n\nThis method belongs to REST 3.0.\n\n{{% endnote %}}\n\n## Method Parameters\n\n#|\n|| **Name**\n`type` | **Description** ||\n|| **id***\n[`integer`](x) | The task. ||\n|| **start**\n[`integer`](x) | Not a page offset here. ||\n|#\n\n## Code Examples\n\n```bash\ncurl -X POST -d '{{\"id\":1}}' \\\nhttps://b24/rest/api/1/code/{name}\n```\n\n## Response Handling\n\nHTTP status: **200**\n\n```json\n{{\"result\": {{\"items\": []}}, \"time\": {{}}}}\n```\n"
    )
}

#[test]
fn a_method_documented_in_both_versions_gives_a_file_for_each() {
    // Its parameter table is an include this checkout does not have.
    let rest2 = PAGE.replace("a.thing.get", "tasks.task.update");
    let pages = [
        (
            "api-reference/tasks/update-rest-v3.md",
            rest3_page("Update", "tasks.task.update"),
        ),
        ("api-reference/tasks/update.md", rest2),
        (
            "api-reference/tasks/update-v3-again.md",
            rest3_page("Update", "tasks.TASK.update"),
        ),
        (
            "api-reference/tasks/list-v3.md",
            rest3_page("List", "tasks.task.list"),
        ),
    ];
    let borrowed: Vec<(&str, &str)> = pages
        .iter()
        .map(|(path, text)| (*path, text.as_str()))
        .collect();
    let (_root, docs) = docs_of(&borrowed);
    let imported = import(&docs, &Disagreements::default());
    let keys: Vec<&str> = imported.files.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "tasks.task.update",
            "v3/tasks.task.list",
            "v3/tasks.task.update"
        ]
    );
    assert_eq!(imported.twins(), ["tasks.task.update"]);
    assert_eq!(imported.rest3(), 2);
    assert_eq!(
        imported.skipped["documented again (first on tasks/update-rest-v3.md)"],
        ["tasks/update-v3-again.md"]
    );
    let file = |key: &str| -> Value { serde_json::from_str(&imported.files[key]).unwrap() };
    let rest2 = file("tasks.task.update");
    assert!(rest2["method"].get("rest_version").is_none());
    assert!(
        rest2["method"].get("writes").is_none(),
        "REST 2 files never say"
    );
    let update = file("v3/tasks.task.update");
    assert_eq!(update["method"]["rest_version"], 3);
    assert_eq!(update["$schema"], "../../format.schema.json");
    assert_eq!(update["method"]["writes"], true);
    assert_eq!(update["method"]["retry_safe"], false);
    // Its types are named as the generator names a twin, apart from the
    // REST 2 method's in the same family.
    assert!(update["types"].get("TasksTaskUpdateV3Result").is_some());
    let list = file("v3/tasks.task.list");
    assert!(list["method"].get("writes").is_none(), "a read");
    assert_eq!(list["method"]["retry_safe"], true);
    assert!(
        list["types"].get("TasksTaskListResult").is_some(),
        "no twin"
    );
    // REST 3.0 lists never page: `start` is an ordinary parameter.
    assert!(list["method"].get("paged").is_none());
    assert_eq!(list["method"]["params"][1]["name"], "start");
}

#[test]
fn disagreements_of_a_rest_3_method_are_recorded_under_its_key() {
    let (_root, docs) = docs_of(&[(
        "api-reference/tasks/list-v3.md",
        &rest3_page("List", "tasks.task.list"),
    )]);
    let mut record = Disagreements::default();
    record.insert("tasks.task.list", 1, "the REST 2 method's");
    let plain = import(&docs, &record);
    let example = |import: &bitrix24_import::Import| -> Value {
        let file: Value = serde_json::from_str(&import.files["v3/tasks.task.list"]).unwrap();
        file["method"]["examples"][0]["disagrees"].clone()
    };
    assert_eq!(example(&plain), Value::Null);
    record.insert("v3/tasks.task.list", 1, "the REST 3.0 method's");
    assert_eq!(example(&import(&docs, &record)), "the REST 3.0 method's");
}

#[test]
fn hostile_pages_are_skipped_or_read_and_never_panic() {
    let deep = format!(
        "# Deep a.b.c\n\n> Scope: [`a`](x)\n\n## Response Handling\n\nHTTP status: **200**\n\n```json\n{}{}\n```\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let wide = format!(
        "# Wide a.b.d\n\n> Scope: [`a`](x)\n\n## Method Parameters\n\n#|\n{}",
        "|| **X** | y ||\n".repeat(50_000)
    );
    let pages: Vec<(String, String)> = vec![
        ("api-reference/empty.md".into(), String::new()),
        (
            "api-reference/junk.md".into(),
            "\u{0}\u{1}#|||||||\n```\n# a.b\n".into(),
        ),
        (
            "api-reference/unclosed.md".into(),
            "# U a.b.e\n> Scope: [`a`](x)\n## Method Parameters\n#|\n|| **A*** | b".into(),
        ),
        ("api-reference/deep.md".into(), deep),
        ("api-reference/wide.md".into(), wide),
        ("api-reference/title.md".into(), "# `.`\n".into()),
    ];
    let borrowed: Vec<(&str, &str)> = pages
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    let (_root, docs) = docs_of(&borrowed);
    let imported = import(&docs, &Disagreements::default());
    assert_eq!(imported.pages, 6);
    // The deep answer is no JSON serde_json accepts: no example, no panic.
    for text in imported.files.values() {
        serde_json::from_str::<Value>(text).expect("every file written is JSON");
    }
}

#[test]
fn a_folder_without_pages_is_an_error() {
    let empty = tempfile::tempdir().unwrap();
    let error = read(empty.path()).unwrap_err();
    assert!(error.to_string().contains("api-reference"), "{error}");
}

/// Where the importer's output for a hand-written file differs from it,
/// as JSON paths: the hand-written files are verified against the server
/// and stay as they are.
#[test]
fn the_import_of_the_hand_written_methods_differs_where_the_pages_do() {
    let imported = fixture_import();
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/methods");
    let mut report = String::new();
    for name in ["sonet_group.user.get", "sonet_group.user.invite"] {
        let hand: Value = serde_json::from_str(
            &std::fs::read_to_string(schema.join(format!("{name}.json"))).unwrap(),
        )
        .unwrap();
        let ours: Value = serde_json::from_str(&imported.files[name]).unwrap();
        let mut paths = Vec::new();
        differences(&hand, &ours, String::new(), &mut paths);
        report.push_str(&format!("{name}:\n"));
        for path in paths {
            report.push_str(&format!("  {path}\n"));
        }
    }
    insta::assert_snapshot!("hand_written_differences", report);
}

fn differences(hand: &Value, ours: &Value, path: String, found: &mut Vec<String>) {
    match (hand, ours) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => differences(x, y, format!("{path}.{key}"), found),
                    (Some(_), None) => found.push(format!("{path}.{key}: only hand-written")),
                    (None, Some(_)) => found.push(format!("{path}.{key}: only imported")),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                differences(x, y, format!("{path}[{index}]"), found);
            }
        }
        (a, b) if a != b => found.push(format!("{path}: differs")),
        _ => {}
    }
}
