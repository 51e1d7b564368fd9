//! `batch` through the typed client against the emulated demo portal over real
//! HTTP: mixed methods, a failing command, halting, the 50-command limit,
//! order of execution, per-command scope checks, and retries of the whole
//! batch only when every command is safe to send twice.
//!
//! Demo portal: user 1 is the admin behind the default webhook; groups 1 to 7
//! exist, and no group 999; group 5 is opened; user 10 has no relations.

mod e2e_common;

use bitrix24::error::SystemErrorCategory;
use bitrix24::prelude::*;
use bitrix24::{
    Batch, CommandError, ErrorKind, MemberRole, SonetGroupUserAdd, SonetGroupUserGet,
    SonetGroupUserGetError, SonetGroupUserGroups, SonetGroupUserInvite, UserId,
};
use bitrix24_emulator::{Emulator, FaultConfig, FaultKind, FaultRule, FaultTiming};
use e2e_common::{admin, demo, entries_of, start, unlimited_client};

/// The log entries of commands run inside batches.
fn batch_commands(portal: &bitrix24_emulator::RunningEmulator) -> Vec<String> {
    portal
        .log()
        .into_iter()
        .filter(|entry| entry.in_batch)
        .map(|entry| entry.method)
        .collect()
}

#[tokio::test]
async fn mixed_methods_give_the_same_typed_results_as_single_calls() {
    let portal = demo().await;
    let client = admin(&portal);

    let mut batch = Batch::new();
    let marketing = batch.add(SonetGroupUserGet::new(1)).unwrap();
    let groups = batch.add(SonetGroupUserGroups::new()).unwrap();
    let open_space = batch.add(SonetGroupUserGet::new(5)).unwrap();
    let results = client.call_batch(&batch).await.expect("the batch runs");

    let marketing = results.get(marketing).expect("group 1 is read");
    assert_eq!(
        marketing.result,
        client.sonet_group_user_get(1).await.unwrap().result
    );
    assert!(marketing.time.operating.is_some(), "the command's own time");
    assert_eq!(
        results.get(groups).unwrap().result,
        client.sonet_group_user_groups().await.unwrap().result
    );
    assert_eq!(
        results.get(open_space).unwrap().result,
        client.sonet_group_user_get(5).await.unwrap().result
    );
    assert_eq!(entries_of(&portal, "batch").len(), 1, "one HTTP call");
    assert_eq!(
        batch_commands(&portal),
        [
            "sonet_group.user.get",
            "sonet_group.user.groups",
            "sonet_group.user.get"
        ]
    );
}

#[tokio::test]
async fn a_failing_command_has_its_typed_error_and_the_others_their_results() {
    let portal = demo().await;
    let client = admin(&portal);

    let mut batch = Batch::new();
    let before = batch.add(SonetGroupUserGet::new(1)).unwrap();
    let missing = batch.add(SonetGroupUserGet::new(999)).unwrap();
    let after = batch.add(SonetGroupUserGroups::new()).unwrap();
    let results = client.call_batch(&batch).await.expect("the batch runs");

    assert_eq!(
        results.get(missing).unwrap_err(),
        CommandError::Method(SonetGroupUserGetError::GroupNotFound)
    );
    assert_eq!(results.get(before).unwrap().result.len(), 4);
    assert!(!results.get(after).unwrap().result.is_empty());
}

#[tokio::test]
async fn halting_stops_at_the_first_failure_in_the_order_added() {
    let portal = demo().await;
    let client = admin(&portal);

    // Past ten commands, so an order that sorted `c10` before `c2` would show.
    let mut batch = Batch::new().halt_on_error(true);
    let ran: Vec<_> = (0..11)
        .map(|index| batch.add(SonetGroupUserGet::new(index % 7 + 1)).unwrap())
        .collect();
    let failing = batch.add(SonetGroupUserGet::new(999)).unwrap();
    let skipped = [
        batch.add(SonetGroupUserGet::new(1)).unwrap(),
        batch.add(SonetGroupUserGet::new(2)).unwrap(),
    ];
    let results = client.call_batch(&batch).await.expect("the batch runs");

    for key in ran {
        assert!(results.get(key).is_ok(), "{key:?} ran");
    }
    assert_eq!(
        results.get(failing).unwrap_err(),
        CommandError::Method(SonetGroupUserGetError::GroupNotFound)
    );
    for key in skipped {
        assert_eq!(results.get(key).unwrap_err(), CommandError::NotRun);
    }
    assert_eq!(
        batch_commands(&portal).len(),
        12,
        "nothing ran after the failure"
    );
}

