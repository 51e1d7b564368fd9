//! The blocking client from synchronous code, against the emulator: the same
//! method functions, calls that wait, a batch, and a plain `Call::wait` on
//! an asynchronous client.

use bitrix24::prelude::*;
use bitrix24::{Batch, ClientBuilder, SonetGroupUserGet, UserId, blocking};
use bitrix24_emulator::{Emulator, RunningEmulator};

/// The emulator, served by a runtime of its own while the test blocks.
fn portal() -> (tokio::runtime::Runtime, RunningEmulator) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime for the portal");
    let portal = runtime
        .block_on(Emulator::builder().start())
        .expect("the portal starts on loopback");
    (runtime, portal)
}

#[test]
fn the_blocking_client_has_the_same_method_functions() {
    let (_serving, portal) = portal();
    let client = blocking::Client::new(
        ClientBuilder::webhook(portal.webhook_url()).allow_http_loopback(true),
    )
    .expect("a blocking client");

    let members = client
        .sonet_group_user_get(1)
        .wait()
        .expect("group 1 is read");
    assert!(
        members
            .result
            .iter()
            .any(|member| member.user_id == UserId::new(1))
    );
    let groups = client
        .call(bitrix24::SonetGroupUserGroups::new())
        .expect("the groups");
    assert!(!groups.result.is_empty());

    let mut batch = Batch::new();
    let first = batch.add(SonetGroupUserGet::new(1)).unwrap();
    let results = client.call_batch(&batch).expect("the batch runs");
    assert_eq!(results.get(first).unwrap().result, members.result);

    let error = client
        .sonet_group_user_get(999)
        .wait()
        .expect_err("no group 999");
    assert_eq!(error.kind(), bitrix24::ErrorKind::Method);
    assert!(client.tokens().is_none());
}

#[test]
fn a_call_of_an_asynchronous_client_can_wait_too() {
    let (_serving, portal) = portal();
    let client = ClientBuilder::webhook(portal.webhook_url())
        .allow_http_loopback(true)
        .build()
        .unwrap();
    let members = client
        .sonet_group_user_get(1)
        .wait()
        .expect("on a runtime of its own");
    assert!(!members.result.is_empty());
}
