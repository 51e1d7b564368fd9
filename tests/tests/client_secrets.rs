//! No secret ever reaches logs, error messages or `Debug` output.

mod client_support;
use client_support as support;

use std::time::Duration;

use bitrix24::secrecy::ExposeSecret;
use bitrix24::{
    ClientBuilder, OAuthTokens, RateLimit, RawRequest, RestVersion, SonetGroupUserGet,
    SonetGroupUserInvite,
};
use serde_json::json;
use support::rest_v3::{TaskGet, task_add, v3_error};
use support::{Captured, Recorded, Reply, Server, WEBHOOK_CODE, fast_retries};

const ACCESS: &str = "AcCeSsToKeN0";
const NEW_ACCESS: &str = "AcCeSsToKeN1";
const REFRESH: &str = "ReFrEsHtOkEn0";
const NEW_REFRESH: &str = "ReFrEsHtOkEn1";
const CLIENT_SECRET: &str = "ClIeNtSeCrEt";
const SECRETS: [&str; 6] = [
    WEBHOOK_CODE,
    ACCESS,
    NEW_ACCESS,
    REFRESH,
    NEW_REFRESH,
    CLIENT_SECRET,
];

fn assert_clean(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} shows {secret}:\n{text}");
    }
}

/// Echoes the request, with every secret it carried, as a buggy proxy might.
fn echo(request: &Recorded) -> String {
    format!("{} {:?} {}", request.path, request.headers, request.text())
}

#[tokio::test(flavor = "current_thread")]
async fn a_failing_scenario_leaks_no_secret() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(logs.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let mut shown = Vec::new();

    // A webhook whose portal fails in every way that echoes the request.
    let server = Server::start(|request: &Recorded| match request.path.rsplit('/').next().unwrap() {
        "sonet_group.user.get" => Reply::body(502, "text/html", echo(request).as_bytes()),
        "sonet_group.user.invite" => Reply::Raw(
            format!(
                "HTTP/1.1 302 Found\r\nLocation: https://moved.example/rest/1/{WEBHOOK_CODE}/x?auth={WEBHOOK_CODE}\r\nContent-Length: 0\r\n\r\n"
            )
            .into_bytes(),
        ),
        _ => Reply::error(500, "ERROR_CORE", &echo(request)),
    })
    .await;
    let builder = server.webhook();
    shown.push(format!("{builder:?}"));
    let client = builder.build().unwrap();
    shown.push(format!("{client:?}"));
    for error in [
        client
            .call(SonetGroupUserGet::new(69))
            .await
            .unwrap_err()
            .map_method(|e| e.to_string()),
        client
            .call(SonetGroupUserInvite::new(69, 1))
            .await
            .unwrap_err()
            .map_method(|e| e.to_string()),
        client
            .call_raw("other.method", serde_json::json!({}))
            .await
            .unwrap_err()
            .map_method(|e| e.to_string()),
    ] {
        shown.push(format!("{error} {error:?}"));
    }

    // An OAuth application whose token expires, refreshes, and then fails.
    let oauth = Server::start(|request: &Recorded| {
        if request.path.starts_with("/oauth/") {
            if request.text().contains(NEW_REFRESH) {
                return Reply::error(400, "invalid_grant", &echo(request));
            }
            return Reply::Json(
                200,
                serde_json::json!({"access_token": NEW_ACCESS, "refresh_token": NEW_REFRESH, "expires_in": 3600})
                    .to_string(),
            );
        }
        let token = request.header("authorization").unwrap_or_default();
        if token.contains(NEW_ACCESS) {
            Reply::body(503, "text/plain", echo(request).as_bytes())
        } else {
            Reply::error(401, "expired_token", "The access token provided has expired")
        }
    })
    .await;
    let builder = ClientBuilder::oauth(oauth.url("/rest/"), OAuthTokens::new(ACCESS, REFRESH))
        .oauth_app("app.1", CLIENT_SECRET)
        .oauth_server(oauth.url("/oauth/token/"))
        .token_store(EchoingStore)
        .allow_http_loopback(true)
        .rate_limit(RateLimit::unlimited())
        .retry(fast_retries().max_attempts(2));
    shown.push(format!("{builder:?}"));
    let client = builder.build().unwrap();
    shown.push(format!("{client:?}"));
    let error = client
        .call(SonetGroupUserInvite::new(69, 1))
        .await
        .unwrap_err();
    shown.push(format!("{error} {error:?}"));
    let error = client.call(SonetGroupUserGet::new(69)).await.unwrap_err();
    shown.push(format!("{error} {error:?}"));
    shown.push(format!("{:?}", OAuthTokens::new(ACCESS, REFRESH)));

    // The refresh after the OAuth server refuses, with the secrets echoed.
    let refusing = Server::start(|request: &Recorded| {
        if request.path.starts_with("/oauth/") {
            Reply::error(400, "invalid_grant", &echo(request))
        } else {
            Reply::error(
                401,
                "expired_token",
                "The access token provided has expired",
            )
        }
    })
    .await;
    let client = ClientBuilder::oauth(refusing.url("/rest/"), OAuthTokens::new(ACCESS, REFRESH))
        .oauth_app("app.1", CLIENT_SECRET)
        .oauth_server(refusing.url("/oauth/token/"))
        .allow_http_loopback(true)
        .build()
        .unwrap();
    let error = client.call(SonetGroupUserGet::new(69)).await.unwrap_err();
    assert_eq!(error.kind(), bitrix24::ErrorKind::Refresh);
    shown.push(format!("{error} {error:?}"));
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        shown.push(format!("{cause} {cause:?}"));
        source = cause.source();
    }

    shown.extend(rest_3_paths().await);

    tokio::time::sleep(Duration::from_millis(10)).await;
    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("bitrix24.call"),
        "the scenario logged nothing:\n{logs}"
    );
    assert!(
        logs.contains("sonet_group.user.invite") && logs.contains("status=502"),
        "{logs}"
    );
    assert!(
        logs.contains("tasks.task.add") && logs.contains("BITRIX_REST_V3_EXCEPTION_SOMETHING"),
        "the REST 3.0 calls were logged: {logs}"
    );
    assert!(
        logs.contains("could not save the new tokens") && logs.contains("cannot write ***"),
        "the store's failure, with the tokens it echoed masked:\n{logs}"
    );
    assert_clean("the logs", &logs);
    for text in &shown {
        assert_clean("an error or Debug output", text);
    }
    // The answers did carry the secrets: the masking did the work.
    assert!(shown.iter().any(|text| text.contains("***")));
}