#[tokio::test]
async fn fifty_commands_run_in_one_call_each_with_its_own_result() {
    let portal = demo().await;
    let client = admin(&portal);

    let mut batch = Batch::new();
    let keys: Vec<_> = (0..50u64)
        .map(|index| {
            let group = index % 7 + 1;
            (group, batch.add(SonetGroupUserGet::new(group)).unwrap())
        })
        .collect();
    assert!(batch.add(SonetGroupUserGet::new(1)).is_err(), "no 51st");
    let results = client.call_batch(&batch).await.expect("the batch runs");

    assert_eq!(results.len(), 50);
    for group in 1..=7 {
        let single = client.sonet_group_user_get(group).await.unwrap().result;
        for (_, key) in keys.iter().filter(|(of, _)| *of == group) {
            assert_eq!(results.get(*key).unwrap().result, single, "group {group}");
        }
    }
    assert_eq!(batch_commands(&portal).len(), 50);
    assert_eq!(entries_of(&portal, "batch").len(), 1);
}

#[tokio::test]
async fn later_commands_see_the_effects_of_earlier_ones() {
    let portal = demo().await;
    let client = admin(&portal);

    let mut batch = Batch::new();
    let added = batch.add(SonetGroupUserAdd::new(5, 10)).unwrap();
    let members = batch.add(SonetGroupUserGet::new(5)).unwrap();
    let results = client.call_batch(&batch).await.expect("the batch runs");

    assert_eq!(results.get(added).unwrap().result, [UserId::new(10)]);
    let members = results.get(members).unwrap().result;
    assert!(
        members
            .iter()
            .any(|member| member.user_id == UserId::new(10) && member.role == MemberRole::Member),
        "{members:?}"
    );
}

#[tokio::test]
async fn each_command_is_checked_for_its_scope() {
    let portal = demo().await;
    let hook = portal
        .add_webhook(1, &["user"])
        .expect("the admin gets a webhook without sonet_group");
    let client = e2e_common::client(&hook);

    let mut batch = Batch::new();
    let members = batch.add(SonetGroupUserGet::new(1)).unwrap();
    let results = client
        .call_batch(&batch)
        .await
        .expect("batch itself needs no scope");

    let Err(CommandError::Method(SonetGroupUserGetError::System(system))) = results.get(members)
    else {
        panic!("not a scope error")
    };
    assert_eq!(system.category(), SystemErrorCategory::Scope);
    assert_eq!(
        system.description(),
        "",
        "inside batch the description is empty"
    );
}

#[tokio::test]
async fn a_batch_is_sent_again_after_a_server_failure_only_if_every_command_is_safe() {
    // The first request fails with a 500 after the portal ran it.
    let fail_once = || {
        FaultConfig::new(1).rule(
            FaultRule::new(FaultKind::InternalError, FaultTiming::AfterExecution, 1.0).max_hits(1),
        )
    };

    let portal = start(Emulator::builder().faults(fail_once())).await;
    let client = unlimited_client(&portal.webhook_url(), 3);
    let mut reads = Batch::new();
    let members = reads.add(SonetGroupUserGet::new(1)).unwrap();
    let results = client.call_batch(&reads).await.expect("retried");
    assert_eq!(results.get(members).unwrap().result.len(), 4);
    assert_eq!(entries_of(&portal, "batch").len(), 2, "sent twice");

    let portal = start(Emulator::builder().faults(fail_once())).await;
    let client = unlimited_client(&portal.webhook_url(), 3);
    let mut invites = Batch::new();
    invites.add(SonetGroupUserGet::new(5)).unwrap();
    invites.add(SonetGroupUserInvite::new(5, 10)).unwrap();
    let error = client.call_batch(&invites).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::OutcomeUnknown, "{error:?}");
    assert_eq!(entries_of(&portal, "batch").len(), 1, "never sent twice");
    assert_eq!(portal.counters().executed("sonet_group.user.invite"), 1);
}
