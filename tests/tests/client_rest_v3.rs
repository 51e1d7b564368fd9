//! REST 3.0 calls: their address, the `Idempotency-Key` of writes and the
//! retries it allows, replayed answers, typed errors, and no secret in any
//! message on the way.

mod client_support;
use client_support as support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bitrix24::error::{MAX_VIOLATIONS, RequestError};
use bitrix24::{
    ApiError, ClientBuilder, Error, ErrorKind, Method, OAuthTokens, RateLimit, RawRequest,
    RestVersion, SonetGroupUserGet, SystemError, SystemErrorCode,
};
use serde_json::{Value, json};
use support::rest_v3::{TaskGet, task_add, v3_error};
use support::{Recorded, Reply, Server, TIME, WEBHOOK_CODE, fast_retries};

/// A REST 2 write that (wrongly) says it writes: only REST 3.0 sends keys.
#[derive(Debug, Clone, serde::Serialize)]
struct LegacyAdd {
    #[serde(rename = "TITLE")]
    title: String,
}

impl Method for LegacyAdd {
    const NAME: &'static str = "legacy.item.add";
    const SCOPES: &'static [&'static str] = &["legacy"];
    const RETRY_SAFE: bool = false;
    const PAGED: bool = false;
    const WRITES: bool = true;
    type Response = Value;
    type Error = ApiError;
}

/// REST 3.0's answer to a created item.
fn created() -> Reply {
    Reply::ok(r#"{"item":{"id":42}}"#)
}

fn key_of(request: &Recorded) -> Option<&str> {
    request.header("idempotency-key")
}

fn is_uuid_v4(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|group| group.len()).eq([8, 4, 4, 4, 12])
        && text
            .bytes()
            .all(|byte| byte == b'-' || byte.is_ascii_hexdigit())
        && groups[2].starts_with('4')
}

#[tokio::test(start_paused = true)]
async fn webhook_calls_go_to_rest_api_and_rest_2_calls_stay_at_rest() {
    let server = Server::scripted(vec![created()]).await;
    for url in [
        server.webhook_url(),
        server.url(&format!("/rest/api/1/{WEBHOOK_CODE}/")),
        server.url(&format!("/rest/api/1/{WEBHOOK_CODE}")),
    ] {
        let client = ClientBuilder::webhook(url)
            .allow_http_loopback(true)
            .rate_limit(RateLimit::unlimited())
            .retry(fast_retries())
            .build()
            .unwrap();
        client.call(task_add()).await.unwrap();
        let _ = client.call(SonetGroupUserGet::new(69)).await;
        assert!(!client.portal().contains(WEBHOOK_CODE));
        // The address a dry run shows is the one the call went to, masked.
        assert_eq!(
            client.method_address("tasks.task.add", RestVersion::V3),
            server.url("/rest/api/1/***/tasks.task.add")
        );
        assert_eq!(
            client.method_address("sonet_group.user.get", RestVersion::V2),
            server.url("/rest/1/***/sonet_group.user.get")
        );
    }
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    let v3 = format!("/rest/api/1/{WEBHOOK_CODE}/tasks.task.add");
    let v2 = format!("/rest/1/{WEBHOOK_CODE}/sonet_group.user.get");
    assert_eq!(
        paths,
        [v3.clone(), v2.clone(), v3.clone(), v2.clone(), v3, v2]
    );
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.json(),
        json!({"fields": {"title": "Prepare a report"}})
    );
}

#[tokio::test(start_paused = true)]
async fn oauth_calls_go_to_rest_api_with_the_token_in_the_header() {
    let server = Server::scripted(vec![created()]).await;
    for endpoint in ["/rest/", "/rest/api/"] {
        let client = ClientBuilder::oauth(server.url(endpoint), OAuthTokens::access_only("tok-1"))
            .allow_http_loopback(true)
            .rate_limit(RateLimit::unlimited())
            .build()
            .unwrap();
        client.call(task_add()).await.unwrap();
        let _ = client.call(SonetGroupUserGet::new(69)).await;
    }
    let requests = server.requests();
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    let (v3, v2) = ("/rest/api/tasks.task.add", "/rest/sonet_group.user.get");
    assert_eq!(paths, [v3, v2, v3, v2]);
    assert_eq!(requests[0].header("authorization"), Some("Bearer tok-1"));
    assert_eq!(
        requests[0].json(),
        json!({"fields": {"title": "Prepare a report"}}),
        "no auth in the body"
    );
}

#[tokio::test(start_paused = true)]
async fn only_rest_3_writes_carry_a_key() {
    let server = Server::scripted(vec![created()]).await;
    let client = server.client();
    let first = client.call(task_add()).await.unwrap();
    let second = client.call(task_add()).await.unwrap();
    client.call(TaskGet { id: 42 }).await.unwrap();
    client
        .call(LegacyAdd {
            title: "x".to_owned(),
        })
        .await
        .unwrap();
    let _ = client.call(SonetGroupUserGet::new(69)).await;
    client
        .call_raw_request(&RawRequest::new("tasks.task.add", json!({})).writes(true))
        .await
        .unwrap();
    let requests = server.requests();
    let keys: Vec<Option<&str>> = requests.iter().map(key_of).collect();
    let (one, two) = (keys[0].unwrap(), keys[1].unwrap());
    assert!(is_uuid_v4(one) && is_uuid_v4(two), "{one} {two}");
    assert_ne!(one, two, "one key per logical call");
    assert_eq!(keys[2..], [None, None, None, None]);
    assert_eq!(first.idempotency_key(), Some(one));
    assert_eq!(second.idempotency_key.as_deref(), Some(two));
    assert!(!first.replayed());
}

