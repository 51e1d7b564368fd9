//! `Client::bulk` against the emulator over real HTTP: any number of
//! requests in batches of 50, results in input order, failures that stay
//! with their own command, mixed methods under injected faults where every
//! safe command succeeds and no unsafe one runs twice, progress, and a
//! stream of requests.

mod e2e_common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bitrix24::OperatingLimit as ClientOperatingLimit;
use bitrix24::{
    BulkAnswer, BulkCommand, BulkRequest, Error, ErrorKind, Response, SonetGroupUserAdd,
    SonetGroupUserAddError, SonetGroupUserGet, SonetGroupUserGetError, SonetGroupUserInvite,
    SonetGroupUserInviteError, UserId,
};
use bitrix24_emulator::{
    Emulator, FaultConfig, FaultKind, FaultRule, FaultTiming, OperatingLimit, RunningEmulator,
};
use e2e_common::{builder, demo_with_users, entries_of, patient_retries, start, unlimited_client};
use futures_util::StreamExt;

/// The first ID of the users a test adds, past the demo's.
const FIRST_USER: u64 = 1_000;

async fn portal_with_users(count: u64) -> RunningEmulator {
    start(Emulator::builder().seed(demo_with_users(FIRST_USER..FIRST_USER + count))).await
}

/// The batch commands the emulator ran, by method.
fn commands_run(portal: &RunningEmulator) -> Vec<bitrix24_emulator::LogEntry> {
    portal
        .log()
        .into_iter()
        .filter(|entry| entry.in_batch && entry.executed)
        .collect()
}

#[tokio::test(start_paused = true)]
async fn any_number_of_requests_go_fifty_per_batch_with_results_in_input_order() {
    let portal = portal_with_users(130).await;
    let client = unlimited_client(&portal.webhook_url(), 1);
    let members_before = portal.state().members(1).len();
    // Every tenth add goes to a group that does not exist.
    let requests: Vec<SonetGroupUserAdd> = (0..130)
        .map(|n| SonetGroupUserAdd::new(if n % 10 == 3 { 999 } else { 1 }, FIRST_USER + n))
        .collect();
    let reports = Arc::new(Mutex::new(Vec::new()));
    let seen = reports.clone();
    let outcomes = client
        .bulk(requests)
        .on_progress(move |progress| seen.lock().unwrap().push(progress))
        .collect_all()
        .await;

    assert_eq!(outcomes.len(), 130);
    for (n, outcome) in outcomes.iter().enumerate() {
        let user = FIRST_USER + n as u64;
        match outcome {
            Ok(added) if n % 10 != 3 => assert_eq!(added.result, [UserId::new(user)], "#{n}"),
            Err(Error::Method(SonetGroupUserAddError::GroupNotFound)) if n % 10 == 3 => {}
            other => panic!("#{n}: {other:?}"),
        }
    }
    assert_eq!(entries_of(&portal, "batch").len(), 3, "50 + 50 + 30");
    let members = portal.state().members(1).len();
    assert_eq!(members, members_before + 117, "every successful add");

    let reports = reports.lock().unwrap();
    assert_eq!(reports.len(), 3);
    let last = reports
        .iter()
        .max_by_key(|progress| progress.finished)
        .unwrap();
    assert_eq!((last.finished, last.failed, last.batches), (130, 13, 3));
}

#[tokio::test(start_paused = true)]
async fn no_requests_send_nothing() {
    let portal = portal_with_users(0).await;
    let client = unlimited_client(&portal.webhook_url(), 1);
    let outcomes = client
        .bulk(Vec::<SonetGroupUserGet>::new())
        .collect_all()
        .await;
    assert!(outcomes.is_empty());
    assert!(portal.log().is_empty());
}

#[tokio::test(start_paused = true)]
async fn requests_from_a_stream_are_sent_as_they_come() {
    let portal = portal_with_users(60).await;
    let client = unlimited_client(&portal.webhook_url(), 1);
    let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
    let requests = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|request| (request, receiver))
    });
    let mut outcomes = client.bulk_stream(requests).concurrency(1);
    sender.send(SonetGroupUserAdd::new(1, FIRST_USER)).unwrap();
    let first = outcomes.next().await.expect("one outcome").expect("added");
    assert_eq!(
        first.result,
        [UserId::new(FIRST_USER)],
        "sent without waiting for 49 more"
    );
    for user in FIRST_USER + 1..FIRST_USER + 60 {
        sender.send(SonetGroupUserAdd::new(1, user)).unwrap();
    }
    drop(sender);
    let rest: Vec<_> = outcomes.collect().await;
    assert_eq!(rest.len(), 59);
    assert!(rest.iter().all(Result::is_ok));
}

