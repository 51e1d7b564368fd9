//! Large generated portals over real HTTP: 10,000 groups paged through `sonet_group.get` the
//! three ways clients do (`start=-1`, a keyset walk on `>ID`, `start`/`next`), and 5,000
//! `sonet_group.user.add` commands in batches of 50. Each test prints how long it took.

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use bitrix24_emulator::{Emulator, EmulatorBuilder, OperatingLimit, Seed};
use common::{result, start_with};
use serde_json::{Value, json};

/// The demo has seven groups; generated ones are 8 to 10,007.
const GROUPS: usize = 10_000;
const LAST_GROUP: u64 = 7 + GROUPS as u64;
/// Demo group 6 is hidden and the admin is not in it, so the admin lists every other group.
const HIDDEN: u64 = 6;
const VISIBLE_TO_ADMIN: usize = 7 + GROUPS - 1;

/// A portal with generated records, and limits too high to matter: these tests are about the
/// work per request, not the bucket.
fn large(users: usize, groups: usize) -> EmulatorBuilder {
    let seed = Seed::demo()
        .with_generated_users(users)
        .and_then(|s| s.with_generated_groups(groups))
        .expect("generated seed");
    Emulator::builder()
        .seed(seed)
        .rate_limit(u32::MAX, 1_000.0)
        .operating_limit(OperatingLimit::new(Duration::from_secs(1_000_000)))
}

fn ids(page: &Value) -> Vec<u64> {
    page["result"]
        .as_array()
        .expect("a list of groups")
        .iter()
        .map(|g| g["ID"].as_str().unwrap().parse().unwrap())
        .collect()
}

fn expected_visible() -> Vec<u64> {
    (1..=LAST_GROUP).filter(|id| *id != HIDDEN).collect()
}

#[tokio::test]
async fn start_minus_one_gives_fifty_rows_without_counting() {
    let p = start_with(large(0, GROUPS)).await;
    let (status, newest) = p.call("sonet_group.get", json!({"start": -1})).await;
    assert_eq!(status, 200, "{newest}");
    assert!(newest.get("total").is_none() && newest.get("next").is_none());
    // The default order is ID DESC.
    assert_eq!(
        ids(&newest),
        (LAST_GROUP - 49..=LAST_GROUP).rev().collect::<Vec<_>>()
    );
    let (_, oldest) = p
        .call(
            "sonet_group.get",
            json!({"start": -1, "ORDER": {"ID": "ASC"}}),
        )
        .await;
    let first_fifty: Vec<u64> = expected_visible().into_iter().take(50).collect();
    assert_eq!(ids(&oldest), first_fifty);
    assert!(oldest.get("total").is_none() && oldest.get("next").is_none());
    // Near the end a page is short, still without `next`.
    let (_, tail) = p
        .call(
            "sonet_group.get",
            json!({"start": -1, "ORDER": {"ID": "ASC"}, "FILTER": {">ID": LAST_GROUP - 7}}),
        )
        .await;
    assert_eq!(
        ids(&tail),
        (LAST_GROUP - 6..=LAST_GROUP).collect::<Vec<_>>()
    );
    assert!(tail.get("total").is_none() && tail.get("next").is_none());
    assert_eq!(tail["result"][0]["NUMBER_OF_MEMBERS"], "1");
    assert_eq!(tail["result"][0]["OWNER_ID"], "1");
}

#[tokio::test]
async fn keyset_walk_visits_every_group_once() {
    let p = start_with(large(0, GROUPS)).await;
    let started = Instant::now();
    let (mut seen, mut last, mut pages) = (Vec::<u64>::new(), 0, 0);
    loop {
        let (status, page) = p
            .call(
                "sonet_group.get",
                json!({"ORDER": {"ID": "ASC"}, "FILTER": {">ID": last}, "start": -1}),
            )
            .await;
        assert_eq!(status, 200, "{page}");
        assert!(page.get("total").is_none() && page.get("next").is_none());
        let rows = ids(&page);
        pages += 1;
        seen.extend(&rows);
        match rows.last() {
            Some(id) if rows.len() == 50 => last = *id,
            _ => break,
        }
    }
    eprintln!("keyset walk: {pages} pages in {:?}", started.elapsed());
    assert_eq!(seen, expected_visible());
    assert_eq!(pages, VISIBLE_TO_ADMIN.div_ceil(50));
}

