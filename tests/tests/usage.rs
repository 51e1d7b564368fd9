//! The public API used the way a user would: build every request, read its
//! wire form, decode answers and match on errors. If a change to the
//! generator breaks how users write code, this stops compiling.

use bitrix24::error::{ErrorTable, SystemErrorRetry};
use bitrix24::prelude::*;
use bitrix24::wire::OneOrMany;
use bitrix24::{
    ApiError, AssignableRole, GroupId, MemberRole, Method, MethodError, SonetGroupUserAdd,
    SonetGroupUserDelete, SonetGroupUserGet, SonetGroupUserGetError, SonetGroupUserGroups,
    SonetGroupUserInvite, SonetGroupUserInviteError, SonetGroupUserRequest,
    SonetGroupUserRequestError, SonetGroupUserUpdate, SonetGroupUserUpdateError, SystemErrorCode,
    UserId,
};
use serde_json::json;

#[test]
fn every_request_encodes_to_the_documented_json() {
    assert_eq!(SonetGroupUserGet::new(69).to_json(), json!({"ID": 69}));
    assert_eq!(
        SonetGroupUserInvite::new(69, 1271)
            .message("Join the project")
            .to_json(),
        json!({"GROUP_ID": 69, "USER_ID": 1271, "MESSAGE": "Join the project"})
    );
    assert_eq!(
        SonetGroupUserRequest::new(69).to_json(),
        json!({"GROUP_ID": 69})
    );
    assert_eq!(
        SonetGroupUserRequest::new(69).message("Please").to_json(),
        json!({"GROUP_ID": 69, "MESSAGE": "Please"})
    );
    assert_eq!(
        SonetGroupUserAdd::new(69, [1271, 1272]).to_json(),
        json!({"GROUP_ID": 69, "USER_ID": [1271, 1272]})
    );
    assert_eq!(
        SonetGroupUserUpdate::new(69, vec![1271], AssignableRole::Moderator).to_json(),
        json!({"GROUP_ID": 69, "USER_ID": [1271], "ROLE": "E"})
    );
    assert_eq!(
        SonetGroupUserDelete::new(69, UserId::new(5)).to_json(),
        json!({"GROUP_ID": 69, "USER_ID": 5})
    );
    assert_eq!(SonetGroupUserGroups::new().to_json(), json!({}));
}

#[test]
fn every_request_encodes_to_a_php_query_string() {
    assert_eq!(SonetGroupUserGet::new(69).to_query(), "ID=69");
    assert_eq!(
        SonetGroupUserInvite::new(69, [1271, 1272])
            .message("Join & win")
            .to_query(),
        "GROUP_ID=69&USER_ID[0]=1271&USER_ID[1]=1272&MESSAGE=Join+%26+win"
    );
    assert_eq!(SonetGroupUserRequest::new(7).to_query(), "GROUP_ID=7");
    assert_eq!(
        SonetGroupUserAdd::new(69, 1271).to_query(),
        "GROUP_ID=69&USER_ID=1271"
    );
    assert_eq!(
        SonetGroupUserUpdate::new(69, [1, 2], AssignableRole::Member).to_query(),
        "GROUP_ID=69&USER_ID[0]=1&USER_ID[1]=2&ROLE=K"
    );
    assert_eq!(
        SonetGroupUserDelete::new(69, [3]).to_query(),
        "GROUP_ID=69&USER_ID[0]=3"
    );
    assert_eq!(SonetGroupUserGroups::default().to_query(), "");
}

#[test]
fn method_metadata_comes_from_the_schema() {
    assert_eq!(SonetGroupUserGet::NAME, "sonet_group.user.get");
    assert_eq!(SonetGroupUserGet::SCOPES, ["sonet_group"]);
    assert_eq!(SonetGroupUserGroups::NAME, "sonet_group.user.groups");
}

