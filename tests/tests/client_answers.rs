//! Answers that are not what a client hopes for: proxy pages, cut or huge
//! bodies, redirects; and webhook URLs that must be refused.

mod client_support;
use client_support as support;

use bitrix24::{ClientBuilder, ConfigError, ErrorKind, SonetGroupUserGet, SonetGroupUserGroups};
use support::{Reply, Server, TIME, WEBHOOK_CODE};

#[tokio::test]
async fn html_and_non_envelope_bodies_are_decode_errors() {
    for (status, body) in [
        (200, "<html><body>Please log in</body></html>"),
        (200, "{}"),
        (404, "<html>Not Found</html>"),
        (200, "[1,2,3]"),
    ] {
        let server =
            Server::scripted(vec![Reply::body(status, "text/html", body.as_bytes())]).await;
        let error = server
            .client()
            .call(SonetGroupUserGet::new(69))
            .await
            .unwrap_err();
        let bitrix24::Error::Decode(decode) = &error else {
            panic!("{body:?}: {error:?}")
        };
        assert_eq!(decode.status(), status);
        assert_eq!(decode.excerpt(), body);
        assert_eq!(server.count(), 1, "a non-5xx decode error is final");
    }
}

#[tokio::test]
async fn a_truncated_body_is_a_decode_or_transport_error_never_a_panic() {
    // A complete HTTP answer whose JSON stops halfway: the method ran, so a
    // safe method is sent again and an unsafe one reports an unknown outcome.
    let cut = || Reply::body(200, "application/json", br#"{"result":[{"USER_ID":"1"#);
    let server = Server::scripted(vec![cut()]).await;
    let error = server
        .client()
        .call(SonetGroupUserGet::new(69))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode, "{error:?}");
    assert_eq!(server.count(), 4, "retried up to the attempt limit");

    let server = Server::scripted(vec![cut()]).await;
    let error = server
        .client()
        .call(bitrix24::SonetGroupUserInvite::new(69, 5))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::OutcomeUnknown, "{error:?}");
    assert_eq!(server.count(), 1, "an invitation is never sent twice");

    // An HTTP answer that promises more bytes than it sends.
    let mut raw =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
            .to_vec();
    raw.extend_from_slice(br#"{"result":["#);
    let server = Server::scripted(vec![Reply::Raw(raw)]).await;
    let error = server
        .webhook()
        .retry(bitrix24::RetryPolicy::never())
        .build()
        .unwrap()
        .call(SonetGroupUserGet::new(69))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
}

#[tokio::test]
async fn a_wrongly_typed_result_is_a_decode_error() {
    let server = Server::scripted(vec![Reply::ok(
        r#"[{"USER_ID":"not a number","ROLE":"A"}]"#,
    )])
    .await;
    let error = server
        .client()
        .call(SonetGroupUserGet::new(69))
        .await
        .unwrap_err();
    let bitrix24::Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert!(decode.reason().contains("numeric"), "{}", decode.reason());
}

#[tokio::test]
async fn excerpts_are_bounded_for_huge_bodies() {
    let body = format!("<html>{}</html>", "x".repeat(2_000_000));
    let server = Server::scripted(vec![Reply::body(200, "text/html", body.as_bytes())]).await;
    let error = server
        .client()
        .call(SonetGroupUserGet::new(69))
        .await
        .unwrap_err();
    let bitrix24::Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.excerpt().len(), bitrix24::error::EXCERPT_BYTES);
    assert_eq!(decode.body_len(), body.len());
    assert!(error.to_string().len() < 1000);
}

