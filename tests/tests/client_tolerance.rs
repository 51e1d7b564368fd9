//! Answers that do not fit the schema: a value of the wrong type costs its
//! field, never the answer; fields the schema does not list are kept; the
//! strict mode makes both errors; and no secret an answer echoes reaches a
//! mismatch (the log: `client_tolerance_log.rs`).

mod client_support;
use client_support as support;

use bitrix24::crm::CrmDealList;
use bitrix24::{Batch, Decoding, ErrorKind, SonetGroupUserGet, decode_answer};
use serde::Deserialize;
use support::{Reply, Server, TIME, WEBHOOK_CODE};

/// Two deals: the second's `field` (a number in the schema) is text, echoing
/// the webhook's code; both carry custom fields. Each test gives its own
/// field: a mismatch is logged once per method and path for the whole
/// process, and the tests of this binary share it.
fn deals_with(field: &str) -> String {
    format!(
        r#"[{{"ID":"1","TITLE":"First","{field}":"40","UF_CRM_1":"12.5"}},{{"ID":"2","TITLE":"Second","UF_CRM_1":7,"{field}":"high {WEBHOOK_CODE}","ufCrm11_2":[1,2]}}]"#
    )
}

/// The deals of the test that reads the log.
fn deals() -> String {
    deals_with("PROBABILITY")
}

#[tokio::test]
async fn a_value_that_does_not_fit_is_reported_and_kept_and_the_rest_decodes() {
    let server = Server::scripted(vec![Reply::ok(&deals()), Reply::ok(&deals())]).await;
    let client = server.client();
    let answer = client
        .call(CrmDealList::new())
        .await
        .expect("the answer decodes");
    let [first, second] = &answer.result[..] else {
        panic!("two deals: {:?}", answer.result)
    };
    assert_eq!(first.probability, Some(40));
    assert_eq!(second.title.as_deref(), Some("Second"));
    assert_eq!(
        second.probability, None,
        "the field that did not fit reads as absent"
    );
    // Kept as it came, in the order it came, with the custom fields.
    let kept: Vec<&str> = second.custom.keys().collect();
    assert_eq!(kept, ["UF_CRM_1", "PROBABILITY", "ufCrm11_2"]);
    assert_eq!(
        second.custom.get_as::<String>("PROBABILITY").unwrap(),
        Some(format!("high {WEBHOOK_CODE}"))
    );
    assert_eq!(
        first
            .custom
            .get_as::<String>("UF_CRM_1")
            .unwrap()
            .as_deref(),
        Some("12.5")
    );
    assert_eq!(second.custom.get_as::<u32>("UF_CRM_1").unwrap(), Some(7));
    assert_eq!(
        second.custom.get_as::<Vec<u8>>("ufCrm11_2").unwrap(),
        Some(vec![1, 2])
    );

    let [mismatch] = answer.mismatches() else {
        panic!("one mismatch: {:?}", answer.mismatches())
    };
    assert_eq!(mismatch.path(), "result[1].PROBABILITY");
    assert!(mismatch.reason().contains("high ***"), "{mismatch}");
    assert!(!format!("{mismatch} {mismatch:?}").contains(WEBHOOK_CODE));

    // Sent back, the custom fields follow the listed ones.
    let written = serde_json::to_value(second).unwrap();
    assert_eq!(written["UF_CRM_1"], 7);
    assert_eq!(written["ufCrm11_2"], serde_json::json!([1, 2]));

    // Every answer reports its own.
    let again = client.call(CrmDealList::new()).await.unwrap();
    assert_eq!(again.mismatches().len(), 1);
}

#[tokio::test]
async fn strict_decoding_makes_a_mismatch_an_error_for_the_client_or_one_call() {
    let server = Server::scripted(vec![
        Reply::ok(&deals_with("TAX_VALUE")),
        Reply::ok(&deals_with("TAX_VALUE")),
    ])
    .await;
    let strict = server.webhook().decoding(Decoding::Strict).build().unwrap();
    let error = strict.call(CrmDealList::new()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode, "{error:?}");
    assert!(error.to_string().contains("TAX_VALUE"), "{error}");
    assert!(!error.to_string().contains(WEBHOOK_CODE), "{error}");
    // One call may be tolerant on a strict client.
    let answer = strict
        .prepare(CrmDealList::new())
        .decoding(Decoding::Tolerant)
        .await
        .unwrap();
    assert_eq!(answer.mismatches().len(), 1);

    let server = Server::scripted(vec![Reply::ok(&deals_with("TAX_VALUE"))]).await;
    let error = server
        .client()
        .prepare(CrmDealList::new())
        .decoding(Decoding::Strict)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode, "{error:?}");
}

