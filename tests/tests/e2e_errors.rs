//! Every documented error of the seven methods, received over HTTP from the
//! emulated portal and surfacing as the typed variant of the method's error
//! enum: wrong group and user IDs, missing and hidden groups, missing
//! permissions, an incorrect role code (sent raw, since the typed API cannot
//! express it), the refusal of `.request`; the order in which the server
//! checks parameters; and the system errors of authentication, scope and
//! unknown methods. No error changes the portal, and none is retried.

mod e2e_common;

use std::fmt::Debug;

use bitrix24::error::SystemErrorCategory;
use bitrix24::prelude::*;
use bitrix24::{
    ApiError, AssignableRole, Error, ErrorKind, MethodError, Response, SonetGroupUserAddError,
    SonetGroupUserDeleteError, SonetGroupUserGetError, SonetGroupUserGroupsError,
    SonetGroupUserInviteError, SonetGroupUserRequestError, SonetGroupUserUpdateError, SystemError,
    SystemErrorCode,
};
use bitrix24_emulator::RunningEmulator;
use e2e_common::{admin, client, client_of, demo, new_hook_client};
use serde_json::json;

const NO_USERS: [u64; 0] = [];

/// The method error of a failed call; panics on success or any other failure.
fn method_error<T: Debug, E: Debug>(result: Result<Response<T>, Error<E>>) -> E {
    match result {
        Ok(response) => panic!("expected an error answer, got {:?}", response.result),
        Err(Error::Method(error)) => error,
        Err(other) => panic!(
            "expected an error answer, got {:?}: {other:?}",
            other.kind()
        ),
    }
}

/// The raw error answer of a `call_raw`.
fn raw_error(result: Result<Response<serde_json::Value>, Error<ApiError>>) -> ApiError {
    method_error(result)
}

/// Runs `check` and asserts that the portal's relations did not change.
async fn unchanged<F: Future<Output = ()>>(portal: &RunningEmulator, check: F) {
    let before = portal.state().relations;
    check.await;
    assert_eq!(
        portal.state().relations,
        before,
        "an error answer changed the portal"
    );
}