#[tokio::test]
async fn bodies_over_the_limit_are_cut_and_reported() {
    let members: Vec<String> = (0..10_000)
        .map(|id| format!(r#"{{"USER_ID":"{id}","ROLE":"K"}}"#))
        .collect();
    let body = format!(r#"{{"result":[{}],"time":{TIME}}}"#, members.join(","));
    let server = Server::scripted(vec![Reply::Json(200, body.clone())]).await;
    let error = server
        .webhook()
        .max_response_bytes(10_000)
        .build()
        .unwrap()
        .call(SonetGroupUserGet::new(69))
        .await
        .unwrap_err();
    let bitrix24::Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert!(
        decode.reason().contains("larger than the limit"),
        "{}",
        decode.reason()
    );

    let server = Server::scripted(vec![Reply::Json(200, body)]).await;
    let members = server
        .client()
        .call(SonetGroupUserGet::new(69))
        .await
        .unwrap()
        .result;
    assert_eq!(members.len(), 10_000);
}

#[tokio::test]
async fn a_redirect_is_reported_with_the_new_place_and_no_secret() {
    let location = format!(
        "https://new-portal.example/rest/1/{WEBHOOK_CODE}/sonet_group.user.get?auth={WEBHOOK_CODE}"
    );
    let raw = format!(
        "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n"
    );
    let server = Server::scripted(vec![Reply::Raw(raw.into_bytes())]).await;
    let error = server
        .client()
        .call(SonetGroupUserGroups::new())
        .await
        .unwrap_err();
    let bitrix24::Error::Redirect(redirect) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(redirect.status(), 301);
    assert_eq!(
        redirect.location(),
        Some("https://new-portal.example/rest/1/***/sonet_group.user.get")
    );
    let message = error.to_string();
    assert!(
        message.contains("moved") && message.contains("new-portal.example"),
        "{message}"
    );
    assert!(!message.contains(WEBHOOK_CODE) && !format!("{error:?}").contains(WEBHOOK_CODE));
    assert_eq!(server.count(), 1, "not followed");
}

#[tokio::test]
async fn the_user_agent_names_the_crate_and_the_integration() {
    let server = Server::scripted(vec![Reply::ok("[]")]).await;
    let client = server.webhook().user_agent("crm-sync/2.1").build().unwrap();
    client.call(SonetGroupUserGroups::new()).await.unwrap();
    assert_eq!(
        server.requests()[0].header("user-agent"),
        Some(concat!(
            "bitrix24-rs/",
            env!("CARGO_PKG_VERSION"),
            " crm-sync/2.1"
        ))
    );
}

#[test]
fn webhook_urls_are_checked_and_errors_never_show_the_code() {
    let build = |url: &str, allow: bool| {
        ClientBuilder::webhook(url)
            .allow_http_loopback(allow)
            .build()
    };
    for url in [
        format!("https://portal.example/rest/1/{WEBHOOK_CODE}/"),
        format!("https://portal.example/rest/1/{WEBHOOK_CODE}"),
        format!("http://127.0.0.1:8080/rest/1/{WEBHOOK_CODE}/"),
        format!("http://127.9.9.9/rest/1/{WEBHOOK_CODE}/"),
        format!("http://[::1]:9000/rest/1/{WEBHOOK_CODE}/"),
        format!("http://localhost/rest/1/{WEBHOOK_CODE}/"),
    ] {
        let client = build(&url, true).unwrap_or_else(|error| panic!("{url}: {error}"));
        assert!(!format!("{client:?}").contains(WEBHOOK_CODE));
        assert!(
            client.portal().ends_with("/rest/1/***/"),
            "{}",
            client.portal()
        );
    }
    let refused = [
        (format!("http://127.0.0.1/rest/1/{WEBHOOK_CODE}/"), false),
        (
            format!("http://portal.example/rest/1/{WEBHOOK_CODE}/"),
            true,
        ),
        (format!("http://192.168.1.10/rest/1/{WEBHOOK_CODE}/"), true),
        (
            format!("https://portal.example/rest/{WEBHOOK_CODE}/"),
            false,
        ),
        (
            format!("https://portal.example/rest/one/{WEBHOOK_CODE}/"),
            false,
        ),
        ("https://portal.example/rest/1//".to_owned(), false),
        (
            format!("https://portal.example/rest/1/{WEBHOOK_CODE}/?x={WEBHOOK_CODE}"),
            false,
        ),
        (format!("portal.example/rest/1/{WEBHOOK_CODE}/"), false),
        (
            format!("ftp://portal.example/rest/1/{WEBHOOK_CODE}/"),
            false,
        ),
    ];
    for (url, allow) in refused {
        let error = build(&url, allow).expect_err(&url);
        assert!(!error.to_string().contains(WEBHOOK_CODE), "{error}");
        assert!(!format!("{error:?}").contains(WEBHOOK_CODE), "{error:?}");
        if url.starts_with("http://") {
            assert!(
                matches!(error, ConfigError::InsecureUrl { .. }),
                "{url}: {error:?}"
            );
        }
    }
}

#[test]
fn zero_limits_are_refused() {
    let builder = || ClientBuilder::webhook("https://portal.example/rest/1/code/");
    assert!(
        builder()
            .request_timeout(std::time::Duration::ZERO)
            .build()
            .is_err()
    );
    assert!(
        builder()
            .retry(bitrix24::RetryPolicy::default().max_attempts(0))
            .build()
            .is_err()
    );
    assert!(
        builder()
            .rate_limit(bitrix24::RateLimit::new(
                0,
                std::time::Duration::from_secs(1)
            ))
            .build()
            .is_err()
    );
}

#[tokio::test]
async fn a_time_that_is_not_a_finite_number_is_a_decode_error_and_the_next_call_is_unharmed() {
    for bad in ["NaN", "inf", "-inf", "1e999"] {
        let time = format!(
            r#"{{"start":1773850553,"finish":"{bad}","duration":0.26,"processing":0,"date_start":"2026-03-18T19:15:53+02:00","date_finish":"2026-03-18T19:15:53+02:00","operating_reset_at":1773851153,"operating":"{bad}"}}"#
        );
        let poisoned = format!(r#"{{"result":[],"time":{time}}}"#);
        let good = format!(r#"{{"result":[],"time":{TIME}}}"#);
        let server = Server::scripted(vec![
            Reply::body(200, "application/json", poisoned.as_bytes()),
            Reply::body(200, "application/json", good.as_bytes()),
        ])
        .await;
        let client = server.client();
        let error = client.call(SonetGroupUserGet::new(69)).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Decode, "{bad}: {error}");
        assert!(error.to_string().contains("finite"), "{bad}: {error}");
        client
            .call(SonetGroupUserGet::new(69))
            .await
            .unwrap_or_else(|error| panic!("after {bad}, the next call failed: {error}"));
    }
}

// Here rather than in `client_secrets.rs`, whose one test captures the
// logs through a thread-local subscriber: another test running beside it
// would race it for tracing's cached callsite interest.
#[tokio::test]
async fn a_percent_encoded_webhook_code_in_a_redirect_is_masked_too() {
    // The code `wh0sEcReTc0de` with letters percent-encoded, in either case,
    // and a line break that must not reach a log line.
    for location in [
        "https://moved.example/rest/1/wh0s%45cReTc0de/x",
        "https://moved.example/rest/1/%77%68%30%73%45%63%52%65%54%63%30%64%65/x",
        "https://moved.example/rest/1/wh0sEcReTc0d%65/x%0Aforged: line",
    ] {
        let server = Server::scripted(vec![Reply::Raw(
            format!("HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n")
                .into_bytes(),
        )])
        .await;
        let error = server
            .client()
            .call(SonetGroupUserGet::new(69))
            .await
            .unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(WEBHOOK_CODE), "{location}: {shown}");
        assert!(
            !shown.to_lowercase().contains("%45cretc0de"),
            "{location}: {shown}"
        );
        assert!(!shown.contains('\n'), "{location}: {shown}");
        assert!(shown.contains("moved.example"), "{location}: {shown}");
    }
}

/// Answers that echo the webhook code in every field, most of them with a
/// field of the wrong type so that decoding takes its fallback paths.
#[tokio::test]
async fn no_answer_shape_shows_the_webhook_code_it_echoes() {
    let code = support::WEBHOOK_CODE;
    let bodies = [
        format!(r#"{{"error":"{code}","error_description":5}}"#),
        format!(r#"{{"error":5,"error_description":"{code}"}}"#),
        format!(r#"{{"error":["{code}"],"error_description":"x"}}"#),
        format!(r#"{{"error":"","error_description":"{code}","result":1}}"#),
        format!(r#"{{"error":"{code}","error_description":"{code}","result":{{"x":1}},"time":5}}"#),
        format!(r#"{{"result":{{"{code}":1}},"time":"{code}"}}"#),
        format!(r#"{{"result":[{{"USER_ID":"{code}","ROLE":"A"}}]}}"#),
        format!(r#"{{"result":[{{"USER_ID":"1","ROLE":"{code}"}}]}}"#),
        format!(r#"{{"result":[],"next":"{code}"}}"#),
        code.to_owned(),
        format!("<html>{code}</html>"),
    ];
    for body in bodies {
        let answer = body.clone();
        let server = Server::start(move |_| Reply::Json(200, answer.clone())).await;
        let error = server
            .client()
            .call(SonetGroupUserGet::new(1))
            .await
            .expect_err(&body);
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(code), "{body}\n  -> {shown}");
    }
}
