//! What is retried, how often, and what is not.

mod client_support;
use client_support as support;

use std::time::Duration;

use bitrix24::error::{OutcomeCause, TransportErrorKind};
use bitrix24::{
    ErrorKind, OperatingLimit, RetryPolicy, SonetGroupUserGet, SonetGroupUserGetError,
    SonetGroupUserInvite, SonetGroupUserInviteError, SystemErrorCode,
};
use support::{Reply, Server, TIME, fast_retries};
use tokio::time::Instant;

fn html_502() -> Reply {
    Reply::body(
        502,
        "text/html",
        b"<html><body><h1>502 Bad Gateway</h1></body></html>",
    )
}

#[tokio::test(start_paused = true)]
async fn invite_with_a_codeless_500_is_sent_once_and_reports_an_unknown_outcome() {
    for reply in [
        Reply::Json(500, String::new()),
        html_502(),
        Reply::error(500, "INTERNAL_SERVER_ERROR", "Internal server error"),
        Reply::error(
            500,
            "ERROR_UNEXPECTED_ANSWER",
            "Server returned an unexpected response",
        ),
        Reply::error(500, "ERROR_CORE", "SQL query error!"),
        Reply::Close,
    ] {
        let server = Server::scripted(vec![reply.clone(), Reply::ok(r#"["1271"]"#)]).await;
        let error = server
            .client()
            .call(SonetGroupUserInvite::new(69, 1271))
            .await
            .unwrap_err();
        assert_eq!(
            error.kind(),
            ErrorKind::OutcomeUnknown,
            "{reply:?}: {error:?}"
        );
        assert_eq!(server.count(), 1, "{reply:?}");
        let message = error.to_string();
        assert!(
            message.contains("may or may not have taken effect"),
            "{message}"
        );
        assert!(message.contains("sonet_group.user.invite"), "{message}");
    }
}

#[tokio::test(start_paused = true)]
async fn get_with_a_codeless_500_is_retried_until_it_succeeds() {
    let server = Server::scripted(vec![
        Reply::Json(500, String::new()),
        html_502(),
        Reply::error(500, "INTERNAL_SERVER_ERROR", "Internal server error"),
        Reply::ok("[]"),
    ])
    .await;
    let response = server
        .client()
        .call(SonetGroupUserGet::new(69))
        .await
        .unwrap();
    assert!(response.result.is_empty());
    assert_eq!(server.count(), 4);
}

#[tokio::test(start_paused = true)]
async fn get_after_a_dropped_connection_is_retried() {
    let server = Server::scripted(vec![Reply::Close, Reply::ok("[]")]).await;
    server
        .client()
        .call(SonetGroupUserGet::new(69))
        .await
        .unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test(start_paused = true)]
async fn query_limit_exceeded_is_retried_even_for_invite() {
    let server = Server::scripted(vec![
        Reply::error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests"),
        Reply::error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests"),
        Reply::ok(r#"["1271"]"#),
    ])
    .await;
    let response = server
        .client()
        .call(SonetGroupUserInvite::new(69, 1271))
        .await
        .unwrap();
    assert_eq!(response.result.len(), 1);
    assert_eq!(server.count(), 3);
}

#[tokio::test(start_paused = true)]
async fn connection_errors_to_the_portal_are_retried_even_for_invite() {
    let server = Server::scripted(vec![
        Reply::error(
            401,
            "CONNECTION_ERROR",
            "Error connecting to authorization server",
        ),
        Reply::ok(r#"["1271"]"#),
    ])
    .await;
    server
        .client()
        .call(SonetGroupUserInvite::new(69, 1271))
        .await
        .unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test(start_paused = true)]
async fn method_errors_are_never_retried() {
    let server = Server::scripted(vec![
        Reply::error(400, "", "Socialnetwork group not found"),
        Reply::ok("[]"),
    ])
    .await;
    let error = server
        .client()
        .call(SonetGroupUserGet::new(69))
        .await
        .unwrap_err();
    assert!(matches!(
        error.method_error(),
        Some(SonetGroupUserGetError::GroupNotFound)
    ));
    assert_eq!(server.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn attempts_stop_at_the_maximum_with_the_last_error() {
    let server = Server::scripted(vec![Reply::error(
        503,
        "QUERY_LIMIT_EXCEEDED",
        "Too many requests",
    )])
    .await;
    let client = server
        .webhook()
        .retry(fast_retries().max_attempts(3))
        .build()
        .unwrap();
    let error = client
        .call(SonetGroupUserInvite::new(69, 1))
        .await
        .unwrap_err();
    let Some(SonetGroupUserInviteError::System(system)) = error.method_error() else {
        panic!("{error:?}")
    };
    assert_eq!(system.code(), SystemErrorCode::QueryLimitExceeded);
    assert_eq!(server.count(), 3);

    let server = Server::scripted(vec![html_502()]).await;
    let client = server
        .webhook()
        .retry(fast_retries().max_attempts(2))
        .build()
        .unwrap();
    let error = client.call(SonetGroupUserGet::new(69)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(server.count(), 2);

    let server = Server::scripted(vec![html_502()]).await;
    let client = server
        .webhook()
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    client.call(SonetGroupUserGet::new(69)).await.unwrap_err();
    assert_eq!(server.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn backoff_grows_between_attempts() {
    let server = Server::scripted(vec![Reply::error(
        503,
        "QUERY_LIMIT_EXCEEDED",
        "Too many requests",
    )])
    .await;
    let policy = RetryPolicy::default()
        .max_attempts(4)
        .backoff(Duration::from_millis(40), Duration::from_secs(1));
    let client = server.webhook().retry(policy).build().unwrap();
    client.call(SonetGroupUserGet::new(69)).await.unwrap_err();
    let at: Vec<Instant> = server.requests().iter().map(|r| r.at).collect();
    let gaps: Vec<Duration> = at.windows(2).map(|pair| pair[1] - pair[0]).collect();
    // Backoff n waits between half and all of 40 ms × 2^(n−1).
    for (index, gap) in gaps.iter().enumerate() {
        let full = Duration::from_millis(40 << index);
        assert!(*gap >= full / 2, "gap {index}: {gap:?}");
        assert!(
            *gap < full + Duration::from_millis(200),
            "gap {index}: {gap:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn the_deadline_stops_retries_and_cuts_off_a_slow_request() {
    let server = Server::scripted(vec![Reply::error(
        503,
        "QUERY_LIMIT_EXCEEDED",
        "Too many requests",
    )])
    .await;
    let policy = RetryPolicy::default()
        .max_attempts(100)
        .backoff(Duration::from_millis(100), Duration::from_millis(100))
        .deadline(Some(Duration::from_millis(300)));
    let client = server.webhook().retry(policy).build().unwrap();
    let started = Instant::now();
    let error = client.call(SonetGroupUserGet::new(69)).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    // Usually the next backoff would pass the deadline and the last answer is
    // reported; on a loaded machine the deadline may cut a request instead.
    assert!(
        matches!(
            error.kind(),
            ErrorKind::Method | ErrorKind::DeadlineExceeded
        ),
        "{error:?}"
    );
    assert!((2..=6).contains(&server.count()), "{}", server.count());

    let server = Server::scripted(vec![Reply::Delay(
        Duration::from_secs(5),
        Box::new(Reply::ok("[]")),
    )])
    .await;
    let policy = RetryPolicy::default().deadline(Some(Duration::from_millis(200)));
    let client = server.webhook().retry(policy).build().unwrap();
    let started = Instant::now();
    let error = client
        .call(SonetGroupUserInvite::new(69, 1))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    let bitrix24::Error::DeadlineExceeded(deadline) = &error else {
        panic!("{error:?}")
    };
    assert!(deadline.in_flight());
    assert!(
        error
            .to_string()
            .contains("may or may not have taken effect"),
        "{error}"
    );
}

#[tokio::test(start_paused = true)]
async fn timeouts_are_retried_for_get_and_unknown_for_invite() {
    let slow = Reply::Delay(Duration::from_secs(5), Box::new(Reply::ok("[]")));
    let server = Server::scripted(vec![slow.clone(), Reply::ok("[]")]).await;
    let client = server
        .webhook()
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    client.call(SonetGroupUserGet::new(69)).await.unwrap();
    assert_eq!(server.count(), 2);

    let server = Server::scripted(vec![slow, Reply::ok("[]")]).await;
    let client = server
        .webhook()
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = client
        .call(SonetGroupUserInvite::new(69, 1))
        .await
        .unwrap_err();
    let bitrix24::Error::OutcomeUnknown(unknown) = &error else {
        panic!("{error:?}")
    };
    let OutcomeCause::Transport(transport) = unknown.cause() else {
        panic!("{unknown:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Timeout);
    assert_eq!(server.count(), 1);

    let server = Server::scripted(vec![Reply::Delay(
        Duration::from_secs(5),
        Box::new(Reply::ok("[]")),
    )])
    .await;
    let client = server
        .webhook()
        .request_timeout(Duration::from_millis(300))
        .retry(fast_retries().max_attempts(2))
        .build()
        .unwrap();
    let error = client.call(SonetGroupUserGet::new(69)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport);
    assert_eq!(server.count(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_refused_connection_is_retried_for_every_method() {
    // Bind, note the port, and close: nothing listens there any more.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = bitrix24::ClientBuilder::webhook(format!("http://{addr}/rest/1/code/"))
        .allow_http_loopback(true)
        .rate_limit(bitrix24::RateLimit::unlimited())
        .retry(fast_retries().max_attempts(3))
        .build()
        .unwrap();
    let error = client
        .call(SonetGroupUserInvite::new(69, 1))
        .await
        .unwrap_err();
    let bitrix24::Error::Transport(transport) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Connect);
    assert!(!transport.may_have_been_sent());
}

fn time_with_operating(operating: f64, reset_in: f64) -> String {
    let finish = 1_773_850_553.0;
    TIME.replace(
        r#""processing":0"#,
        &format!(
            r#""processing":0,"operating":{operating},"operating_reset_at":{}"#,
            (finish + reset_in) as i64
        ),
    )
    .replace("1773850553.261059", &finish.to_string())
}

#[tokio::test(start_paused = true)]
async fn operation_time_limit_waits_for_the_reset_and_retries_even_invite() {
    let server = Server::scripted(vec![
        Reply::Json(
            200,
            format!(
                r#"{{"result":["1"],"time":{}}}"#,
                time_with_operating(100.0, 1.0)
            ),
        ),
        Reply::error(
            429,
            "OPERATION_TIME_LIMIT",
            "Method is blocked due to operation time limit.",
        ),
        Reply::ok(r#"["1"]"#),
    ])
    .await;
    let client = server.client();
    client.call(SonetGroupUserInvite::new(69, 1)).await.unwrap();
    client.call(SonetGroupUserInvite::new(69, 1)).await.unwrap();
    let at: Vec<Instant> = server.requests().iter().map(|r| r.at).collect();
    assert_eq!(at.len(), 3);
    let waited = at[2] - at[1];
    assert!(waited >= Duration::from_millis(900), "{waited:?}");
    assert!(waited < Duration::from_millis(1500), "{waited:?}");
}

#[tokio::test(start_paused = true)]
async fn a_method_near_its_operating_budget_waits_before_sending() {
    let server = Server::scripted(vec![
        Reply::Json(
            200,
            format!(
                r#"{{"result":[],"time":{}}}"#,
                time_with_operating(430.0, 1.0)
            ),
        ),
        Reply::ok("[]"),
    ])
    .await;
    let client = server.client();
    client.call(SonetGroupUserGet::new(69)).await.unwrap();
    client.call(SonetGroupUserGet::new(69)).await.unwrap();
    // Another method is not held back.
    client.call(SonetGroupUserInvite::new(69, 1)).await.unwrap();
    let at: Vec<Instant> = server.requests().iter().map(|r| r.at).collect();
    assert!(
        at[1] - at[0] >= Duration::from_millis(900),
        "{:?}",
        at[1] - at[0]
    );
    assert!(
        at[2] - at[1] < Duration::from_millis(300),
        "{:?}",
        at[2] - at[1]
    );

    let server = Server::scripted(vec![
        Reply::Json(
            200,
            format!(
                r#"{{"result":[],"time":{}}}"#,
                time_with_operating(430.0, 1.0)
            ),
        ),
        Reply::ok("[]"),
    ])
    .await;
    let client = server
        .webhook()
        .operating_limit(OperatingLimit::disabled())
        .build()
        .unwrap();
    client.call(SonetGroupUserGet::new(69)).await.unwrap();
    client.call(SonetGroupUserGet::new(69)).await.unwrap();
    let at: Vec<Instant> = server.requests().iter().map(|r| r.at).collect();
    assert!(at[1] - at[0] < Duration::from_millis(300));
}

#[tokio::test(start_paused = true)]
async fn an_operating_reset_past_the_deadline_is_not_waited_for() {
    let server = Server::scripted(vec![Reply::error(
        429,
        "OPERATION_TIME_LIMIT",
        "Method is blocked due to operation time limit.",
    )])
    .await;
    let client = server
        .webhook()
        .operating_limit(OperatingLimit::default().unknown_reset_wait(Duration::from_secs(60)))
        .retry(fast_retries().deadline(Some(Duration::from_secs(1))))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.call(SonetGroupUserGet::new(69)).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(500));
    let Some(SonetGroupUserGetError::System(system)) = error.method_error() else {
        panic!("{error:?}")
    };
    assert_eq!(system.code(), SystemErrorCode::OperationTimeLimit);
    assert_eq!(server.count(), 1);
}
