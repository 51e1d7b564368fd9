//! Walking every page of `sonet_group.get` through the typed client against
//! the emulator over real HTTP: each strategy across page boundaries, a
//! keyset walk that items are added to while it runs, cancellation by
//! dropping the stream, and a portal whose pages do not advance.

mod e2e_common;

use bitrix24::prelude::*;
use bitrix24::sonet_group::{GroupFilter, GroupOrder};
use bitrix24::{ErrorKind, Paging, PagingError, SonetGroupGet};
use bitrix24_emulator::{Emulator, Group, RunningEmulator, Seed};
use e2e_common::{entries_of, start, unlimited_client};
use futures_util::{StreamExt, TryStreamExt};

/// The first ID of the groups a test adds, past the demo's.
const FIRST: u64 = 100;

/// A visible group named `Listed <id>`.
fn listed_group(id: u64) -> Group {
    Group {
        opened: true,
        ..Group::new(id, format!("Listed {id}"), 1)
    }
}

/// The demo portal plus `count` listed groups from ID [`FIRST`].
fn seed(count: u64) -> Seed {
    let mut seed = Seed::demo();
    seed.groups.extend((FIRST..FIRST + count).map(listed_group));
    seed
}

/// A portal with a bucket no walk here exhausts: these tests count requests,
/// the limits have their own.
async fn portal(count: u64) -> RunningEmulator {
    start(
        Emulator::builder()
            .seed(seed(count))
            .rate_limit(100_000, 1_000.0),
    )
    .await
}

fn listed() -> GroupFilter {
    GroupFilter::new().name_like("Listed")
}

/// The IDs a walk gave, and how many requests it sent.
async fn walk(portal: &RunningEmulator, paging: Paging) -> (Vec<u64>, usize) {
    let client = unlimited_client(&portal.webhook_url(), 1);
    let requests = || portal.log().iter().filter(|entry| !entry.in_batch).count();
    let before = requests();
    let groups = client
        .sonet_group_get()
        .filter(listed())
        .paging(paging)
        .collect_all()
        .await
        .expect("every page is read");
    let ids = groups.iter().map(|group| u64::from(group.id)).collect();
    (ids, requests() - before)
}

/// The pages of a keyset walk over `count` items: the last is short, empty
/// when `count` is a multiple of 50.
fn keyset_pages(count: u64) -> usize {
    count as usize / 50 + 1
}

#[tokio::test]
async fn every_strategy_reads_every_item_once_across_page_boundaries() {
    // 2,551 items are 52 pages: the batched walk needs a second batch for
    // the last one, and the chained walk too (the first page alone, then 50).
    for count in [0, 1, 49, 50, 51, 149, 2_551] {
        let portal = portal(count).await;
        let ascending: Vec<u64> = (FIRST..FIRST + count).collect();
        let descending: Vec<u64> = ascending.iter().rev().copied().collect();
        let pages = (count as usize).div_ceil(50).max(1);

        let (classic, requests) = walk(&portal, Paging::Classic).await;
        assert_eq!(
            classic, descending,
            "classic, {count} items: the default order"
        );
        assert_eq!(requests, pages, "classic, {count} items");

        let (batched, requests) = walk(&portal, Paging::Batched).await;
        assert_eq!(batched, descending, "batched, {count} items");
        assert_eq!(
            requests,
            1 + (pages - 1).div_ceil(50),
            "batched, {count} items"
        );

        let (keyset, requests) = walk(&portal, Paging::Keyset).await;
        assert_eq!(
            keyset, ascending,
            "keyset, {count} items: by ID without an order"
        );
        assert_eq!(requests, keyset_pages(count), "keyset, {count} items");

        // The first page alone, then up to 50 keyset pages in each batch.
        let chained_requests = 1 + (keyset_pages(count) - 1).div_ceil(50);
        let (chained, requests) = walk(&portal, Paging::Chained).await;
        assert_eq!(chained, ascending, "chained, {count} items");
        assert_eq!(requests, chained_requests, "chained, {count} items");

        let (auto, requests) = walk(&portal, Paging::Auto).await;
        assert_eq!(auto, ascending, "auto walks by key where it can");
        assert_eq!(requests, chained_requests, "auto chains the keyset pages");
        portal.shutdown().await;
    }
}

