//! Runs with injected faults: server errors (500 JSON), front-server pages
//! (503 and 502 HTML), dropped connections, truncated bodies and delays,
//! before and after the method runs, drawn from fixed seeds.
//!
//! Every call of a method that is safe to repeat (`.get`, `.groups`, `.add`,
//! `.update`, `.delete`) eventually succeeds and leaves the portal as one call
//! would. A method that is unsafe to repeat (`.invite`, `.request`) is never
//! executed twice for one call, as the emulator's log shows; a failure whose
//! effect is unknown reaches the caller as `Error::OutcomeUnknown`.

mod e2e_common;

use std::fmt::Debug;
use std::time::Duration;

use bitrix24::error::{OutcomeCause, TransportErrorKind};
use bitrix24::prelude::*;
use bitrix24::{AssignableRole, Client, Error, ErrorKind, Response, UserId};
use bitrix24_emulator::{
    Emulator, FaultConfig, FaultKind, FaultRule, FaultTiming, LogEntry, Role, RunningEmulator,
};
use e2e_common::{builder, demo_with_users, ids, start, unlimited_client};

/// Users without relations added to the demo portal for these runs.
fn fresh() -> std::ops::Range<u64> {
    100..130
}

/// Attempts per call: with about a third of the requests failing, 25
/// attempts leave no realistic chance of running out.
const ATTEMPTS: u32 = 25;

fn rule(kind: FaultKind, timing: FaultTiming, probability: f64) -> FaultRule {
    FaultRule::new(kind, timing, probability)
}

/// Server errors, HTML pages and dropped connections, before and after
/// execution; with `truncated`, also bodies cut in half.
fn mixed_faults(seed: u64, truncated: bool) -> FaultConfig {
    use FaultKind::{Drop, HtmlError, InternalError, ServiceUnavailable, TruncatedJson};
    use FaultTiming::{AfterExecution as After, BeforeExecution as Before};
    let mut config = FaultConfig::new(seed)
        .rule(rule(InternalError, Before, 0.06))
        .rule(rule(ServiceUnavailable, Before, 0.06))
        .rule(rule(HtmlError, Before, 0.04))
        .rule(rule(Drop, Before, 0.04))
        .rule(rule(InternalError, After, 0.06))
        .rule(rule(ServiceUnavailable, After, 0.06))
        .rule(rule(Drop, After, 0.06));
    if truncated {
        config =
            config
                .rule(rule(TruncatedJson, Before, 0.04))
                .rule(rule(TruncatedJson, After, 0.06));
    }
    config
}

/// The demo portal with fresh users, no rate limit to speak of, and `faults`.
async fn faulty_portal(faults: FaultConfig) -> RunningEmulator {
    start(
        Emulator::builder()
            .seed(demo_with_users(fresh()))
            .rate_limit(100_000, 100_000.0)
            .faults(faults),
    )
    .await
}

/// The result of a call that must succeed, naming the call otherwise.
fn succeeded<T, E: Debug>(what: &str, result: Result<Response<T>, Error<E>>) -> T {
    match result {
        Ok(response) => response.result,
        Err(error) => panic!("{what} failed ({:?}): {error:?}", error.kind()),
    }
}

/// Each fault kind and timing that struck in the log.
fn struck(log: &[LogEntry]) -> Vec<(FaultKind, bool)> {
    let mut seen: Vec<(FaultKind, bool)> = log
        .iter()
        .filter_map(|entry| entry.fault.map(|kind| (kind, entry.executed)))
        .collect();
    seen.sort_by_key(|(kind, executed)| (format!("{kind:?}"), *executed));
    seen.dedup();
    seen
}

