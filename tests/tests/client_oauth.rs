//! OAuth: bearer tokens, refresh on expiry, single flight, the hook, failures.

mod client_support;
use client_support as support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bitrix24::client::OAuthApp;
use bitrix24::error::{OAuthErrorCode, RefreshError};
use bitrix24::{
    ClientBuilder, ErrorKind, OAuthTokens, RateLimit, SonetGroupUserGet, SonetGroupUserInvite,
};
use secrecy::ExposeSecret;
use support::{Recorded, Reply, Server, fast_retries};

const CLIENT_SECRET: &str = "cl1entS3cret";

/// The portal's answer to an expired access token.
fn expired_token() -> Reply {
    Reply::error(
        401,
        "expired_token",
        "The access token provided has expired",
    )
}

fn token_answer(generation: usize) -> Reply {
    Reply::Json(
        200,
        serde_json::json!({
            "access_token": format!("access-{generation}"),
            "refresh_token": format!("refresh-{generation}"),
            "expires_in": 3600,
            "client_endpoint": "https://portal.example/rest/",
            "domain": "oauth.bitrix.info",
            "member_id": "a223c6b3710f85df22e9377d6c4f7553",
            "scope": "sonet_group",
            "status": "F",
            "user_id": 67,
        })
        .to_string(),
    )
}

/// A portal that accepts only the newest access token, and an OAuth server
/// that issues a new pair per refresh.
async fn portal_and_oauth_server() -> (Server, Arc<AtomicUsize>) {
    let refreshes = Arc::new(AtomicUsize::new(0));
    let issued = refreshes.clone();
    let server = Server::start(move |request: &Recorded| {
        if request.path.starts_with("/oauth/token") {
            let generation = issued.fetch_add(1, Ordering::SeqCst) + 1;
            return Reply::Delay(
                Duration::from_millis(50),
                Box::new(token_answer(generation)),
            );
        }
        let current = format!("Bearer access-{}", issued.load(Ordering::SeqCst));
        if request.header("authorization") == Some(current.as_str()) {
            Reply::ok("[]")
        } else {
            expired_token()
        }
    })
    .await;
    (server, refreshes)
}

fn oauth_client(
    server: &Server,
    hook: impl Fn(&OAuthTokens) + Send + Sync + 'static,
) -> ClientBuilder<OAuthApp> {
    ClientBuilder::oauth(
        server.url("/rest/"),
        OAuthTokens::new("access-0", "refresh-0"),
    )
    .oauth_app("app.123", CLIENT_SECRET)
    .oauth_server(server.url("/oauth/token/"))
    .token_store(hook)
    .allow_http_loopback(true)
    .rate_limit(RateLimit::unlimited())
    .retry(fast_retries())
}

#[tokio::test]
async fn sends_the_access_token_as_a_bearer_header() {
    let (server, _) = portal_and_oauth_server().await;
    // The portal accepts "access-0" until the first refresh.
    let client = oauth_client(&server, |_| {}).build().unwrap();
    client.call(SonetGroupUserGet::new(69)).await.unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.path, "/rest/sonet_group.user.get");
    assert_eq!(request.header("authorization"), Some("Bearer access-0"));
    assert_eq!(
        request.json(),
        serde_json::json!({"ID": 69}),
        "no auth in the body"
    );
}