/// Three methods in one run: two safe to repeat, one not.
enum Work {
    Add(SonetGroupUserAdd),
    Invite(SonetGroupUserInvite),
    Members(SonetGroupUserGet),
}

#[derive(Debug)]
enum Done {
    Added(Result<Response<Vec<UserId>>, Error<SonetGroupUserAddError>>),
    Invited(Result<Response<Vec<UserId>>, Error<SonetGroupUserInviteError>>),
    Members(
        Result<Response<Vec<bitrix24::sonet_group::GroupMember>>, Error<SonetGroupUserGetError>>,
    ),
}

impl BulkRequest for Work {
    type Output = Done;

    fn command(&self) -> BulkCommand {
        match self {
            Work::Add(request) => BulkCommand::of(request),
            Work::Invite(request) => BulkCommand::of(request),
            Work::Members(request) => BulkCommand::of(request),
        }
    }

    fn read(&self, answer: BulkAnswer<'_>) -> Done {
        match self {
            Work::Add(_) => Done::Added(answer.decode::<SonetGroupUserAdd>()),
            Work::Invite(_) => Done::Invited(answer.decode::<SonetGroupUserInvite>()),
            Work::Members(_) => Done::Members(answer.decode::<SonetGroupUserGet>()),
        }
    }
}

#[tokio::test(start_paused = true)]
async fn under_faults_every_safe_command_succeeds_and_no_unsafe_one_runs_twice() {
    const COUNT: u64 = 2_000;
    // A bucket that retries under faults cannot exhaust: this test is about faults.
    let portal = start(
        Emulator::builder()
            .seed(demo_with_users(FIRST_USER..FIRST_USER + COUNT))
            .rate_limit(100_000, 1_000.0),
    )
    .await;
    // Answers lost after the batch ran, and failures before it ran.
    portal.set_faults(
        FaultConfig::new(7)
            .rule(FaultRule::new(
                FaultKind::Drop,
                FaultTiming::AfterExecution,
                0.15,
            ))
            .rule(FaultRule::new(
                FaultKind::InternalError,
                FaultTiming::AfterExecution,
                0.1,
            ))
            .rule(FaultRule::new(
                FaultKind::ServiceUnavailable,
                FaultTiming::BeforeExecution,
                0.1,
            )),
    );
    let client = unlimited_client(&portal.webhook_url(), 30);
    let work: Vec<Work> = (0..COUNT)
        .map(|n| {
            let user = FIRST_USER + n;
            match n % 3 {
                0 => Work::Add(SonetGroupUserAdd::new(2, user)),
                1 => Work::Invite(SonetGroupUserInvite::new(3, user)),
                _ => Work::Members(SonetGroupUserGet::new(1)),
            }
        })
        .collect();
    let outcomes = client.bulk(work).collect_all().await;
    assert_eq!(outcomes.len() as u64, COUNT);

    let mut unknown = 0;
    let mut invited = Vec::new();
    for (n, outcome) in outcomes.iter().enumerate() {
        let user = FIRST_USER + n as u64;
        match outcome {
            // Empty when the add was sent again after a lost answer: the
            // user was already a member by then.
            Done::Added(Ok(added)) => assert!(
                added.result.is_empty() || added.result == [UserId::new(user)],
                "#{n}: {added:?}"
            ),
            Done::Members(Ok(members)) => assert!(!members.result.is_empty()),
            Done::Invited(Ok(sent)) => {
                assert_eq!(sent.result, [UserId::new(user)]);
                invited.push(user);
            }
            Done::Invited(Err(error)) if error.kind() == ErrorKind::OutcomeUnknown => unknown += 1,
            other => panic!("#{n} failed: {other:?}"),
        }
    }
    assert!(portal.counters().faults > 0, "faults were injected");
    assert!(unknown > 0, "some invitations were lost after they ran");

    // The emulator's own log: no invitation reached it twice, and every
    // invitation whose outcome was reported ran exactly once.
    let mut runs: BTreeMap<String, usize> = BTreeMap::new();
    let invitations = portal
        .log()
        .into_iter()
        .filter(|entry| entry.in_batch && entry.method == "sonet_group.user.invite");
    for entry in invitations {
        assert!(entry.executed, "an invitation that reached the portal ran");
        *runs.entry(entry.params["USER_ID"].to_string()).or_default() += 1;
    }
    assert!(
        runs.values().all(|count| *count == 1),
        "an invitation was sent twice"
    );
    for user in invited {
        assert_eq!(runs.get(&format!("\"{user}\"")), Some(&1), "user {user}");
    }
    let state = portal.state();
    let added = (0..COUNT).filter(|n| n % 3 == 0).map(|n| FIRST_USER + n);
    assert!(
        added.clone().all(|user| state.role(2, user).is_some()),
        "every add took effect"
    );
}

