//! An OAuth client against the emulated portal and its token endpoint: an
//! expired access token is refreshed exactly once and the call goes through,
//! the token hook receives every new pair, the rotated refresh token is the
//! one used next time, 20 concurrent calls after an expiry share one refresh,
//! a known expiry is refreshed ahead of time, and refresh failures or missing
//! refresh tokens surface as errors instead of loops.

mod e2e_common;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use bitrix24::client::OAuthApp;
use bitrix24::error::{OAuthErrorCode, RefreshError};
use bitrix24::prelude::*;
use bitrix24::{
    Client, ClientBuilder, Error, ErrorKind, OAuthTokens, RateLimit, SonetGroupUserGetError,
    SystemErrorCode,
};
use bitrix24_emulator::{AuthKind, Emulator, OAuthCredentials, RunningEmulator};
use e2e_common::start;
use secrecy::ExposeSecret;
use tokio::task::JoinSet;

/// The token pairs the hook received: (access token, refresh token).
type Seen = Arc<Mutex<Vec<(String, String)>>>;

/// A portal whose limits never get in the way of these tests.
async fn portal() -> RunningEmulator {
    start(Emulator::builder().rate_limit(10_000, 10_000.0)).await
}

fn app(portal: &RunningEmulator) -> OAuthCredentials {
    portal
        .oauth()
        .expect("the demo seed installs an application")
}

/// An OAuth builder with the application's current tokens and credentials.
fn oauth_builder(portal: &RunningEmulator, tokens: OAuthTokens) -> ClientBuilder<OAuthApp> {
    let app = app(portal);
    ClientBuilder::oauth(app.client_endpoint.clone(), tokens)
        .oauth_app(app.client_id.clone(), app.client_secret.expose())
        .oauth_server(app.token_url.clone())
        .rate_limit(RateLimit::unlimited())
        .allow_http_loopback(true)
}

fn current_tokens(portal: &RunningEmulator) -> OAuthTokens {
    let app = app(portal);
    OAuthTokens::new(app.access_token.expose(), app.refresh_token.expose())
}

/// A refreshing OAuth client whose hook records every new pair.
fn oauth_client(portal: &RunningEmulator) -> (Client, Seen) {
    let seen: Seen = Arc::default();
    let sink = Arc::clone(&seen);
    let client = oauth_builder(portal, current_tokens(portal))
        .token_store(move |tokens: &OAuthTokens| {
            let refresh = tokens
                .refresh_token()
                .map(|token| token.expose_secret().to_owned())
                .unwrap_or_default();
            sink.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((tokens.access_token().expose_secret().to_owned(), refresh));
        })
        .build()
        .expect("valid OAuth settings");
    (client, seen)
}

fn seen_pairs(seen: &Seen) -> Vec<(String, String)> {
    seen.lock().unwrap_or_else(PoisonError::into_inner).clone()
}

/// The portal's newest pair as the hook should have seen it.
fn portal_pair(portal: &RunningEmulator) -> (String, String) {
    let app = app(portal);
    (
        app.access_token.expose().to_owned(),
        app.refresh_token.expose().to_owned(),
    )
}

/// How often the portal answered `expired_token`.
fn expired_answers(portal: &RunningEmulator) -> usize {
    portal
        .log()
        .iter()
        .filter(|entry| entry.error.as_deref() == Some("expired_token"))
        .count()
}

