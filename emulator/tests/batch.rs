//! `batch` over real HTTP: references, halt, length limit, result shapes.

mod common;

use std::time::Duration;

use bitrix24_emulator::{Emulator, OperatingLimit, Role};
use common::{result, start, start_with};
use serde_json::json;

#[tokio::test]
async fn references_feed_later_commands() {
    let p = start().await;
    let body = result(
        p.call(
            "batch",
            json!({"halt": 0, "cmd": {
                "a_groups": "sonet_group.user.groups",
                "b_first": "sonet_group.user.get?ID=$result[a_groups][0][GROUP_ID]",
                "c_invite": "sonet_group.user.invite?GROUP_ID=1&USER_ID[]=10&USER_ID[]=11",
                "d_undo": "sonet_group.user.delete?GROUP_ID=1&USER_ID=$result[c_invite]",
                "e_text": "sonet_group.user.invite?GROUP_ID=2&MESSAGE=group $result[a_groups][1][GROUP_NAME]!&USER_ID=$result[b_first][1][USER_ID]"
            }}),
        )
        .await,
    );
    // serde_json sorts object keys, so the command names are chosen in execution order.
    assert_eq!(
        body["result"]["b_first"],
        result(p.call("sonet_group.user.get", json!({"ID": 1})).await)
    );
    assert_eq!(body["result"]["c_invite"], json!(["10", "11"]));
    // A whole-value reference substitutes the array itself.
    assert_eq!(body["result"]["d_undo"], json!(["10", "11"]));
    assert_eq!(p.emu.state().role(1, 10), None);
    // User 2 already owns group 2, so nobody is invited, but the command ran.
    assert_eq!(body["result"]["e_text"], json!([]));
    assert_eq!(body["result_error"], json!([]));
    assert_eq!(body["result_total"], json!([]));
    assert_eq!(body["result_next"], json!([]));
    assert!(body["result_time"]["b_first"]["operating_reset_at"].is_number());
    let log = p.emu.log();
    let text = log
        .iter()
        .find(|e| e.in_batch && e.params["MESSAGE"].is_string())
        .unwrap();
    // The reference runs to the next blank, so the "!" is replaced along with it (as in PHP).
    assert_eq!(text.params["MESSAGE"], "group Product Launch");
    assert_eq!(p.emu.counters().executed("sonet_group.user.invite"), 2);
}

#[tokio::test]
async fn halt_stops_at_the_first_error() {
    let p = start().await;
    let cmd = json!({"a": "sonet_group.user.get?ID=0", "b": "sonet_group.user.add?GROUP_ID=1&USER_ID=10"});
    let halted = result(p.call("batch", json!({"halt": 1, "cmd": cmd})).await);
    assert_eq!(halted["result"], json!([]));
    assert_eq!(
        halted["result_error"],
        json!({"a": {"error": "", "error_description": "Wrong socialnetwork group ID"}})
    );
    assert_eq!(p.emu.state().role(1, 10), None);
    // "0" as a form value is false.
    let body = "halt=0&cmd[a]=sonet_group.user.get%3FID%3D0&cmd[b]=sonet_group.user.add%3FGROUP_ID%3D1%26USER_ID%3D10";
    let going = result(p.form("batch", body).await);
    assert_eq!(going["result"], json!({"b": ["10"]}));
    assert_eq!(
        going["result_error"]["a"]["error_description"],
        "Wrong socialnetwork group ID"
    );
    assert_eq!(p.emu.state().role(1, 10), Some(Role::Member));
}

#[tokio::test]
async fn sequential_keys_give_a_list_and_gaps_an_object() {
    let p = start().await;
    let list = result(
        p.call(
            "batch",
            json!({"cmd": ["sonet_group.user.get?ID=1", "sonet_group.user.groups"]}),
        )
        .await,
    );
    assert!(list["result"].is_array());
    assert_eq!(list["result"].as_array().unwrap().len(), 2);
    let gap = result(
        p.call(
            "batch",
            json!({"cmd": ["sonet_group.user.get?ID=1", "nope.nope", "sonet_group.user.groups"]}),
        )
        .await,
    );
    assert_eq!(
        gap["result"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["0", "2"]
    );
    assert_eq!(
        gap["result_error"]["1"],
        json!({"error": "ERROR_METHOD_NOT_FOUND", "error_description": "Method not found!"})
    );
    let empty = result(p.call("batch", json!({"cmd": []})).await);
    assert_eq!(
        empty,
        json!({"result": [], "result_error": [], "result_total": [], "result_next": [], "result_time": []})
    );
}

#[tokio::test]
async fn more_than_fifty_and_nested_batches_are_refused() {
    let p = start().await;
    let mut cmd: Vec<_> = (0..52).map(|_| json!("sonet_group.user.groups")).collect();
    cmd.push(json!("batch?cmd[x]=sonet_group.user.groups"));
    let body = result(p.call("batch", json!({"cmd": cmd})).await);
    assert_eq!(body["result"].as_array().unwrap().len(), 50);
    let errors = body["result_error"].as_object().unwrap();
    assert_eq!(errors.keys().collect::<Vec<_>>(), ["50", "51", "52"]);
    assert_eq!(
        errors["50"],
        json!({"error": "ERROR_BATCH_LENGTH_EXCEEDED", "error_description": "Max batch length exceeded"})
    );
    assert_eq!(p.emu.counters().executed("sonet_group.user.groups"), 50);
    let nested = result(
        p.call(
            "batch",
            json!({"cmd": {"x": "batch?cmd[y]=sonet_group.user.groups"}}),
        )
        .await,
    );
    assert_eq!(
        nested["result_error"]["x"]["error"],
        "ERROR_BATCH_METHOD_NOT_ALLOWED"
    );
}

#[tokio::test]
async fn list_sections_scope_and_operating_per_command() {
    let limit = OperatingLimit::new(Duration::from_secs(1))
        .charge_method("sonet_group.user.get", Duration::from_secs(1));
    let p = start_with(Emulator::builder().operating_limit(limit)).await;
    let body = result(
        p.call(
            "batch",
            json!({"cmd": {"g": "sonet_group.get?ORDER[ID]=ASC", "a": "sonet_group.user.get?ID=1", "b": "sonet_group.user.get?ID=1", "c": "sonet_group.user.get?ID=1"}}),
        )
        .await,
    );
    assert_eq!(body["result_total"], json!({"g": 6}));
    assert_eq!(body["result_next"], json!([]));
    assert_eq!(body["result_time"]["b"]["operating"], 2.0);
    assert_eq!(body["result_error"]["c"]["error"], "OPERATION_TIME_LIMIT");
    let crm_only = format!("{}/rest/1/democrmonlyhook01/", p.emu.base_url());
    let denied = result(
        p.call_at(
            &crm_only,
            "batch",
            json!({"cmd": {"x": "sonet_group.user.groups"}}),
        )
        .await,
    );
    assert_eq!(
        denied["result_error"]["x"],
        json!({"error": "insufficient_scope", "error_description": ""})
    );
    assert_eq!(p.emu.counters().requests, 2);
}