#[tokio::test]
async fn twenty_concurrent_expired_calls_refresh_exactly_once() {
    let (oauth_server, refreshes) = portal_and_oauth_server().await;
    // This portal has already retired "access-0": only "access-1" works.
    let expired = Arc::new(AtomicUsize::new(0));
    let portal = Server::start({
        let expired = expired.clone();
        move |request: &Recorded| {
            if request.header("authorization") == Some("Bearer access-1") {
                Reply::ok("[]")
            } else {
                expired.fetch_add(1, Ordering::SeqCst);
                expired_token()
            }
        }
    })
    .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let client = ClientBuilder::oauth(
        portal.url("/rest/"),
        OAuthTokens::new("access-0", "refresh-0"),
    )
    .oauth_app("app.123", CLIENT_SECRET)
    .oauth_server(oauth_server.url("/oauth/token/"))
    .token_store({
        let seen = seen.clone();
        move |tokens: &OAuthTokens| {
            seen.lock().unwrap().push((
                tokens.access_token().expose_secret().to_owned(),
                tokens.refresh_token().unwrap().expose_secret().to_owned(),
                tokens.expires_at().is_some(),
            ));
        }
    })
    .allow_http_loopback(true)
    .rate_limit(RateLimit::unlimited())
    .retry(fast_retries())
    .build()
    .unwrap();
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.call(SonetGroupUserGet::new(69)).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(refreshes.load(Ordering::SeqCst), 1, "exactly one refresh");
    assert_eq!(
        *seen.lock().unwrap(),
        [("access-1".to_owned(), "refresh-1".to_owned(), true)]
    );
    assert!(expired.load(Ordering::SeqCst) >= 1);
    let refresh_requests: Vec<Recorded> = oauth_server
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/oauth/"))
        .collect();
    assert_eq!(refresh_requests.len(), 1);
    let refresh = &refresh_requests[0];
    assert_eq!(refresh.method, "POST");
    assert_eq!(refresh.path, "/oauth/token/", "no secrets in the URL");
    assert_eq!(
        refresh.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let form: Vec<(String, String)> = form_urlencoded::parse(&refresh.body).into_owned().collect();
    assert_eq!(
        form,
        [
            ("grant_type".to_owned(), "refresh_token".to_owned()),
            ("client_id".to_owned(), "app.123".to_owned()),
            ("client_secret".to_owned(), CLIENT_SECRET.to_owned()),
            ("refresh_token".to_owned(), "refresh-0".to_owned()),
        ]
    );
    // The portal never sees the client secret or the refresh token.
    for request in portal.requests() {
        let everything = format!("{request:?}");
        assert!(!everything.contains(CLIENT_SECRET) && !everything.contains("refresh-0"));
    }
}

#[tokio::test]
async fn the_new_pair_is_used_and_the_next_refresh_uses_the_new_refresh_token() {
    let (server, refreshes) = portal_and_oauth_server().await;
    let client = oauth_client(&server, |_| {}).build().unwrap();
    client.call(SonetGroupUserGet::new(69)).await.unwrap();
    // The portal now wants access-1.
    refreshes.store(1, Ordering::SeqCst);
    client.call(SonetGroupUserGet::new(69)).await.unwrap();
    assert_eq!(refreshes.load(Ordering::SeqCst), 2);
    refreshes.store(3, Ordering::SeqCst);
    client.call(SonetGroupUserGet::new(69)).await.unwrap();
    let forms: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/oauth/"))
        .map(|r| r.text())
        .collect();
    assert!(
        forms[0].ends_with("refresh_token=refresh-0"),
        "{}",
        forms[0]
    );
    assert!(
        forms[1].ends_with("refresh_token=refresh-2"),
        "{}",
        forms[1]
    );
}

#[tokio::test]
async fn an_expired_invite_is_refreshed_and_sent_again() {
    let (server, refreshes) = portal_and_oauth_server().await;
    refreshes.store(0, Ordering::SeqCst);
    let portal = Server::scripted(vec![expired_token(), Reply::ok(r#"["1"]"#)]).await;
    let client = ClientBuilder::oauth(
        portal.url("/rest/"),
        OAuthTokens::new("access-0", "refresh-0"),
    )
    .oauth_app("app.123", CLIENT_SECRET)
    .oauth_server(server.url("/oauth/token/"))
    .allow_http_loopback(true)
    .rate_limit(RateLimit::unlimited())
    .build()
    .unwrap();
    client.call(SonetGroupUserInvite::new(69, 1)).await.unwrap();
    let sent = portal.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].header("authorization"), Some("Bearer access-1"));
}

#[tokio::test]
async fn a_refused_refresh_is_a_typed_error_shared_by_waiting_calls() {
    let server = Server::start(|request: &Recorded| {
        if request.path.starts_with("/oauth/") {
            Reply::Delay(
                Duration::from_millis(50),
                Box::new(Reply::error(
                    400,
                    "invalid_grant",
                    "The refresh token is invalid",
                )),
            )
        } else {
            expired_token()
        }
    })
    .await;
    let client = oauth_client(&server, |_| panic!("no new tokens"))
        .build()
        .unwrap();
    let calls: Vec<_> = (0..5)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.call(SonetGroupUserGet::new(69)).await })
        })
        .collect();
    for call in calls {
        let error = call.await.unwrap().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Refresh);
        let bitrix24::Error::Refresh(RefreshError::Refused { code, .. }) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(*code, OAuthErrorCode::InvalidGrant);
    }
    let refreshes = server
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/oauth/"))
        .count();
    assert_eq!(refreshes, 1);
}

