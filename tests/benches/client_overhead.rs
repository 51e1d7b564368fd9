//! Per-call overhead of the client against a loopback server, compared in
//! the same run with a hand-written `reqwest` + `serde_json` call of the same
//! request, decoding the same answer into equivalent hand-written types. The
//! client's rate limiter is off; its retries, operating-time tracking and
//! tracing span stay on, as in real use.

mod support;

use std::hint::black_box;

use bitrix24::{ClientBuilder, RateLimit, SonetGroupUserGet};
use criterion::{Criterion, criterion_group, criterion_main};
use serde::Deserialize;
use support::start_server;

// The hand-written types decode what the client's do, the same way: IDs
// from numeric strings into integers, roles into an enum, and the whole
// `time` object into typed fields with its dates parsed, so the baseline is
// the same work done by hand, not less.

#[derive(Deserialize)]
#[allow(dead_code)] // Fields are decoded to be measured, not read.
struct HandEnvelope {
    result: Vec<HandMember>,
    time: HandTime,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandMember {
    #[serde(rename = "USER_ID", deserialize_with = "numeric_string")]
    user_id: u64,
    #[serde(rename = "ROLE")]
    role: HandRole,
}

#[derive(Deserialize)]
enum HandRole {
    #[serde(rename = "A")]
    Owner,
    #[serde(rename = "E")]
    Moderator,
    #[serde(rename = "K")]
    Member,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandTime {
    start: f64,
    finish: f64,
    duration: f64,
    #[serde(default)]
    processing: Option<f64>,
    date_start: chrono::DateTime<chrono::FixedOffset>,
    date_finish: chrono::DateTime<chrono::FixedOffset>,
    #[serde(default)]
    operating_reset_at: Option<i64>,
    #[serde(default)]
    operating: Option<f64>,
}

fn numeric_string<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let text = <&str>::deserialize(deserializer)?;
    text.parse().map_err(serde::de::Error::custom)
}

fn overhead(c: &mut Criterion) {
    let addr = start_server();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = ClientBuilder::webhook(format!("http://{addr}/rest/1/benchcode/"))
        .allow_http_loopback(true)
        .rate_limit(RateLimit::unlimited())
        .build()
        .expect("client");
    let baseline = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client");
    let url = format!("http://{addr}/rest/1/benchcode/sonet_group.user.get");

    let mut group = c.benchmark_group("call_sonet_group_user_get");
    group.bench_function("bitrix24_client", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = client
                .call(SonetGroupUserGet::new(black_box(69)))
                .await
                .expect("call");
            assert_eq!(response.result.len(), 3);
        });
    });
    group.bench_function("reqwest_serde_json_baseline", |b| {
        b.to_async(&runtime).iter(|| async {
            let body = serde_json::to_vec(&serde_json::json!({"ID": black_box(69)})).expect("body");
            let answer = baseline
                .post(&url)
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .body(body)
                .send()
                .await
                .expect("send")
                .bytes()
                .await
                .expect("body");
            let envelope: HandEnvelope = serde_json::from_slice(&answer).expect("decode");
            assert_eq!(envelope.result.len(), 3);
        });
    });
    group.finish();
}

criterion_group!(benches, overhead);
criterion_main!(benches);
