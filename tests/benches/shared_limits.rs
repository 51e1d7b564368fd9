//! What the limits shared in Redis cost per call: one `sonet_group.user.get`
//! to a loopback server through a client whose bucket never makes it wait,
//! kept in the client's own limiter against kept in a Redis server on
//! loopback (one script call per request), in the same run.
//!
//! Needs `redis-server`; without it the benchmark says so and measures
//! nothing.

mod support;

use std::hint::black_box;
use std::time::Duration;

use bitrix24::client::SharedLimits;
use bitrix24::{ClientBuilder, RateLimit, SonetGroupUserGet};
use bitrix24_tests::redis::Redis;
use criterion::{Criterion, criterion_group, criterion_main};
use support::start_server;

/// A bucket so large that no call waits: what is measured is the
/// bookkeeping, not a wait.
fn roomy() -> RateLimit {
    RateLimit::new(u32::MAX / 2, Duration::from_nanos(1))
}

fn shared_limits(c: &mut Criterion) {
    let Some(redis) = Redis::start() else { return };
    let addr = start_server();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let webhook = format!("http://{addr}/rest/1/benchcode/");
    let local = ClientBuilder::webhook(&webhook)
        .allow_http_loopback(true)
        .rate_limit(roomy())
        .build()
        .expect("client");
    let shared = ClientBuilder::webhook(&webhook)
        .allow_http_loopback(true)
        .rate_limit(roomy())
        .shared_limits(SharedLimits::redis(redis.url()))
        .build()
        .expect("client");

    let mut group = c.benchmark_group("call_with_limits");
    for (name, client) in [("in_process", &local), ("shared_in_redis", &shared)] {
        group.bench_function(name, |b| {
            b.to_async(&runtime).iter(|| async {
                let response = client
                    .call(SonetGroupUserGet::new(black_box(69)))
                    .await
                    .expect("call");
                assert_eq!(response.result.len(), 3);
            });
        });
    }
    group.finish();
}

criterion_group!(benches, shared_limits);
criterion_main!(benches);
