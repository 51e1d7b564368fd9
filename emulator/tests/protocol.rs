//! Wire protocol, authentication, OAuth refresh, limits and introspection over real HTTP.

mod common;

use std::time::{Duration, Instant};

use bitrix24_emulator::{Emulator, OperatingLimit, Seed};
use common::{method_error, read, result, start, start_with};
use serde_json::json;

const GET: &str = "sonet_group.user.get";

#[tokio::test]
async fn encodings_and_url_forms() {
    let p = start().await;
    let hook = p.emu.webhook_url();
    let expected = result(p.call(GET, json!({"ID": 1})).await);
    // Query string, `.json` suffix, no trailing slash, upper-case method.
    let trimmed = hook.trim_end_matches('/');
    for url in [
        format!("{hook}{GET}?ID=1"),
        format!("{hook}{GET}.json?ID=1"),
        format!("{hook}{GET}/?ID=1"),
        format!("{hook}SONET_GROUP.USER.GET?ID=1"),
        format!("{trimmed}/Sonet_Group.User.Get.json?ID=1"),
    ] {
        assert_eq!(result(p.get(&url).await), expected, "{url}");
    }
    // The body wins over the query string.
    let body_wins = p
        .http
        .post(format!("{hook}{GET}?ID=999"))
        .json(&json!({"ID": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(result(read(body_wins).await), expected);
    let form_wins = p
        .http
        .post(format!("{hook}{GET}?ID=999"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("ID=1")
        .send()
        .await
        .unwrap();
    assert_eq!(result(read(form_wins).await), expected);
    // Invalid JSON is treated as {}; charset parameters are ignored.
    let invalid = p
        .http
        .post(format!("{hook}{GET}"))
        .header("Content-Type", "application/json; charset=utf-8")
        .body("{\"ID\": 1,")
        .send()
        .await
        .unwrap();
    assert_eq!(
        method_error(read(invalid).await),
        "Wrong socialnetwork group ID"
    );
    // JSON with another content type is not JSON.
    let not_json = p
        .http
        .post(format!("{hook}{GET}"))
        .header("Content-Type", "text/plain")
        .body("{\"ID\":1}")
        .send()
        .await
        .unwrap();
    assert_eq!(
        method_error(read(not_json).await),
        "Wrong socialnetwork group ID"
    );
    // Parameter names are case-sensitive.
    assert_eq!(
        method_error(p.get(&format!("{hook}{GET}?id=1")).await),
        "Wrong socialnetwork group ID"
    );
    // PHP array syntax with explicit indexes and nesting.
    let nested = result(
        p.form(
            "sonet_group.get",
            "FILTER[ID][0]=2&FILTER[ID][1]=3&ORDER[ID]=ASC",
        )
        .await,
    );
    assert_eq!(
        nested
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["ID"].clone())
            .collect::<Vec<_>>(),
        [json!("2"), json!("3")]
    );
}

#[tokio::test]
async fn headers_and_error_shape() {
    let p = start().await;
    let ok = p
        .http
        .get(format!("{}{GET}?ID=1", p.emu.webhook_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        ok.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    let bad = p
        .http
        .get(format!("{}{GET}?ID=0", p.emu.webhook_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        bad.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    assert_eq!(bad.status(), 400);
    assert_eq!(
        bad.text().await.unwrap(),
        r#"{"error":"","error_description":"Wrong socialnetwork group ID"}"#
    );
    let (status, body) = p.call("no.such.method", json!({})).await;
    assert_eq!(
        (status, body),
        (
            404,
            json!({"error": "ERROR_METHOD_NOT_FOUND", "error_description": "Method not found!"})
        )
    );
}

#[tokio::test]
async fn webhook_auth_failures_and_scope() {
    let p = start().await;
    let base = p.emu.base_url();
    let (status, body) = p.get(&format!("{base}/rest/1/wrongcode/{GET}?ID=1")).await;
    assert_eq!(
        (status, body),
        (
            401,
            json!({"error": "INVALID_CREDENTIALS", "error_description": "Invalid request credentials"})
        )
    );
    let (status, body) = p
        .get(&format!("{base}/rest/2/demoadminhook0001/{GET}?ID=1"))
        .await;
    assert_eq!(
        (status, body["error"].clone()),
        (401, json!("INVALID_CREDENTIALS"))
    );
    let (status, body) = p.get(&format!("{base}/rest/{GET}?ID=1")).await;
    assert_eq!(
        (status, body),
        (
            401,
            json!({"error": "NO_AUTH_FOUND", "error_description": "Wrong authorization data"})
        )
    );
    let crm_only = format!("{base}/rest/1/democrmonlyhook01/");
    let (status, body) = p.call_at(&crm_only, GET, json!({"ID": 1})).await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        json!({"error": "insufficient_scope", "error_description": "The request requires higher privileges than provided by the webhook token"})
    );
    // The inactive user 7 cannot authenticate.
    let inactive = p.emu.add_webhook(7, &["sonet_group"]).unwrap();
    let (status, body) = p.call_at(&inactive, GET, json!({"ID": 1})).await;
    assert_eq!(
        (status, body["error"].clone()),
        (401, json!("authorization_error"))
    );
    let fresh = p.emu.add_webhook(2, &["sonet_group"]).unwrap();
    assert!(result(p.call_at(&fresh, GET, json!({"ID": 1})).await).is_array());
    assert!(p.emu.add_webhook(999, &["sonet_group"]).is_none());
}

#[tokio::test]
async fn oauth_tokens_refresh_and_expiry() {
    let p = start().await;
    let app = p.emu.oauth().unwrap();
    let endpoint = &app.client_endpoint;
    let token = app.access_token.expose();
    // `auth`, `access_token` and the Bearer header all work.
    assert!(result(p.get(&format!("{endpoint}{GET}?ID=1&auth={token}")).await).is_array());
    assert!(
        result(
            p.get(&format!("{endpoint}{GET}?ID=1&access_token={token}"))
                .await
        )
        .is_array()
    );
    let bearer = p
        .http
        .post(format!("{endpoint}{GET}"))
        .bearer_auth(token)
        .json(&json!({"ID": 1}))
        .send()
        .await
        .unwrap();
    assert!(result(read(bearer).await).is_array());
    let (status, body) = p.get(&format!("{endpoint}{GET}?ID=1&auth=unknown")).await;
    assert_eq!(
        (status, body["error"].clone()),
        (401, json!("invalid_token"))
    );

    p.emu.expire_access_tokens();
    let (status, body) = p.get(&format!("{endpoint}{GET}?ID=1&auth={token}")).await;
    assert_eq!(
        (status, body),
        (
            401,
            json!({"error": "expired_token", "error_description": "The access token provided has expired"})
        )
    );

    let refresh = |refresh_token: String, secret: String| {
        let url = format!(
            "{}?grant_type=refresh_token&client_id={}&client_secret={secret}&refresh_token={refresh_token}",
            app.token_url, app.client_id
        );
        let http = p.http.clone();
        async move { read(http.get(url).send().await.unwrap()).await }
    };
    let old_refresh = app.refresh_token.expose().to_owned();
    let (status, body) = refresh(old_refresh.clone(), "wrong".into()).await;
    assert_eq!(
        (status, body["error"].clone()),
        (400, json!("invalid_client"))
    );
    let (status, issued) =
        refresh(old_refresh.clone(), app.client_secret.expose().to_owned()).await;
    assert_eq!(status, 200, "{issued}");
    for field in [
        "access_token",
        "refresh_token",
        "client_endpoint",
        "domain",
        "member_id",
        "scope",
        "server_endpoint",
        "status",
    ] {
        assert!(issued[field].is_string(), "{field}: {issued}");
    }
    assert_eq!(issued["expires_in"], 3600);
    assert_eq!(issued["user_id"], 1);
    assert_ne!(issued["refresh_token"], json!(old_refresh));
    // The old refresh token is spent.
    let (status, body) = refresh(old_refresh, app.client_secret.expose().to_owned()).await;
    assert_eq!(
        (status, body["error"].clone()),
        (400, json!("invalid_grant"))
    );
    // The new pair works, also as a form body.
    let new_token = issued["access_token"].as_str().unwrap();
    assert!(
        result(
            p.get(&format!("{endpoint}{GET}?ID=1&auth={new_token}"))
                .await
        )
        .is_array()
    );
    let form = format!(
        "grant_type=refresh_token&client_id={}&client_secret={}&refresh_token={}",
        app.client_id,
        app.client_secret.expose(),
        issued["refresh_token"].as_str().unwrap()
    );
    let posted = p
        .http
        .post(&app.token_url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(read(posted).await.0, 200);
    assert_eq!(p.emu.counters().refreshes, 2);
    assert_eq!(p.emu.oauth().unwrap().refresh_token.expose().len(), 32);
}

#[tokio::test]
async fn token_lifetime_follows_time_scale() {
    let p = start_with(Emulator::builder().time_scale(36_000.0)).await;
    let app = p.emu.oauth().unwrap();
    // 150 ms at 36,000x: an hour and a half of the portal's time.
    p.emu.advance(Duration::from_millis(150));
    let (status, body) = p
        .get(&format!(
            "{}{GET}?ID=1&auth={}",
            app.client_endpoint,
            app.access_token.expose()
        ))
        .await;
    assert_eq!(
        (status, body["error"].clone()),
        (401, json!("expired_token"))
    );
}

#[tokio::test]
async fn oauth_scope_error_names_the_token() {
    let mut seed = Seed::demo();
    seed.oauth.as_mut().unwrap().scopes = vec!["crm".into()];
    let p = start_with(Emulator::builder().seed(seed)).await;
    let app = p.emu.oauth().unwrap();
    let (status, body) = p
        .get(&format!(
            "{}{GET}?ID=1&auth={}",
            app.client_endpoint,
            app.access_token.expose()
        ))
        .await;
    assert_eq!(status, 401);
    assert_eq!(
        body["error_description"],
        "The request requires higher privileges than provided by the access token"
    );
}

#[tokio::test]
async fn rate_limit_refuses_bursts_and_drains_with_time_scale() {
    let p = start_with(Emulator::builder().rate_limit(5, 1.0).time_scale(20.0)).await;
    let url = format!("{}{GET}?ID=1", p.emu.webhook_url());
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(p.get(&url).await);
    }
    assert!(statuses[..5].iter().all(|(s, _)| *s == 200), "{statuses:?}");
    for (status, body) in &statuses[5..] {
        assert_eq!(
            (*status, body.clone()),
            (
                503,
                json!({"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"})
            )
        );
    }
    assert_eq!(p.emu.counters().rate_limited, 3);
    // 20x time scale: one request drains every 50 ms.
    p.emu.advance(Duration::from_millis(250));
    assert_eq!(p.get(&url).await.0, 200);
}

/// `advance` moves the portal's clock alone: the bucket drains, the operating budget resets,
/// tokens age and the answers' times move on, with no waiting and the real limits.
#[tokio::test]
async fn the_manual_clock_drains_the_bucket_resets_budgets_and_ages_tokens() {
    let limit =
        OperatingLimit::new(Duration::from_secs(2)).charge_method(GET, Duration::from_secs(1));
    let p = start_with(
        Emulator::builder()
            .rate_limit(10, 2.0)
            .operating_limit(limit)
            .token_lifetime(Duration::from_secs(3600)),
    )
    .await;
    let url = format!("{}sonet_group.user.groups", p.emu.webhook_url());
    let statuses: Vec<u16> = {
        let mut statuses = Vec::new();
        for _ in 0..11 {
            statuses.push(p.get(&url).await.0);
        }
        statuses
    };
    assert_eq!(statuses, [[200; 10].as_slice(), &[503]].concat());
    p.emu.advance(Duration::from_secs(1));
    assert_eq!(p.get(&url).await.0, 200, "two requests drained in a second");
    assert_eq!(p.get(&url).await.0, 200);
    assert_eq!(p.get(&url).await.0, 503);

    p.emu.advance(Duration::from_secs(10));
    let (_, first) = p.call(GET, json!({"ID": 1})).await;
    p.call(GET, json!({"ID": 1})).await;
    let (_, third) = p.call(GET, json!({"ID": 1})).await;
    assert_eq!(third["time"]["operating"], 3.0);
    assert_eq!(p.call(GET, json!({"ID": 1})).await.0, 429);
    p.emu.advance(Duration::from_secs(601));
    let (status, later) = p.call(GET, json!({"ID": 1})).await;
    assert_eq!(status, 200, "the ten-minute window has moved on");
    assert_eq!(later["time"]["operating"], 1.0);
    let moved = later["time"]["start"].as_f64().unwrap() - first["time"]["start"].as_f64().unwrap();
    assert!((601.0..660.0).contains(&moved), "{moved}");

    let app = p.emu.oauth().unwrap();
    let with_token = format!(
        "{}{GET}?ID=1&auth={}",
        app.client_endpoint,
        app.access_token.expose()
    );
    assert_eq!(p.get(&with_token).await.0, 200);
    p.emu.advance(Duration::from_secs(3600));
    let (status, body) = p.get(&with_token).await;
    assert_eq!(
        (status, body["error"].clone()),
        (401, json!("expired_token"))
    );
}

#[tokio::test]
async fn operating_limit_blocks_one_method_for_one_credential() {
    let limit = OperatingLimit::new(Duration::from_secs(2)).charge(Duration::from_secs(1));
    let p = start_with(Emulator::builder().operating_limit(limit)).await;
    let mut operating = Vec::new();
    for _ in 0..3 {
        let (status, body) = p.call(GET, json!({"ID": 1})).await;
        assert_eq!(status, 200);
        operating.push(body["time"]["operating"].as_f64().unwrap());
        let start = body["time"]["start"].as_f64().unwrap();
        let reset = body["time"]["operating_reset_at"].as_f64().unwrap();
        assert!(
            reset > start && reset <= start + 601.0,
            "{reset} vs {start}"
        );
    }
    assert_eq!(operating, [1.0, 2.0, 3.0]);
    let (status, body) = p.call(GET, json!({"ID": 1})).await;
    assert_eq!(
        (status, body),
        (
            429,
            json!({"error": "OPERATION_TIME_LIMIT", "error_description": "Method is blocked due to operation time limit."})
        )
    );
    // Other methods and other webhooks are unaffected.
    assert_eq!(p.call("sonet_group.user.groups", json!({})).await.0, 200);
    assert_eq!(p.call_at(&p.hook(3), GET, json!({"ID": 1})).await.0, 200);
    assert_eq!(p.emu.counters().operation_limited, 1);
    assert_eq!(p.emu.counters().executed(GET), 4);
}

#[tokio::test]
async fn log_and_debug_never_show_secrets() {
    let p = start().await;
    let app = p.emu.oauth().unwrap();
    let _ = p
        .get(&format!(
            "{}{GET}?ID=1&auth={}",
            app.client_endpoint,
            app.access_token.expose()
        ))
        .await;
    let _ = p.call(GET, json!({"ID": 1})).await;
    let url = format!(
        "{}?grant_type=refresh_token&client_id={}&client_secret={}&refresh_token={}",
        app.token_url,
        app.client_id,
        app.client_secret.expose(),
        app.refresh_token.expose()
    );
    let _ = p.get(&url).await;
    let now = p.emu.oauth().unwrap();

    let secrets = [
        "demoadminhook0001".to_owned(),
        app.client_secret.expose().to_owned(),
        app.access_token.expose().to_owned(),
        app.refresh_token.expose().to_owned(),
        now.access_token.expose().to_owned(),
        now.refresh_token.expose().to_owned(),
    ];
    let log = p.emu.log();
    assert_eq!(log.len(), 3);
    assert_eq!(log[2].params["client_secret"], "***");
    let (_, http_log) = p.get(&format!("{}/_emulator/log", p.emu.base_url())).await;
    let (_, http_state) = p
        .get(&format!("{}/_emulator/state", p.emu.base_url()))
        .await;
    assert_eq!(http_state["groups"].as_array().unwrap().len(), 7);
    let views = [
        format!("{:?}", p.emu),
        format!("{app:?}"),
        format!("{now:?}"),
        format!("{log:?}"),
        format!("{:?}", p.emu.state()),
        format!("{:?}", Seed::demo()),
        format!("{:?}", Emulator::builder()),
        http_log.to_string(),
        http_state.to_string(),
    ];
    for view in &views {
        for secret in &secrets {
            assert!(!view.contains(secret.as_str()), "secret leaked in {view}");
        }
    }
    assert!(format!("{app:?}").contains("***"));
}

#[tokio::test]
async fn tls_with_generated_certificate() {
    let p = start_with(Emulator::builder().tls(true)).await;
    assert!(p.emu.base_url().starts_with("https://127.0.0.1:"));
    let pem = p.emu.certificate_pem().unwrap();
    let client = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(pem.as_bytes()).unwrap()])
        .build()
        .unwrap();
    let response = client
        .get(format!("{}{GET}?ID=1", p.emu.webhook_url()))
        .send()
        .await
        .unwrap();
    assert!(result(read(response).await).is_array());
    // A client that does not trust the certificate is refused.
    assert!(
        reqwest::Client::new()
            .get(p.emu.webhook_url())
            .send()
            .await
            .is_err()
    );
}

#[tokio::test]
async fn shutdown_closes_the_port() {
    let p = start().await;
    let url = format!("{}{GET}?ID=1", p.emu.webhook_url());
    let started = Instant::now();
    p.emu.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(reqwest::Client::new().get(&url).send().await.is_err());
}
