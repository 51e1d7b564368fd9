//! Every method's documented answers, decoded through the client.

mod client_support;
use client_support as support;

use bitrix24::error::{SystemError, SystemErrorCategory};
use bitrix24::prelude::*;
use bitrix24::{
    AssignableRole, ErrorKind, GroupId, MemberRole, SonetGroupUserAdd, SonetGroupUserAddError,
    SonetGroupUserDelete, SonetGroupUserDeleteError, SonetGroupUserGet, SonetGroupUserGetError,
    SonetGroupUserGroups, SonetGroupUserInvite, SonetGroupUserInviteError, SonetGroupUserRequest,
    SonetGroupUserRequestError, SonetGroupUserUpdate, SonetGroupUserUpdateError, SystemErrorCode,
    UserId,
};
use serde_json::json;
use support::{Reply, Server, TIME, WEBHOOK_CODE};

#[tokio::test]
async fn get_decodes_members_and_sends_the_documented_request() {
    let server = Server::scripted(vec![Reply::Json(
        200,
        format!(
            r#"{{"result":[{{"USER_ID":"1269","ROLE":"A"}},{{"USER_ID":"1271","ROLE":"E"}},{{"USER_ID":"779","ROLE":"K","EXTRA":1}}],"time":{TIME},"unknown":true}}"#
        ),
    )])
    .await;
    let response = server
        .client()
        .call(SonetGroupUserGet::new(69))
        .await
        .unwrap();
    let members: Vec<(UserId, MemberRole)> = response
        .result
        .iter()
        .map(|m| (m.user_id, m.role.clone()))
        .collect();
    assert_eq!(
        members,
        [
            (UserId::new(1269), MemberRole::Owner),
            (UserId::new(1271), MemberRole::Moderator),
            (UserId::new(779), MemberRole::Member)
        ]
    );
    assert_eq!(response.time.start, 1_773_850_553.0);
    assert_eq!((response.next, response.total), (None, None));

    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.path,
        format!("/rest/1/{WEBHOOK_CODE}/sonet_group.user.get")
    );
    assert_eq!(request.json(), json!({"ID": 69}));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert!(
        request
            .header("user-agent")
            .unwrap()
            .starts_with("bitrix24-rs/")
    );
    assert_eq!(request.header("authorization"), None);
}