#[tokio::test]
async fn get_errors() {
    let portal = demo().await;
    let admin = admin(&portal);
    let member = client_of(&portal, 3);

    assert_eq!(
        method_error(admin.sonet_group_user_get(0).await),
        SonetGroupUserGetError::WrongSocialnetworkGroupId
    );
    assert_eq!(
        method_error(admin.sonet_group_user_get(999).await),
        SonetGroupUserGetError::GroupNotFound
    );
    // Group 6 is hidden and user 3 is not in it; the admin sees it.
    assert_eq!(
        method_error(member.sonet_group_user_get(6).await),
        SonetGroupUserGetError::GroupNotFound
    );
    assert!(
        admin.sonet_group_user_get(6).await.is_ok(),
        "admins bypass visibility in .get"
    );
    // A hidden group is visible to its members.
    assert!(
        new_hook_client(&portal, 2)
            .sonet_group_user_get(6)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn invite_errors() {
    let portal = demo().await;
    let admin = admin(&portal);
    unchanged(&portal, async {
        assert_eq!(
            method_error(admin.sonet_group_user_invite(0, [10]).await),
            SonetGroupUserInviteError::WrongGroupId
        );
        assert_eq!(
            method_error(admin.sonet_group_user_invite(1, NO_USERS).await),
            SonetGroupUserInviteError::WrongUserIds
        );
        assert_eq!(
            method_error(admin.sonet_group_user_invite(999, [10]).await),
            SonetGroupUserInviteError::GroupNotFound
        );
        // .invite checks visibility even for administrators: user 1 is not in hidden group 6.
        assert_eq!(
            method_error(admin.sonet_group_user_invite(6, [10]).await),
            SonetGroupUserInviteError::GroupNotFound
        );
    })
    .await;
}

#[tokio::test]
async fn request_errors() {
    let portal = demo().await;
    let admin = admin(&portal);
    let member = client_of(&portal, 3);
    unchanged(&portal, async {
        assert_eq!(
            method_error(admin.sonet_group_user_request(0).await),
            SonetGroupUserRequestError::WrongGroupId
        );
        assert_eq!(
            method_error(member.sonet_group_user_request(999).await),
            SonetGroupUserRequestError::GroupNotFound
        );
        assert_eq!(
            method_error(member.sonet_group_user_request(6).await),
            SonetGroupUserRequestError::GroupNotFound,
            "hidden group 6 is invisible to user 3"
        );
        // User 3 is already a member of group 1: the request is refused.
        match method_error(member.sonet_group_user_request(1).message("again").await) {
            SonetGroupUserRequestError::RequestRefused { description } => {
                assert!(!description.is_empty());
            }
            other => panic!("expected the request refusal, got {other:?}"),
        }
    })
    .await;
    let refusal = portal
        .log()
        .into_iter()
        .rfind(|entry| entry.method == "sonet_group.user.request")
        .expect("logged");
    assert_eq!(refusal.error.as_deref(), Some("ERROR_CREATE_USER2GROUP"));
}

#[tokio::test]
async fn add_errors() {
    let portal = demo().await;
    let admin = admin(&portal);
    let member = client_of(&portal, 3);
    unchanged(&portal, async {
        assert_eq!(
            method_error(admin.sonet_group_user_add(0, [10]).await),
            SonetGroupUserAddError::WrongGroupId
        );
        assert_eq!(
            method_error(member.sonet_group_user_add(1, [10]).await),
            SonetGroupUserAddError::NoPermissionToAdd
        );
        assert_eq!(
            method_error(admin.sonet_group_user_add(1, NO_USERS).await),
            SonetGroupUserAddError::WrongUserIds
        );
        assert_eq!(
            method_error(admin.sonet_group_user_add(999, [10]).await),
            SonetGroupUserAddError::GroupNotFound
        );
    })
    .await;
}

#[tokio::test]
async fn update_errors() {
    let portal = demo().await;
    let admin_client = admin(&portal);
    let member = client_of(&portal, 3);
    let role = AssignableRole::Moderator;
    unchanged(&portal, async {
        assert_eq!(
            method_error(admin_client.sonet_group_user_update(0, [3], role).await),
            SonetGroupUserUpdateError::WrongGroupId
        );
        assert_eq!(
            method_error(member.sonet_group_user_update(1, [4], role).await),
            SonetGroupUserUpdateError::NoPermissionToUpdateRoles
        );
        assert_eq!(
            method_error(
                admin_client
                    .sonet_group_user_update(1, NO_USERS, role)
                    .await
            ),
            SonetGroupUserUpdateError::WrongUserIds
        );
        assert_eq!(
            method_error(admin_client.sonet_group_user_update(999, [3], role).await),
            SonetGroupUserUpdateError::GroupNotFound
        );
        // `AssignableRole` has no owner; a raw call sends one anyway.
        for bad in ["A", "Z", "e", ""] {
            let answer = raw_error(
                admin_client
                    .call_raw(
                        "sonet_group.user.update",
                        json!({"GROUP_ID": 1, "USER_ID": [3], "ROLE": bad}),
                    )
                    .await,
            );
            assert_eq!(
                SonetGroupUserUpdateError::from_api(answer),
                SonetGroupUserUpdateError::IncorrectRoleCode,
                "ROLE={bad:?}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn delete_errors() {
    let portal = demo().await;
    let admin = admin(&portal);
    let member = client_of(&portal, 3);
    unchanged(&portal, async {
        assert_eq!(
            method_error(admin.sonet_group_user_delete(0, [3]).await),
            SonetGroupUserDeleteError::WrongGroupId
        );
        // The server reuses the text of .update for .delete.
        assert_eq!(
            method_error(member.sonet_group_user_delete(1, [4]).await),
            SonetGroupUserDeleteError::NoPermissionToUpdateRoles
        );
        assert_eq!(
            method_error(admin.sonet_group_user_delete(1, NO_USERS).await),
            SonetGroupUserDeleteError::WrongUserIds
        );
        assert_eq!(
            method_error(admin.sonet_group_user_delete(999, [3]).await),
            SonetGroupUserDeleteError::GroupNotFound
        );
    })
    .await;
}

#[tokio::test]
async fn group_id_is_checked_before_everything_else() {
    let portal = demo().await;
    let admin_client = admin(&portal);
    let member = client_of(&portal, 3);
    let role = AssignableRole::Member;
    unchanged(&portal, async {
        // Bad GROUP_ID and bad USER_ID together: the group error wins.
        assert_eq!(
            method_error(admin_client.sonet_group_user_invite(0, NO_USERS).await),
            SonetGroupUserInviteError::WrongGroupId
        );
        assert_eq!(
            method_error(admin_client.sonet_group_user_add(0, NO_USERS).await),
            SonetGroupUserAddError::WrongGroupId
        );
        assert_eq!(
            method_error(
                admin_client
                    .sonet_group_user_update(0, NO_USERS, role)
                    .await
            ),
            SonetGroupUserUpdateError::WrongGroupId
        );
        assert_eq!(
            method_error(admin_client.sonet_group_user_delete(0, NO_USERS).await),
            SonetGroupUserDeleteError::WrongGroupId
        );
        // Even a caller without permission gets the group error first.
        assert_eq!(
            method_error(member.sonet_group_user_add(0, NO_USERS).await),
            SonetGroupUserAddError::WrongGroupId
        );
        assert_eq!(
            method_error(member.sonet_group_user_delete(0, NO_USERS).await),
            SonetGroupUserDeleteError::WrongGroupId
        );
    })
    .await;
}

#[tokio::test]
async fn later_checks_follow_the_documented_order() {
    let portal = demo().await;
    let admin_client = admin(&portal);
    let member = client_of(&portal, 3);
    unchanged(&portal, async {
        // Permission before user IDs and group existence.
        assert_eq!(
            method_error(member.sonet_group_user_add(999, NO_USERS).await),
            SonetGroupUserAddError::NoPermissionToAdd
        );
        assert_eq!(
            method_error(
                member
                    .sonet_group_user_update(999, NO_USERS, AssignableRole::Member)
                    .await
            ),
            SonetGroupUserUpdateError::NoPermissionToUpdateRoles
        );
        // User IDs before group existence.
        assert_eq!(
            method_error(admin_client.sonet_group_user_add(999, NO_USERS).await),
            SonetGroupUserAddError::WrongUserIds
        );
        assert_eq!(
            method_error(admin_client.sonet_group_user_invite(999, NO_USERS).await),
            SonetGroupUserInviteError::WrongUserIds
        );
        assert_eq!(
            method_error(admin_client.sonet_group_user_delete(999, NO_USERS).await),
            SonetGroupUserDeleteError::WrongUserIds
        );
        // .update: the role code before user IDs and group existence, after the permission.
        let raw = |group: u64, users: serde_json::Value| {
            admin_client.call_raw(
                "sonet_group.user.update",
                json!({"GROUP_ID": group, "USER_ID": users, "ROLE": "A"}),
            )
        };
        assert_eq!(
            SonetGroupUserUpdateError::from_api(raw_error(raw(999, json!([])).await)),
            SonetGroupUserUpdateError::IncorrectRoleCode
        );
        let member_raw = member
            .call_raw(
                "sonet_group.user.update",
                json!({"GROUP_ID": 1, "USER_ID": [4], "ROLE": "A"}),
            )
            .await;
        assert_eq!(
            SonetGroupUserUpdateError::from_api(raw_error(member_raw)),
            SonetGroupUserUpdateError::NoPermissionToUpdateRoles
        );
        assert_eq!(
            method_error(
                admin_client
                    .sonet_group_user_update(999, NO_USERS, AssignableRole::Member)
                    .await
            ),
            SonetGroupUserUpdateError::WrongUserIds
        );
    })
    .await;
}

#[tokio::test]
async fn a_wrong_webhook_code_is_invalid_credentials_and_not_retried() {
    let portal = demo().await;
    let wrong = client(&format!(
        "{}/rest/1/wrongwebhookcode0000000000000000/",
        portal.base_url()
    ));

    let error = wrong.sonet_group_user_get(1).await.expect_err("refused");
    assert_eq!(error.kind(), ErrorKind::Method);
    let typed = error.into_method_error().expect("an error answer");
    let SonetGroupUserGetError::System(found) = &typed else {
        panic!("expected a system error, got {typed:?}");
    };
    assert_eq!(found.code(), SystemErrorCode::InvalidCredentials);
    assert_eq!(found.category(), SystemErrorCategory::Authentication);
    // The code is not shown in the error text.
    assert!(!typed.to_string().contains("wrongwebhookcode"), "{typed}");

    let logged = portal.log();
    assert_eq!(
        logged.len(),
        1,
        "an authentication failure is final: {logged:?}"
    );
    assert_eq!(logged[0].error.as_deref(), Some("INVALID_CREDENTIALS"));
    assert!(!logged[0].executed);
}

#[tokio::test]
async fn a_webhook_without_the_scope_gets_insufficient_scope() {
    let portal = demo().await;
    let crm_only = client(&portal.add_webhook(1, &["crm"]).expect("user 1 exists"));

    let typed = method_error(crm_only.sonet_group_user_groups().await);
    let SonetGroupUserGroupsError::System(found) = &typed else {
        panic!("expected a system error, got {typed:?}");
    };
    assert_eq!(found.code(), SystemErrorCode::InsufficientScope);
    assert_eq!(found.category(), SystemErrorCategory::Scope);

    let typed = method_error(crm_only.sonet_group_user_invite(1, [10]).await);
    assert!(
        matches!(&typed, SonetGroupUserInviteError::System(s) if s.code() == SystemErrorCode::InsufficientScope),
        "{typed:?}"
    );
    assert_eq!(
        portal.counters().executed.values().sum::<u64>(),
        0,
        "nothing ran"
    );
    assert_eq!(portal.log().len(), 2, "scope errors are final");
}

#[tokio::test]
async fn a_webhook_of_an_inactive_user_cannot_authorize() {
    let portal = demo().await;
    let inactive = new_hook_client(&portal, 7);

    let typed = method_error(inactive.sonet_group_user_groups().await);
    assert!(
        matches!(&typed, SonetGroupUserGroupsError::System(s) if s.code() == SystemErrorCode::AuthorizationError),
        "{typed:?}"
    );
}

#[tokio::test]
async fn an_unknown_method_is_method_not_found() {
    let portal = demo().await;
    let admin = admin(&portal);

    let answer = raw_error(
        admin
            .call_raw("sonet_group.user.frobnicate", json!({"GROUP_ID": 1}))
            .await,
    );
    assert_eq!(answer.code(), "ERROR_METHOD_NOT_FOUND");
    let system = SystemError::try_from(answer).expect("a system error");
    assert_eq!(system.code(), SystemErrorCode::MethodNotFound);
    assert_eq!(system.category(), SystemErrorCategory::MethodNotFound);
    assert_eq!(portal.log().len(), 1, "not retried");

    // A known method called raw answers as the typed call does.
    let raw = raw_error(
        admin
            .call_raw("sonet_group.user.get", json!({"ID": 0}))
            .await,
    );
    assert_eq!(
        SonetGroupUserGetError::from_api(raw),
        SonetGroupUserGetError::WrongSocialnetworkGroupId
    );
}
