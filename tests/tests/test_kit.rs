//! The emulator as a user's own tests use it (the README's example): a
//! portal with the test's own users and groups, a client of it, and the
//! portal's state to check what the code under test did.

use bitrix24::prelude::*;
use bitrix24::sonet_group::{GroupMember, UserGroup};
use bitrix24::{AssignableRole, MemberRole, Response, Time, UserId, chrono};
use bitrix24_emulator::{Emulator, Group, Role, User};

/// The code under test: promotes every plain member of a group.
async fn promote_members(
    client: &bitrix24::Client,
    group: u64,
) -> Result<usize, Box<dyn std::error::Error>> {
    let members = client.sonet_group_user_get(group).await?.result;
    let plain: Vec<UserId> = members
        .iter()
        .filter(|member| member.role == MemberRole::Member)
        .map(|member| member.user_id)
        .collect();
    if !plain.is_empty() {
        client
            .sonet_group_user_update(group, plain.clone(), AssignableRole::Moderator)
            .await?;
    }
    Ok(plain.len())
}

#[tokio::test]
async fn a_users_test_runs_against_its_own_portal() {
    let portal = Emulator::builder()
        .user(User::new(500, "Ann"))
        .user(User::new(501, "Bob"))
        .user(User::new(502, "Eve"))
        .group(Group::new(70, "Release", 500))
        .member(70, 501, Role::Member)
        .member(70, 502, Role::Member)
        .start()
        .await
        .expect("the portal starts on loopback");
    let client = portal.client();

    assert_eq!(promote_members(&client, 70).await.unwrap(), 2);

    let state = portal.state();
    assert_eq!(state.role(70, 500), Some(Role::Owner));
    assert_eq!(state.role(70, 501), Some(Role::Moderator));
    assert_eq!(state.role(70, 502), Some(Role::Moderator));
    assert!(portal.client_for(999).is_none(), "no such user, no webhook");
}

/// Code under test that reads results only: who may moderate a group.
fn moderators(members: &bitrix24::Response<Vec<GroupMember>>) -> Vec<UserId> {
    members
        .result
        .iter()
        .filter(|member| matches!(member.role, MemberRole::Owner | MemberRole::Moderator))
        .map(|member| member.user_id)
        .collect()
}

#[test]
fn results_are_built_without_a_portal() {
    let at = chrono::DateTime::parse_from_rfc3339("2026-03-18T19:15:53+02:00").unwrap();
    let mut answer = Response::new(
        vec![
            GroupMember::new(500, MemberRole::Owner),
            GroupMember::new(501, MemberRole::Member),
            GroupMember::new(502, MemberRole::Moderator),
        ],
        Time::new(at, at + chrono::TimeDelta::milliseconds(40)),
    );
    answer.total = Some(3);
    assert_eq!(moderators(&answer), [UserId::from(500), UserId::from(502)]);
    assert_eq!(answer.time.duration, 0.04);

    // A type with optional fields: the constructor takes the required ones,
    // the others are public fields.
    let mut membership = UserGroup::new(70, "Release", MemberRole::Member);
    assert_eq!(membership.group_image, None);
    membership.group_image = Some("/upload/release.png".to_owned());
    assert_eq!(membership.group_name, "Release");
}