#[tokio::test]
async fn a_chained_walk_ends_on_the_last_command_of_a_batch_or_on_the_first_of_the_next() {
    // The first page holds 50 items and a batch 2,500. 2,500 items: the
    // batch's last page is empty; 2,549: it holds 49; 2,550: it is full, and
    // the next batch's first page is empty.
    for (count, requests) in [(2_500, 2), (2_549, 2), (2_550, 3)] {
        let portal = portal(count).await;
        let (ids, sent) = walk(&portal, Paging::Chained).await;
        assert_eq!(
            ids,
            (FIRST..FIRST + count).collect::<Vec<_>>(),
            "{count} items"
        );
        assert_eq!(sent, requests, "{count} items");
        portal.shutdown().await;
    }
}

#[tokio::test]
async fn pages_carry_their_envelope_and_keyset_pages_skip_counting() {
    let portal = portal(120).await;
    let client = unlimited_client(&portal.webhook_url(), 1);
    let classic: Vec<_> = client
        .sonet_group_get()
        .filter(listed())
        .paging(Paging::Classic)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<usize> = classic.iter().map(|page| page.result.len()).collect();
    assert_eq!(sizes, [50, 50, 20]);
    assert!(classic.iter().all(|page| page.total == Some(120)));
    assert_eq!(classic[0].next, Some(50));

    let keyset: Vec<_> = client
        .sonet_group_get()
        .filter(listed())
        .paging(Paging::Keyset)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(keyset.len(), 3);
    assert!(
        keyset
            .iter()
            .all(|page| page.next.is_none() && page.total.is_none())
    );
    let sent: Vec<serde_json::Value> = entries_of(&portal, "sonet_group.get")
        .into_iter()
        .rev()
        .take(3)
        .rev()
        .map(|entry| entry.params)
        .collect();
    assert_eq!(sent[0]["start"], -1);
    assert_eq!(sent[0]["ORDER"]["ID"], "ASC");
    assert_eq!(sent[1]["FILTER"][">ID"], FIRST + 49);
    assert_eq!(sent[2]["FILTER"][">ID"], FIRST + 99);
}

#[tokio::test]
async fn a_descending_keyset_walk_keeps_the_order_and_the_callers_bounds() {
    let portal = portal(130).await;
    let client = unlimited_client(&portal.webhook_url(), 1);
    for paging in [Paging::Keyset, Paging::Chained] {
        let ids: Vec<u64> = client
            .sonet_group_get()
            .filter(listed().id_lt(FIRST + 120))
            .order(GroupOrder::new().id(bitrix24::Direction::Desc))
            .paging(paging)
            .stream()
            .map_ok(|group| u64::from(group.id))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(
            ids,
            (FIRST..FIRST + 120).rev().collect::<Vec<_>>(),
            "{paging:?}"
        );
    }
}

#[tokio::test]
async fn keyset_needs_a_sort_by_the_key() {
    let portal = portal(3).await;
    let client = unlimited_client(&portal.webhook_url(), 1);
    let error = client
        .sonet_group_get()
        .order(GroupOrder::new().name(bitrix24::Direction::Asc))
        .paging(Paging::Keyset)
        .collect_all()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Paging);
    assert!(matches!(
        error,
        bitrix24::Error::Paging(PagingError::KeysetUnavailable {
            method: "sonet_group.get",
            ..
        })
    ));
    assert!(portal.log().is_empty(), "nothing was sent");
    // Auto falls back to offsets for such a request, in the requested order.
    let names: Vec<String> = client
        .sonet_group_get()
        .filter(listed())
        .order(GroupOrder::new().name(bitrix24::Direction::Asc))
        .collect_all()
        .await
        .unwrap()
        .into_iter()
        .map(|group| group.name)
        .collect();
    assert_eq!(names, ["Listed 100", "Listed 101", "Listed 102"]);
}