#[tokio::test]
async fn a_token_near_its_expiry_is_refreshed_before_the_call() {
    let (server, _) = portal_and_oauth_server().await;
    let tokens = OAuthTokens::new("access-0", "refresh-0")
        .with_expires_at(SystemTime::now() + Duration::from_secs(30));
    let client = ClientBuilder::oauth(server.url("/rest/"), tokens)
        .oauth_app("app.123", CLIENT_SECRET)
        .oauth_server(server.url("/oauth/token/"))
        .allow_http_loopback(true)
        .rate_limit(RateLimit::unlimited())
        .build()
        .unwrap();
    client.call(SonetGroupUserGet::new(69)).await.unwrap();
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/oauth/token/", "/rest/sonet_group.user.get"]);
}

#[tokio::test]
async fn without_app_credentials_an_expired_token_is_final() {
    let server = Server::scripted(vec![expired_token()]).await;
    let client = ClientBuilder::oauth(server.url("/rest/"), OAuthTokens::access_only("access-0"))
        .allow_http_loopback(true)
        .build()
        .unwrap();
    let error = client.call(SonetGroupUserGet::new(69)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Method);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn the_oauth_server_must_use_https_unless_loopback_is_allowed() {
    let error = ClientBuilder::oauth("https://portal.example/rest/", OAuthTokens::new("a", "r"))
        .oauth_app("app", "secret")
        .oauth_server("http://oauth.example/oauth/token/")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("https"), "{error}");
    let error = ClientBuilder::oauth("http://portal.example/rest/", OAuthTokens::new("a", "r"))
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("https"), "{error}");
}

/// An OAuth server whose token answers carry `lifetime` (`expires_in` or
/// `expires`), in front of a portal that wants the refreshed token.
async fn oauth_server_answering(lifetime: serde_json::Value) -> Server {
    Server::start(move |request: &Recorded| {
        if request.path.starts_with("/oauth/token") {
            let mut answer = serde_json::json!({
                "access_token": "access-1",
                "refresh_token": "refresh-1",
            });
            for (key, value) in lifetime.as_object().expect("an object") {
                answer[key] = value.clone();
            }
            return Reply::Json(200, answer.to_string());
        }
        if request.header("authorization") == Some("Bearer access-1") {
            Reply::ok("[]")
        } else {
            expired_token()
        }
    })
    .await
}

#[tokio::test]
async fn a_token_lifetime_beyond_any_clock_is_not_a_panic() {
    for lifetime in [
        serde_json::json!({"expires_in": i64::MAX}),
        serde_json::json!({"expires_in": "9223372036854775807"}),
        serde_json::json!({"expires": i64::MAX}),
    ] {
        let server = oauth_server_answering(lifetime.clone()).await;
        let stored = Arc::new(Mutex::new(None));
        let client = oauth_client(&server, {
            let stored = stored.clone();
            move |tokens: &OAuthTokens| *stored.lock().unwrap() = tokens.expires_at()
        })
        .build()
        .unwrap();
        client
            .call(SonetGroupUserGet::new(69))
            .await
            .unwrap_or_else(|error| panic!("{lifetime}: {error}"));
        // The refreshed token is believed for a year at most.
        let expires_at = stored.lock().unwrap().expect("an expiry");
        let year = Duration::from_secs(367 * 24 * 3600);
        assert!(
            expires_at < SystemTime::now() + year,
            "{lifetime}: {expires_at:?}"
        );
        // And the next call uses it without another refresh.
        client.call(SonetGroupUserGet::new(69)).await.unwrap();
    }
}

/// A store that records what it saves, fails the saves it is told to, and
/// can hold a save until released.
#[derive(Default)]
struct RecordingStore {
    saved: Mutex<Vec<String>>,
    failures_left: AtomicUsize,
    gate: Option<Arc<tokio::sync::Semaphore>>,
}

/// The client's handle of a [`RecordingStore`] the test also reads.
struct Shared(Arc<RecordingStore>);