#[tokio::test]
async fn start_and_next_visit_every_group_once_with_totals() {
    let p = start_with(large(0, GROUPS)).await;
    let started = Instant::now();
    let (mut seen, mut start, mut pages) = (Vec::<u64>::new(), Some(0), 0);
    while let Some(offset) = start {
        let (status, page) = p
            .call(
                "sonet_group.get",
                json!({"ORDER": {"ID": "ASC"}, "start": offset}),
            )
            .await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["total"], VISIBLE_TO_ADMIN, "page at {offset}");
        seen.extend(ids(&page));
        pages += 1;
        start = page
            .get("next")
            .map(|n| n.as_u64().expect("next is a number"));
        if let Some(next) = start {
            assert_eq!(next, offset + 50);
        }
    }
    eprintln!("start/next: {pages} pages in {:?}", started.elapsed());
    assert_eq!(seen, expected_visible());
    assert_eq!(pages, VISIBLE_TO_ADMIN.div_ceil(50));
    // With the admin bypass the hidden group is listed too, and counted.
    let (_, all) = p
        .call(
            "sonet_group.get",
            json!({"IS_ADMIN": "Y", "start": 10_000, "ORDER": {"ID": "ASC"}}),
        )
        .await;
    assert_eq!(all["total"], LAST_GROUP);
    assert_eq!(ids(&all), (10_001..=LAST_GROUP).collect::<Vec<_>>());
    assert!(all.get("next").is_none());
}

/// `count` add commands: generated user `12 + k` into generated group `8 + k % groups`.
fn add_commands(count: usize, groups: u64) -> Vec<String> {
    (0..count as u64)
        .map(|k| {
            let (user, group) = (12 + k, 8 + k % groups);
            format!("sonet_group.user.add?GROUP_ID={group}&USER_ID={user}")
        })
        .collect()
}

#[tokio::test]
async fn five_thousand_adds_in_batches_of_fifty() {
    let p = start_with(large(5_000, 10)).await;
    let before = p.emu.state().relations.len();
    let commands = add_commands(5_000, 10);
    let started = Instant::now();
    let mut added = BTreeSet::new();
    for chunk in commands.chunks(50) {
        let cmd: serde_json::Map<String, Value> = chunk
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("c{i}"), json!(c)))
            .collect();
        let answer = result(p.call("batch", json!({"halt": 0, "cmd": cmd})).await);
        assert_eq!(answer["result_error"], json!([]), "{answer}");
        for one in answer["result"]
            .as_object()
            .expect("keyed results")
            .values()
        {
            let [id] = one.as_array().expect("a list of IDs").as_slice() else {
                panic!("one ID per command: {one}");
            };
            assert!(added.insert(id.as_str().unwrap().to_owned()), "{id} twice");
        }
    }
    eprintln!("5,000 adds in 100 batches: {:?}", started.elapsed());
    assert_eq!(added.len(), 5_000);
    assert_eq!(p.emu.state().relations.len(), before + 5_000);
    assert_eq!(p.emu.counters().executed("sonet_group.user.add"), 5_000);
    let members = result(p.call("sonet_group.user.get", json!({"ID": 8})).await);
    assert_eq!(members.as_array().unwrap().len(), 501);
    assert_eq!(members[1], json!({"USER_ID": "12", "ROLE": "K"}));

    // The same commands again add nobody: every pair is related now.
    let again = result(
        p.call(
            "batch",
            json!({"cmd": commands[..50].iter().map(|c| json!(c)).collect::<Vec<_>>()}),
        )
        .await,
    );
    assert_eq!(again["result"], json!(vec![json!([]); 50]));
    assert_eq!(p.emu.state().relations.len(), before + 5_000);
    let groups = result(
        p.call("sonet_group.get", json!({"FILTER": {"ID": 8}}))
            .await,
    );
    assert_eq!(groups[0]["NUMBER_OF_MEMBERS"], "501");
}