#[tokio::test]
async fn invite_through_a_prepared_call_with_an_optional_parameter() {
    let server = Server::scripted(vec![Reply::ok(r#"["1271", 1272]"#)]).await;
    let call = server
        .client()
        .prepare(SonetGroupUserInvite::new(69, [1271, 1272]))
        .map(|request| request.message("Join the project"));
    assert_eq!(
        call.request().clone(),
        SonetGroupUserInvite::new(69, [1271, 1272]).message("Join the project")
    );
    let response = call.await.unwrap();
    assert_eq!(response.result, [UserId::new(1271), UserId::new(1272)]);
    assert_eq!(
        server.requests()[0].json(),
        json!({"GROUP_ID": 69, "USER_ID": [1271, 1272], "MESSAGE": "Join the project"})
    );
}

#[tokio::test]
async fn request_add_update_delete_and_groups_decode_their_results() {
    let server = Server::start(|request| match request.path.rsplit('/').next().unwrap() {
        "sonet_group.user.request" => Reply::ok("true"),
        "sonet_group.user.add" | "sonet_group.user.update" | "sonet_group.user.delete" => {
            Reply::ok(r#"["1271","1272"]"#)
        }
        "sonet_group.user.groups" => Reply::ok(
            r#"[{"GROUP_ID":"77","GROUP_NAME":"New Project Title","ROLE":"K","GROUP_IMAGE_ID":null,"GROUP_IMAGE":""},
                {"GROUP_ID":"79","GROUP_NAME":"Scrum Project","ROLE":"A","GROUP_IMAGE_ID":null,"GROUP_IMAGE":"","IS_EXTRANET":"Y"}]"#,
        ),
        other => panic!("unexpected method {other}"),
    })
    .await;
    let client = server.client();
    assert!(
        client
            .call(SonetGroupUserRequest::new(69).message("Let me in"))
            .await
            .unwrap()
            .result
    );
    let both = [UserId::new(1271), UserId::new(1272)];
    assert_eq!(
        client
            .call(SonetGroupUserAdd::new(69, [1271, 1272]))
            .await
            .unwrap()
            .result,
        both
    );
    assert_eq!(
        client
            .call(SonetGroupUserUpdate::new(
                69,
                [1271, 1272],
                AssignableRole::Moderator
            ))
            .await
            .unwrap()
            .result,
        both
    );
    assert_eq!(
        client
            .call(SonetGroupUserDelete::new(69, [1271, 1272]))
            .await
            .unwrap()
            .result,
        both
    );
    let groups = client
        .call(SonetGroupUserGroups::new())
        .await
        .unwrap()
        .result;
    assert_eq!(
        groups.iter().map(|g| g.group_id).collect::<Vec<_>>(),
        [GroupId::new(77), GroupId::new(79)]
    );
    assert_eq!(groups[1].role, MemberRole::Owner);
    assert_eq!(groups[1].is_extranet, Some(true));

    let sent: Vec<serde_json::Value> = server.requests().iter().map(|r| r.json()).collect();
    assert_eq!(sent[0], json!({"GROUP_ID": 69, "MESSAGE": "Let me in"}));
    assert_eq!(
        sent[2],
        json!({"GROUP_ID": 69, "USER_ID": [1271, 1272], "ROLE": "E"})
    );
    assert_eq!(sent[4], json!({}));
}

/// Answers every request with the error, and returns what the client made of it.
async fn error_for<M>(request: M, code: &str, description: &str) -> M::Error
where
    M: bitrix24::Method + Send + 'static,
    M::Response: Send,
{
    let server = Server::scripted(vec![Reply::error(400, code, description)]).await;
    let Err(error) = server.client().call(request).await else {
        panic!("{description} was taken for a success")
    };
    assert_eq!(error.kind(), ErrorKind::Method);
    assert_eq!(
        server.count(),
        1,
        "{code} {description} must not be retried"
    );
    error.into_method_error().unwrap()
}

#[tokio::test]
async fn every_documented_method_error_maps_to_its_variant_with_current_and_old_codes() {
    for code in ["", "ERROR_ARGUMENT", "ERROR_CORE"] {
        use SonetGroupUserAddError as Add;
        use SonetGroupUserDeleteError as Delete;
        use SonetGroupUserGetError as Get;
        use SonetGroupUserInviteError as Invite;
        use SonetGroupUserRequestError as Request;
        use SonetGroupUserUpdateError as Update;
        let get = || SonetGroupUserGet::new(69);
        assert_eq!(
            error_for(get(), code, "Wrong socialnetwork group ID").await,
            Get::WrongSocialnetworkGroupId
        );
        assert_eq!(
            error_for(get(), code, "Socialnetwork group not found").await,
            Get::GroupNotFound
        );
        let invite = || SonetGroupUserInvite::new(69, 1);
        assert_eq!(
            error_for(invite(), code, "Wrong group ID").await,
            Invite::WrongGroupId
        );
        assert_eq!(
            error_for(invite(), code, "Wrong user IDs").await,
            Invite::WrongUserIds
        );
        assert_eq!(
            error_for(invite(), code, "Socialnetwork group not found").await,
            Invite::GroupNotFound
        );
        let request = || SonetGroupUserRequest::new(69);
        assert_eq!(
            error_for(request(), code, "Wrong group ID").await,
            Request::WrongGroupId
        );
        assert_eq!(
            error_for(request(), code, "Socialnetwork group not found").await,
            Request::GroupNotFound
        );
        assert_eq!(
            error_for(request(), code, "Cannot request to join group").await,
            Request::CannotRequestToJoinGroup
        );
        let add = || SonetGroupUserAdd::new(69, 1);
        assert_eq!(
            error_for(add(), code, "Wrong group ID").await,
            Add::WrongGroupId
        );
        assert_eq!(
            error_for(add(), code, "No permissions to add users").await,
            Add::NoPermissionToAdd
        );
        assert_eq!(
            error_for(add(), code, "Wrong user IDs").await,
            Add::WrongUserIds
        );
        assert_eq!(
            error_for(add(), code, "Socialnetwork group not found").await,
            Add::GroupNotFound
        );
        let update = || SonetGroupUserUpdate::new(69, 1, AssignableRole::Member);
        assert_eq!(
            error_for(update(), code, "Wrong group ID").await,
            Update::WrongGroupId
        );
        assert_eq!(
            error_for(update(), code, "No permissions to update users role").await,
            Update::NoPermissionToUpdateRoles
        );
        assert_eq!(
            error_for(update(), code, "Incorrect role code").await,
            Update::IncorrectRoleCode
        );
        assert_eq!(
            error_for(update(), code, "Wrong user IDs").await,
            Update::WrongUserIds
        );
        assert_eq!(
            error_for(update(), code, "Socialnetwork group not found").await,
            Update::GroupNotFound
        );
        let delete = || SonetGroupUserDelete::new(69, 1);
        assert_eq!(
            error_for(delete(), code, "Wrong group ID").await,
            Delete::WrongGroupId
        );
        assert_eq!(
            error_for(delete(), code, "No permissions to update users role").await,
            Delete::NoPermissionToUpdateRoles
        );
        assert_eq!(
            error_for(delete(), code, "Wrong user IDs").await,
            Delete::WrongUserIds
        );
        assert_eq!(
            error_for(delete(), code, "Socialnetwork group not found").await,
            Delete::GroupNotFound
        );
    }
}

#[tokio::test]
async fn the_current_request_failure_keeps_its_reason() {
    let error = error_for(
        SonetGroupUserRequest::new(69),
        "ERROR_CREATE_USER2GROUP",
        "Already a member",
    )
    .await;
    assert_eq!(
        error,
        SonetGroupUserRequestError::RequestRefused {
            description: "Already a member".into()
        }
    );
}

#[tokio::test]
async fn unknown_errors_keep_code_and_description() {
    let error = error_for(SonetGroupUserGet::new(69), "SOMETHING_NEW", "A new failure").await;
    let SonetGroupUserGetError::Unknown(unknown) = error else {
        panic!("expected the unknown fallback, got {error:?}")
    };
    assert_eq!(
        (unknown.code(), unknown.description()),
        ("SOMETHING_NEW", "A new failure")
    );
}

/// System errors that are final map to `System` with the right category, whatever the status.
#[tokio::test]
async fn final_system_errors_map_to_their_category() {
    let cases = [
        (
            "NO_AUTH_FOUND",
            "Wrong authorization data",
            401,
            SystemErrorCategory::Authentication,
        ),
        (
            "INVALID_CREDENTIALS",
            "Invalid request credentials",
            401,
            SystemErrorCategory::Authentication,
        ),
        (
            "INVALID_REQUEST",
            "Https required.",
            400,
            SystemErrorCategory::BadRequest,
        ),
        (
            "ACCESS_DENIED",
            "REST is available only on commercial plans.",
            403,
            SystemErrorCategory::AccessDenied,
        ),
        (
            "insufficient_scope",
            "The request requires higher privileges than provided by the webhook token",
            401,
            SystemErrorCategory::Scope,
        ),
        (
            "user_access_error",
            "The user does not have access to the application.",
            401,
            SystemErrorCategory::AccessDenied,
        ),
        (
            "PORTAL_DELETED",
            "Portal was deleted",
            403,
            SystemErrorCategory::Portal,
        ),
        (
            "PORTAL_DELETED",
            "Portal was deleted",
            500,
            SystemErrorCategory::Portal,
        ),
        (
            "ERROR_METHOD_NOT_FOUND",
            "Method not found!",
            404,
            SystemErrorCategory::MethodNotFound,
        ),
        (
            "OVERLOAD_LIMIT",
            "REST API is blocked due to overload.",
            503,
            SystemErrorCategory::RateLimit,
        ),
        (
            "authorization_error",
            "Unable to authorize user",
            401,
            SystemErrorCategory::Authentication,
        ),
        (
            "APPLICATION_NOT_FOUND",
            "Application not found",
            401,
            SystemErrorCategory::Authentication,
        ),
        (
            "WRONG_ENCODING",
            "Wrong request encoding",
            400,
            SystemErrorCategory::BadRequest,
        ),
        (
            "ERROR_BATCH_LENGTH_EXCEEDED",
            "Max batch length exceeded",
            400,
            SystemErrorCategory::BadRequest,
        ),
        (
            "ERROR_BATCH_METHOD_NOT_ALLOWED",
            "Method is not allowed for batch usage",
            405,
            SystemErrorCategory::BadRequest,
        ),
        (
            "ERROR_MANIFEST_IS_NOT_AVAILABLE",
            "Manifest is not available",
            404,
            SystemErrorCategory::BadRequest,
        ),
        // A webhook never refreshes: an expired token is final.
        (
            "expired_token",
            "The access token provided has expired",
            401,
            SystemErrorCategory::ExpiredToken,
        ),
    ];
    for (code, description, status, category) in cases {
        let server = Server::scripted(vec![Reply::error(status, code, description)]).await;
        let error = server
            .client()
            .call(SonetGroupUserGet::new(69))
            .await
            .unwrap_err();
        let Some(SonetGroupUserGetError::System(system)) = error.method_error() else {
            panic!("{code}: {error:?}")
        };
        assert_eq!(system.code(), SystemErrorCode::from_code(code).unwrap());
        assert_eq!(system.category(), category, "{code}");
        assert_eq!(system.description(), description);
        assert_eq!(server.count(), 1, "{code} must not be retried");
        assert!(error.to_string().contains(description), "{error}");
    }
}

#[tokio::test]
async fn raw_calls_reach_methods_without_a_type() {
    let server = Server::scripted(vec![Reply::Json(
        200,
        format!(r#"{{"result":[{{"ID":"1"}}],"next":50,"total":120,"time":{TIME}}}"#),
    )])
    .await;
    let response = server
        .client()
        .call_raw("sonet_group.get", json!({"FILTER": {"ID": 1}}))
        .await
        .unwrap();
    assert_eq!(response.result, json!([{"ID": "1"}]));
    assert_eq!((response.next, response.total), (Some(50), Some(120)));
    assert!(server.requests()[0].path.ends_with("/sonet_group.get"));

    let server = Server::scripted(vec![Reply::error(
        404,
        "ERROR_METHOD_NOT_FOUND",
        "Method not found!",
    )])
    .await;
    let error = server
        .client()
        .call_raw("no.such.method", json!({}))
        .await
        .unwrap_err();
    let api = error.method_error().unwrap();
    assert_eq!(
        SystemError::try_from(api.clone()).unwrap().code(),
        SystemErrorCode::MethodNotFound
    );
}