#[tokio::test]
async fn a_call_with_a_valid_token_needs_no_refresh() {
    let portal = portal().await;
    let (client, seen) = oauth_client(&portal);

    let groups = client
        .sonet_group_user_groups()
        .await
        .expect("the app calls as user 1");
    assert_eq!(groups.result.len(), 5, "the application acts as the admin");
    assert_eq!(portal.counters().refreshes, 0);
    assert!(seen_pairs(&seen).is_empty());
    let entry = &portal.log()[0];
    assert!(
        matches!(&entry.auth, AuthKind::OAuth { user: 1, .. }),
        "{entry:?}"
    );
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_and_the_call_succeeds() {
    let portal = portal().await;
    let (client, seen) = oauth_client(&portal);
    let old = portal_pair(&portal);

    portal.expire_access_tokens();
    let members = client
        .sonet_group_user_get(1)
        .await
        .expect("the call succeeds after a refresh");
    assert_eq!(members.result.len(), 4);

    assert_eq!(portal.counters().refreshes, 1);
    assert_eq!(
        expired_answers(&portal),
        1,
        "one refused attempt, then the retry"
    );
    assert_eq!(portal.counters().executed("sonet_group.user.get"), 1);
    let pairs = seen_pairs(&seen);
    assert_eq!(pairs.len(), 1, "the hook saw exactly one new pair");
    assert_eq!(
        pairs[0],
        portal_pair(&portal),
        "the hook got the portal's new pair"
    );
    assert_ne!(pairs[0].0, old.0);
    assert_ne!(pairs[0].1, old.1, "every refresh rotates the refresh token");

    // The new token keeps working without another refresh.
    client
        .sonet_group_user_groups()
        .await
        .expect("still authorized");
    assert_eq!(portal.counters().refreshes, 1);
    assert_eq!(expired_answers(&portal), 1);
}

#[tokio::test]
async fn the_rotated_refresh_token_is_used_for_the_next_refresh() {
    let portal = portal().await;
    let (client, seen) = oauth_client(&portal);

    for round in 1..=3 {
        portal.expire_access_tokens();
        client
            .sonet_group_user_groups()
            .await
            .unwrap_or_else(|error| panic!("round {round}: {error}"));
        assert_eq!(portal.counters().refreshes, round);
    }
    let pairs = seen_pairs(&seen);
    assert_eq!(pairs.len(), 3);
    assert_eq!(pairs[2], portal_pair(&portal));
    let failed_grants = portal
        .log()
        .iter()
        .filter(|entry| entry.method == "oauth/token" && entry.error.is_some())
        .count();
    assert_eq!(failed_grants, 0, "never an old refresh token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_calls_after_expiry_share_one_refresh() {
    let portal = portal().await;
    let (client, seen) = oauth_client(&portal);
    client
        .sonet_group_user_groups()
        .await
        .expect("warm-up call");

    portal.expire_access_tokens();
    let mut calls = JoinSet::new();
    for _ in 0..20 {
        let client = client.clone();
        calls.spawn(async move { client.sonet_group_user_get(1).await });
    }
    let mut succeeded = 0;
    while let Some(joined) = calls.join_next().await {
        let response = joined
            .expect("the task finishes")
            .expect("every call succeeds");
        assert_eq!(response.result.len(), 4);
        succeeded += 1;
    }

    assert_eq!(succeeded, 20);
    assert_eq!(
        portal.counters().refreshes,
        1,
        "one refresh for all callers"
    );
    assert_eq!(seen_pairs(&seen).len(), 1);
    assert_eq!(portal.counters().executed("sonet_group.user.get"), 20);
    let grants = portal
        .log()
        .iter()
        .filter(|entry| entry.method == "oauth/token")
        .count();
    assert_eq!(grants, 1, "the token endpoint was asked once");
}

#[tokio::test]
async fn a_known_expiry_is_refreshed_before_the_call() {
    let portal = portal().await;
    let seen: Seen = Arc::default();
    let sink = Arc::clone(&seen);
    // Expires within the default 60-second margin: refreshed before the first call.
    let tokens =
        current_tokens(&portal).with_expires_at(SystemTime::now() + Duration::from_secs(30));
    let client = oauth_builder(&portal, tokens)
        .token_store(move |tokens: &OAuthTokens| {
            sink.lock().unwrap_or_else(PoisonError::into_inner).push((
                tokens.access_token().expose_secret().to_owned(),
                String::new(),
            ));
        })
        .build()
        .expect("valid OAuth settings");

    client
        .sonet_group_user_groups()
        .await
        .expect("the call succeeds");
    assert_eq!(portal.counters().refreshes, 1);
    assert_eq!(
        expired_answers(&portal),
        0,
        "no call went out with the old token"
    );
    let log = portal.log();
    assert_eq!(
        log.iter().map(|e| e.method.as_str()).collect::<Vec<_>>(),
        ["oauth/token", "sonet_group.user.groups"]
    );
    assert_eq!(seen_pairs(&seen)[0].0, portal_pair(&portal).0);

    // The new token lives for an hour: no further refresh.
    client.sonet_group_user_groups().await.expect("second call");
    assert_eq!(portal.counters().refreshes, 1);
}

#[tokio::test]
async fn a_refused_refresh_is_a_refresh_error() {
    let portal = portal().await;
    let app = app(&portal);
    let client = ClientBuilder::oauth(app.client_endpoint.clone(), current_tokens(&portal))
        .oauth_app(app.client_id.clone(), "not the client secret")
        .oauth_server(app.token_url.clone())
        .allow_http_loopback(true)
        .build()
        .expect("valid OAuth settings");

    portal.expire_access_tokens();
    let error = client
        .sonet_group_user_get(1)
        .await
        .expect_err("cannot refresh");
    assert_eq!(error.kind(), ErrorKind::Refresh);
    match error {
        Error::Refresh(RefreshError::Refused { code, .. }) => {
            assert_eq!(code, OAuthErrorCode::InvalidClient);
        }
        other => panic!("expected a refused refresh, got {other:?}"),
    }
    assert_eq!(portal.counters().refreshes, 0);
    assert_eq!(portal.counters().executed("sonet_group.user.get"), 0);
    assert_eq!(
        expired_answers(&portal),
        1,
        "one attempt, one refresh attempt, no loop"
    );
}

#[tokio::test]
async fn an_expired_token_without_a_refresh_token_is_the_expired_token_error() {
    let portal = portal().await;
    let app = app(&portal);
    let client = ClientBuilder::oauth(
        app.client_endpoint.clone(),
        OAuthTokens::access_only(app.access_token.expose()),
    )
    .allow_http_loopback(true)
    .build()
    .expect("valid OAuth settings");

    client
        .sonet_group_user_groups()
        .await
        .expect("valid until expired");
    portal.expire_access_tokens();
    let error = client
        .sonet_group_user_get(1)
        .await
        .expect_err("cannot refresh");
    match error {
        Error::Method(SonetGroupUserGetError::System(system)) => {
            assert_eq!(system.code(), SystemErrorCode::ExpiredToken);
        }
        other => panic!("expected expired_token, got {other:?}"),
    }
    assert_eq!(portal.counters().refreshes, 0);
    assert_eq!(expired_answers(&portal), 1);
}
