//! The portal's two load limits, met by the client's own limiter and
//! operating-time tracking, on a time-scaled emulator. Each test's runtime
//! starts paused: the client and the portal share its clock, so the minutes
//! they wait pass at once and every duration asserted is the clock's.
//!
//! - Request rate: the emulator's bucket of 50 drains 2 requests per emulated
//!   second; at time scale 50 that is 100 per real second. A client limiter
//!   draining at the same 100 per second keeps a burst of 500 calls free of
//!   `QUERY_LIMIT_EXCEEDED`; without it the portal refuses, and refusals are
//!   retried before execution.
//! - Operating time: each `.get` is charged one second against a two-second
//!   budget. The client stops sending a method whose budget is used up, waits
//!   for the reset (or gives up early when the reset is past its deadline),
//!   and waits out the server's refusal when it does not track budgets. A
//!   client that resumes exactly at the announced `operating_reset_at` should
//!   never be refused.

mod e2e_common;

use std::time::Duration;

use bitrix24::prelude::*;
use bitrix24::{
    Client, Error, OperatingLimit as ClientOperatingLimit, RateLimit, RetryPolicy,
    SonetGroupUserGetError, SystemErrorCode,
};
use bitrix24_emulator::{Emulator, OperatingLimit, RunningEmulator};
use e2e_common::{builder, entries_of, patient_retries, start};
use tokio::task::JoinSet;
use tokio::time::Instant;

const GET: &str = "sonet_group.user.get";

/// Emulated seconds per real second for the rate-limit tests: the demo
/// bucket of 50 then drains 100 requests per real second.
const RATE_SCALE: f64 = 50.0;

/// Sends `count` concurrent `.get` calls and returns how many succeeded and
/// how many failed with `QUERY_LIMIT_EXCEEDED`; any other failure panics.
async fn burst(client: &Client, count: usize) -> (usize, usize) {
    let mut calls = JoinSet::new();
    for index in 0..count {
        let client = client.clone();
        let group = [1, 2, 4, 5, 7][index % 5];
        calls.spawn(async move { client.sonet_group_user_get(group).await });
    }
    let (mut succeeded, mut refused) = (0, 0);
    while let Some(joined) = calls.join_next().await {
        match joined.expect("the task finishes") {
            Ok(response) => {
                assert!(!response.result.is_empty());
                succeeded += 1;
            }
            Err(Error::Method(SonetGroupUserGetError::System(system)))
                if system.code() == SystemErrorCode::QueryLimitExceeded =>
            {
                refused += 1;
            }
            Err(other) => panic!("unexpected failure: {other:?}"),
        }
    }
    (succeeded, refused)
}

async fn rate_scaled_portal() -> RunningEmulator {
    start(Emulator::builder().time_scale(RATE_SCALE)).await
}

#[tokio::test(start_paused = true)]
async fn the_client_limiter_keeps_a_burst_of_500_calls_under_the_portal_limit() {
    let portal = rate_scaled_portal().await;
    // The portal's drain rate (2 per emulated second = one request per 10 ms
    // here); the burst is 40 rather than 50 so that rounding in the portal's
    // scaled clock never decides.
    let client = builder(&portal.webhook_url())
        .rate_limit(RateLimit::new(40, Duration::from_millis(10)))
        .build()
        .expect("valid settings");

    let started = Instant::now();
    let (succeeded, refused) = burst(&client, 500).await;
    let elapsed = started.elapsed();

    assert_eq!((succeeded, refused), (500, 0));
    let counters = portal.counters();
    assert_eq!(
        counters.rate_limited, 0,
        "the portal never refused a request"
    );
    assert_eq!(counters.requests, 500, "no retries were needed");
    assert_eq!(counters.executed(GET), 500);
    // 40 at once, then one per 10 ms: the limiter really paced the calls.
    assert!(elapsed >= Duration::from_millis(4_300), "{elapsed:?}");
}

#[tokio::test(start_paused = true)]
async fn without_the_client_limiter_the_portal_refuses_a_burst() {
    let portal = rate_scaled_portal().await;
    let client = builder(&portal.webhook_url())
        .rate_limit(RateLimit::unlimited())
        .retry(RetryPolicy::never())
        .build()
        .expect("valid settings");

    let (succeeded, refused) = burst(&client, 200).await;

    assert_eq!(succeeded + refused, 200);
    assert!(succeeded >= 50, "the bucket admits at least its size");
    assert!(
        refused > 0,
        "an unpaced burst overflows the portal's bucket"
    );
    let counters = portal.counters();
    assert_eq!(counters.rate_limited, refused as u64);
    assert_eq!(counters.executed(GET), succeeded as u64);
}

#[tokio::test(start_paused = true)]
async fn refused_requests_are_retried_until_the_bucket_drains() {
    let portal = rate_scaled_portal().await;
    let client = builder(&portal.webhook_url())
        .rate_limit(RateLimit::unlimited())
        .retry(
            RetryPolicy::default()
                .max_attempts(20)
                .backoff(Duration::from_millis(20), Duration::from_millis(200)),
        )
        .build()
        .expect("valid settings");

    let (succeeded, refused) = burst(&client, 120).await;

    assert_eq!((succeeded, refused), (120, 0));
    let counters = portal.counters();
    assert!(
        counters.rate_limited > 0,
        "the burst overflowed the bucket first"
    );
    assert_eq!(
        counters.executed(GET),
        120,
        "a refusal is before execution: nothing ran twice"
    );
    assert_eq!(counters.requests, 120 + counters.rate_limited);
}

