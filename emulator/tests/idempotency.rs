//! REST 3.0 `Idempotency-Key` over real HTTP: one run per key and body, replays, reuse with
//! another body, invalid keys, errors never stored, expiry on the portal's clock, scoping per
//! caller and method, the store's bound, and a retry after a lost answer.

mod common;

use std::time::Duration;

use bitrix24_emulator::{Emulator, FaultConfig, FaultKind, FaultRule, FaultTiming};
use common::{ApiAnswer, Portal, start, start_with};
use serde_json::{Value, json};

const KEY: &str = "9f1c1a7e-5f1b-4a1e-9a2c-2f5f2b6c7d80";

fn task(title: &str) -> Value {
    json!({"fields": {"title": title, "responsibleId": 1, "creatorId": 1}})
}

async fn add(p: &Portal, title: &str, key: &str) -> ApiAnswer {
    p.api("tasks.task.add", task(title), Some(key)).await
}

fn task_count(p: &Portal) -> usize {
    p.emu.state().tasks.len()
}

#[tokio::test]
async fn a_repeat_gets_the_stored_answer_and_the_method_runs_once() {
    let p = start().await;
    let first = add(&p, "Prepare a report", KEY).await;
    let id = first.result()["item"]["id"].clone();
    assert_eq!((first.key.as_deref(), first.replayed), (Some(KEY), false));
    let repeat = add(&p, "Prepare a report", KEY).await;
    assert_eq!((repeat.key.as_deref(), repeat.replayed), (Some(KEY), true));
    assert_eq!(
        repeat.body, first.body,
        "the stored answer, time object included"
    );
    assert_eq!(task_count(&p), 3);
    let counters = p.emu.counters();
    assert_eq!(
        (counters.executed("tasks.task.add"), counters.replayed),
        (1, 1)
    );

    let log = p.emu.log();
    let (a, b) = (&log[0], &log[1]);
    assert!(a.executed && !a.replayed);
    assert!(!b.executed && b.replayed && b.status == 200);
    assert!(a.idempotency_key.is_some() && a.idempotency_key == b.idempotency_key);
    assert!(
        !serde_json::to_string(&log).unwrap().contains(KEY),
        "no raw key in the log"
    );
    assert_eq!(
        p.emu.state().task(id.as_u64().unwrap()).unwrap().title,
        "Prepare a report"
    );
}

#[tokio::test]
async fn the_same_key_with_another_body_is_refused() {
    let p = start().await;
    assert_eq!(add(&p, "One", KEY).await.status, 200);
    let other = add(&p, "Two", KEY).await;
    assert_eq!(
        other.error(422)["code"],
        "BITRIX_REST_V3_EXCEPTION_IDEMPOTENCYKEYREUSEDEXCEPTION"
    );
    assert_eq!(other.key.as_deref(), Some(KEY));
    assert_eq!(task_count(&p), 3);
    // The stored answer is still there for the original body.
    assert!(add(&p, "One", KEY).await.replayed);
}

#[tokio::test]
async fn invalid_keys_are_refused_before_anything_runs() {
    let p = start().await;
    let long = "k".repeat(256);
    for key in ["", long.as_str(), "tab\there"] {
        let answer = add(&p, "x", key).await;
        assert_eq!(
            answer.error(400)["code"],
            "BITRIX_REST_V3_EXCEPTION_INVALIDIDEMPOTENCYKEYEXCEPTION",
            "{key:?}"
        );
        assert!(answer.key.is_none());
    }
    // Bytes past ASCII, which HTTP allows in a header value.
    let url = format!("{}tasks.task.add", p.emu.api_url());
    let raw = reqwest::header::HeaderValue::from_bytes(b"caf\xe9").unwrap();
    let response = p
        .http
        .post(&url)
        .header("Idempotency-Key", raw)
        .json(&task("x"));
    let answer = ApiAnswer::read(response.send().await.unwrap()).await;
    assert_eq!(answer.status, 400);
    // Twice in one request.
    let response = p
        .http
        .post(&url)
        .header("Idempotency-Key", "a")
        .header("Idempotency-Key", "a")
        .json(&task("x"));
    assert_eq!(
        ApiAnswer::read(response.send().await.unwrap()).await.status,
        400
    );
    assert_eq!(p.emu.counters().executed("tasks.task.add"), 0);
    // The longest valid key; and reads ignore the header, whatever it holds.
    assert_eq!(add(&p, "x", &"k".repeat(255)).await.status, 200);
    let read = p.api("tasks.task.get", json!({"id": 1}), Some("")).await;
    assert_eq!((read.status, read.key, read.replayed), (200, None, false));
}

#[tokio::test]
async fn errors_are_not_stored() {
    let p = start().await;
    let broken = json!({"fields": {"responsibleId": 1, "creatorId": 1}});
    for _ in 0..2 {
        let answer = p.api("tasks.task.add", broken.clone(), Some(KEY)).await;
        assert_eq!(answer.status, 400);
        assert!(!answer.replayed);
        assert_eq!(answer.key.as_deref(), Some(KEY));
    }
    assert_eq!(
        p.emu.counters().executed("tasks.task.add"),
        2,
        "ran both times"
    );
    // Nothing was stored, so a corrected body under the same key is a first call.
    let fixed = add(&p, "Fixed", KEY).await;
    assert!(fixed.status == 200 && !fixed.replayed);
}