#[tokio::test]
async fn php_empty_values_read_as_absent_even_when_strict() {
    // `false` for a date, `""` for a flag, `[]` for an amount: what PHP
    // sends for no value.
    let deals = r#"[{"ID":"1","DATE_CREATE":false,"IS_NEW":"","OPPORTUNITY":[],"TITLE":""}]"#;
    let server = Server::scripted(vec![Reply::ok(deals), Reply::ok(deals)]).await;
    let strict = server.webhook().decoding(Decoding::Strict).build().unwrap();
    for client in [&strict, &server.client()] {
        let answer = client.call(CrmDealList::new()).await.expect("decodes");
        let deal = &answer.result[0];
        assert_eq!(
            (deal.date_create, deal.is_new, deal.opportunity),
            (None, None, None)
        );
        // Where the type has an empty value, it is that value.
        assert_eq!(deal.title.as_deref(), Some(""));
        assert!(deal.custom.is_empty() && answer.mismatches().is_empty());
    }
}

#[tokio::test]
async fn batch_results_decode_tolerantly_with_their_own_mismatches() {
    let body = format!(
        r#"{{"result":{{"result":{{"c00":{deals},"c01":[{{"USER_ID":"1","ROLE":"A"}},{{"USER_ID":"x","ROLE":"E"}}]}},"result_error":[],"result_total":[],"result_next":[],"result_time":[]}},"time":{TIME}}}"#,
        deals = deals_with("TAX_VALUE")
    );
    let server =
        Server::scripted(vec![Reply::body(200, "application/json", body.as_bytes())]).await;
    let mut batch = Batch::new();
    let deals = batch.add(CrmDealList::new()).unwrap();
    let members = batch.add(SonetGroupUserGet::new(1)).unwrap();
    let results = server.client().call_batch(&batch).await.unwrap();
    let deals = results.get(deals).unwrap();
    assert_eq!(deals.result.len(), 2);
    assert_eq!(deals.mismatches()[0].path(), "result[1].TAX_VALUE");
    assert!(!deals.mismatches()[0].reason().contains(WEBHOOK_CODE));
    // A required field that does not fit fails its object, and so the
    // whole result where nothing holds it: an error naming the path.
    let error = results.get(members).unwrap_err();
    assert!(error.to_string().contains("USER_ID"), "{error}");
}

#[tokio::test]
async fn call_as_decodes_into_the_callers_type_with_the_usual_errors() {
    #[derive(Debug, Deserialize)]
    struct Deal {
        #[serde(rename = "ID")]
        id: String,
        #[serde(rename = "UF_CRM_1")]
        custom: serde_json::Value,
    }
    let server = Server::scripted(vec![
        Reply::ok(&deals_with("TAX_VALUE")),
        Reply::ok(&deals_with("TAX_VALUE")),
        Reply::error(400, "ERROR_CORE", "Access denied"),
    ])
    .await;
    let client = server.client();
    let deals = client
        .call_as::<Vec<Deal>>(
            "crm.deal.list",
            serde_json::json!({"select": ["ID", "UF_CRM_1"]}),
        )
        .await
        .unwrap();
    assert_eq!(deals.result[1].id, "2");
    assert_eq!(deals.result[1].custom, 7);
    let request = &server.requests()[0];
    assert!(request.path.ends_with("/crm.deal.list"), "{}", request.path);
    assert_eq!(request.json()["select"][1], "UF_CRM_1");

    // A generated method's request, decoded into the caller's type.
    let raw = client
        .prepare(CrmDealList::new())
        .send_as::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(raw.result[1]["TAX_VALUE"], format!("high {WEBHOOK_CODE}"));
    let error = client
        .call_as::<Vec<Deal>>("crm.deal.list", serde_json::json!({}))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Method, "{error:?}");
}

#[test]
fn decode_answer_is_tolerant_and_reports() {
    let body = format!(r#"{{"result":{},"time":{TIME}}}"#, deals_with("TAX_VALUE"));
    let answer = decode_answer::<CrmDealList>(200, body.as_bytes()).unwrap();
    assert_eq!(answer.result.len(), 2);
    assert_eq!(answer.mismatches().len(), 1);
}