#[tokio::test(start_paused = true)]
async fn a_batch_that_fails_as_a_whole_fails_each_of_its_requests() {
    let portal = portal_with_users(0).await;
    portal.set_faults(FaultConfig::new(1).rule(FaultRule::new(
        FaultKind::InternalError,
        FaultTiming::BeforeExecution,
        1.0,
    )));
    let client = unlimited_client(&portal.webhook_url(), 2);
    let outcomes = client
        .bulk((0..3).map(|_| SonetGroupUserGet::new(1)))
        .collect_all()
        .await;
    assert_eq!(outcomes.len(), 3);
    for outcome in &outcomes {
        let error = outcome.as_ref().unwrap_err();
        assert!(
            matches!(
                error.kind(),
                ErrorKind::Method | ErrorKind::DeadlineExceeded
            ),
            "{error:?}"
        );
    }
    assert!(commands_run(&portal).is_empty());
}

#[tokio::test(start_paused = true)]
async fn commands_refused_for_a_used_up_budget_are_sent_again_once_it_resets() {
    // Each `.get` costs one second of a two-second budget per ten emulated
    // minutes, which pass in one real second.
    let limit = OperatingLimit::new(Duration::from_secs(2))
        .charge_method("sonet_group.user.get", Duration::from_secs(1));
    let portal = start(Emulator::builder().time_scale(600.0).operating_limit(limit)).await;
    let client = builder(&portal.webhook_url())
        .operating_limit(
            ClientOperatingLimit::new(Duration::from_secs(2), Duration::ZERO)
                .unknown_reset_wait(Duration::from_millis(100)),
        )
        // One attempt for the client's own calls; the run asks for more.
        .retry(bitrix24::RetryPolicy::default().max_attempts(1))
        .build()
        .unwrap();

    let outcomes = client
        .bulk((0..6).map(|_| SonetGroupUserGet::new(1)))
        .retry_policy(patient_retries(30))
        .collect_all()
        .await;

    assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
    assert_eq!(
        portal.counters().executed("sonet_group.user.get"),
        6,
        "each ran once"
    );
    let refused = portal
        .log()
        .into_iter()
        .filter(|entry| entry.in_batch && entry.error.as_deref() == Some("OPERATION_TIME_LIMIT"))
        .count();
    assert!(refused > 0, "the budget ran out inside a batch");
    assert!(
        entries_of(&portal, "batch").len() > 1,
        "the refused ones went again"
    );
}

#[tokio::test(start_paused = true)]
async fn raw_requests_go_in_batches_with_their_own_results_and_retry_rule() {
    let portal = portal_with_users(3).await;
    // Every answer of the first batch is lost after it ran.
    portal.set_faults(
        FaultConfig::new(1)
            .rule(FaultRule::new(FaultKind::Drop, FaultTiming::AfterExecution, 1.0).max_hits(1)),
    );
    let client = unlimited_client(&portal.webhook_url(), 5);
    let requests = vec![
        bitrix24::RawRequest::new("sonet_group.user.get", serde_json::json!({"ID": 1}))
            .retry_safe(true),
        bitrix24::RawRequest::new(
            "sonet_group.user.invite",
            serde_json::json!({"GROUP_ID": 3, "USER_ID": FIRST_USER}),
        ),
        bitrix24::RawRequest::new("sonet_group.user.get", serde_json::json!({"ID": 999}))
            .retry_safe(true),
    ];
    let outcomes = client.bulk(requests).collect_all().await;

    let members = outcomes[0].as_ref().expect("a safe read is sent again");
    assert!(
        members
            .result
            .as_array()
            .is_some_and(|list| !list.is_empty())
    );
    assert_eq!(
        outcomes[1].as_ref().map_err(Error::kind).unwrap_err(),
        ErrorKind::OutcomeUnknown,
        "an unsafe write is not sent again"
    );
    let missing = outcomes[2].as_ref().unwrap_err();
    assert!(
        matches!(missing, Error::Method(error) if error.description() == "Socialnetwork group not found"),
        "{missing:?}"
    );
    assert_eq!(portal.counters().executed("sonet_group.user.invite"), 1);
}
