//! The client-side leaky bucket, observed at the server.

mod client_support;
use client_support as support;

use std::time::Duration;

use bitrix24::{RateLimit, SonetGroupUserGet};
use support::{Reply, Server};
use tokio::time::Instant;

#[tokio::test]
async fn concurrent_calls_never_exceed_the_bucket() {
    let server = Server::scripted(vec![Reply::ok("[]")]).await;
    let interval = Duration::from_millis(50);
    let client = server
        .webhook()
        .rate_limit(RateLimit::new(5, interval))
        .build()
        .unwrap();
    let started = Instant::now();
    let calls: Vec<_> = (0..15)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.call(SonetGroupUserGet::new(69)).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    let mut at: Vec<Duration> = server.requests().iter().map(|r| r.at - started).collect();
    at.sort();
    assert_eq!(at.len(), 15);
    // The burst goes at once; each later request waits for one more drain.
    assert!(at[4] < interval, "{at:?}");
    for (index, time) in at.iter().enumerate().skip(5) {
        let earliest = interval * u32::try_from(index - 4).unwrap();
        assert!(
            *time + Duration::from_millis(5) >= earliest,
            "request {index} at {time:?}: {at:?}"
        );
    }
    // And the bucket does not hold back more than it must.
    assert!(
        at[14] < interval * 10 + Duration::from_millis(300),
        "{at:?}"
    );
}

#[tokio::test]
async fn clones_share_one_bucket() {
    let server = Server::scripted(vec![Reply::ok("[]")]).await;
    let client = server
        .webhook()
        .rate_limit(RateLimit::new(2, Duration::from_millis(200)))
        .build()
        .unwrap();
    let started = Instant::now();
    client.call(SonetGroupUserGet::new(1)).await.unwrap();
    client
        .clone()
        .call(SonetGroupUserGet::new(2))
        .await
        .unwrap();
    client
        .clone()
        .call(SonetGroupUserGet::new(3))
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(190),
        "{:?}",
        started.elapsed()
    );
}
