//! Settings of one call and the caller's own HTTP client, against a scripted
//! portal: a per-call timeout and retry policy that override the client's,
//! and a `reqwest::Client` shared by two clients of two portals.

mod client_support;

use std::time::Duration;

use bitrix24::prelude::*;
use bitrix24::{ClientBuilder, ErrorKind, RateLimit, RetryPolicy, reqwest};
use client_support::{Reply, Server, fast_retries};

fn members() -> Reply {
    Reply::ok(r#"[{"USER_ID":"1","ROLE":"A"}]"#)
}

fn refused() -> Reply {
    Reply::error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests")
}

#[tokio::test]
async fn a_call_timeout_overrides_the_clients_request_timeout() {
    let server = Server::scripted(vec![
        Reply::Delay(Duration::from_secs(30), Box::new(members())),
        Reply::Delay(Duration::from_millis(200), Box::new(members())),
    ])
    .await;
    let client = server
        .webhook()
        .request_timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let error = client
        .sonet_group_user_get(1)
        .call_timeout(Duration::from_millis(50))
        .retry_policy(RetryPolicy::default().max_attempts(1))
        .await
        .expect_err("the answer takes 30 s");
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "it did not wait 30 s"
    );
    // The next call has the client's own timeout again, and waits for 200 ms.
    client
        .sonet_group_user_get(1)
        .await
        .expect("within the client's timeout");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_calls_retry_policy_overrides_the_clients() {
    let server =
        Server::scripted(vec![refused(), refused(), refused(), members(), refused()]).await;
    let client = server
        .webhook()
        .retry(RetryPolicy::default().max_attempts(1))
        .build()
        .unwrap();
    let answer = client
        .sonet_group_user_get(1)
        .retry_policy(fast_retries())
        .await
        .expect("the fourth attempt succeeds");
    assert_eq!(answer.result.len(), 1);
    assert_eq!(server.count(), 4);
    let error = client
        .sonet_group_user_get(1)
        .await
        .expect_err("one attempt only");
    assert_eq!(error.kind(), ErrorKind::Method);
    assert_eq!(server.count(), 5);
}

#[tokio::test]
async fn one_http_client_serves_clients_of_several_portals() {
    let (first, second) = (
        Server::start(|_| members()).await,
        Server::start(|_| members()).await,
    );
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-pool",
        reqwest::header::HeaderValue::from_static("shared"),
    );
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let build = |server: &Server| {
        ClientBuilder::webhook(server.webhook_url())
            .allow_http_loopback(true)
            .rate_limit(RateLimit::unlimited())
            .user_agent("sync-job/2")
            .http_client(http.clone())
            .build()
            .unwrap()
    };
    let (one, two) = (build(&first), build(&second));
    one.sonet_group_user_get(1).await.unwrap();
    two.sonet_group_user_get(1).await.unwrap();
    for server in [&first, &second] {
        let request = &server.requests()[0];
        assert_eq!(
            request.header("x-pool"),
            Some("shared"),
            "the caller's client sent it"
        );
        let agent = request.header("user-agent").unwrap_or_default();
        assert!(
            agent.starts_with("bitrix24-rs/") && agent.ends_with(" sync-job/2"),
            "{agent}"
        );
    }
}
