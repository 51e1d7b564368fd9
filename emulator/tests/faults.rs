//! Injected faults over real HTTP, before and after execution.

mod common;

use std::time::{Duration, Instant};

use bitrix24_emulator::{Emulator, FaultConfig, FaultKind, FaultRule, FaultTiming, Role};
use common::{Portal, result, start_with};
use serde_json::json;

const BEFORE: FaultTiming = FaultTiming::BeforeExecution;
const AFTER: FaultTiming = FaultTiming::AfterExecution;

async fn with_fault(kind: FaultKind, timing: FaultTiming) -> Portal {
    let faults = FaultConfig::new(3)
        .rule(FaultRule::new(kind, timing, 1.0).max_hits(1))
        .delay(Duration::from_millis(300));
    start_with(Emulator::builder().faults(faults)).await
}

async fn add(p: &Portal) -> reqwest::Result<reqwest::Response> {
    p.http
        .post(format!("{}sonet_group.user.add", p.emu.webhook_url()))
        .json(&json!({"GROUP_ID": 1, "USER_ID": 10}))
        .send()
        .await
}

fn executed_and_fault(p: &Portal) -> (bool, Option<FaultKind>, bool) {
    let entry = p.emu.log().into_iter().next().unwrap();
    (
        entry.executed,
        entry.fault,
        p.emu.state().role(1, 10) == Some(Role::Member),
    )
}

#[tokio::test]
async fn internal_error_before_and_after() {
    for (timing, ran) in [(BEFORE, false), (AFTER, true)] {
        let p = with_fault(FaultKind::InternalError, timing).await;
        let response = add(&p).await.unwrap();
        assert_eq!(response.status(), 500);
        assert_eq!(
            response.json::<serde_json::Value>().await.unwrap(),
            json!({"error": "INTERNAL_SERVER_ERROR", "error_description": "Internal server error"})
        );
        assert_eq!(
            executed_and_fault(&p),
            (ran, Some(FaultKind::InternalError), ran)
        );
        // max_hits(1): the retry goes through (and is skipped if the first call ran).
        let retry = result(common::read(add(&p).await.unwrap()).await);
        assert_eq!(retry, if ran { json!([]) } else { json!(["10"]) });
    }
}

#[tokio::test]
async fn html_pages() {
    for (kind, status) in [
        (FaultKind::ServiceUnavailable, 503),
        (FaultKind::HtmlError, 502),
    ] {
        let p = with_fault(kind, BEFORE).await;
        let response = add(&p).await.unwrap();
        assert_eq!(response.status(), status);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(response.text().await.unwrap().contains(&status.to_string()));
        assert_eq!(executed_and_fault(&p), (false, Some(kind), false));
    }
}

#[tokio::test]
async fn dropped_connections() {
    for (timing, ran) in [(BEFORE, false), (AFTER, true)] {
        let p = with_fault(FaultKind::Drop, timing).await;
        let outcome = match add(&p).await {
            Ok(response) => response.bytes().await.map(|_| ()),
            Err(e) => Err(e),
        };
        assert!(outcome.is_err(), "the client must see a broken response");
        assert_eq!(executed_and_fault(&p), (ran, Some(FaultKind::Drop), ran));
    }
}

#[tokio::test]
async fn truncated_json() {
    let p = with_fault(FaultKind::TruncatedJson, AFTER).await;
    let response = add(&p).await.unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(text.starts_with(r#"{"result":["10"],"#), "{text}");
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err());
    assert_eq!(
        executed_and_fault(&p),
        (true, Some(FaultKind::TruncatedJson), true)
    );
}

#[tokio::test]
async fn delay_holds_the_answer() {
    for timing in [BEFORE, AFTER] {
        let p = with_fault(FaultKind::Delay, timing).await;
        let started = Instant::now();
        assert_eq!(
            result(common::read(add(&p).await.unwrap()).await),
            json!(["10"])
        );
        assert!(started.elapsed() >= Duration::from_millis(300));
    }
}

#[tokio::test]
async fn decisions_are_deterministic_per_seed() {
    let faults = FaultConfig::new(42).rule(FaultRule::new(FaultKind::InternalError, BEFORE, 0.5));
    let mut runs = Vec::new();
    for _ in 0..2 {
        let p = start_with(Emulator::builder().faults(faults.clone())).await;
        let mut statuses = Vec::new();
        for _ in 0..16 {
            statuses.push(
                p.http
                    .get(format!("{}sonet_group.user.groups", p.emu.webhook_url()))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16(),
            );
        }
        assert_eq!(
            p.emu.counters().faults as usize,
            statuses.iter().filter(|s| **s == 500).count()
        );
        runs.push(statuses);
    }
    assert_eq!(runs[0], runs[1]);
    assert!(runs[0].contains(&500) && runs[0].contains(&200));
    // Faults can be switched off at run time.
    let p = start_with(Emulator::builder().faults(faults)).await;
    p.emu.set_faults(FaultConfig::default());
    for _ in 0..8 {
        assert_eq!(
            p.http
                .get(format!("{}sonet_group.user.groups", p.emu.webhook_url()))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
}