impl bitrix24::TokenStore for Shared {
    fn save<'a>(&'a self, tokens: &'a OAuthTokens) -> bitrix24::TokenStoreFuture<'a, ()> {
        let store = &self.0;
        Box::pin(async move {
            if let Some(gate) = &store.gate {
                let _pass = gate.acquire().await?;
            }
            if store
                .failures_left
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                    left.checked_sub(1)
                })
                .is_ok()
            {
                return Err(format!(
                    "disk full while writing {}",
                    tokens.access_token().expose_secret()
                )
                .into());
            }
            let access = tokens.access_token().expose_secret().to_owned();
            store.saved.lock().unwrap().push(access);
            Ok(())
        })
    }
}

/// Tokens the client knows to have expired, so the first call refreshes them.
fn expired_tokens() -> OAuthTokens {
    OAuthTokens::new("access-0", "refresh-0")
        .with_expires_at(SystemTime::now() - Duration::from_secs(1))
}

fn store_client(server: &Server, store: Arc<RecordingStore>) -> bitrix24::Client {
    ClientBuilder::oauth(server.url("/rest/"), expired_tokens())
        .oauth_app("app.123", CLIENT_SECRET)
        .oauth_server(server.url("/oauth/token/"))
        .token_store(Shared(store))
        .allow_http_loopback(true)
        .rate_limit(RateLimit::unlimited())
        .retry(fast_retries())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_slow_store_holds_up_only_the_call_that_refreshed() {
    let (server, refreshes) = portal_and_oauth_server().await;
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let store = Arc::new(RecordingStore {
        gate: Some(gate.clone()),
        ..RecordingStore::default()
    });
    let client = store_client(&server, store.clone());
    let calls: Vec<_> = (0..5)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.call(SonetGroupUserGet::new(69)).await })
        })
        .collect();
    // Four calls finish with the new token while the store still holds its save.
    let mut finished = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while finished < 4 && tokio::time::Instant::now() < deadline {
        finished = calls.iter().filter(|call| call.is_finished()).count();
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(finished, 4, "the waiting calls did not wait for the store");
    assert!(store.saved.lock().unwrap().is_empty());
    gate.add_permits(1);
    for call in calls {
        call.await.unwrap().expect("every call succeeds");
    }
    assert_eq!(refreshes.load(Ordering::SeqCst), 1);
    assert_eq!(*store.saved.lock().unwrap(), ["access-1"]);
    let current = client.tokens().expect("an OAuth client has tokens");
    assert_eq!(current.access_token().expose_secret(), "access-1");
    assert_eq!(
        current.refresh_token().unwrap().expose_secret(),
        "refresh-1"
    );
}

#[tokio::test]
async fn a_failed_save_is_tried_again_at_the_next_call() {
    let (server, _) = portal_and_oauth_server().await;
    let store = Arc::new(RecordingStore {
        failures_left: AtomicUsize::new(1),
        ..RecordingStore::default()
    });
    let client = store_client(&server, store.clone());
    client
        .call(SonetGroupUserGet::new(69))
        .await
        .expect("the call itself succeeds");
    assert!(
        store.saved.lock().unwrap().is_empty(),
        "the first save failed"
    );
    client.call(SonetGroupUserGet::new(69)).await.unwrap();
    assert_eq!(
        *store.saved.lock().unwrap(),
        ["access-1"],
        "saved at the next call"
    );
    client.call(SonetGroupUserGet::new(69)).await.unwrap();
    assert_eq!(store.saved.lock().unwrap().len(), 1, "and only once");
}

#[tokio::test]
async fn a_client_from_an_empty_store_is_an_error() {
    let store = Arc::new(RecordingStore::default());
    let error = ClientBuilder::oauth_from_store("https://portal.example/rest/", Shared(store))
        .await
        .expect_err("nothing to load");
    assert_eq!(error.to_string(), "the token store holds no tokens");
    let webhook = ClientBuilder::webhook("https://portal.example/rest/1/code/")
        .build()
        .unwrap();
    assert!(webhook.tokens().is_none());
}

/// A portal that accepts only `access-new`, and an OAuth server that gives
/// `answer` to the first refresh and a whole pair after that.
async fn half_valid_server(answer: serde_json::Value) -> Server {
    let first = Arc::new(AtomicUsize::new(0));
    Server::start(move |request: &Recorded| {
        if request.path.starts_with("/oauth/token") {
            if first.fetch_add(1, Ordering::SeqCst) == 0 {
                return Reply::Json(200, answer.to_string());
            }
            return Reply::Json(
                200,
                serde_json::json!({"access_token": "access-new", "refresh_token": "refresh-newer", "expires_in": 3600})
                    .to_string(),
            );
        }
        if request.header("authorization") == Some("Bearer access-new") {
            Reply::ok("[]")
        } else {
            expired_token()
        }
    })
    .await
}

