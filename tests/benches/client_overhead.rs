//! Per-call overhead of the client against a loopback server, compared in
//! the same run with a hand-written `reqwest` + `serde_json` call of the same
//! request and answer. The client's rate limiter is off; its retries,
//! operating-time tracking and tracing span stay on, as in real use.

mod support;

use std::hint::black_box;

use bitrix24::{ClientBuilder, RateLimit, SonetGroupUserGet};
use criterion::{Criterion, criterion_group, criterion_main};
use serde::Deserialize;
use support::start_server;

#[derive(Deserialize)]
#[allow(dead_code)] // Fields are decoded to be measured, not read.
struct HandEnvelope {
    result: Vec<HandMember>,
    time: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandMember {
    #[serde(rename = "USER_ID")]
    user_id: String,
    #[serde(rename = "ROLE")]
    role: String,
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
