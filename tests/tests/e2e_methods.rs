//! The seven `sonet_group.user.*` methods called through the generated client
//! functions against the emulated demo portal over real HTTP: each succeeds,
//! and its effect shows in `.get`, `.groups` and the emulator's state.
//!
//! Demo portal: user 1 is the admin behind the default webhook, user 3 a
//! member with its own webhook; group 1 is closed with members of every role
//! (owner 1, moderator 2, members 3 and 4, inactive member 7, banned 5, pending
//! 6 and 8), group 5 is opened; users 10 and 11 have no relations.

mod e2e_common;

use bitrix24::prelude::*;
use bitrix24::sonet_group::UserGroup;
use bitrix24::{AssignableRole, MemberRole, UserId};
use bitrix24_emulator::{InitiatedBy as SeedInitiatedBy, Role};
use e2e_common::{admin, client_of, demo, entries_of, expected_members, ids, new_hook_client};

#[tokio::test]
async fn get_lists_active_members_without_banned_pending_or_inactive_users() {
    let portal = demo().await;
    let client = admin(&portal);

    let response = client
        .sonet_group_user_get(1)
        .await
        .expect("the admin reads group 1");
    let members: Vec<(UserId, MemberRole)> = response
        .result
        .iter()
        .map(|member| (member.user_id, member.role.clone()))
        .collect();

    assert_eq!(
        members,
        [
            (UserId::new(1), MemberRole::Owner),
            (UserId::new(2), MemberRole::Moderator),
            (UserId::new(3), MemberRole::Member),
            (UserId::new(4), MemberRole::Member),
        ],
        "no banned (5), pending (6, 8) or inactive (7) users, in relation order"
    );
    assert_eq!(members, expected_members(&portal, 1));
    let time = response.time;
    assert!(time.finish >= time.start);
    assert!(
        time.operating.is_some() && time.operating_reset_at.is_some(),
        "the emulated cloud reports the budget"
    );
    assert_eq!(portal.counters().executed("sonet_group.user.get"), 1);
}

/// Each listed group's ID with the caller's role in it.
fn group_roles(groups: &[UserGroup]) -> Vec<(u64, MemberRole)> {
    groups
        .iter()
        .map(|group| (group.group_id.get(), group.role.clone()))
        .collect()
}

#[tokio::test]
async fn groups_lists_the_callers_memberships_only() {
    let portal = demo().await;

    let admin_groups = admin(&portal)
        .sonet_group_user_groups()
        .await
        .expect("the admin lists groups")
        .result;
    assert_eq!(
        group_roles(&admin_groups),
        [
            (1, MemberRole::Owner),
            (2, MemberRole::Moderator),
            (3, MemberRole::Owner),
            (4, MemberRole::Owner),
            (7, MemberRole::Member),
        ]
    );
    let partners = admin_groups
        .iter()
        .find(|group| group.group_id.get() == 4)
        .expect("group 4 listed");
    assert_eq!(partners.group_name, "Partners");
    assert_eq!(partners.is_extranet, Some(true));
    assert_eq!(partners.group_image_id, Some(15));
    assert!(
        partners
            .group_image
            .as_deref()
            .is_some_and(|url| url.contains("/15/")),
        "{partners:?}"
    );
    let marketing = &admin_groups[0];
    assert_eq!(
        (marketing.group_name.as_str(), marketing.is_extranet),
        ("Marketing", None)
    );

    let member_groups = client_of(&portal, 3)
        .sonet_group_user_groups()
        .await
        .expect("user 3 lists groups")
        .result;
    assert_eq!(
        group_roles(&member_groups),
        [
            (1, MemberRole::Member),
            (2, MemberRole::Member),
            (5, MemberRole::Owner),
            (7, MemberRole::Moderator)
        ]
    );

    // A banned user (5) and a user with a pending request (6) belong to no group.
    for user in [5, 6] {
        let groups = new_hook_client(&portal, user)
            .sonet_group_user_groups()
            .await
            .expect("listing works")
            .result;
        assert!(groups.is_empty(), "user {user}: {groups:?}");
    }
}

#[tokio::test]
async fn invite_creates_pending_relations_and_skips_related_users() {
    let portal = demo().await;
    let client = admin(&portal);

    let invited = client
        .sonet_group_user_invite(1, [10, 11])
        .message("Join the marketing team")
        .await
        .expect("the admin invites")
        .result;
    assert_eq!(invited, ids(&[10, 11]));

    let state = portal.state();
    for user in [10, 11] {
        let relation = state
            .relations
            .iter()
            .find(|r| r.group == 1 && r.user == user)
            .expect("relation created");
        assert_eq!(
            relation.role,
            Role::Request,
            "an invitation is pending until accepted"
        );
        assert_eq!(relation.initiated_by, SeedInitiatedBy::Group);
    }
    let logged = entries_of(&portal, "sonet_group.user.invite");
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].params["MESSAGE"], "Join the marketing team");

    // Pending users are not members yet.
    let members = client
        .sonet_group_user_get(1)
        .await
        .expect("get works")
        .result;
    assert!(
        members
            .iter()
            .all(|m| m.user_id != UserId::new(10) && m.user_id != UserId::new(11)),
        "{members:?}"
    );

    // The caller, members, banned, pending and unknown users are skipped without an error.
    let again = client
        .sonet_group_user_invite(1, [1, 3, 5, 6, 10, 999])
        .await
        .expect("nothing to do is no error");
    assert!(again.result.is_empty(), "{:?}", again.result);
    assert_eq!(portal.state().relations, state.relations, "nothing changed");
}