// Retry safety and paging are constants, so they are checked at compile time.
const _: () = {
    assert!(SonetGroupUserGet::RETRY_SAFE);
    assert!(
        !SonetGroupUserInvite::RETRY_SAFE,
        "invitations notify people"
    );
    assert!(
        !SonetGroupUserRequest::RETRY_SAFE,
        "requests notify moderators"
    );
    assert!(
        SonetGroupUserAdd::RETRY_SAFE
            && SonetGroupUserUpdate::RETRY_SAFE
            && SonetGroupUserDelete::RETRY_SAFE
    );
    assert!(
        !SonetGroupUserGet::PAGED && !SonetGroupUserGroups::PAGED,
        "neither method pages"
    );
};

#[test]
fn ids_accept_numbers_and_numeric_strings() {
    let ids: Vec<UserId> = serde_json::from_value(json!(["1271", 1272])).expect("IDs decode");
    assert_eq!(ids, [UserId::new(1271), UserId::new(1272)]);
    assert!(
        serde_json::from_value::<UserId>(json!("12x")).is_err(),
        "garbage is an error, not zero"
    );
    assert!(
        serde_json::from_value::<UserId>(json!(-1)).is_err(),
        "IDs are positive"
    );
    assert_eq!(GroupId::from(69).to_string(), "69");
    let many: OneOrMany<UserId> = vec![UserId::new(1), UserId::new(2)].into();
    assert_eq!(many.as_slice(), &[UserId::new(1), UserId::new(2)]);
}

#[test]
fn roles_keep_unknown_values() {
    let roles: Vec<MemberRole> =
        serde_json::from_value(json!(["A", "E", "K", "X"])).expect("roles decode");
    assert_eq!(
        roles,
        [
            MemberRole::Owner,
            MemberRole::Moderator,
            MemberRole::Member,
            MemberRole::Unknown("X".to_owned())
        ]
    );
    assert_eq!(
        serde_json::to_value(&roles).expect("roles encode"),
        json!(["A", "E", "K", "X"])
    );
    // Only moderator and member can be assigned; `AssignableRole` has no owner.
    assert_eq!(AssignableRole::Moderator.as_str(), "E");
    assert!(serde_json::from_value::<AssignableRole>(json!("A")).is_err());
}

#[test]
fn errors_are_typed_by_description_code_and_system_code() {
    let not_found =
        SonetGroupUserGetError::from_api(ApiError::new("", "Socialnetwork group not found"));
    assert_eq!(not_found, SonetGroupUserGetError::GroupNotFound);
    assert_eq!(not_found.to_string(), "Socialnetwork group not found");

    let old_server =
        SonetGroupUserInviteError::from_api(ApiError::new("ERROR_CORE", "Wrong user IDs"));
    assert_eq!(old_server, SonetGroupUserInviteError::WrongUserIds);

    let refused = SonetGroupUserRequestError::from_api(ApiError::new(
        "ERROR_CREATE_USER2GROUP",
        "Already a member",
    ));
    assert_eq!(
        refused,
        SonetGroupUserRequestError::RequestRefused {
            description: "Already a member".to_owned()
        }
    );

    match SonetGroupUserUpdateError::from_api(ApiError::new(
        "QUERY_LIMIT_EXCEEDED",
        "Too many requests",
    )) {
        SonetGroupUserUpdateError::System(system) => {
            assert_eq!(system.code(), SystemErrorCode::QueryLimitExceeded);
            assert_eq!(system.retry(), SystemErrorRetry::Backoff);
        }
        other => panic!("expected a system error, got {other:?}"),
    }

    let unknown = SonetGroupUserUpdateError::from_api(ApiError::new("NEW_CODE", "Something new"));
    let SonetGroupUserUpdateError::Unknown(unknown) = unknown else {
        panic!("expected the unknown fallback, got {unknown:?}")
    };
    assert_eq!(
        (unknown.code(), unknown.description()),
        ("NEW_CODE", "Something new")
    );
    // A description known for another method is not this method's error.
    let foreign = SonetGroupUserGetError::from_api(ApiError::new("", "Incorrect role code"));
    assert!(matches!(foreign, SonetGroupUserGetError::Unknown(_)));
}

