//! REST 3.0 end to end: typed calls of the generated `tasks.task.*` REST 3.0
//! methods against the emulator, which serves them at `/rest/api/` with the
//! portal's idempotency rules. A write whose answer is lost is sent again
//! with its key and runs once; a key reused with another body is the typed
//! system error; the REST 2 twin of a name still goes to `/rest/`.

mod e2e_common;

use bitrix24::Error;
use bitrix24::error::SystemErrorCode;
use bitrix24::prelude::*;
use bitrix24::tasks::{
    TasksTaskAddV3Fields, TasksTaskGet, TasksTaskGetError, TasksTaskUpdateV3Error,
};
use bitrix24_emulator::{Emulator, FaultConfig, FaultKind, FaultRule, FaultTiming};
use e2e_common::{admin, start};
use serde_json::json;

/// Loses the answer of the next call of `method` after the method ran.
fn lose_the_answer_of(method: &str) -> FaultConfig {
    FaultConfig::new(7).rule(
        FaultRule::new(FaultKind::Drop, FaultTiming::AfterExecution, 1.0)
            .method(method)
            .max_hits(1),
    )
}

#[tokio::test(start_paused = true)]
async fn a_write_whose_answer_was_lost_runs_once_and_its_repeat_is_replayed() {
    let portal = start(Emulator::builder().faults(lose_the_answer_of("tasks.task.add"))).await;
    let client = admin(&portal);
    let before = portal.state().tasks.len();
    let added = client
        .tasks_task_add_v3(TasksTaskAddV3Fields::new("Prepare the report", 1, 1))
        .await
        .expect("the repeat with the same key succeeds");
    assert!(added.replayed(), "the portal answered from its store");
    assert!(added.idempotency_key().is_some_and(|key| !key.is_empty()));
    let id = added
        .result
        .item
        .and_then(|item| item.id)
        .expect("the new task's ID");
    assert_eq!(portal.counters().executed("tasks.task.add"), 1, "ran once");
    assert_eq!(portal.state().tasks.len(), before + 1, "one task more");
    let task = portal
        .state()
        .task(id.try_into().unwrap())
        .cloned()
        .expect("stored");
    assert_eq!(task.title, "Prepare the report");
    let keys: Vec<_> = portal
        .log()
        .iter()
        .filter(|entry| entry.method == "tasks.task.add")
        .map(|entry| entry.idempotency_key.clone())
        .collect();
    assert_eq!(keys.len(), 2, "sent twice");
    assert!(keys[0].is_some() && keys[0] == keys[1], "{keys:?}");
    portal.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_key_of_the_caller_replays_the_same_call_and_refuses_another() {
    let portal = start(Emulator::builder()).await;
    let client = admin(&portal);
    let id = client
        .tasks_task_add_v3(TasksTaskAddV3Fields::new("Draft", 1, 1))
        .await
        .unwrap()
        .result
        .item
        .and_then(|item| item.id)
        .unwrap();
    let rename = |title: &str| {
        client
            .tasks_task_update_v3(id, json!({ "title": title }))
            .idempotency_key("rename-draft-1")
    };
    let first = rename("Final").await.unwrap();
    assert!(!first.replayed());
    assert_eq!(first.idempotency_key(), Some("rename-draft-1"));
    let again = rename("Final").await.unwrap();
    assert!(again.replayed());
    assert_eq!(portal.counters().executed("tasks.task.update"), 1);

    let other = rename("Something else").await;
    match other {
        Err(Error::Method(TasksTaskUpdateV3Error::System(error))) => {
            assert_eq!(error.code(), SystemErrorCode::RestV3IdempotencyKeyReused);
        }
        other => panic!("not the reused-key error: {other:?}"),
    }
    let read = client.tasks_task_get_v3(id).await.unwrap();
    assert!(read.idempotency_key().is_none(), "a read sends no key");
    let title = read.result.item.and_then(|item| item.title);
    assert_eq!(title.as_deref(), Some("Final"), "the other body never ran");

    let bad = client
        .tasks_task_update_v3(id, json!({ "title": "x" }))
        .idempotency_key("")
        .await;
    assert!(
        matches!(bad, Err(Error::Request(_))),
        "an empty key is refused before sending: {bad:?}"
    );
    assert_eq!(portal.counters().executed("tasks.task.update"), 1);
    portal.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_name_both_versions_serve_goes_to_each_address() {
    let portal = start(Emulator::builder()).await;
    let client = admin(&portal);
    // The emulator serves tasks in REST 3.0 only: the REST 2 method of the
    // same name reaches `/rest/`, where it does not exist.
    let rest2 = client.call(TasksTaskGet::new(1)).await;
    assert!(
        matches!(&rest2, Err(Error::Method(TasksTaskGetError::System(error)))
            if error.code() == SystemErrorCode::MethodNotFound),
        "{rest2:?}"
    );
    let rest3 = client.tasks_task_get_v3(1).await.expect("the seeded task");
    assert!(rest3.result.item.is_some());
    let paths: Vec<bool> = portal.log().iter().map(|entry| entry.rest_v3).collect();
    assert_eq!(paths, [false, true]);
    portal.shutdown().await;
}
