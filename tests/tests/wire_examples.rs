//! The documented answers of the Bitrix24 reference decode into the generated
//! types, including the quirks: IDs as strings or numbers, `time` with an
//! integer `start` and without the operating fields, extra fields the server
//! adds later, and `null` where a value is missing.

use bitrix24::sonet_group::{GroupMember, UserGroup};
use bitrix24::{MemberRole, Method, SonetGroupUserGet, SonetGroupUserGroups, Time, UserId};
use serde_json::json;

fn decode<M: Method>(result: serde_json::Value) -> M::Response {
    serde_json::from_value(result).expect("the documented result decodes")
}

#[test]
fn get_returns_members_with_string_ids() {
    let members = decode::<SonetGroupUserGet>(json!([
        {"USER_ID": "1269", "ROLE": "A"},
        {"USER_ID": "1271", "ROLE": "E"},
        {"USER_ID": "779", "ROLE": "K", "ADDED_LATER": true}
    ]));
    let ids: Vec<UserId> = members
        .iter()
        .map(|member: &GroupMember| member.user_id)
        .collect();
    assert_eq!(
        ids,
        [UserId::new(1269), UserId::new(1271), UserId::new(779)]
    );
    assert_eq!(members[0].role, MemberRole::Owner);
}

#[test]
fn groups_handle_null_images_and_extranet_flags() {
    let groups: Vec<UserGroup> = decode::<SonetGroupUserGroups>(json!([
        {"GROUP_ID": "77", "GROUP_NAME": "New Project Title", "ROLE": "K", "GROUP_IMAGE_ID": null, "GROUP_IMAGE": ""},
        {"GROUP_ID": "79", "GROUP_NAME": "Scrum Project", "ROLE": "A", "GROUP_IMAGE_ID": "12", "GROUP_IMAGE": "/x.png", "IS_EXTRANET": "Y"}
    ]));
    assert_eq!(groups[0].group_image_id, None);
    assert_eq!(groups[0].is_extranet, None);
    assert_eq!(groups[1].group_image_id, Some(12));
    assert_eq!(groups[1].is_extranet, Some(true));
}

#[test]
fn mutation_results_accept_mixed_id_forms() {
    let ids = decode::<bitrix24::SonetGroupUserDelete>(json!(["21", 22]));
    assert_eq!(ids, [UserId::new(21), UserId::new(22)]);
    assert!(
        decode::<bitrix24::SonetGroupUserAdd>(json!([])).is_empty(),
        "nobody was added"
    );
    assert!(decode::<bitrix24::SonetGroupUserRequest>(json!(true)));
}

#[test]
fn time_decodes_in_every_documented_form() {
    let full: Time = serde_json::from_value(json!({
        "start": 1773850553, "finish": 1773850553.261059, "duration": 0.261059045791626, "processing": 0,
        "date_start": "2026-03-18T19:15:53+02:00", "date_finish": "2026-03-18T19:15:53+02:00",
        "operating_reset_at": 1773851153, "operating": 0
    }))
    .expect("the documented time decodes");
    assert_eq!(full.operating_reset_at, Some(1_773_851_153));
    assert_eq!(full.date_start.to_rfc3339(), "2026-03-18T19:15:53+02:00");

    let on_premise: Time = serde_json::from_value(json!({
        "start": 1773850553.5, "finish": 1773850554.0, "duration": 0.5, "processing": 0.25,
        "date_start": "2026-03-18T19:15:53+02:00", "date_finish": "2026-03-18T19:15:54+02:00"
    }))
    .expect("time without the operating fields decodes");
    assert_eq!(on_premise.operating, None);
}

#[test]
fn wrong_types_are_errors_not_defaults() {
    assert!(
        serde_json::from_value::<Vec<GroupMember>>(json!([{"USER_ID": "abc", "ROLE": "A"}]))
            .is_err()
    );
    assert!(
        serde_json::from_value::<Vec<GroupMember>>(json!([{"ROLE": "A"}])).is_err(),
        "USER_ID is required"
    );
    assert!(serde_json::from_value::<Vec<UserGroup>>(json!([{"GROUP_ID": "1", "GROUP_NAME": "x", "ROLE": "K", "GROUP_IMAGE_ID": null, "IS_EXTRANET": "maybe"}])).is_err());
}