#[tokio::test(start_paused = true)]
async fn a_write_is_retried_with_the_same_key_after_an_ambiguous_failure() {
    for failure in [
        Reply::Close,
        Reply::Json(503, String::new()),
        Reply::Json(503, r#"{"error":"SOMETHING_NEW"}"#.to_owned()),
        Reply::error(500, "INTERNAL_SERVER_ERROR", "Internal server error"),
    ] {
        let server = Server::scripted(vec![failure.clone(), failure.clone(), created()]).await;
        let response = server.client().call(task_add()).await.unwrap();
        let requests = server.requests();
        assert_eq!(requests.len(), 3, "{failure:?}");
        let key = key_of(&requests[0]).unwrap();
        assert!(
            requests.iter().all(|r| key_of(r) == Some(key)),
            "{failure:?}"
        );
        assert!(requests.iter().all(|r| r.body == requests[0].body));
        assert_eq!(response.idempotency_key(), Some(key));
        assert_eq!(response.result, json!({"item": {"id": 42}}));
    }
}

#[tokio::test(start_paused = true)]
async fn a_rest_2_write_is_still_sent_once_after_an_ambiguous_failure() {
    for failure in [Reply::Close, Reply::Json(503, String::new())] {
        let server = Server::scripted(vec![failure.clone(), Reply::ok("1")]).await;
        let request = LegacyAdd {
            title: "x".to_owned(),
        };
        let error = server.client().call(request).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::OutcomeUnknown, "{failure:?}");
        assert_eq!(server.count(), 1);
    }
}

#[tokio::test(start_paused = true)]
async fn the_repeat_after_a_token_refresh_keeps_the_key() {
    let refreshes = Arc::new(AtomicUsize::new(0));
    let issued = refreshes.clone();
    let server = Server::start(move |request: &Recorded| {
        if request.path.starts_with("/oauth/token") {
            issued.fetch_add(1, Ordering::SeqCst);
            return Reply::Json(
                200,
                json!({"access_token": "access-1", "refresh_token": "refresh-1", "expires_in": 3600})
                    .to_string(),
            );
        }
        if request.header("authorization") == Some("Bearer access-1") {
            created()
        } else {
            Reply::error(401, "expired_token", "The access token provided has expired")
        }
    })
    .await;
    let client = ClientBuilder::oauth(
        server.url("/rest/"),
        OAuthTokens::new("access-0", "refresh-0"),
    )
    .oauth_app("app.123", "cl1entS3cret")
    .oauth_server(server.url("/oauth/token/"))
    .allow_http_loopback(true)
    .rate_limit(RateLimit::unlimited())
    .retry(fast_retries())
    .build()
    .unwrap();
    let response = client.call(task_add()).await.unwrap();
    assert_eq!(refreshes.load(Ordering::SeqCst), 1);
    let calls: Vec<Recorded> = server
        .requests()
        .into_iter()
        .filter(|r| r.path == "/rest/api/tasks.task.add")
        .collect();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].header("authorization"), Some("Bearer access-0"));
    assert_eq!(calls[1].header("authorization"), Some("Bearer access-1"));
    assert_eq!(
        calls[0].body, calls[1].body,
        "the same body for the same key"
    );
    let key = key_of(&calls[0]).unwrap();
    assert_eq!(key_of(&calls[1]), Some(key));
    assert_eq!(response.idempotency_key(), Some(key));
}

#[tokio::test(start_paused = true)]
async fn a_key_the_caller_gives_is_sent_on_every_attempt() {
    let server = Server::scripted(vec![Reply::Close, created()]).await;
    let response = server
        .client()
        .prepare(task_add())
        .idempotency_key("order-42/report #1")
        .await
        .unwrap();
    let requests = server.requests();
    let keys: Vec<Option<&str>> = requests.iter().map(key_of).collect();
    assert_eq!(keys, [Some("order-42/report #1"); 2]);
    assert_eq!(response.idempotency_key(), Some("order-42/report #1"));

    let server = Server::scripted(vec![created()]).await;
    let raw = RawRequest::new("tasks.task.add", json!({"fields": {}}))
        .rest_version(RestVersion::V3)
        .writes(true)
        .idempotency_key("raw-1");
    let response = server.client().call_raw_request(&raw).await.unwrap();
    let request = &server.requests()[0];
    assert_eq!(
        request.path,
        format!("/rest/api/1/{WEBHOOK_CODE}/tasks.task.add")
    );
    assert_eq!(key_of(request), Some("raw-1"));
    assert_eq!(response.idempotency_key(), Some("raw-1"));
}