/// For each fresh user: add to group 1, promote, read, list, remove; every
/// call must succeed and the portal must end where one clean run would.
async fn safe_workload(portal: &RunningEmulator, client: &Client) {
    for user in fresh() {
        let added = succeeded("add", client.sonet_group_user_add(1, user).await);
        // A retry after an add that ran finds the user already there.
        assert!(
            added == ids(&[user]) || added.is_empty(),
            "add {user}: {added:?}"
        );
        assert_eq!(portal.state().role(1, user), Some(Role::Member));

        let promoted = succeeded(
            "update",
            client
                .sonet_group_user_update(1, [user], AssignableRole::Moderator)
                .await,
        );
        assert!(promoted == ids(&[user]) || promoted.is_empty());
        assert_eq!(portal.state().role(1, user), Some(Role::Moderator));

        let members = succeeded("get", client.sonet_group_user_get(1).await);
        assert!(
            members.iter().any(|m| m.user_id == UserId::new(user)),
            "{members:?}"
        );
        let groups = succeeded("groups", client.sonet_group_user_groups().await);
        assert_eq!(groups.len(), 5);

        let removed = succeeded("delete", client.sonet_group_user_delete(1, user).await);
        assert!(removed == ids(&[user]) || removed.is_empty());
        assert_eq!(portal.state().role(1, user), None);
    }
}

#[tokio::test(start_paused = true)]
async fn retry_safe_methods_succeed_through_server_errors_and_dropped_connections() {
    let portal = faulty_portal(mixed_faults(20_240_601, false)).await;
    let client = unlimited_client(&portal.webhook_url(), ATTEMPTS);

    safe_workload(&portal, &client).await;

    let log = portal.log();
    let kinds = struck(&log);
    for expected in [
        (FaultKind::InternalError, false),
        (FaultKind::InternalError, true),
        (FaultKind::ServiceUnavailable, false),
        (FaultKind::ServiceUnavailable, true),
        (FaultKind::HtmlError, false),
        (FaultKind::Drop, false),
        (FaultKind::Drop, true),
    ] {
        assert!(
            kinds.contains(&expected),
            "the run never hit {expected:?}: {kinds:?}"
        );
    }
    let counters = portal.counters();
    assert!(counters.faults >= 20, "{counters:?}");
    // Faults after execution made the client send some calls again.
    let executed: u64 = [
        "sonet_group.user.add",
        "sonet_group.user.update",
        "sonet_group.user.get",
        "sonet_group.user.groups",
        "sonet_group.user.delete",
    ]
    .iter()
    .map(|method| counters.executed(method))
    .sum();
    assert!(
        executed > 5 * fresh().count() as u64,
        "{executed} executions"
    );
}

#[tokio::test(start_paused = true)]
async fn retry_safe_methods_succeed_through_truncated_answers_too() {
    let portal = faulty_portal(mixed_faults(20_240_602, true)).await;
    let client = unlimited_client(&portal.webhook_url(), ATTEMPTS);

    safe_workload(&portal, &client).await;

    let kinds = struck(&portal.log());
    assert!(
        kinds.contains(&(FaultKind::TruncatedJson, false)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(FaultKind::TruncatedJson, true)),
        "{kinds:?}"
    );
}

/// What one call of an unsafe method did on the portal.
#[derive(Debug, Default)]
struct Tally {
    succeeded: usize,
    unknown_and_ran: usize,
    unknown_and_not_run: usize,
    method_errors: usize,
}

/// Checks one finished call of an unsafe `method` against the log entries it
/// produced: never more than one execution, exactly one for a success, and
/// an unknown outcome for every other failure except a method error.
fn check_unsafe_call<T: Debug, E: Debug>(
    tally: &mut Tally,
    method: &str,
    result: &Result<Response<T>, Error<E>>,
    entries: &[LogEntry],
) {
    let executions = entries
        .iter()
        .filter(|entry| entry.method == method && entry.executed)
        .count();
    assert!(
        executions <= 1,
        "{method} ran {executions} times for one call: {entries:?}"
    );
    match result {
        Ok(_) => {
            assert_eq!(executions, 1, "a success ran exactly once: {entries:?}");
            tally.succeeded += 1;
        }
        Err(Error::OutcomeUnknown(unknown)) => {
            assert_eq!(unknown.method(), method);
            if executions == 1 {
                tally.unknown_and_ran += 1;
            } else {
                tally.unknown_and_not_run += 1;
            }
        }
        Err(Error::Method(_)) => tally.method_errors += 1,
        Err(other) => panic!(
            "{method}: an unsafe call failed as {:?}, not as an unknown outcome: {other:?}",
            other.kind()
        ),
    }
}

