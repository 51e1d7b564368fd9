//! Walking pages against a scripted portal that misbehaves: pages whose
//! `next` does not advance, keyset pages that end where they started, a
//! huge `total`, and a page that fails halfway through a walk.

mod client_support;

use bitrix24::prelude::*;
use bitrix24::{Error, ErrorKind, Keyset, MethodError, Paging, PagingError, RawList};
use client_support::{Reply, Server, TIME};
use futures_util::{StreamExt, TryStreamExt};

/// A page of `count` groups from `first` (descending IDs), with the envelope's
/// extra members (`"next":50,"total":100`).
fn page(first: u64, count: u64, extra: &str) -> Reply {
    let groups: Vec<String> = (0..count).map(|n| group(first + n)).collect();
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(",{extra}")
    };
    Reply::Json(
        200,
        format!(
            r#"{{"result":[{}]{extra},"time":{TIME}}}"#,
            groups.join(",")
        ),
    )
}

fn group(id: u64) -> String {
    format!(
        r#"{{"ID":"{id}","SITE_ID":"s1","NAME":"G{id}","DESCRIPTION":null,"DATE_CREATE":"2026-03-19T15:01:27+02:00","DATE_UPDATE":"2026-03-19T15:01:27+02:00","ACTIVE":"Y","VISIBLE":"Y","OPENED":"N","CLOSED":"N","SUBJECT_ID":"1","OWNER_ID":"1","KEYWORDS":null,"NUMBER_OF_MEMBERS":"1","DATE_ACTIVITY":"2026-03-19T15:01:27+02:00","SUBJECT_NAME":"Workgroups","PROJECT":"N"}}"#
    )
}

