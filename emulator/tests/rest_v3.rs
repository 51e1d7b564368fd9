//! REST 3.0 over real HTTP: the `/rest/api/` addresses, JSON-only bodies, the error shape,
//! the `tasks.task.*` methods, and what stays REST 2's (auth failures, `batch`, `/rest/`).

mod common;

use bitrix24_emulator::{Emulator, TaskStatus};
use common::{ApiAnswer, read, start, start_with};
use serde_json::{Value, json};

const SCOPE_ERROR: &str = "BITRIX_REST_V3_EXCEPTION_INSUFFICIENTSCOPEEXCEPTION";
const VALIDATION: &str = "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION";
const INVALID_JSON: &str = "BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION";

fn new_task() -> Value {
    json!({"fields": {"title": "Prepare a report", "creatorId": 1, "responsibleId": 3}})
}

async fn send(request: reqwest::RequestBuilder) -> ApiAnswer {
    ApiAnswer::read(request.send().await.expect("request")).await
}

#[tokio::test]
async fn webhook_and_oauth_addresses() {
    let p = start().await;
    let added = p.api("tasks.task.add", new_task(), None).await;
    let id = added.result()["item"]["id"].as_i64().unwrap();
    assert!(added.key.is_none() && !added.replayed);

    let app = p.emu.oauth().unwrap();
    let token = app.access_token.expose();
    let url = format!("{}tasks.task.get", p.emu.api_endpoint());
    let by_header = send(
        p.http
            .post(&url)
            .bearer_auth(token)
            .json(&json!({"id": id})),
    )
    .await;
    assert_eq!(by_header.result()["item"]["title"], "Prepare a report");
    let in_body = send(p.http.post(&url).json(&json!({"id": id, "auth": token}))).await;
    assert_eq!(in_body.result()["item"]["id"], id);
    let log = p.emu.log();
    let last = log.last().unwrap();
    assert!(last.rest_v3 && last.executed);
    assert!(!serde_json::to_string(&log).unwrap().contains(token));

    // Authentication keeps REST 2's errors, so clients refresh tokens the same way.
    let missing = send(p.http.post(&url).json(&json!({"id": id}))).await;
    assert_eq!(missing.status, 401);
    assert_eq!(missing.body["error"], "NO_AUTH_FOUND");
    let bad_hook = format!("{}/rest/api/1/wrongcode/", p.emu.base_url());
    let bad = p
        .api_at(&bad_hook, "tasks.task.get", &json!({"id": id}), None)
        .await;
    assert_eq!(
        (bad.status, &bad.body["error"]),
        (401, &json!("INVALID_CREDENTIALS"))
    );
    p.emu.expire_access_tokens();
    let expired = send(
        p.http
            .post(&url)
            .bearer_auth(token)
            .json(&json!({"id": id})),
    )
    .await;
    assert_eq!(
        (expired.status, &expired.body["error"]),
        (401, &json!("expired_token"))
    );
    // The query string is not read, not even for the token.
    let query = send(
        p.http
            .post(format!("{url}?auth={token}"))
            .json(&json!({"id": id})),
    )
    .await;
    assert_eq!(query.status, 401);
}

#[tokio::test]
async fn each_version_only_at_its_address() {
    let p = start().await;
    // At /rest/ the REST 3.0 names are REST 2 methods this portal does not serve.
    let (status, body) = p.call("tasks.task.get", json!({"id": 1})).await;
    assert_eq!(status, 404);
    assert_eq!(
        body,
        json!({"error": "ERROR_METHOD_NOT_FOUND", "error_description": "Method not found!"})
    );
    // At /rest/api/ REST 2 methods (and REST 3.0 batch) are unknown, in the REST 3.0 shape.
    for method in ["sonet_group.get", "batch", "nope"] {
        let answer = p.api(method, json!({}), None).await;
        assert_eq!(
            answer.error(404),
            &json!({"code": "ERROR_METHOD_NOT_FOUND", "message": "Method not found!"})
        );
    }
    assert_eq!(p.emu.counters().executed("sonet_group.get"), 0);
}