#[test]
fn own_errors_report_the_schemas_code_and_text_or_the_servers() {
    let old_server =
        SonetGroupUserInviteError::from_api(ApiError::new("ERROR_CORE", "Wrong user IDs."));
    assert_eq!(
        (old_server.code(), old_server.description()),
        ("", "Wrong user IDs"),
        "the schema's code and text, whatever the server's variant of them"
    );
    assert_eq!(old_server.to_string(), "Wrong user IDs");
    assert_eq!(old_server.as_system(), None);

    let refused = SonetGroupUserRequestError::from_api(ApiError::new(
        "ERROR_CREATE_USER2GROUP",
        "Already a member",
    ));
    assert_eq!(
        (refused.code(), refused.description()),
        ("ERROR_CREATE_USER2GROUP", "Already a member"),
        "an error matched by its code alone keeps the server's text"
    );
    assert_eq!(refused.to_string(), "Already a member");
}

#[test]
fn a_methods_own_errors_are_readable_as_data() {
    let texts: Vec<&str> = SonetGroupUserRequestError::OWN_ERRORS
        .iter()
        .map(|own| own.descriptions().first().copied().unwrap_or(""))
        .collect();
    assert_eq!(
        texts,
        [
            "Wrong group ID",
            "Socialnetwork group not found",
            "Cannot request to join group",
            "",
        ],
        "in the order the server checks them"
    );
    let codes = SonetGroupUserRequestError::OWN_ERRORS[0].codes();
    assert_eq!(codes, ["", "ERROR_ARGUMENT", "ERROR_CORE"]);
}

#[test]
fn every_system_code_round_trips() {
    for &code in SystemErrorCode::ALL {
        assert_eq!(SystemErrorCode::from_code(code.as_str()), Some(code));
    }
    assert_eq!(
        SystemErrorCode::from_code("expired_token"),
        Some(SystemErrorCode::ExpiredToken)
    );
    assert_eq!(
        SystemErrorCode::ExpiredToken.retry(),
        SystemErrorRetry::AfterTokenRefresh
    );
    assert_eq!(
        SystemErrorCode::from_code("EXPIRED_TOKEN"),
        None,
        "codes are case-sensitive"
    );
}

/// Errors implement `std::error::Error` and can be boxed like any other.
#[test]
fn errors_work_with_the_question_mark_operator() {
    fn decode() -> Result<(), Box<dyn std::error::Error>> {
        Err(SonetGroupUserGetError::from_api(ApiError::new(
            "",
            "Wrong socialnetwork group ID",
        )))?
    }
    assert_eq!(
        decode().expect_err("fails").to_string(),
        "Wrong socialnetwork group ID"
    );
}

/// Every generated client function, called as the README shows. Compiled,
/// not run: the calls need a portal (the end-to-end tests run them against
/// the emulator).
#[allow(dead_code)]
async fn every_method_reads_like_its_request(
    client: bitrix24::Client,
) -> Result<(), Box<dyn std::error::Error>> {
    let members = client.sonet_group_user_get(69).await?;
    for member in &members.result {
        let _: (UserId, &MemberRole) = (member.user_id, &member.role);
    }
    let invited: Vec<UserId> = client
        .sonet_group_user_invite(69, [1271, 1272])
        .message("Join")
        .await?
        .result;
    let joined: bool = client
        .sonet_group_user_request(69)
        .message("Let me in")
        .await?
        .result;
    client.sonet_group_user_add(69, 1271).await?;
    client
        .sonet_group_user_update(69, vec![1271], AssignableRole::Moderator)
        .await?;
    client
        .sonet_group_user_delete(69, UserId::new(1271))
        .send()
        .await?;
    let groups = client.sonet_group_user_groups().await?;
    let _ = (invited, joined, groups.time.duration);
    Ok(())
}