/// Each fresh user is invited to group 1 once; each call is checked alone.
async fn invite_each(portal: &RunningEmulator, client: &Client) -> Tally {
    let mut tally = Tally::default();
    for user in fresh() {
        let before = portal.log().len();
        let result = client
            .sonet_group_user_invite(1, user)
            .message("Welcome")
            .await;
        let entries = portal.log().split_off(before);
        check_unsafe_call(&mut tally, "sonet_group.user.invite", &result, &entries);
        let ran = entries.iter().any(|entry| entry.executed);
        assert_eq!(
            portal.state().role(1, user),
            ran.then_some(Role::Request),
            "user {user}: the portal shows the invitation exactly when it ran"
        );
        if let Ok(response) = &result {
            assert_eq!(response.result, ids(&[user]));
        }
    }
    tally
}

/// Each fresh user asks to join closed group 1 through its own webhook.
async fn request_each(portal: &RunningEmulator) -> Tally {
    let mut tally = Tally::default();
    for user in fresh() {
        let hook = portal
            .add_webhook(user, &["sonet_group"])
            .expect("the user exists");
        let client = unlimited_client(&hook, ATTEMPTS);
        let before = portal.log().len();
        let result = client.sonet_group_user_request(1).await;
        let entries = portal.log().split_off(before);
        check_unsafe_call(&mut tally, "sonet_group.user.request", &result, &entries);
        let ran = entries.iter().any(|entry| entry.executed);
        assert_eq!(portal.state().role(1, user), ran.then_some(Role::Request));
    }
    tally
}

/// Removes the invitations (a safe method, retried through the faults), so
/// the same users can ask to join.
async fn clear_invitations(portal: &RunningEmulator, admin: &Client) {
    let users: Vec<u64> = fresh().collect();
    succeeded("delete", admin.sonet_group_user_delete(1, users).await);
    assert!(fresh().all(|user| portal.state().role(1, user).is_none()));
}

fn assert_every_outcome_seen(tally: &Tally) {
    assert!(tally.succeeded > 0, "{tally:?}");
    assert!(
        tally.unknown_and_ran > 0,
        "no call ran and then lost its answer: {tally:?}"
    );
    assert!(
        tally.unknown_and_not_run > 0,
        "no call failed before running: {tally:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn unsafe_methods_are_never_executed_twice() {
    let portal = faulty_portal(mixed_faults(7, false)).await;
    let admin = unlimited_client(&portal.webhook_url(), ATTEMPTS);

    let invites = invite_each(&portal, &admin).await;
    assert_every_outcome_seen(&invites);
    assert_eq!(invites.method_errors, 0, "{invites:?}");

    clear_invitations(&portal, &admin).await;

    let requests = request_each(&portal).await;
    assert_every_outcome_seen(&requests);
    assert_eq!(requests.method_errors, 0, "{requests:?}");
}

#[tokio::test(start_paused = true)]
async fn unsafe_methods_with_truncated_answers_report_an_unknown_outcome() {
    let portal = faulty_portal(mixed_faults(11, true)).await;
    let admin = unlimited_client(&portal.webhook_url(), ATTEMPTS);

    let invites = invite_each(&portal, &admin).await;
    assert_every_outcome_seen(&invites);
    clear_invitations(&portal, &admin).await;
    let requests = request_each(&portal).await;
    assert_every_outcome_seen(&requests);
    let kinds = struck(&portal.log());
    assert!(
        kinds.contains(&(FaultKind::TruncatedJson, true)),
        "{kinds:?}"
    );
}

/// A portal whose first answer is spoiled by `kind`, at `timing`.
async fn first_answer_spoiled(kind: FaultKind, timing: FaultTiming) -> RunningEmulator {
    faulty_portal(FaultConfig::new(1).rule(rule(kind, timing, 1.0).max_hits(1))).await
}

#[tokio::test(start_paused = true)]
async fn a_lost_answer_to_an_invitation_is_not_resent() {
    let portal = first_answer_spoiled(FaultKind::Drop, FaultTiming::AfterExecution).await;
    let admin = unlimited_client(&portal.webhook_url(), ATTEMPTS);

    let error = admin
        .sonet_group_user_invite(1, 100)
        .await
        .expect_err("the answer was lost");
    assert_eq!(error.kind(), ErrorKind::OutcomeUnknown);
    let Error::OutcomeUnknown(unknown) = &error else {
        unreachable!()
    };
    assert!(
        matches!(unknown.cause(), OutcomeCause::Transport(transport) if transport.kind() == TransportErrorKind::Connection),
        "{unknown:?}"
    );
    let log = portal.log();
    assert_eq!(log.len(), 1, "not retried: {log:?}");
    assert!(log[0].executed);
    assert_eq!(
        portal.state().role(1, 100),
        Some(Role::Request),
        "it did run"
    );
}

#[tokio::test(start_paused = true)]
async fn a_lost_answer_to_a_safe_call_is_resent() {
    let portal = first_answer_spoiled(FaultKind::Drop, FaultTiming::AfterExecution).await;
    let admin = unlimited_client(&portal.webhook_url(), ATTEMPTS);

    let added = succeeded("add", admin.sonet_group_user_add(1, 100).await);
    assert!(
        added.is_empty(),
        "the retry finds the user added by the first attempt"
    );
    let log = portal.log();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|entry| entry.executed));
    assert_eq!(portal.state().role(1, 100), Some(Role::Member));
}

