//! A value that does not fit its type is logged once per method and path,
//! with no secret the answer echoes. A binary of its own: which mismatches
//! have been logged is kept for the whole process, and `tracing` decides
//! once per call site whether anyone listens, so tests running beside it
//! would make what this one sees depend on their order.

mod client_support;
use client_support as support;

use bitrix24::crm::CrmDealList;
use support::{Captured, Reply, Server, WEBHOOK_CODE};

#[tokio::test(flavor = "current_thread")]
async fn a_mismatch_is_logged_once_and_masked() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_writer(logs.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let deals = format!(
        r#"[{{"ID":"1","PROBABILITY":"40"}},{{"ID":"2","PROBABILITY":"high {WEBHOOK_CODE}"}},{{"ID":"3","PROBABILITY":"low"}}]"#
    );
    let server = Server::scripted(vec![Reply::ok(&deals), Reply::ok(&deals)]).await;
    let client = server.client();
    for _ in 0..2 {
        let answer = client.call(CrmDealList::new()).await.unwrap();
        assert_eq!(answer.mismatches().len(), 2);
    }
    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert_eq!(logs.matches("does not fit its type").count(), 1, "{logs}");
    assert!(
        logs.contains("crm.deal.list") && logs.contains("result[1].PROBABILITY"),
        "{logs}"
    );
    assert!(!logs.contains(WEBHOOK_CODE), "{logs}");
}
