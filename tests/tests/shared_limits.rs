//! Limits shared by every process that calls one portal, kept in a real
//! Redis server that the tests start on a loopback port.
//!
//! - Four real processes (this test binary, started again as workers) with
//!   16 tasks each send bursts to one time-scaled emulator with its real
//!   bucket: no request is refused, and together they get the bucket's rate.
//! - The operating-time budget one process used up pauses another process
//!   that never called the method.
//! - Redis stopped mid-run: calls go on under the client's own limits, or
//!   fail before they are sent, as configured; after a restart the shared
//!   limits work again and no call was lost.
//!
//! `redis-server` must be installed. When it is not, these tests say so
//! and pass, unless `B24_REQUIRE_REDIS` is set (as CI sets it): then they
//! fail.

mod e2e_common;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bitrix24::client::{SharedLimits, Unavailable};
use bitrix24::prelude::*;
use bitrix24::{Error, OperatingLimit as ClientOperatingLimit, RateLimit, RetryPolicy};
use bitrix24_emulator::{Emulator, OperatingLimit};
use bitrix24_tests::redis::Redis;
use e2e_common::{builder, start};
use tokio::task::JoinSet;

/// Emulated seconds per real second: the bucket of 50 drains 200 requests
/// per real second.
const SCALE: f64 = 100.0;
const DRAIN_PER_SECOND: f64 = 2.0 * SCALE;
/// The client's burst: below the portal's 50, for the scheduling jitter
/// between the client's grant and the portal's count (as in `e2e_limits`).
const BURST: u32 = 40;
const WORKERS: usize = 4;
const TASKS: usize = 16;
const CALLS_PER_TASK: usize = 5;

fn unix_micros() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_micros()
}

