//! The seven `sonet_group.user.*` methods and `sonet_group.get` against the demo portal.

mod common;

use bitrix24_emulator::{Emulator, Group, InitiatedBy, Role, Seed};
use common::{members, method_error, pairs, result, start, start_with};
use serde_json::json;

#[tokio::test]
async fn get_lists_active_members_by_relation_id() {
    let p = start().await;
    let list = result(p.call("sonet_group.user.get", json!({"ID": 1})).await);
    // User 7 is inactive; 5 (T), 6 and 8 (Z) are not members.
    assert_eq!(
        members(&list),
        pairs(&[("1", "A"), ("2", "E"), ("3", "K"), ("4", "K")])
    );
    let (_, body) = p.call("sonet_group.user.get", json!({"ID": 1})).await;
    assert!(body.get("next").is_none() && body.get("total").is_none());
    let time = &body["time"];
    for field in [
        "start",
        "finish",
        "duration",
        "processing",
        "operating_reset_at",
        "operating",
    ] {
        assert!(time[field].is_number(), "{field} in {time}");
    }
    for field in ["date_start", "date_finish"] {
        let date = time[field].as_str().unwrap();
        assert_eq!(date.len(), 25, "{date}");
        assert!(date.ends_with("+03:00"), "{date}");
    }
}

#[tokio::test]
async fn get_errors_and_visibility() {
    let p = start().await;
    let member = p.hook(3);
    let extranet = p.hook(9);
    for params in [
        json!({}),
        json!({"ID": 0}),
        json!({"ID": "abc"}),
        json!({"GROUP_ID": 1}),
    ] {
        assert_eq!(
            method_error(p.call("sonet_group.user.get", params).await),
            "Wrong socialnetwork group ID"
        );
    }
    assert_eq!(
        method_error(p.call("sonet_group.user.get", json!({"ID": 999})).await),
        "Socialnetwork group not found"
    );
    // The admin sees the hidden group 6 without being a member; a member does not.
    assert_eq!(
        members(&result(
            p.call("sonet_group.user.get", json!({"ID": 6})).await
        )),
        pairs(&[("4", "A"), ("2", "K")])
    );
    let hidden = p
        .call_at(&member, "sonet_group.user.get", json!({"ID": 6}))
        .await;
    assert_eq!(method_error(hidden), "Socialnetwork group not found");
    assert!(
        result(
            p.call_at(&member, "sonet_group.user.get", json!({"ID": "1"}))
                .await
        )
        .is_array()
    );
    // Extranet users only see extranet groups.
    let outside = p
        .call_at(&extranet, "sonet_group.user.get", json!({"ID": 1}))
        .await;
    assert_eq!(method_error(outside), "Socialnetwork group not found");
    assert_eq!(
        members(&result(
            p.call_at(&extranet, "sonet_group.user.get", json!({"ID": 4}))
                .await
        ))
        .len(),
        3
    );
}

#[tokio::test]
async fn invite_echoes_ids_and_skips_silently() {
    let p = start().await;
    let invited = result(
        p.call(
            "sonet_group.user.invite",
            json!({"GROUP_ID": 1, "USER_ID": [10, 1, 3, 999, "11"], "MESSAGE": "hi"}),
        )
        .await,
    );
    assert_eq!(invited, json!([10, "11"]));
    let state = p.emu.state();
    assert_eq!(state.role(1, 10), Some(Role::Request));
    let relation = state
        .relations
        .iter()
        .find(|r| r.group == 1 && r.user == 11)
        .unwrap();
    assert_eq!(relation.initiated_by, InitiatedBy::Group);
    assert_eq!(state.role(1, 3), Some(Role::Member));
    // Form values come back as strings; a scalar is wrapped.
    assert_eq!(
        result(
            p.form("sonet_group.user.invite", "GROUP_ID=2&USER_ID=10")
                .await
        ),
        json!(["10"])
    );
    assert_eq!(
        result(
            p.call(
                "sonet_group.user.invite",
                json!({"GROUP_ID": 3, "USER_ID": 10})
            )
            .await
        ),
        json!([10])
    );
}