#[tokio::test]
async fn add_makes_members_and_skips_users_with_any_relation() {
    let portal = demo().await;
    let client = admin(&portal);

    let added = client
        .sonet_group_user_add(1, [10, 3, 5, 6, 999])
        .await
        .expect("the admin adds")
        .result;
    assert_eq!(
        added,
        ids(&[10]),
        "member 3, banned 5, pending 6 and unknown 999 are skipped"
    );

    let state = portal.state();
    assert_eq!(state.role(1, 10), Some(Role::Member));
    assert_eq!(
        state.role(1, 5),
        Some(Role::Banned),
        "a ban is not lifted by add"
    );
    assert_eq!(
        state.role(1, 6),
        Some(Role::Request),
        "a pending request stays pending"
    );
    assert_eq!(state.role(1, 999), None);

    let members = client
        .sonet_group_user_get(1)
        .await
        .expect("get works")
        .result;
    assert!(
        members
            .iter()
            .any(|m| m.user_id == UserId::new(10) && m.role == MemberRole::Member),
        "{members:?}"
    );
    assert_eq!(members.len(), 5);

    let groups = new_hook_client(&portal, 10)
        .sonet_group_user_groups()
        .await
        .expect("user 10 lists")
        .result;
    assert_eq!(groups.len(), 1);
    assert_eq!(
        (groups[0].group_id.get(), &groups[0].role),
        (1, &MemberRole::Member)
    );

    // Adding again changes nothing: the method is safe to repeat.
    let again = client
        .sonet_group_user_add(1, 10)
        .await
        .expect("a repeat is no error")
        .result;
    assert!(again.is_empty());
    assert_eq!(portal.state().relations, state.relations);
}

#[tokio::test]
async fn update_changes_roles_but_never_the_owner() {
    let portal = demo().await;
    let client = admin(&portal);

    let changed = client
        .sonet_group_user_update(1, [1, 3, 4], AssignableRole::Moderator)
        .await
        .expect("the admin promotes")
        .result;
    assert_eq!(changed, ids(&[3, 4]), "the owner (1) is skipped");

    let members = client
        .sonet_group_user_get(1)
        .await
        .expect("get works")
        .result;
    let roles: Vec<(u64, MemberRole)> = members
        .iter()
        .map(|m| (m.user_id.get(), m.role.clone()))
        .collect();
    assert_eq!(
        roles,
        [
            (1, MemberRole::Owner),
            (2, MemberRole::Moderator),
            (3, MemberRole::Moderator),
            (4, MemberRole::Moderator)
        ]
    );

    let demoted = client
        .sonet_group_user_update(1, vec![2, 3], AssignableRole::Member)
        .await
        .expect("the admin demotes")
        .result;
    assert_eq!(demoted, ids(&[2, 3]));
    let state = portal.state();
    assert_eq!(
        (state.role(1, 2), state.role(1, 3), state.role(1, 4)),
        (
            Some(Role::Member),
            Some(Role::Member),
            Some(Role::Moderator)
        )
    );

    // Users who already hold the role, the owner alone and non-members change nothing.
    let owner_only = client
        .sonet_group_user_update(1, 1, AssignableRole::Member)
        .await
        .expect("no error")
        .result;
    assert!(owner_only.is_empty());
    let unchanged = client
        .sonet_group_user_update(1, [4, 10], AssignableRole::Moderator)
        .await
        .expect("no error");
    assert!(unchanged.result.is_empty());
    let after = portal.state();
    assert_eq!(after.role(1, 1), Some(Role::Owner));
    assert_eq!(after.role(1, 10), None, "update never creates a relation");
    assert_eq!(after.relations, state.relations);
}