#[tokio::test]
async fn rest_2_batch_cannot_carry_rest_3_methods() {
    let p = start().await;
    let cmd = json!({"cmd": {
        "add": "tasks.task.add?fields[title]=x&fields[creatorId]=1&fields[responsibleId]=1",
        "me": "user.current"
    }});
    let (status, body) = p.call("batch", cmd).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["result"]["result_error"]["add"],
        json!({"error": "ERROR_METHOD_NOT_FOUND", "error_description": "Method not found!"})
    );
    assert_eq!(body["result"]["result"]["me"]["ID"], "1");
    assert_eq!(p.emu.state().tasks.len(), 2, "only the demo's tasks");
}

#[tokio::test]
async fn bodies_are_json_only() {
    let p = start().await;
    let url = format!("{}tasks.task.get", p.emu.api_url());
    let form = send(
        p.http
            .post(&url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("id=1"),
    )
    .await;
    assert_eq!(form.error(400)["code"], INVALID_JSON);
    let untyped = send(p.http.post(&url).body(r#"{"id":1}"#)).await;
    assert_eq!(untyped.error(400)["code"], INVALID_JSON);
    let broken = send(
        p.http
            .post(&url)
            .header("Content-Type", "application/json")
            .body("{\"id\":"),
    )
    .await;
    assert_eq!(broken.error(400)["code"], INVALID_JSON);
    // GET with the parameter in the query string: the parameter is simply not there.
    let get = send(p.http.get(format!("{url}?id=1"))).await;
    let error = get.error(400);
    assert_eq!(error["code"], VALIDATION);
    assert_eq!(
        error["validation"],
        json!([{"message": "Required field `id` is not specified", "field": "id"}])
    );
}

#[tokio::test]
async fn hostile_bodies_get_clean_errors() {
    let p = start_with(Emulator::builder().max_body_bytes(4096)).await;
    let url = format!("{}tasks.task.add", p.emu.api_url());
    let post = |body: String| {
        p.http
            .post(&url)
            .header("Content-Type", "application/json")
            .body(body)
    };
    let huge = format!(r#"{{"fields":{{"title":"{}"}}}}"#, "x".repeat(10_000));
    assert_eq!(send(post(huge)).await.error(400)["code"], INVALID_JSON);
    let deep = format!("{}{}", "[".repeat(2000), "]".repeat(2000));
    assert_eq!(send(post(deep)).await.error(400)["code"], INVALID_JSON);
    let deep_object = format!(r#"{}1{}"#, r#"{"a":"#.repeat(1000), "}".repeat(1000));
    assert_eq!(
        send(post(deep_object)).await.error(400)["code"],
        INVALID_JSON
    );
    for odd in [
        "\"text\"",
        "42",
        "null",
        "[1,2]",
        r#"{"fields":[]}"#,
        r#"{"fields":7}"#,
    ] {
        let answer = send(post(odd.to_owned())).await;
        assert!(matches!(answer.status, 400), "{odd}: {}", answer.body);
    }
    assert_eq!(
        p.emu.counters().executed("tasks.task.add"),
        3,
        "the JSON arrays ran"
    );
    assert_eq!(p.emu.state().tasks.len(), 2);
    // Still serving.
    assert_eq!(
        p.api("tasks.task.get", json!({"id": 1}), None).await.status,
        200
    );
}

#[tokio::test]
async fn add_get_update_delete() {
    let p = start().await;
    let added = p.api("tasks.task.add", new_task(), None).await;
    let item = added.result()["item"].clone();
    let id = item["id"].as_u64().unwrap();
    assert_eq!(id, 3, "after the demo's tasks");
    assert_eq!(item["title"], "Prepare a report");
    assert_eq!(
        (&item["creatorId"], &item["responsibleId"]),
        (&json!(1), &json!(3))
    );
    assert_eq!(
        (&item["status"], &item["priority"]),
        (&json!("pending"), &json!("average"))
    );
    assert_eq!(item["description"], "");
    let created = item["created"].as_str().unwrap();
    assert_eq!(
        created.len(),
        "2025-12-11T12:25:33+03:00".len(),
        "{created}"
    );
    assert!(created.ends_with("+03:00") && created.as_bytes()[10] == b'T');
    assert_eq!(item["changed"], item["created"]);

    let got = p.api("tasks.task.get", json!({"id": id}), None).await;
    assert_eq!(got.result()["item"], item);
    let selected = p
        .api(
            "tasks.task.get",
            json!({"id": id, "select": ["title", "stageId", "id", "title"]}),
            None,
        )
        .await;
    assert_eq!(
        selected.result()["item"],
        json!({"title": "Prepare a report", "id": id})
    );
    let related = p
        .api(
            "tasks.task.get",
            json!({"id": id, "select": ["responsible.name", "creator.id"]}),
            None,
        )
        .await;
    let related = &related.result()["item"];
    assert_eq!(related["responsible"], json!({"name": "Kira Member"}));
    assert_eq!(related["creator"], json!({"id": 1}));
    assert_eq!(
        related["title"], "Prepare a report",
        "the basic set comes along"
    );

    p.emu.advance(std::time::Duration::from_secs(3600));
    let fields = json!({"title": "Report, final", "status": "in_progress", "description": "d"});
    let updated = p
        .api(
            "tasks.task.update",
            json!({"id": id, "fields": fields}),
            None,
        )
        .await;
    assert_eq!(updated.result(), &json!({"result": true}));
    let task = p.emu.state().task(id).cloned().unwrap();
    assert_eq!(
        (task.title.as_str(), task.status, task.description.as_str()),
        ("Report, final", TaskStatus::InProgress, "d")
    );
    assert_eq!(task.created, created);
    assert_ne!(task.changed, task.created);

    let deleted = p.api("tasks.task.delete", json!({"id": id}), None).await;
    assert_eq!(deleted.result(), &json!({"result": true}));
    let gone = p.api("tasks.task.get", json!({"id": id}), None).await;
    assert_eq!(
        gone.error(400),
        &json!({"code": "BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION",
                "message": format!("Record with ID = `{id}` not found")})
    );
    assert!(p.emu.state().task(id).is_none());
    let again = p.api("tasks.task.delete", json!({"id": id}), None).await;
    assert_eq!(
        again.error(403)["code"],
        "BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION"
    );
    let c = p.emu.counters();
    assert_eq!(
        (
            c.executed("tasks.task.add"),
            c.executed("tasks.task.get"),
            c.executed("tasks.task.delete")
        ),
        (1, 4, 2)
    );
}

fn violations(answer: &ApiAnswer) -> Vec<(String, String)> {
    let error = answer.error(400);
    assert_eq!(error["code"], VALIDATION, "{error}");
    error["validation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["field"].as_str().unwrap().to_owned(),
                v["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn validation_entries() {
    let p = start().await;
    let fields = |answer: &ApiAnswer| -> Vec<String> {
        violations(answer).into_iter().map(|(f, _)| f).collect()
    };
    let answer = p.api("tasks.task.get", json!({"id": "1"}), None).await;
    assert_eq!(
        violations(&answer),
        [(
            "id".into(),
            "Field `id` requires data type `int` for this request".into()
        )]
    );
    let answer = p.api("tasks.task.get", json!({"id": 1.5}), None).await;
    assert_eq!(fields(&answer), ["id"]);
    let answer = p.api("tasks.task.add", json!({}), None).await;
    assert_eq!(fields(&answer), ["fields"]);
    let answer = p
        .api("tasks.task.add", json!({"fields": {"title": 5}}), None)
        .await;
    assert_eq!(
        fields(&answer),
        ["creatorId", "responsibleId", "title"],
        "every problem at once"
    );
    let answer = p
        .api(
            "tasks.task.add",
            json!({"fields": {"title": "t", "creatorId": 999, "responsibleId": 7, "status": "done"}}),
            None,
        )
        .await;
    assert_eq!(
        violations(&answer),
        [
            (
                "responsibleId".into(),
                "User specified in the \"Executor\" field not found".into()
            ),
            ("creatorId".into(), String::new()),
            (
                "status".into(),
                "Field `status` requires data type `TaskStatus` for this request".into()
            ),
        ]
    );
    let answer = p.api("tasks.task.update", json!({"id": 1}), None).await;
    assert_eq!(fields(&answer), ["fields"]);
    let answer = p
        .api(
            "tasks.task.update",
            json!({"id": 1, "fields": {"creatorId": 2}}),
            None,
        )
        .await;
    assert_eq!(
        violations(&answer),
        [("creatorId".into(), "In DTO `TaskDto`, the field `creatorId` requires the presence of the `Editable` attribute for such a request".into())]
    );
    let answer = p
        .api(
            "tasks.task.get",
            json!({"id": 1, "select": ["responsible.stageId"]}),
            None,
        )
        .await;
    assert_eq!(
        answer.error(400),
        &json!({"code": "BITRIX_REST_V3_EXCEPTION_UNKNOWNDTOPROPERTYEXCEPTION",
                "message": "Unknown field `stageId` for entity `UserDto`"})
    );
    let answer = p
        .api("tasks.task.get", json!({"id": 1, "select": "id"}), None)
        .await;
    assert_eq!(fields(&answer), ["select"]);
    let answer = p.api("tasks.task.get", json!({"id": -4}), None).await;
    assert_eq!(
        answer.error(400)["message"],
        "Record with ID = `-4` not found"
    );
    assert_eq!(p.emu.state().tasks.len(), 2, "nothing was added");
}

#[tokio::test]
async fn permissions_and_scopes() {
    let p = start().await;
    // The demo's crm-only webhook of the admin.
    let crm_only = p
        .emu
        .api_url()
        .replace("demoadminhook0001", "democrmonlyhook01");
    let answer = p
        .api_at(&crm_only, "tasks.task.get", &json!({"id": 1}), None)
        .await;
    assert_eq!(answer.error(403)["code"], SCOPE_ERROR);
    // Kira (3) is responsible for task 1 but has nothing to do with task 2.
    let kira = p
        .emu
        .add_webhook(3, &["tasks"])
        .unwrap()
        .replace("/rest/", "/rest/api/");
    let own = p
        .api_at(&kira, "tasks.task.get", &json!({"id": 1}), None)
        .await;
    assert_eq!(own.result()["item"]["responsibleId"], 3);
    let other = p
        .api_at(&kira, "tasks.task.get", &json!({"id": 2}), None)
        .await;
    assert_eq!(
        other.error(403)["code"],
        "BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION"
    );
    let update = json!({"id": 2, "fields": {"title": "mine"}});
    let other = p.api_at(&kira, "tasks.task.update", &update, None).await;
    assert_eq!(other.status, 403);
    // Responsible, not creator: may edit, may not delete.
    let update = json!({"id": 1, "fields": {"title": "mine"}});
    assert_eq!(
        p.api_at(&kira, "tasks.task.update", &update, None)
            .await
            .status,
        200
    );
    let delete = p
        .api_at(&kira, "tasks.task.delete", &json!({"id": 1}), None)
        .await;
    assert_eq!(delete.status, 403);
    assert_eq!(p.emu.state().task(1).unwrap().title, "mine");
}

#[tokio::test]
async fn seeded_tasks_and_the_state_endpoint() {
    let p = start_with(Emulator::builder().task(bitrix24_emulator::Task::new(
        50,
        "From the builder",
        2,
        4,
    )))
    .await;
    let (status, state) = p
        .get(&format!("{}/_emulator/state", p.emu.base_url()))
        .await;
    assert_eq!(status, 200);
    let tasks = state["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 3);
    assert_eq!(tasks[2]["title"], "From the builder");
    let added = p.api("tasks.task.add", new_task(), None).await;
    assert_eq!(added.result()["item"]["id"], 51);
    let answer = read(
        p.http
            .get(format!("{}/_emulator/counters", p.emu.base_url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(answer.1["executed"]["tasks.task.add"], 1);
}