#[tokio::test]
async fn invite_validation_order_and_permissions() {
    let p = start().await;
    let e = |params| async { method_error(p.call("sonet_group.user.invite", params).await) };
    assert_eq!(
        e(json!({"GROUP_ID": 0, "USER_ID": 0})).await,
        "Wrong group ID"
    );
    assert_eq!(
        e(json!({"GROUP_ID": 999, "USER_ID": 0})).await,
        "Wrong user IDs"
    );
    assert_eq!(
        e(json!({"GROUP_ID": 1, "USER_ID": []})).await,
        "Wrong user IDs"
    );
    assert_eq!(e(json!({"GROUP_ID": 1})).await, "Wrong user IDs");
    assert_eq!(
        e(json!({"GROUP_ID": 999, "USER_ID": 10})).await,
        "Socialnetwork group not found"
    );
    // No admin bypass for the group lookup: hidden group 6 has no admin member.
    assert_eq!(
        e(json!({"GROUP_ID": 6, "USER_ID": 10})).await,
        "Socialnetwork group not found"
    );
    // A moderator of group 7 (INITIATE_PERMS = owner only) is silently refused.
    let member = p.hook(3);
    assert_eq!(
        result(
            p.call_at(
                &member,
                "sonet_group.user.invite",
                json!({"GROUP_ID": 7, "USER_ID": [10]})
            )
            .await
        ),
        json!([])
    );
    assert_eq!(
        result(
            p.call_at(
                &member,
                "sonet_group.user.invite",
                json!({"GROUP_ID": 1, "USER_ID": [10]})
            )
            .await
        ),
        json!([10])
    );
}

#[tokio::test]
async fn request_joins_open_groups_and_asks_closed_ones() {
    let p = start().await;
    assert_eq!(
        result(
            p.call(
                "sonet_group.user.request",
                json!({"GROUP_ID": 5, "MESSAGE": "me"})
            )
            .await
        ),
        json!(true)
    );
    assert_eq!(p.emu.state().role(5, 1), Some(Role::Member));
    let member = p.hook(3);
    assert_eq!(
        result(
            p.call_at(&member, "sonet_group.user.request", json!({"GROUP_ID": 4}))
                .await
        ),
        json!(true)
    );
    let state = p.emu.state();
    assert_eq!(state.role(4, 3), Some(Role::Request));
    assert_eq!(
        state
            .relations
            .iter()
            .find(|r| r.group == 4 && r.user == 3)
            .unwrap()
            .initiated_by,
        InitiatedBy::User
    );

    assert_eq!(
        method_error(
            p.call("sonet_group.user.request", json!({"GROUP_ID": "x"}))
                .await
        ),
        "Wrong group ID"
    );
    // Hidden groups are not found, for admins too.
    assert_eq!(
        method_error(
            p.call("sonet_group.user.request", json!({"GROUP_ID": 6}))
                .await
        ),
        "Socialnetwork group not found"
    );
    let extranet = p.hook(9);
    assert_eq!(
        method_error(
            p.call_at(
                &extranet,
                "sonet_group.user.request",
                json!({"GROUP_ID": 2})
            )
            .await
        ),
        "Socialnetwork group not found"
    );
    // Already related: the application exception of SendRequestToBeMember.
    let (status, body) = p
        .call("sonet_group.user.request", json!({"GROUP_ID": 1}))
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "ERROR_CREATE_USER2GROUP");
    assert!(body.get("time").is_none());
}

#[tokio::test]
async fn add_is_admin_only_and_skips_related_users() {
    let p = start().await;
    let added = result(
        p.call(
            "sonet_group.user.add",
            json!({"GROUP_ID": 1, "USER_ID": [11, 10, 3, 999, 5]}),
        )
        .await,
    );
    assert_eq!(added, json!(["10", "11"]));
    assert_eq!(p.emu.state().role(1, 11), Some(Role::Member));
    assert_eq!(p.emu.state().role(1, 5), Some(Role::Banned));

    let member = p.hook(3);
    let admin = p.emu.webhook_url();
    let cases = [
        (
            &member,
            json!({"GROUP_ID": 0, "USER_ID": 0}),
            "Wrong group ID",
        ),
        (
            &member,
            json!({"GROUP_ID": 999, "USER_ID": 0}),
            "No permissions to add users",
        ),
        (
            &admin,
            json!({"GROUP_ID": 999, "USER_ID": 0}),
            "Wrong user IDs",
        ),
        (
            &admin,
            json!({"GROUP_ID": 999, "USER_ID": [10]}),
            "Socialnetwork group not found",
        ),
    ];
    for (hook, params, expected) in cases {
        assert_eq!(
            method_error(p.call_at(hook, "sonet_group.user.add", params).await),
            expected
        );
    }

    // An extranet user binds the group to the extranet site.
    assert!(!p.emu.state().groups[1].extranet);
    assert_eq!(
        result(
            p.call("sonet_group.user.add", json!({"GROUP_ID": 2, "USER_ID": 9}))
                .await
        ),
        json!(["9"])
    );
    assert!(p.emu.state().groups[1].extranet);
}