#[tokio::test]
async fn a_keyset_walk_sees_every_old_item_once_while_items_are_added() {
    let portal = portal(300).await;
    let client = unlimited_client(&portal.webhook_url(), 1);
    let mut stream = client
        .sonet_group_get()
        .filter(listed())
        .paging(Paging::Keyset)
        .stream();
    let mut seen = Vec::new();
    let mut created = 0;
    while let Some(group) = stream.try_next().await.unwrap() {
        seen.push(u64::from(group.id));
        if seen.len() % 50 == 1 && created < 4 {
            // A new group takes an ID past every one already there.
            portal.add_group(listed_group(FIRST + 10_000 + created));
            created += 1;
        }
    }
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!(unique, seen, "no item twice, in order");
    assert!(seen.windows(2).all(|pair| pair[0] < pair[1]));
    let old: Vec<u64> = seen
        .iter()
        .copied()
        .filter(|id| *id < FIRST + 300)
        .collect();
    assert_eq!(
        old,
        (FIRST..FIRST + 300).collect::<Vec<_>>(),
        "every old item"
    );
    assert_eq!(
        seen.len() as u64,
        300 + created,
        "and the ones added past the walk"
    );
}

/// What a walk saw while items were added and removed between its
/// requests, and what it should have seen.
struct Changed {
    seen: Vec<u64>,
    added: Vec<u64>,
    expected: Vec<u64>,
    requests: usize,
}

/// Walks the listed groups of a portal holding `count` of them with even
/// IDs, by ascending ID. Each time the walk has handed out every item of
/// its requests so far (after the first page, and after each batch), two
/// items already seen and three not yet seen are removed, and two items are
/// added ahead of the walk, one behind it and one past the end.
async fn walk_while_changing(count: u64, paging: Paging, batch_items: usize) -> Changed {
    let mut seed = Seed::demo();
    seed.groups
        .extend((0..count).map(|k| listed_group(FIRST + 2 * k)));
    let portal = start(Emulator::builder().seed(seed).rate_limit(100_000, 1_000.0)).await;
    let client = unlimited_client(&portal.webhook_url(), 1);
    let requests = || portal.log().iter().filter(|entry| !entry.in_batch).count();
    let mut existing: std::collections::BTreeSet<u64> = (0..count).map(|k| FIRST + 2 * k).collect();
    let mut stream = client
        .sonet_group_get()
        .filter(listed())
        .order(GroupOrder::new().id(bitrix24::Direction::Asc))
        .paging(paging)
        .stream();
    let mut seen = Vec::new();
    let mut added = Vec::new();
    let mut next_change = 50;
    let mut past_end = FIRST + 2 * count + 1_001;
    while let Some(group) = stream.try_next().await.expect("every page is read") {
        seen.push(u64::from(group.id));
        if seen.len() != next_change {
            continue;
        }
        next_change += batch_items;
        let last = *seen.last().unwrap();
        let ahead: Vec<u64> = existing.range(last + 1..).copied().collect();
        let gone = [seen[seen.len() / 3], seen[seen.len() / 2]]
            .into_iter()
            .chain(
                [ahead.first(), ahead.get(60), ahead.last()]
                    .into_iter()
                    .flatten()
                    .copied(),
            );
        for id in gone.collect::<Vec<_>>() {
            assert!(portal.remove_group(id), "group {id} existed");
            existing.remove(&id);
            added.retain(|added| *added != id);
        }
        // Odd IDs fall between the seeded ones.
        for id in [last + 3, last + 201, last - 5, past_end] {
            assert!(portal.add_group(listed_group(id)), "group {id} is new");
            if id > last {
                existing.insert(id);
                added.push(id);
            }
        }
        past_end += 2;
    }
    let requests = requests();
    portal.shutdown().await;
    Changed {
        expected: existing.into_iter().collect(),
        seen,
        added,
        requests,
    }
}

#[tokio::test]
async fn a_chained_walk_sees_every_item_once_while_items_are_added_and_removed() {
    // The first page, then batches of 50 pages (2,500 items).
    let chained = walk_while_changing(5_200, Paging::Chained, 2_500).await;
    assert!(
        chained.seen.windows(2).all(|pair| pair[0] < pair[1]),
        "no item twice, in order"
    );
    // Removed items behind the walk were handed out before they went.
    let mut expected = chained.expected.clone();
    expected.extend(
        chained
            .seen
            .iter()
            .filter(|id| !chained.expected.contains(id)),
    );
    expected.sort_unstable();
    assert_eq!(
        chained.seen, expected,
        "every item that was there all along, and those added ahead of the walk"
    );
    assert!(chained.added.len() >= 6, "{:?}", chained.added);
    assert!(
        chained.added.iter().all(|id| chained.seen.contains(id)),
        "items added ahead were seen"
    );
    assert_eq!(chained.requests, 4, "the first page and three batches");

    // The same changes shift the pages of an offset walk under it: items
    // are missed or repeated.
    let batched = walk_while_changing(5_200, Paging::Batched, 2_500).await;
    let mut unique = batched.seen.clone();
    unique.sort_unstable();
    unique.dedup();
    let missed = batched
        .expected
        .iter()
        .filter(|id| !unique.contains(id))
        .count();
    assert!(
        missed > 0 || unique.len() < batched.seen.len(),
        "offsets shift under removed items"
    );
}