/// A portal that charges each `.get` one second against a two-second budget
/// per ten emulated minutes, running `scale` times faster than real time.
async fn operating_portal(scale: f64) -> RunningEmulator {
    let limit =
        OperatingLimit::new(Duration::from_secs(2)).charge_method(GET, Duration::from_secs(1));
    start(Emulator::builder().time_scale(scale).operating_limit(limit)).await
}

#[tokio::test(start_paused = true)]
async fn a_used_up_budget_stops_the_method_before_the_portal_refuses() {
    // Real time: the budget resets in ten minutes, far past the deadline.
    let portal = operating_portal(1.0).await;
    let client = builder(&portal.webhook_url())
        .operating_limit(ClientOperatingLimit::new(
            Duration::from_secs(2),
            Duration::ZERO,
        ))
        .retry(RetryPolicy::default().deadline(Some(Duration::from_secs(1))))
        .build()
        .expect("valid settings");

    for expected in [1.0, 2.0] {
        let response = client.sonet_group_user_get(1).await.expect("within budget");
        assert_eq!(response.time.operating, Some(expected));
    }
    let started = Instant::now();
    let error = client
        .sonet_group_user_get(1)
        .await
        .expect_err("the budget is used up");
    match &error {
        Error::DeadlineExceeded(exceeded) => {
            assert_eq!(exceeded.attempts(), 0, "nothing was sent");
            assert!(!exceeded.in_flight());
        }
        other => panic!("expected the client to stop early, got {other:?}"),
    }
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "it did not wait for a reset it cannot reach"
    );
    // Clones share the budget; other methods have their own.
    assert!(client.clone().sonet_group_user_get(2).await.is_err());
    client
        .sonet_group_user_groups()
        .await
        .expect("another method is not limited");

    assert_eq!(
        entries_of(&portal, GET).len(),
        2,
        "the third call never left"
    );
    assert_eq!(portal.counters().operation_limited, 0);
}

#[tokio::test(start_paused = true)]
async fn the_client_waits_for_the_budget_to_reset_and_every_call_succeeds() {
    // Ten emulated minutes pass in one real second.
    let portal = operating_portal(600.0).await;
    let client = builder(&portal.webhook_url())
        .operating_limit(
            ClientOperatingLimit::new(Duration::from_secs(2), Duration::ZERO)
                .unknown_reset_wait(Duration::from_millis(100)),
        )
        .retry(patient_retries(30))
        .build()
        .expect("valid settings");

    let started = Instant::now();
    for call in 1..=8 {
        client
            .sonet_group_user_get(1)
            .await
            .unwrap_or_else(|error| panic!("call {call} failed: {error:?}"));
    }
    let elapsed = started.elapsed();

    assert_eq!(portal.counters().executed(GET), 8);
    // At most three charged calls fit in any window of ten one-minute
    // buckets: calls 4 and 7 each had to wait for the window to move on.
    assert!(elapsed >= Duration::from_millis(1_700), "{elapsed:?}");
    let refusals: Vec<_> = entries_of(&portal, GET)
        .into_iter()
        .filter(|entry| entry.error.is_some())
        .collect();
    assert!(
        refusals
            .iter()
            .all(|entry| entry.error.as_deref() == Some("OPERATION_TIME_LIMIT") && !entry.executed),
        "{refusals:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_client_that_waits_until_operating_reset_at_is_never_refused() {
    // One emulated minute per half real second: a bucket outlasts the
    // one-second resolution of `operating_reset_at`; the window is 5 s.
    let portal = operating_portal(120.0).await;
    let client = builder(&portal.webhook_url())
        .operating_limit(
            ClientOperatingLimit::new(Duration::from_secs(2), Duration::ZERO)
                .unknown_reset_wait(Duration::from_millis(100)),
        )
        .retry(patient_retries(30))
        .build()
        .expect("valid settings");

    let started = Instant::now();
    for call in 1..=4 {
        client
            .sonet_group_user_get(1)
            .await
            .unwrap_or_else(|error| panic!("call {call} failed: {error:?}"));
    }

    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "calls 3 and 4 waited for the reset"
    );
    assert_eq!(
        portal.counters().operation_limited,
        0,
        "the budget was free at the announced operating_reset_at"
    );
}

#[tokio::test(start_paused = true)]
async fn without_budget_tracking_the_portals_refusal_is_waited_out() {
    let portal = operating_portal(600.0).await;
    let client = builder(&portal.webhook_url())
        .operating_limit(
            ClientOperatingLimit::disabled().unknown_reset_wait(Duration::from_millis(100)),
        )
        .retry(patient_retries(30))
        .build()
        .expect("valid settings");

    for call in 1..=6 {
        client
            .sonet_group_user_get(1)
            .await
            .unwrap_or_else(|error| panic!("call {call} failed: {error:?}"));
    }

    let counters = portal.counters();
    assert_eq!(counters.executed(GET), 6);
    assert!(
        counters.operation_limited > 0,
        "the portal refused at least once, and the caller never saw it"
    );
}
