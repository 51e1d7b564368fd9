//! Typed `$result` references between the commands of one batch, against the
//! emulator, which substitutes them as the portal does: the first member
//! returned by `sonet_group.user.get` promoted by `sonet_group.user.update`,
//! a whole list of added users removed again, and references that cannot
//! be added.

mod e2e_common;

use bitrix24::prelude::*;
use bitrix24::sonet_group::GroupMember;
use bitrix24::{
    AssignableRole, Batch, BindError, SonetGroupUserAdd, SonetGroupUserDelete, SonetGroupUserGet,
    SonetGroupUserUpdate, UserId,
};
use bitrix24_emulator::{Emulator, Group, InitiatedBy, Role, SeedRelation};
use e2e_common::{admin, demo_with_users, start};

#[tokio::test]
async fn the_first_member_of_a_group_is_promoted_in_the_same_batch() {
    // Group 80's first relation is member 500's; the owner's comes after.
    let mut seed = demo_with_users([500]);
    seed.groups.push(Group::new(80, "Referenced", 1));
    seed.relations.push(SeedRelation {
        group: 80,
        user: 500,
        role: Role::Member,
        initiated_by: InitiatedBy::User,
    });
    let portal = start(Emulator::builder().seed(seed)).await;
    let client = admin(&portal);
    let first = client.sonet_group_user_get(80).await.unwrap().result[0].user_id;
    assert_eq!(first, UserId::new(500));

    let mut batch = Batch::new();
    let members = batch.add(SonetGroupUserGet::new(80)).unwrap();
    let first_member = members.result().at(0).field(GroupMember::USER_ID);
    assert_eq!(first_member.as_str(), "$result[c00][0][USER_ID]");
    let promoted = batch
        .add_bound(
            SonetGroupUserUpdate::new(80, 0, AssignableRole::Moderator),
            [SonetGroupUserUpdate::PARAMS.user_id.to(first_member)],
        )
        .unwrap();
    let results = client.call_batch(&batch).await.unwrap();

    assert_eq!(results.get(promoted).unwrap().result, [first]);
    assert_eq!(portal.state().role(80, 500), Some(Role::Moderator));
}

#[tokio::test]
async fn a_whole_list_feeds_a_one_or_many_parameter() {
    let portal = start(Emulator::builder().seed(demo_with_users([600, 601, 602]))).await;
    let client = admin(&portal);

    let mut batch = Batch::new();
    let added = batch
        .add(SonetGroupUserAdd::new(2, [600, 601, 602]))
        .unwrap();
    let removed = batch
        .add_bound(
            SonetGroupUserDelete::new(2, 0),
            [SonetGroupUserDelete::PARAMS.user_id.to(added.result())],
        )
        .unwrap();
    let results = client.call_batch(&batch).await.unwrap();

    let ids = [600, 601, 602].map(UserId::new);
    assert_eq!(results.get(added).unwrap().result, ids);
    assert_eq!(results.get(removed).unwrap().result, ids);
    assert!(
        ids.iter()
            .all(|id| portal.state().role(2, u64::from(*id)).is_none())
    );
}

#[tokio::test]
async fn references_into_another_batch_or_a_full_batch_are_handed_back() {
    let mut other = Batch::new();
    let elsewhere = other.add(SonetGroupUserGet::new(1)).unwrap();
    let mut batch = Batch::new();
    let request = SonetGroupUserUpdate::new(1, 0, AssignableRole::Member);
    let reference = elsewhere.result().at(0).field(GroupMember::USER_ID);
    let error = batch
        .add_bound(
            request.clone(),
            [SonetGroupUserUpdate::PARAMS.user_id.to(reference)],
        )
        .unwrap_err();
    assert!(matches!(error, BindError::ForeignReference(_)));
    assert_eq!(error.into_request(), request);
    assert!(batch.is_empty());

    for group in 1..=50 {
        batch.add(SonetGroupUserGet::new(group)).unwrap();
    }
    let error = batch.add_bound(request.clone(), []).unwrap_err();
    assert!(matches!(error, BindError::Full(_)));
    assert_eq!(batch.len(), Batch::MAX_COMMANDS);
}