#[tokio::test]
async fn chained_pages_refer_to_the_last_key_of_the_page_before() {
    let portal = portal(180).await;
    let client = unlimited_client(&portal.webhook_url(), 1);
    let ids: Vec<u64> = client
        .sonet_group_get()
        .filter(listed())
        .paging(Paging::Chained)
        .stream()
        .map_ok(|group| u64::from(group.id))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, (FIRST..FIRST + 180).collect::<Vec<_>>());
    let log = portal.log();
    let batch = log
        .iter()
        .find(|entry| entry.method == "batch")
        .expect("one batch");
    let commands = batch.params["cmd"].as_object().unwrap();
    assert_eq!(commands.len(), 50, "a full batch of pages");
    let first = commands["c00"].as_str().unwrap();
    assert!(
        first.contains(&format!("FILTER[%3EID]={}", FIRST + 49)) && first.contains("start=-1"),
        "{first}"
    );
    let second = commands["c01"].as_str().unwrap();
    assert!(
        second.contains("FILTER[%3EID]=%24result%5Bc00%5D%5B49%5D%5BID%5D"),
        "{second}"
    );
    // The portal resolved each reference to the key it points at, up to the
    // short page; the later commands' answers are never read.
    let pages: Vec<&serde_json::Value> = log
        .iter()
        .filter(|entry| entry.in_batch)
        .map(|entry| &entry.params["FILTER"][">ID"])
        .collect();
    assert_eq!(pages[0], &serde_json::json!((FIRST + 49).to_string()));
    assert_eq!(pages[1], &serde_json::json!((FIRST + 99).to_string()));
    assert_eq!(pages[2], &serde_json::json!((FIRST + 149).to_string()));
}

#[tokio::test]
async fn chained_needs_a_sort_by_the_key() {
    let portal = portal(3).await;
    let client = unlimited_client(&portal.webhook_url(), 1);
    let error = client
        .sonet_group_get()
        .order(GroupOrder::new().name(bitrix24::Direction::Asc))
        .paging(Paging::Chained)
        .collect_all()
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        bitrix24::Error::Paging(PagingError::KeysetUnavailable {
            method: "sonet_group.get",
            reason: "the request sorts by other fields than the key",
        })
    ));
    assert!(portal.log().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn dropping_the_stream_stops_the_walk() {
    let portal = portal(500).await;
    let client = unlimited_client(&portal.webhook_url(), 1);
    let first: Vec<_> = client
        .sonet_group_get()
        .filter(listed())
        .paging(Paging::Classic)
        .stream()
        .take(60)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first.len(), 60);
    assert_eq!(
        entries_of(&portal, "sonet_group.get").len(),
        2,
        "two pages, not ten"
    );

    let untouched = client.sonet_group_get().paging(Paging::Classic).stream();
    drop(untouched);
    assert_eq!(
        entries_of(&portal, "sonet_group.get").len(),
        2,
        "a stream not polled sends nothing"
    );
}

#[tokio::test]
async fn a_request_for_one_page_is_still_one_request() {
    let portal = portal(70).await;
    let client = unlimited_client(&portal.webhook_url(), 1);
    let page = client
        .prepare(SonetGroupGet::new().filter(listed()).start(50))
        .await
        .unwrap();
    assert_eq!(page.result.len(), 20);
    let from_fifty = client
        .prepare(SonetGroupGet::new().filter(listed()).start(50))
        .paging(Paging::Classic)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        from_fifty.len(),
        20,
        "a walk starts at the request's own offset"
    );
}