#[tokio::test]
async fn answers_expire_after_24_hours_of_the_portals_clock() {
    let p = start().await;
    let first = add(&p, "Daily", KEY).await;
    p.emu.advance(Duration::from_secs(24 * 3600 - 60));
    let repeat = add(&p, "Daily", KEY).await;
    assert!(repeat.replayed);
    assert_eq!(repeat.body, first.body);
    p.emu.advance(Duration::from_secs(60));
    let later = add(&p, "Daily", KEY).await;
    assert!(!later.replayed);
    assert_ne!(later.result()["item"]["id"], first.result()["item"]["id"]);
    assert_eq!(task_count(&p), 4);
}

#[tokio::test]
async fn keys_belong_to_one_caller_and_one_method() {
    let p = start().await;
    assert_eq!(add(&p, "Mine", KEY).await.status, 200);
    // Another method: an independent call.
    let update = json!({"id": 3, "fields": {"title": "Mine, changed"}});
    let updated = p.api("tasks.task.update", update.clone(), Some(KEY)).await;
    assert!(updated.status == 200 && !updated.replayed);
    assert!(p.api("tasks.task.update", update, Some(KEY)).await.replayed);
    // Another webhook of the same user, and the application acting as that user.
    let second_hook = p
        .emu
        .add_webhook(1, &["tasks"])
        .unwrap()
        .replace("/rest/", "/rest/api/");
    let other = p
        .api_at(&second_hook, "tasks.task.add", &task("Mine"), Some(KEY))
        .await;
    assert!(other.status == 200 && !other.replayed);
    let app = p.emu.oauth().unwrap();
    let token = app.access_token.expose();
    let url = format!("{}tasks.task.add", p.emu.api_endpoint());
    let mut body = task("Mine");
    body["auth"] = json!(token);
    let by_app = |body: &Value| {
        p.http
            .post(&url)
            .header("Idempotency-Key", KEY)
            .json(body)
            .send()
    };
    let first = ApiAnswer::read(by_app(&body).await.unwrap()).await;
    assert!(first.status == 200 && !first.replayed);
    // The token is not part of the body that must match: a refreshed one, or the header
    // instead of `auth`, still repeats the same call.
    let repeat = p
        .http
        .post(&url)
        .bearer_auth(token)
        .header("Idempotency-Key", KEY)
        .json(&task("Mine"))
        .send()
        .await
        .unwrap();
    assert!(ApiAnswer::read(repeat).await.replayed);
    assert_eq!(task_count(&p), 5, "the demo's two, then one per caller");
}

#[tokio::test]
async fn the_store_is_bounded_oldest_first() {
    let p = start_with(Emulator::builder().idempotency_capacity(2)).await;
    for key in ["a", "b", "c"] {
        assert_eq!(add(&p, key, key).await.status, 200);
    }
    assert!(add(&p, "c", "c").await.replayed);
    assert!(add(&p, "b", "b").await.replayed);
    let evicted = add(&p, "a", "a").await;
    assert!(evicted.status == 200 && !evicted.replayed, "ran again");
    assert_eq!(p.emu.counters().executed("tasks.task.add"), 4);
}

/// The client's case the header exists for: the write ran, the answer was lost on the way,
/// the client retries with the same key and gets the answer without a second task.
#[tokio::test]
async fn a_retry_after_a_lost_answer_is_replayed() {
    let lose_one_add = FaultConfig::new(1).rule(
        FaultRule::new(FaultKind::Drop, FaultTiming::AfterExecution, 1.0)
            .method("tasks.task.add")
            .max_hits(1),
    );
    let p = start_with(Emulator::builder().faults(lose_one_add)).await;
    // Other methods are not hit.
    assert_eq!(
        p.api("tasks.task.get", json!({"id": 1}), None).await.status,
        200
    );
    let url = format!("{}tasks.task.add", p.emu.api_url());
    let lost = p
        .http
        .post(&url)
        .header("Idempotency-Key", KEY)
        .json(&task("Exactly once"))
        .send()
        .await;
    let lost = match lost {
        Ok(response) => response.bytes().await.map(|_| ()),
        Err(error) => Err(error),
    };
    assert!(lost.is_err(), "the client must see a broken answer");
    assert_eq!(task_count(&p), 3, "the task was created all the same");

    let retry = add(&p, "Exactly once", KEY).await;
    assert!(retry.replayed);
    assert_eq!(retry.key.as_deref(), Some(KEY));
    let id = retry.result()["item"]["id"].as_u64().unwrap();
    let titles: Vec<_> = p.emu.state().tasks.into_iter().map(|t| t.title).collect();
    assert_eq!(titles.iter().filter(|t| *t == "Exactly once").count(), 1);
    assert_eq!(p.emu.state().task(id).unwrap().title, "Exactly once");
    assert_eq!(p.emu.counters().executed("tasks.task.add"), 1);
    let log = p.emu.log();
    assert_eq!(log[1].fault, Some(FaultKind::Drop));
    assert!(log[1].executed && log[2].replayed);
}