#[tokio::test(start_paused = true)]
async fn a_server_error_before_execution_leaves_an_invitation_unknown_and_unsent() {
    let portal = first_answer_spoiled(FaultKind::InternalError, FaultTiming::BeforeExecution).await;
    let admin = unlimited_client(&portal.webhook_url(), ATTEMPTS);

    let error = admin
        .sonet_group_user_invite(1, 100)
        .await
        .expect_err("the server failed");
    let Error::OutcomeUnknown(unknown) = &error else {
        panic!("expected an unknown outcome, got {error:?}")
    };
    let OutcomeCause::Server { status, error } = unknown.cause() else {
        panic!("expected the server's error, got {unknown:?}")
    };
    assert_eq!((*status, error.code()), (500, "INTERNAL_SERVER_ERROR"));
    assert_eq!(portal.log().len(), 1);
    assert_eq!(
        portal.state().role(1, 100),
        None,
        "the invitation never ran"
    );
}

#[tokio::test(start_paused = true)]
async fn an_html_page_from_the_front_server_is_retried_for_safe_calls() {
    let portal =
        first_answer_spoiled(FaultKind::ServiceUnavailable, FaultTiming::BeforeExecution).await;
    let admin = unlimited_client(&portal.webhook_url(), ATTEMPTS);

    let members = succeeded("get", admin.sonet_group_user_get(1).await);
    assert_eq!(members.len(), 4);
    let log = portal.log();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].status, 503);
    assert_eq!(log[0].fault, Some(FaultKind::ServiceUnavailable));
}

#[tokio::test(start_paused = true)]
async fn a_timed_out_invitation_is_an_unknown_outcome() {
    let portal = faulty_portal(
        FaultConfig::new(1)
            .delay(Duration::from_millis(600))
            .rule(rule(FaultKind::Delay, FaultTiming::AfterExecution, 1.0).max_hits(1)),
    )
    .await;
    let admin = builder(&portal.webhook_url())
        .request_timeout(Duration::from_millis(200))
        .retry(e2e_common::patient_retries(ATTEMPTS))
        .build()
        .expect("valid settings");

    let error = admin
        .sonet_group_user_invite(1, 100)
        .await
        .expect_err("the answer came too late");
    let Error::OutcomeUnknown(unknown) = &error else {
        panic!("expected an unknown outcome, got {error:?}")
    };
    assert!(
        matches!(unknown.cause(), OutcomeCause::Transport(transport) if transport.kind() == TransportErrorKind::Timeout),
        "{unknown:?}"
    );
    assert_eq!(portal.counters().executed("sonet_group.user.invite"), 1);
    assert_eq!(portal.state().role(1, 100), Some(Role::Request));
    // A safe call after the delay fault is spent goes through at once.
    succeeded("get", admin.sonet_group_user_get(1).await);
}

#[tokio::test(start_paused = true)]
async fn a_truncated_answer_to_a_safe_call_is_retried() {
    let portal = first_answer_spoiled(FaultKind::TruncatedJson, FaultTiming::AfterExecution).await;
    let admin = unlimited_client(&portal.webhook_url(), ATTEMPTS);

    let result = admin.sonet_group_user_get(1).await;
    let members = succeeded("get", result);
    assert_eq!(members.len(), 4);
    assert_eq!(portal.counters().executed("sonet_group.user.get"), 2);
}