/// One of the worker processes of the next test; a no-op when run as a test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_limits_worker() {
    let (Ok(webhook), Ok(redis)) = (
        std::env::var("B24_WORKER_WEBHOOK"),
        std::env::var("B24_WORKER_REDIS"),
    ) else {
        return;
    };
    let client = builder(&webhook)
        .rate_limit(RateLimit::new(
            BURST,
            Duration::from_secs_f64(1.0 / DRAIN_PER_SECOND),
        ))
        .shared_limits(SharedLimits::redis(redis).when_unavailable(Unavailable::FailTheCall))
        .retry(RetryPolicy::never())
        .build()
        .expect("valid settings");
    let started = unix_micros();
    let mut tasks = JoinSet::new();
    for task in 0..TASKS {
        let client = client.clone();
        tasks.spawn(async move {
            for call in 0..CALLS_PER_TASK {
                client
                    .sonet_group_user_get([1, 2, 4, 5, 7][(task + call) % 5])
                    .await
                    .unwrap_or_else(|error| panic!("task {task}, call {call}: {error}"));
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("the task finishes");
    }
    println!("WORKER {started} {}", unix_micros());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_share_one_bucket_and_are_never_refused() {
    let Some(redis) = Redis::start() else { return };
    let portal = start(Emulator::builder().time_scale(SCALE)).await;
    let executable = std::env::current_exe().expect("the test binary");
    let workers: Vec<Child> = (0..WORKERS)
        .map(|_| {
            Command::new(&executable)
                .args(["shared_limits_worker", "--exact", "--nocapture"])
                .env("B24_WORKER_WEBHOOK", portal.webhook_url())
                .env("B24_WORKER_REDIS", redis.url())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("a worker starts")
        })
        .collect();
    let outputs = tokio::task::spawn_blocking(move || {
        workers
            .into_iter()
            .map(|worker| worker.wait_with_output().expect("the worker ends"))
            .collect::<Vec<_>>()
    })
    .await
    .expect("the workers are awaited");

    let mut spans = Vec::new();
    for output in &outputs {
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "a worker failed: {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let line = stdout
            .lines()
            .find_map(|line| line.strip_prefix("WORKER "))
            .expect("the worker reports its span");
        let (start, end) = line.split_once(' ').expect("two times");
        spans.push((
            start.parse::<u128>().expect("a time"),
            end.parse::<u128>().expect("a time"),
        ));
    }
    let total = WORKERS * TASKS * CALLS_PER_TASK;
    let counters = portal.counters();
    assert_eq!(
        counters.rate_limited, 0,
        "the portal never refused a request"
    );
    assert_eq!(counters.requests, total as u64);

    // After the burst, the calls went at the bucket's rate: not faster (the
    // portal would have refused) and not more than 5% slower.
    let first = spans.iter().map(|span| span.0).min().expect("spans");
    let last = spans.iter().map(|span| span.1).max().expect("spans");
    #[allow(clippy::cast_precision_loss)]
    let seconds = (last - first) as f64 / 1e6;
    #[allow(clippy::cast_precision_loss)]
    let rate = (total - BURST as usize) as f64 / seconds;
    println!(
        "{total} calls from {WORKERS} processes in {seconds:.3} s: {rate:.1} per second after the burst, the bucket drains {DRAIN_PER_SECOND}"
    );
    assert!(
        rate >= 0.95 * DRAIN_PER_SECOND,
        "{rate:.1} per second is more than 5% below the bucket's {DRAIN_PER_SECOND}"
    );
    assert!(
        rate <= 1.05 * DRAIN_PER_SECOND,
        "{rate:.1} per second is above the bucket's {DRAIN_PER_SECOND}"
    );
}

/// A client with the budget settings of the next test.
fn budget_client(webhook: &str, redis: &str) -> bitrix24::Client {
    builder(webhook)
        .operating_limit(ClientOperatingLimit::new(
            Duration::from_secs(2),
            Duration::ZERO,
        ))
        .shared_limits(SharedLimits::redis(redis))
        .retry(RetryPolicy::default().deadline(Some(Duration::from_secs(1))))
        .build()
        .expect("valid settings")
}

/// The other process of the next test; a no-op when run as a test.
#[tokio::test]
async fn shared_budget_worker() {
    let (Ok(webhook), Ok(redis)) = (
        std::env::var("B24_BUDGET_WEBHOOK"),
        std::env::var("B24_BUDGET_REDIS"),
    ) else {
        return;
    };
    match budget_client(&webhook, &redis)
        .sonet_group_user_get(1)
        .await
    {
        Err(Error::DeadlineExceeded(exceeded)) if exceeded.attempts() == 0 => {
            println!("PAUSED");
        }
        other => panic!("expected the budget to pause the call unsent, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_budget_used_up_in_one_process_pauses_the_others() {
    let Some(redis) = Redis::start() else { return };
    // Real time: each `.get` costs one second of a two-second budget that
    // resets in ten minutes.
    let limit = OperatingLimit::new(Duration::from_secs(2))
        .charge_method("sonet_group.user.get", Duration::from_secs(1));
    let portal = start(Emulator::builder().operating_limit(limit)).await;
    let client = budget_client(&portal.webhook_url(), &redis.url());
    for _ in 0..2 {
        client.sonet_group_user_get(1).await.expect("within budget");
    }
    // The budget goes to Redis in the background, a moment after the answer.
    let key = format!("bitrix24:{}:operating:sonet_group.user.get", portal.addr());
    redis.wait_for(&["HGET", &key, "operating"], "2");

    let worker = Command::new(std::env::current_exe().expect("the test binary"))
        .args(["shared_budget_worker", "--exact", "--nocapture"])
        .env("B24_BUDGET_WEBHOOK", portal.webhook_url())
        .env("B24_BUDGET_REDIS", redis.url())
        .output();
    let output = tokio::task::spawn_blocking(move || worker)
        .await
        .expect("the worker is awaited")
        .expect("the worker runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("PAUSED"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let counters = portal.counters();
    assert_eq!(
        counters.executed("sonet_group.user.get"),
        2,
        "the other process sent nothing"
    );
    assert_eq!(
        counters.operation_limited, 0,
        "the portal never had to refuse"
    );
    // Another method has its own budget.
    client
        .sonet_group_user_groups()
        .await
        .expect("another method is not paused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_gone_calls_go_on_under_the_clients_own_limits() {
    let Some(mut redis) = Redis::start() else {
        return;
    };
    let portal = start(Emulator::builder().time_scale(SCALE)).await;
    let client = builder(&portal.webhook_url())
        .rate_limit(RateLimit::new(BURST, Duration::from_millis(10)))
        .shared_limits(SharedLimits::redis(redis.url()).timeout(Duration::from_millis(300)))
        .build()
        .expect("valid settings");
    let call = || async {
        let started = std::time::Instant::now();
        client
            .sonet_group_user_get(1)
            .await
            .expect("the call succeeds");
        started.elapsed()
    };
    for _ in 0..5 {
        call().await;
    }
    redis.stop();
    for _ in 0..5 {
        let took = call().await;
        assert!(
            took < Duration::from_secs(2),
            "a call waited {took:?} for Redis"
        );
    }
    redis.restart();
    for _ in 0..5 {
        call().await;
    }
    let counters = portal.counters();
    assert_eq!(counters.requests, 15, "every call was sent once: none lost");
    assert_eq!(counters.rate_limited, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_gone_calls_can_fail_before_they_are_sent_without_leaking_its_password() {
    let Some(mut redis) = Redis::start_with(Some("redis-pw-81f4c2")) else {
        return;
    };
    let portal = start(Emulator::builder().time_scale(SCALE)).await;
    let client = builder(&portal.webhook_url())
        .rate_limit(RateLimit::new(BURST, Duration::from_millis(10)))
        .shared_limits(
            SharedLimits::redis(redis.url())
                .when_unavailable(Unavailable::FailTheCall)
                .timeout(Duration::from_millis(300)),
        )
        .build()
        .expect("valid settings");
    assert!(!format!("{client:?}").contains("redis-pw-81f4c2"));
    client
        .sonet_group_user_get(1)
        .await
        .expect("Redis answers, with its password");

    redis.stop();
    let started = std::time::Instant::now();
    let error = client
        .sonet_group_user_get(1)
        .await
        .expect_err("Redis is gone");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "it did not hang"
    );
    let Error::SharedLimits(shared) = &error else {
        panic!("expected the shared limits to fail the call, got {error:?}")
    };
    for text in [
        error.to_string(),
        format!("{error:?}"),
        shared.reason().to_owned(),
    ] {
        assert!(!text.contains("redis-pw-81f4c2"), "{text}");
    }
    assert_eq!(
        portal.counters().requests,
        1,
        "the failed call was not sent"
    );

    // Back again: calls succeed, at the latest once the connection is remade.
    redis.restart();
    let mut succeeded = false;
    for _ in 0..20 {
        if client.sonet_group_user_get(1).await.is_ok() {
            succeeded = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(succeeded, "the shared limits work again after a restart");
    assert_eq!(
        portal.counters().requests,
        2,
        "only the successful calls were sent"
    );
}

/// A "Redis" that accepts connections and never answers, as a server behind
/// a dead route does.
fn silent_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().expect("an address").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_that_never_answers_costs_one_timeout_not_one_per_call() {
    let port = silent_server();
    let portal = start(Emulator::builder().time_scale(SCALE)).await;
    let client = builder(&portal.webhook_url())
        .rate_limit(RateLimit::new(BURST, Duration::from_millis(10)))
        .shared_limits(
            SharedLimits::redis(format!("redis://127.0.0.1:{port}/"))
                .timeout(Duration::from_millis(300)),
        )
        .build()
        .expect("valid settings");
    let started = std::time::Instant::now();
    for _ in 0..20 {
        client
            .sonet_group_user_get(1)
            .await
            .expect("the client's own limits take over");
    }
    let took = started.elapsed();
    // One 300 ms timeout, then the client's own limits until it is time to
    // ask again; waiting 300 ms per call would take 6 s.
    assert!(
        took < Duration::from_millis(1_500),
        "20 calls took {took:?}"
    );
    assert_eq!(portal.counters().requests, 20);
}
