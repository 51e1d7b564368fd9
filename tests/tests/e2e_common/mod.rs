//! Helpers shared by the end-to-end tests: an emulated portal on a loopback
//! port, clients pointed at it, and readers for its state and request log.
//!
//! Every test starts its own emulator, so tests never share state, limits or
//! logs. Nothing here reaches beyond 127.0.0.1.

#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use bitrix24::{Client, ClientBuilder, MemberRole, RateLimit, RetryPolicy, UserId};
use bitrix24_emulator::{Emulator, EmulatorBuilder, LogEntry, Role, RunningEmulator, Seed, User};

/// Starts the demo portal with the emulator's defaults.
pub async fn demo() -> RunningEmulator {
    start(Emulator::builder()).await
}

/// Starts a configured portal, ready for tests on a paused clock (no
/// connection timeouts; the emulator's own tests cover those).
pub async fn start(builder: EmulatorBuilder) -> RunningEmulator {
    builder
        .paused_time()
        .start()
        .await
        .expect("the emulator starts on a loopback port")
}

/// The demo seed plus active employees with the given IDs and no relations.
pub fn demo_with_users(ids: impl IntoIterator<Item = u64>) -> Seed {
    let mut seed = Seed::demo();
    for id in ids {
        seed.users.push(User::new(id, format!("User {id}")));
    }
    seed
}

/// A webhook client builder for `url`, allowed to use plain http on loopback.
pub fn builder(url: &str) -> ClientBuilder {
    ClientBuilder::webhook(url).allow_http_loopback(true)
}

/// A client with the default limits and retries for a webhook URL.
pub fn client(url: &str) -> Client {
    builder(url).build().expect("the webhook URL is valid")
}

/// The client of the demo admin (user 1), with default settings.
pub fn admin(portal: &RunningEmulator) -> Client {
    client(&portal.webhook_url())
}

/// A client for the first webhook of a demo user.
pub fn client_of(portal: &RunningEmulator, user: u64) -> Client {
    client(
        &portal
            .webhook_url_for(user)
            .expect("the user has a webhook"),
    )
}

/// A client for a new `sonet_group` webhook of `user`.
pub fn new_hook_client(portal: &RunningEmulator, user: u64) -> Client {
    client(
        &portal
            .add_webhook(user, &["sonet_group"])
            .expect("the user exists"),
    )
}

/// Fast retries for runs with injected failures: many attempts, short backoff.
pub fn patient_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(attempts)
        .backoff(Duration::from_millis(1), Duration::from_millis(10))
        .deadline(Some(Duration::from_secs(20)))
}

/// A client for `url` without a client-side rate limit and with fast retries.
pub fn unlimited_client(url: &str, attempts: u32) -> Client {
    builder(url)
        .rate_limit(RateLimit::unlimited())
        .retry(patient_retries(attempts))
        .build()
        .expect("the webhook URL is valid")
}

/// The members of `group` as the emulator holds them, filtered the way
/// `sonet_group.user.get` documents: roles A/E/K of active users, by relation ID.
pub fn expected_members(portal: &RunningEmulator, group: u64) -> Vec<(UserId, MemberRole)> {
    let state = portal.state();
    state
        .members(group)
        .into_iter()
        .filter(|relation| relation.role.is_member())
        .filter(|relation| {
            state
                .users
                .iter()
                .any(|user| user.id == relation.user && user.active)
        })
        .map(|relation| (UserId::new(relation.user), member_role(relation.role)))
        .collect()
}

/// The client's role type for an emulator role.
pub fn member_role(role: Role) -> MemberRole {
    match role {
        Role::Owner => MemberRole::Owner,
        Role::Moderator => MemberRole::Moderator,
        Role::Member => MemberRole::Member,
        other => panic!("{other:?} is not a member role"),
    }
}

/// Log entries of one REST method (lower-case name) outside batches.
pub fn entries_of(portal: &RunningEmulator, method: &str) -> Vec<LogEntry> {
    portal
        .log()
        .into_iter()
        .filter(|entry| entry.method == method && !entry.in_batch)
        .collect()
}

/// User IDs as the client types them.
pub fn ids(raw: &[u64]) -> Vec<UserId> {
    raw.iter().copied().map(UserId::new).collect()
}