#[tokio::test]
async fn delete_removes_relations_but_never_the_owner() {
    let portal = demo().await;
    let client = admin(&portal);

    let removed = client
        .sonet_group_user_delete(1, [1, 3, 5, 6, 10])
        .await
        .expect("the admin removes")
        .result;
    assert_eq!(
        removed,
        ids(&[3, 5, 6]),
        "member, ban and request go; the owner and a stranger do not"
    );

    let state = portal.state();
    assert_eq!(state.role(1, 1), Some(Role::Owner));
    for user in [3, 5, 6] {
        assert_eq!(state.role(1, user), None, "user {user}");
    }
    let members = client
        .sonet_group_user_get(1)
        .await
        .expect("get works")
        .result;
    let left: Vec<u64> = members.iter().map(|m| m.user_id.get()).collect();
    assert_eq!(left, [1, 2, 4]);

    let groups = client_of(&portal, 3)
        .sonet_group_user_groups()
        .await
        .expect("user 3 lists")
        .result;
    assert!(
        groups.iter().all(|g| g.group_id.get() != 1),
        "user 3 left group 1: {groups:?}"
    );

    // Removing the owner alone removes nothing.
    let owner_only = client
        .sonet_group_user_delete(1, 1)
        .await
        .expect("no error")
        .result;
    assert!(owner_only.is_empty());
    assert_eq!(portal.state().relations, state.relations);

    // Nor the scrum master: user 3 in project 7.
    let scrum = client
        .sonet_group_user_delete(7, [3, 1])
        .await
        .expect("no error")
        .result;
    assert_eq!(scrum, ids(&[1]));
    let after = portal.state();
    assert_eq!(after.role(7, 3), Some(Role::Moderator));
    assert_eq!(after.role(7, 1), None);
}

#[tokio::test]
async fn request_joins_an_opened_group_at_once() {
    let portal = demo().await;
    let newcomer = new_hook_client(&portal, 10);

    let joined = newcomer
        .sonet_group_user_request(5)
        .message("Hello")
        .await
        .expect("user 10 asks to join")
        .result;
    assert!(joined);

    let state = portal.state();
    assert_eq!(state.role(5, 10), Some(Role::Member), "group 5 is opened");
    let relation = state
        .relations
        .iter()
        .find(|r| r.group == 5 && r.user == 10)
        .expect("relation");
    assert_eq!(relation.initiated_by, SeedInitiatedBy::User);
    let members = admin(&portal)
        .sonet_group_user_get(5)
        .await
        .expect("get works")
        .result;
    assert!(
        members
            .iter()
            .any(|m| m.user_id == UserId::new(10) && m.role == MemberRole::Member),
        "{members:?}"
    );
    let groups = newcomer
        .sonet_group_user_groups()
        .await
        .expect("user 10 lists")
        .result;
    assert_eq!(
        groups.iter().map(|g| g.group_id.get()).collect::<Vec<_>>(),
        [5]
    );
}

#[tokio::test]
async fn request_to_a_closed_group_creates_a_pending_request() {
    let portal = demo().await;
    let newcomer = new_hook_client(&portal, 10);

    let sent = newcomer
        .sonet_group_user_request(1)
        .message("Please add me")
        .await
        .expect("user 10 asks")
        .result;
    assert!(sent);

    let state = portal.state();
    assert_eq!(
        state.role(1, 10),
        Some(Role::Request),
        "group 1 is closed: the request waits for approval"
    );
    let relation = state
        .relations
        .iter()
        .find(|r| r.group == 1 && r.user == 10)
        .expect("relation");
    assert_eq!(relation.initiated_by, SeedInitiatedBy::User);
    let members = admin(&portal)
        .sonet_group_user_get(1)
        .await
        .expect("get works")
        .result;
    assert!(
        members.iter().all(|m| m.user_id != UserId::new(10)),
        "a request is not membership: {members:?}"
    );
    assert!(
        newcomer
            .sonet_group_user_groups()
            .await
            .expect("user 10 lists")
            .result
            .is_empty()
    );
    assert_eq!(portal.counters().executed("sonet_group.user.request"), 1);
}

#[tokio::test]
async fn an_invited_user_becomes_a_member_once_added_after_removal() {
    // A full cycle through four methods: invite, delete the invitation, add, promote.
    let portal = demo().await;
    let client = admin(&portal);

    assert_eq!(
        client
            .sonet_group_user_invite(7, 10)
            .await
            .expect("invite")
            .result,
        ids(&[10])
    );
    assert_eq!(
        client
            .sonet_group_user_add(7, 10)
            .await
            .expect("add")
            .result,
        Vec::<UserId>::new(),
        "pending"
    );
    assert_eq!(
        client
            .sonet_group_user_delete(7, 10)
            .await
            .expect("delete")
            .result,
        ids(&[10])
    );
    assert_eq!(
        client
            .sonet_group_user_add(7, 10)
            .await
            .expect("add")
            .result,
        ids(&[10])
    );
    assert_eq!(
        client
            .sonet_group_user_update(7, 10, AssignableRole::Moderator)
            .await
            .expect("update")
            .result,
        ids(&[10])
    );
    assert_eq!(portal.state().role(7, 10), Some(Role::Moderator));
    assert_eq!(
        expected_members(&portal, 7).last(),
        Some(&(UserId::new(10), MemberRole::Moderator))
    );
}