#[tokio::test]
async fn ten_thousand_users_and_groups_start_quickly() {
    let started = Instant::now();
    let p = start_with(large(10_000, 10_000)).await;
    eprintln!(
        "seed and start with 10,000 users and groups: {:?}",
        started.elapsed()
    );
    let state = p.emu.state();
    assert_eq!((state.users.len(), state.groups.len()), (10_011, 10_007));
    // The admin owns every generated group, so their groups list them all.
    let mine = result(p.call("sonet_group.user.groups", json!({})).await);
    assert_eq!(mine.as_array().unwrap().len(), 5 + 10_000);
}

/// Every page of `params` by `start`/`next`, with the total of the first page.
async fn all_pages(p: &common::Portal, params: &Value) -> (Vec<u64>, Value) {
    let (mut seen, mut start, mut total) = (Vec::new(), Some(0), Value::Null);
    while let Some(offset) = start {
        let mut params = params.clone();
        params["start"] = json!(offset);
        let (status, page) = p.call("sonet_group.get", params).await;
        assert_eq!(status, 200, "{page}");
        if offset == 0 {
            total = page["total"].clone();
        }
        seen.extend(ids(&page));
        start = page.get("next").and_then(Value::as_u64);
    }
    (seen, total)
}

#[tokio::test]
async fn id_bounds_and_orders_agree_with_a_scan() {
    let p = start_with(large(0, 300)).await;
    let groups = p.emu.state().groups;
    let by_name = |mut list: Vec<&bitrix24_emulator::Group>, descending: bool| {
        list.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        if descending {
            list.reverse();
        }
        list.into_iter().map(|g| g.id).collect::<Vec<u64>>()
    };
    let ids_where = |keep: &dyn Fn(u64) -> bool| -> Vec<u64> {
        groups.iter().map(|g| g.id).filter(|id| keep(*id)).collect()
    };
    let reversed = |mut v: Vec<u64>| {
        v.reverse();
        v
    };
    let named_over_200: Vec<&_> = groups.iter().filter(|g| g.id > 200).collect();
    let cases: Vec<(Value, Vec<u64>)> = vec![
        (
            json!({"FILTER": {">ID": 250}, "ORDER": {"ID": "ASC"}}),
            ids_where(&|id| id > 250),
        ),
        (
            json!({"FILTER": {">=ID": 250, "<ID": 260}, "ORDER": {"ID": "DESC"}}),
            reversed(ids_where(&|id| (250..260).contains(&id))),
        ),
        (
            json!({"FILTER": {">ID": -5}}),
            reversed(ids_where(&|_| true)),
        ),
        (
            // Only the first value of a list counts for `>`; keys of ORDER in any case.
            json!({"FILTER": {">ID": [100, 1]}, "ORDER": {"id": "asc"}}),
            ids_where(&|id| id > 100),
        ),
        (
            json!({"FILTER": {">ID": 120, ">=ID": 120, "!ID": 121}, "ORDER": {"ID": "ASC"}}),
            ids_where(&|id| id > 121),
        ),
        (
            // An unknown first key orders by ID; later keys never break ties between IDs.
            json!({"FILTER": {">ID": 280}, "ORDER": {"BOGUS": "DESC", "NAME": "ASC"}}),
            reversed(ids_where(&|id| id > 280)),
        ),
        (
            json!({"FILTER": {">ID": 200}, "ORDER": {"NAME": "DESC"}}),
            by_name(named_over_200.clone(), true),
        ),
        (
            json!({"FILTER": {">ID": 200, "%NAME": "group 2"}, "ORDER": {"NAME": "ASC"}}),
            by_name(
                named_over_200
                    .into_iter()
                    .filter(|g| g.name.starts_with("Group 2"))
                    .collect(),
                false,
            ),
        ),
    ];
    for (mut params, expected) in cases {
        params["IS_ADMIN"] = json!("Y");
        let (seen, total) = all_pages(&p, &params).await;
        assert_eq!(seen, expected, "{params}");
        assert_eq!(total, expected.len(), "{params}");
        params["start"] = json!(-1);
        let (_, first) = p.call("sonet_group.get", params.clone()).await;
        let first_page: Vec<u64> = expected.iter().copied().take(50).collect();
        assert_eq!(ids(&first), first_page, "{params}");
    }
}