#[tokio::test]
async fn update_changes_roles_but_never_the_owner() {
    let p = start().await;
    let changed = result(
        p.call(
            "sonet_group.user.update",
            json!({"GROUP_ID": 1, "USER_ID": [1, 3, 2, 6, 999], "ROLE": "E"}),
        )
        .await,
    );
    // Relation order; the owner and the user already at E are skipped; a request becomes E.
    assert_eq!(changed, json!(["3", "6"]));
    let state = p.emu.state();
    assert_eq!(
        (state.role(1, 1), state.role(1, 3), state.role(1, 6)),
        (
            Some(Role::Owner),
            Some(Role::Moderator),
            Some(Role::Moderator)
        )
    );
    assert_eq!(
        result(
            p.call(
                "sonet_group.user.update",
                json!({"GROUP_ID": 1, "USER_ID": 1, "ROLE": "K"})
            )
            .await
        ),
        json!([])
    );
    assert_eq!(p.emu.state().role(1, 1), Some(Role::Owner));

    let e = |params| async { method_error(p.call("sonet_group.user.update", params).await) };
    for role in [json!("A"), json!("e"), json!("T"), json!(null)] {
        assert_eq!(
            e(json!({"GROUP_ID": 1, "USER_ID": 3, "ROLE": role})).await,
            "Incorrect role code"
        );
    }
    assert_eq!(
        e(json!({"GROUP_ID": 0, "USER_ID": 0, "ROLE": "X"})).await,
        "Wrong group ID"
    );
    assert_eq!(
        e(json!({"GROUP_ID": 1, "USER_ID": 0, "ROLE": "X"})).await,
        "Incorrect role code"
    );
    assert_eq!(
        e(json!({"GROUP_ID": 999, "USER_ID": 0, "ROLE": "K"})).await,
        "Wrong user IDs"
    );
    assert_eq!(
        e(json!({"GROUP_ID": 999, "USER_ID": 3, "ROLE": "K"})).await,
        "Socialnetwork group not found"
    );
    let member = p.hook(3);
    let denied = p
        .call_at(
            &member,
            "sonet_group.user.update",
            json!({"GROUP_ID": 1, "USER_ID": 3, "ROLE": "X"}),
        )
        .await;
    assert_eq!(method_error(denied), "No permissions to update users role");
}

#[tokio::test]
async fn delete_never_removes_owner_or_scrum_master() {
    let p = start().await;
    let removed = result(
        p.call(
            "sonet_group.user.delete",
            json!({"GROUP_ID": 1, "USER_ID": [1, 5, 8, 4, 999]}),
        )
        .await,
    );
    assert_eq!(removed, json!(["4", "5", "8"]));
    let state = p.emu.state();
    assert_eq!(state.role(1, 1), Some(Role::Owner));
    assert_eq!(
        (state.role(1, 4), state.role(1, 5), state.role(1, 8)),
        (None, None, None)
    );
    assert_eq!(
        result(
            p.form(
                "sonet_group.user.delete",
                "GROUP_ID=7&USER_ID[]=3&USER_ID[]=1"
            )
            .await
        ),
        json!(["1"])
    );
    assert_eq!(p.emu.state().role(7, 3), Some(Role::Moderator));

    let member = p.hook(3);
    let denied = p
        .call_at(
            &member,
            "sonet_group.user.delete",
            json!({"GROUP_ID": 1, "USER_ID": 3}),
        )
        .await;
    assert_eq!(method_error(denied), "No permissions to update users role");
    assert_eq!(
        method_error(
            p.call(
                "sonet_group.user.delete",
                json!({"GROUP_ID": -1, "USER_ID": 3})
            )
            .await
        ),
        "Wrong group ID"
    );
    assert_eq!(
        method_error(
            p.call(
                "sonet_group.user.delete",
                json!({"GROUP_ID": 1, "USER_ID": "0"})
            )
            .await
        ),
        "Wrong user IDs"
    );
}