/// A token store whose every save fails with an error that holds the new
/// tokens, which the client logs.
struct EchoingStore;

impl bitrix24::TokenStore for EchoingStore {
    fn save<'a>(&'a self, tokens: &'a OAuthTokens) -> bitrix24::TokenStoreFuture<'a, ()> {
        assert_clean("the store's Debug of the tokens", &format!("{tokens:?}"));
        let refresh = tokens
            .refresh_token()
            .map(|token| token.expose_secret().to_owned());
        let echoed = format!(
            "cannot write {} and {refresh:?}",
            tokens.access_token().expose_secret()
        );
        Box::pin(async move { Err(echoed.into()) })
    }
}

/// The REST 3.0 paths, webhook and OAuth (with a refresh on the way), against
/// a server that echoes every secret it received in the error's message and
/// validation entries: what each failure shows.
async fn rest_3_paths() -> Vec<String> {
    let mut shown = Vec::new();

    let server = Server::start(echo_error).await;
    let client = ClientBuilder::webhook(server.url(&format!("/rest/api/1/{WEBHOOK_CODE}/")))
        .allow_http_loopback(true)
        .rate_limit(RateLimit::unlimited())
        .retry(fast_retries())
        .build()
        .unwrap();
    shown.push(format!("{client:?} {}", client.portal()));
    let error = client.call(task_add()).await.unwrap_err();
    shown.push(format!("{error} {error:?}"));
    let error = client.call(TaskGet { id: 1 }).await.unwrap_err();
    if let Some(api) = error.method_error() {
        shown.extend(
            api.validation()
                .iter()
                .map(|entry| format!("{entry} {entry:?}")),
        );
    }
    shown.push(format!("{error} {error:?}"));

    // An OAuth application whose token is refreshed on the way.
    let server = Server::start(|request: &Recorded| {
        if request.path.starts_with("/oauth/token") {
            return Reply::Json(
                200,
                json!({"access_token": NEW_ACCESS, "refresh_token": NEW_REFRESH, "expires_in": 3600})
                    .to_string(),
            );
        }
        if request.header("authorization") == Some(&format!("Bearer {ACCESS}")) {
            Reply::error(401, "expired_token", &format!("The access token {ACCESS} has expired"))
        } else {
            echo_error(request)
        }
    })
    .await;
    let client = ClientBuilder::oauth(server.url("/rest/"), OAuthTokens::new(ACCESS, REFRESH))
        .oauth_app("app.123", CLIENT_SECRET)
        .oauth_server(server.url("/oauth/token/"))
        .allow_http_loopback(true)
        .rate_limit(RateLimit::unlimited())
        .retry(fast_retries())
        .build()
        .unwrap();
    let error = client.call(task_add()).await.unwrap_err();
    shown.push(format!("{error} {error:?} {client:?}"));
    let raw = RawRequest::new("tasks.task.add", json!({}))
        .rest_version(RestVersion::V3)
        .writes(true);
    let error = client.call_raw_request(&raw).await.unwrap_err();
    shown.push(format!("{error} {error:?}"));
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.path == "/rest/api/tasks.task.add")
    );
    shown
}

/// Echoes the request, with every secret it carried, in a REST 3.0 error
/// whose message and validation entries repeat it, as a buggy server might.
fn echo_error(request: &Recorded) -> Reply {
    let echo = format!("{} {:?} {}", request.path, request.headers, request.text());
    v3_error(
        500,
        "BITRIX_REST_V3_EXCEPTION_SOMETHING",
        &echo,
        json!([{"field": echo, "message": echo}]),
    )
}