#[tokio::test(start_paused = true)]
async fn an_invalid_key_fails_before_anything_is_sent() {
    let server = Server::scripted(vec![created()]).await;
    let client = server.client();
    for key in [
        String::new(),
        "k".repeat(256),
        "ключ".to_owned(),
        "a\r\nX: y".to_owned(),
        " a".to_owned(),
    ] {
        let error = client
            .prepare(task_add())
            .idempotency_key(key.clone())
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::Request(RequestError::InvalidIdempotencyKey { .. })
            ),
            "{key:?}: {error:?}"
        );
        assert_eq!(error.kind(), ErrorKind::Request);
        assert!(
            error.to_string().contains("1 to 255 printable ASCII"),
            "{error}"
        );
        let raw = RawRequest::new("tasks.task.add", json!({}))
            .rest_version(RestVersion::V3)
            .writes(true)
            .idempotency_key(key.clone());
        let error = client.call_raw_request(&raw).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Request, "{key:?}");
    }
    let error = client
        .prepare(SonetGroupUserGet::new(69))
        .idempotency_key("")
        .await
        .unwrap_err();
    assert_eq!(
        error.kind(),
        ErrorKind::Request,
        "checked whatever the method"
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_replayed_answer_says_so() {
    let body = format!(r#"{{"result":{{"item":{{"id":42}}}},"time":{TIME}}}"#);
    let raw = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nIdempotency-Key: k-1\r\nIdempotent-Replayed: true\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let server = Server::scripted(vec![Reply::Raw(raw.into_bytes())]).await;
    let response = server
        .client()
        .prepare(task_add())
        .idempotency_key("k-1")
        .await
        .unwrap();
    assert!(response.replayed());
    assert_eq!(response.idempotency_key(), Some("k-1"));
}

#[tokio::test(start_paused = true)]
async fn a_reused_key_is_final() {
    let server = Server::scripted(vec![
        v3_error(
            422,
            "BITRIX_REST_V3_EXCEPTION_IDEMPOTENCYKEYREUSEDEXCEPTION",
            "The key was already used",
            Value::Null,
        ),
        created(),
    ])
    .await;
    let error = server.client().call(task_add()).await.unwrap_err();
    let system = SystemError::try_from(error.into_method_error().unwrap()).unwrap();
    assert_eq!(system.code(), SystemErrorCode::RestV3IdempotencyKeyReused);
    assert_eq!(server.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn rest_3_errors_are_typed_with_their_validation_list() {
    let entries: Vec<Value> = (0..100)
        .map(|index| json!({"field": format!("f{index}"), "message": "x".repeat(10_000)}))
        .collect();
    let server = Server::scripted(vec![
        v3_error(
            400,
            "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION",
            "Error validating request object",
            json!([{"message": "Required field `id` is not specified", "field": "id"}]),
        ),
        v3_error(
            400,
            "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION",
            "Error validating request object",
            Value::Array(entries),
        ),
    ])
    .await;
    let client = server.client();
    let error = client.call(TaskGet { id: 0 }).await.unwrap_err();
    assert_eq!(server.count(), 1, "a validation error is final");
    let api = error.into_method_error().unwrap();
    assert_eq!(api.validation().len(), 1);
    assert_eq!(api.validation()[0].field(), "id");
    assert_eq!(
        api.validation()[0].message(),
        "Required field `id` is not specified"
    );
    let system = SystemError::try_from(api).unwrap();
    assert_eq!(system.code(), SystemErrorCode::RestV3Validation);
    assert_eq!(system.validation()[0].field(), "id");

    let error = client.call(TaskGet { id: 0 }).await.unwrap_err();
    let api = error.into_method_error().unwrap();
    assert_eq!(api.validation().len(), MAX_VIOLATIONS);
    assert!(
        api.validation()
            .iter()
            .all(|entry| entry.message().len() <= 1024)
    );
}

#[tokio::test(start_paused = true)]
async fn a_bulk_run_refuses_a_rest_3_raw_request_and_sends_the_others() {
    let server = Server::scripted(vec![Reply::ok(
        &json!({"result": {"c00": [1]}, "result_error": [], "result_total": [], "result_next": [], "result_time": []}).to_string(),
    )])
    .await;
    let requests = vec![
        RawRequest::new("sonet_group.user.get", json!({"ID": 69})),
        RawRequest::new("tasks.task.add", json!({}))
            .rest_version(RestVersion::V3)
            .writes(true),
    ];
    let outcomes = server.client().bulk(requests).collect_all().await;
    assert!(outcomes[0].is_ok(), "{:?}", outcomes[0]);
    let refused = outcomes[1].as_ref().unwrap_err();
    assert!(
        matches!(refused, Error::Request(RequestError::NotBatchable { method }) if method == "tasks.task.add"),
        "{refused:?}"
    );
    assert!(refused.to_string().contains("REST 3.0"), "{refused}");
    let sent = server.requests();
    assert_eq!(sent.len(), 1);
    assert!(
        !sent[0].text().contains("tasks.task.add"),
        "{}",
        sent[0].text()
    );
}