#[tokio::test]
async fn groups_lists_memberships_with_extranet_and_images() {
    let p = start().await;
    let groups = result(p.call("sonet_group.user.groups", json!({})).await);
    let ids: Vec<_> = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["GROUP_ID"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["1", "2", "3", "4", "7"]);
    assert_eq!(
        groups[0],
        json!({"GROUP_ID": "1", "GROUP_NAME": "Marketing", "ROLE": "A", "GROUP_IMAGE_ID": null, "GROUP_IMAGE": ""})
    );
    assert_eq!(groups[3]["IS_EXTRANET"], "Y");
    assert_eq!(groups[3]["GROUP_IMAGE_ID"], "15");
    assert!(
        groups[3]["GROUP_IMAGE"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    assert!(
        groups
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["GROUP_ID"] != "4")
            .all(|g| g.get("IS_EXTRANET").is_none())
    );
    let extranet = p.hook(9);
    let theirs = result(
        p.call_at(&extranet, "sonet_group.user.groups", json!({}))
            .await,
    );
    assert_eq!(theirs.as_array().unwrap().len(), 1);
    assert_eq!(theirs[0]["ROLE"], "K");
}

fn many_groups(count: u64) -> Seed {
    let mut seed = Seed::demo();
    let template = seed.groups[0].clone();
    seed.groups.extend((100..100 + count).map(|id| Group {
        id,
        name: format!("Group {id}"),
        ..template.clone()
    }));
    seed
}

#[tokio::test]
async fn group_get_pages_by_fifty() {
    let p = start_with(Emulator::builder().seed(many_groups(113))).await;
    let (_, first) = p
        .call("sonet_group.get", json!({"ORDER": {"ID": "ASC"}}))
        .await;
    assert_eq!(first["result"].as_array().unwrap().len(), 50);
    assert_eq!(
        (first["next"].clone(), first["total"].clone()),
        (json!(50), json!(119))
    );
    assert_eq!(first["result"][0]["ID"], "1");
    let (_, last) = p
        .call(
            "sonet_group.get",
            json!({"ORDER": {"ID": "ASC"}, "start": 100}),
        )
        .await;
    assert_eq!(last["result"].as_array().unwrap().len(), 19);
    assert!(last.get("next").is_none());
    assert_eq!(last["total"], 119);
    let (_, uncounted) = p.call("sonet_group.get", json!({"start": -1})).await;
    assert!(uncounted.get("total").is_none() && uncounted.get("next").is_none());
    assert_eq!(uncounted["result"][0]["ID"], "212");
}

#[tokio::test]
async fn group_get_filters_and_permissions() {
    let p = start().await;
    let ids = |v: &serde_json::Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|g| g["ID"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let all = result(p.call("sonet_group.get", json!({})).await);
    assert_eq!(ids(&all), ["7", "5", "4", "3", "2", "1"]);
    assert_eq!(all[2]["IS_EXTRANET"], "Y");
    assert_eq!(all[2]["NUMBER_OF_MEMBERS"], "3");
    assert!(all[0]["DATE_CREATE"].as_str().unwrap().ends_with("+03:00"));
    assert_eq!(
        ids(&result(
            p.call("sonet_group.get", json!({"IS_ADMIN": "Y"})).await
        ))
        .len(),
        7
    );
    assert_eq!(
        ids(&result(
            p.call(
                "sonet_group.get",
                json!({"FILTER": {">ID": 4, "OPENED": "Y"}})
            )
            .await
        )),
        ["5"]
    );
    assert_eq!(
        ids(&result(
            p.call("sonet_group.get", json!({"FILTER": {"%NAME": "launch"}}))
                .await
        )),
        ["2"]
    );
    assert_eq!(
        ids(&result(p.form("sonet_group.get", "GROUP_ID=3").await)),
        ["3"]
    );
    let member = p.hook(3);
    let theirs = result(
        p.call_at(
            &member,
            "sonet_group.get",
            json!({"IS_ADMIN": "Y", "ORDER": {"NAME": "ASC"}}),
        )
        .await,
    );
    // IS_ADMIN is ignored for non-admins, so the hidden groups 3 and 6 stay out.
    assert_eq!(ids(&theirs), ["1", "5", "4", "2", "7"]);
}

#[tokio::test]
async fn a_group_removed_while_the_portal_runs_is_gone_with_its_members() {
    let p = start().await;
    assert!(p.emu.add_group(Group::new(90, "Late", 1)));
    let joined = p
        .call(
            "sonet_group.user.add",
            json!({"GROUP_ID": 90, "USER_ID": 3}),
        )
        .await;
    assert_eq!(joined.0, 200, "{}", joined.1);
    assert!(p.emu.remove_group(90));
    assert!(!p.emu.remove_group(90), "only once");
    let state = p.emu.state();
    assert!(state.groups.iter().all(|group| group.id != 90));
    assert!(state.relations.iter().all(|relation| relation.group != 90));
    assert_eq!(
        method_error(p.call("sonet_group.user.get", json!({"ID": 90})).await),
        "Socialnetwork group not found"
    );
    // The other groups keep their members.
    assert!(state.relations.iter().any(|relation| relation.group == 1));
}