/// A client whose first refresh gets `answer`, after its first call.
async fn after_a_half_valid_answer(
    answer: serde_json::Value,
) -> (Server, Arc<RecordingStore>, bitrix24::Client) {
    let server = half_valid_server(answer).await;
    let store = Arc::new(RecordingStore::default());
    let client = store_client(&server, store.clone());
    client
        .call(SonetGroupUserGet::new(69))
        .await
        .expect("the tokens the answer held, or the next refresh's, work");
    (server, store, client)
}

#[tokio::test]
async fn a_token_answer_with_an_unreadable_lifetime_keeps_and_saves_its_tokens() {
    let (_, store, client) = after_a_half_valid_answer(
        serde_json::json!({"access_token": "access-new", "refresh_token": "refresh-new", "expires_in": "soon"}),
    )
    .await;
    assert_eq!(*store.saved.lock().unwrap(), ["access-new"]);
    let tokens = client.tokens().unwrap();
    assert_eq!(
        tokens.refresh_token().unwrap().expose_secret(),
        "refresh-new"
    );
    assert_eq!(tokens.expires_at(), None, "the lifetime is unknown");
}

#[tokio::test]
async fn a_token_answer_without_a_refresh_token_keeps_the_access_token() {
    let (_, store, client) = after_a_half_valid_answer(
        serde_json::json!({"access_token": "access-new", "expires_in": 3600}),
    )
    .await;
    assert_eq!(
        *store.saved.lock().unwrap(),
        ["access-new"],
        "saved, though it cannot be renewed"
    );
    assert!(client.tokens().unwrap().refresh_token().is_none());
}

#[tokio::test]
async fn a_token_answer_without_an_access_token_keeps_the_refresh_token_for_the_next_try() {
    let (server, _, client) = after_a_half_valid_answer(
        serde_json::json!({"refresh_token": "refresh-new", "expires_in": 3600}),
    )
    .await;
    let refreshes: Vec<String> = server
        .requests()
        .iter()
        .filter(|request| request.path.starts_with("/oauth/token"))
        .map(Recorded::text)
        .collect();
    assert_eq!(refreshes.len(), 2);
    assert!(
        refreshes[1].contains("refresh_token=refresh-new"),
        "{}",
        refreshes[1]
    );
    assert_eq!(
        client
            .tokens()
            .unwrap()
            .refresh_token()
            .unwrap()
            .expose_secret(),
        "refresh-newer"
    );
}

#[tokio::test]
async fn a_token_answer_without_tokens_is_an_error_that_quotes_nothing() {
    for answer in [
        r#"{"expires_in":3600}"#,
        r#"{"access_token":"access-new","refresh_token""#,
        r#"["access-new"]"#,
    ] {
        let server = Server::start(move |request: &Recorded| {
            if request.path.starts_with("/oauth/token") {
                Reply::Json(200, answer.to_owned())
            } else {
                expired_token()
            }
        })
        .await;
        let client = store_client(&server, Arc::new(RecordingStore::default()));
        let error = client.call(SonetGroupUserGet::new(69)).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Refresh, "{answer}: {error:?}");
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("access-new"), "{shown}");
        assert!(shown.contains("the token answer"), "{shown}");
    }
}

#[tokio::test]
async fn an_oauth_error_code_that_echoes_the_client_secret_is_masked() {
    let server = Server::start(|request: &Recorded| {
        if request.path.starts_with("/oauth/token") {
            Reply::Json(
                400,
                serde_json::json!({"error": format!("bad_{CLIENT_SECRET}"), "error_description": format!("refresh-0 {CLIENT_SECRET}")})
                    .to_string(),
            )
        } else {
            expired_token()
        }
    })
    .await;
    let client = store_client(&server, Arc::new(RecordingStore::default()));
    let error = client.call(SonetGroupUserGet::new(69)).await.unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(
        matches!(
            error,
            bitrix24::Error::Refresh(RefreshError::Refused { .. })
        ),
        "{shown}"
    );
    assert!(
        !shown.contains(CLIENT_SECRET) && !shown.contains("refresh-0"),
        "{shown}"
    );
    assert!(shown.contains("bad_***"), "{shown}");
}