#[tokio::test]
async fn a_next_that_does_not_advance_ends_the_walk_with_an_error() {
    // Every request gets the same page, pointing at itself.
    let server = Server::start(|_| page(1, 50, r#""next":0,"total":100"#)).await;
    let client = server.client();
    let mut pages = client.sonet_group_get().paging(Paging::Classic).pages();
    let first = pages.next().await.expect("a page");
    let error = first.expect_err("next 0 after offset 0");
    assert_eq!(error.kind(), ErrorKind::Paging);
    assert!(
        error
            .to_string()
            .contains("do not advance: the page at offset 0 gives next 0"),
        "{error}"
    );
    assert!(pages.next().await.is_none(), "the walk ended");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_keyset_page_that_ends_where_the_last_one_did_ends_the_walk() {
    // A portal that ignores the `>ID` filter: the same first page forever.
    let server = Server::start(|_| page(1, 50, "")).await;
    let client = server.client();
    let mut items = client.sonet_group_get().paging(Paging::Keyset).stream();
    let mut seen = 0;
    let error = loop {
        match items.next().await.expect("the walk ends with an error") {
            Ok(_) => seen += 1,
            Err(error) => break error,
        }
    };
    assert_eq!(seen, 50, "the first page, once");
    assert!(matches!(
        &error,
        Error::Paging(PagingError::NoProgress {
            method: "sonet_group.get",
            ..
        })
    ));
    assert!(
        error
            .to_string()
            .contains("the page past key 50 ends at key 50"),
        "{error}"
    );
    assert_eq!(server.count(), 2);
    let second = server.requests()[1].json();
    assert_eq!(second["FILTER"][">ID"], 50);
    assert_eq!(second["start"], -1);
}

#[tokio::test]
async fn a_huge_total_is_walked_lazily_and_stops_at_the_last_page() {
    // The first page claims 2^63 items; the batched pages end at the third.
    let server = Server::start(|request| {
        if request.path.ends_with("/batch") || request.path.ends_with("/batch.json") {
            let result = format!(
                r#"{{"result":{{"c00":[{}],"c01":[{}]}},"result_error":[],"result_total":{{"c00":9223372036854775808,"c01":9223372036854775808}},"result_next":{{"c00":100}},"result_time":[]}}"#,
                group(51),
                group(101)
            );
            Reply::ok(&result)
        } else {
            page(1, 50, r#""next":50,"total":9223372036854775808"#)
        }
    })
    .await;
    let client = server.client();
    let ids: Vec<u64> = client
        .sonet_group_get()
        .paging(Paging::Batched)
        .stream()
        .map_ok(|group| u64::from(group.id))
        .try_collect()
        .await
        .expect("the pages are read");
    assert_eq!(ids.len(), 52);
    assert_eq!(&ids[50..], [51, 101]);
    assert_eq!(
        server.count(),
        2,
        "the first page and one batch of 50 pages"
    );
    let commands = server.requests()[1].json()["cmd"]
        .as_object()
        .unwrap()
        .len();
    assert_eq!(commands, 50);
}

/// A portal whose second page fails.
async fn failing_second_page() -> Server {
    Server::scripted(vec![
        page(1, 50, r#""next":50,"total":120"#),
        Reply::error(400, "ERROR_CORE", "boom"),
    ])
    .await
}

#[tokio::test]
async fn a_page_that_fails_ends_the_walk_after_the_pages_before_it() {
    let server = failing_second_page().await;
    let client = server.client();
    let pages: Vec<_> = client
        .sonet_group_get()
        .paging(Paging::Classic)
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].as_ref().unwrap().result.len(), 50);
    let error = pages[1].as_ref().unwrap_err();
    assert_eq!(
        error.method_error().map(MethodError::description),
        Some("boom")
    );
    assert_eq!(server.count(), 2);

    let server = failing_second_page().await;
    let error = server
        .client()
        .sonet_group_get()
        .paging(Paging::Classic)
        .collect_all()
        .await
        .expect_err("collect_all gives the failure, not a partial list");
    assert_eq!(
        error.method_error().map(MethodError::description),
        Some("boom")
    );
}

/// A batch answer whose commands `c00`, `c01`, ... gave `results` (a list
/// of groups from the ID, and how many) and, after them, `errors`.
fn batch_answer(results: &[(u64, u64)], errors: &[&str]) -> Reply {
    let sections: Vec<String> = results
        .iter()
        .enumerate()
        .map(|(index, (first, count))| {
            let groups: Vec<String> = (0..*count).map(|n| group(first + n)).collect();
            format!(r#""c{index:02}":[{}]"#, groups.join(","))
        })
        .collect();
    let errors: Vec<String> = errors
        .iter()
        .enumerate()
        .map(|(offset, code)| {
            format!(
                r#""c{:02}":{{"error":"{code}","error_description":"after the end"}}"#,
                results.len() + offset
            )
        })
        .collect();
    Reply::ok(&format!(
        r#"{{"result":{{{}}},"result_error":{{{}}},"result_total":[],"result_next":[],"result_time":[]}}"#,
        sections.join(","),
        errors.join(",")
    ))
}

/// A portal whose first keyset page is groups 1 to 50 and whose batches
/// get `batch`.
async fn chained_portal(batch: Reply) -> Server {
    let batch = std::sync::Mutex::new(Some(batch));
    Server::start(move |request| {
        if request.path.ends_with("/batch") || request.path.ends_with("/batch.json") {
            batch
                .lock()
                .unwrap()
                .take()
                .unwrap_or(Reply::error(500, "AGAIN", "one batch only"))
        } else {
            page(1, 50, "")
        }
    })
    .await
}

#[tokio::test]
async fn a_chained_walk_ends_at_the_first_short_page_and_reads_nothing_after_it() {
    // After the short page the references resolve to nothing useful: the
    // portal answers the later commands with anything, items or errors.
    let server = chained_portal(batch_answer(
        &[(51, 50), (101, 50), (151, 7), (1, 50), (1, 3)],
        &["ERROR_CORE", "QUERY_LIMIT_EXCEEDED"],
    ))
    .await;
    let pages: Vec<_> = server
        .client()
        .sonet_group_get()
        .paging(Paging::Chained)
        .pages()
        .try_collect()
        .await
        .expect("nothing after the short page is read");
    let sizes: Vec<usize> = pages.iter().map(|page| page.result.len()).collect();
    assert_eq!(sizes, [50, 50, 50, 7]);
    assert_eq!(server.count(), 2, "the first page, then one batch");
    let batch = server.requests()[1].json();
    let commands = batch["cmd"].as_object().unwrap();
    assert_eq!(commands.len(), 50);
    assert!(
        commands["c03"]
            .as_str()
            .unwrap()
            .contains("FILTER[%3EID]=%24result%5Bc02%5D%5B49%5D%5BID%5D"),
        "{commands:?}"
    );
}

#[tokio::test]
async fn a_chained_page_that_fails_ends_the_walk_after_the_pages_before_it() {
    let server = chained_portal(batch_answer(&[(51, 50)], &["ERROR_CORE"])).await;
    let mut items = server
        .client()
        .sonet_group_get()
        .paging(Paging::Chained)
        .stream();
    let mut seen = 0;
    let error = loop {
        match items.next().await.expect("the walk ends with an error") {
            Ok(_) => seen += 1,
            Err(error) => break error,
        }
    };
    assert_eq!(seen, 100, "the first page and the batch's first");
    assert_eq!(
        error.method_error().map(MethodError::code),
        Some("ERROR_CORE")
    );
    assert!(items.next().await.is_none(), "the walk ended");
}

#[tokio::test]
async fn a_portal_that_does_not_resolve_references_ends_the_walk() {
    // `c01` comes back as the first page again: its reference was not
    // substituted, so the filter let everything through.
    let server = chained_portal(batch_answer(&[(51, 50), (1, 50)], &[])).await;
    let mut items = server
        .client()
        .sonet_group_get()
        .paging(Paging::Chained)
        .stream();
    let mut ids = Vec::new();
    let error = loop {
        match items.next().await.expect("the walk ends with an error") {
            Ok(group) => ids.push(u64::from(group.id)),
            Err(error) => break error,
        }
    };
    assert_eq!(ids, (1..=100).collect::<Vec<_>>(), "no item twice");
    assert_eq!(error.kind(), ErrorKind::Paging);
    assert!(
        error
            .to_string()
            .contains("the page past key 100 (command c01) starts at key 1"),
        "{error}"
    );
}

/// `{"items":[{"id":first},...]}`: a `crm.item.list` result of `count` items.
fn item_page(first: u64, count: u64) -> String {
    let items: Vec<String> = (first..first + count)
        .map(|id| format!(r#"{{"id":{id},"title":"Item {id}"}}"#))
        .collect();
    format!(r#"{{"items":[{}]}}"#, items.join(","))
}

#[tokio::test]
async fn a_raw_list_walks_by_key_where_its_items_are_a_field_of_the_result() {
    let server = Server::start(|request| {
        if request.path.ends_with("/batch") || request.path.ends_with("/batch.json") {
            Reply::ok(&format!(
                r#"{{"result":{{"c00":{},"c01":{}}},"result_error":[],"result_total":[],"result_next":[],"result_time":[]}}"#,
                item_page(51, 50),
                item_page(101, 3)
            ))
        } else {
            Reply::ok(&item_page(1, 50))
        }
    })
    .await;
    let list = RawList::new(
        "crm.item.list",
        serde_json::json!({"entityTypeId": 2, "select": ["title"]}),
    )
    .items("items")
    .keyset(Keyset::new("order", "filter", "id").with_select("select"));
    let pages: Vec<_> = server
        .client()
        .raw_pages(list, Paging::Auto)
        .try_collect()
        .await
        .expect("every page is read");
    let ids: Vec<u64> = pages
        .iter()
        .flat_map(|page| page.result.iter().map(|item| item["id"].as_u64().unwrap()))
        .collect();
    assert_eq!(ids, (1..=103).collect::<Vec<_>>());
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let first = requests[0].json();
    assert_eq!(
        first["select"],
        serde_json::json!(["title", "id"]),
        "the key is selected"
    );
    assert_eq!(first["order"], serde_json::json!({"id": "ASC"}));
    assert_eq!(first["start"], -1);
    let commands = requests[1].json()["cmd"].clone();
    assert!(
        commands["c01"]
            .as_str()
            .unwrap()
            .contains("filter[%3Eid]=%24result%5Bc00%5D%5Bitems%5D%5B49%5D%5Bid%5D"),
        "{commands}"
    );
}

#[tokio::test]
async fn a_raw_page_without_its_list_of_items_ends_the_walk() {
    let server = Server::start(|_| Reply::ok(r#"{"total":3}"#)).await;
    let error = server
        .client()
        .raw_pages(
            RawList::new("crm.item.list", serde_json::json!({})).items("items"),
            Paging::Auto,
        )
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        Error::Paging(PagingError::NoItems {
            method: "crm.item.list"
        })
    ));
    assert_eq!(
        error.to_string(),
        "a page of crm.item.list holds no list of items"
    );
}
