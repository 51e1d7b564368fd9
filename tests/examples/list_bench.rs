//! The listing benchmark: every group of a large portal read through
//! `sonet_group.get` by each paging strategy while another task adds and
//! removes groups, with the requests, wall time, items, repeats and gaps of
//! each walk as a markdown table.
//!
//! ```sh
//! cargo run --release -p bitrix24-tests --example list-bench
//! cargo run --release -p bitrix24-tests --example list-bench -- --groups 1000 --runs 1
//! ```
//!
//! Each walk gets a fresh emulator in this process on a loopback port, with
//! the real server's request-rate limit (a bucket of 50 draining 2 per
//! second) on the real clock, the demo portal and `--groups` generated
//! groups, and a client with its default limits and retries. While the walk
//! runs, a task watches the portal's request counter and, for every request
//! the portal receives, adds `--changes` groups (past every ID, as the
//! portal numbers new rows) and removes as many (anywhere, by a fixed
//! sequence): every strategy faces as many changes per request as the
//! others, so one that needs fewer requests also meets fewer changes. (A
//! rate per second would never let a walk by ascending ID end once the
//! additions outpace its reading.) *Requests* are the `/rest` requests the portal received (a
//! batch is one), *refusals* those it refused with `QUERY_LIMIT_EXCEEDED`;
//! a *repeat* is an item handed out once more; a *gap* is a group that was
//! there from the walk's start to its end and never handed out.
//! Every strategy walks in its own default order: by ascending ID for the
//! keyset walks, newest first for offsets.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use bitrix24::prelude::*;
use bitrix24::{ClientBuilder, Paging};
use bitrix24_emulator::{Emulator, Group, RunningEmulator, Seed};
use clap::{Parser, ValueEnum};
use futures_util::TryStreamExt;

/// Every group of a large portal by each paging strategy, under change.
#[derive(Debug, Parser)]
struct Args {
    /// The generated groups (the demo's visible ones come on top).
    #[arg(long, default_value_t = 10_000)]
    groups: usize,
    /// How many times each strategy walks, each on a fresh portal.
    #[arg(long, default_value_t = 3)]
    runs: u32,
    /// Groups added, and groups removed, for each request the portal
    /// receives during a walk.
    #[arg(long, default_value_t = 5)]
    changes: usize,
    /// The strategies, in the order they run within a run.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "chained,keyset,batched"
    )]
    strategies: Vec<Strategy>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Strategy {
    Chained,
    Keyset,
    Batched,
    Classic,
}

impl Strategy {
    fn paging(self) -> Paging {
        match self {
            Self::Chained => Paging::Chained,
            Self::Keyset => Paging::Keyset,
            Self::Batched => Paging::Batched,
            Self::Classic => Paging::Classic,
        }
    }

    fn name(self) -> String {
        format!("{self:?}").to_lowercase()
    }
}

/// What one walk did.
struct Walk {
    wall: f64,
    requests: u64,
    refusals: u64,
    items: usize,
    repeats: usize,
    gaps: usize,
    added: usize,
    removed: usize,
    error: Option<String>,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    println!(
        "{} generated groups; bucket 50, drain 2/s; {} groups added and {} removed for each request during each walk",
        args.groups, args.changes, args.changes
    );
    println!();
    println!(
        "| strategy | run | wall s | requests | refusals | items | repeats | gaps | added | removed | error |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    let mut walls: HashMap<String, Vec<f64>> = HashMap::new();
    for run in 1..=args.runs {
        for strategy in &args.strategies {
            let walk = walk(args.groups, strategy.paging(), args.changes).await;
            println!(
                "| {} | {run} | {:.3} | {} | {} | {} | {} | {} | {} | {} | {} |",
                strategy.name(),
                walk.wall,
                walk.requests,
                walk.refusals,
                walk.items,
                walk.repeats,
                walk.gaps,
                walk.added,
                walk.removed,
                walk.error.as_deref().unwrap_or("")
            );
            walls.entry(strategy.name()).or_default().push(walk.wall);
        }
    }
    println!();
    for strategy in &args.strategies {
        let mut times = walls.remove(&strategy.name()).unwrap_or_default();
        times.sort_by(f64::total_cmp);
        if let Some(median) = times.get(times.len() / 2) {
            println!("median wall time, {}: {median:.3} s", strategy.name());
        }
    }
}

/// One walk over a fresh portal of `groups` generated groups, changed by
/// `per_request` additions and removals for each request while it runs.
async fn walk(groups: usize, paging: Paging, per_request: usize) -> Walk {
    let seed = Seed::demo()
        .with_generated_groups(groups)
        .expect("the generated groups fit");
    let portal = Emulator::builder()
        .seed(seed)
        .start()
        .await
        .expect("the emulator starts on a loopback port");
    let client = ClientBuilder::webhook(portal.webhook_url())
        .allow_http_loopback(true)
        .build()
        .expect("the webhook URL is valid");
    let before: BTreeSet<u64> = portal.state().groups.iter().map(|group| group.id).collect();
    let mut changes = Changes::new(&before);
    let done = AtomicBool::new(false);

    let started = Instant::now();
    let walked = async {
        // IS_ADMIN: the admin sees every group, so every group is expected.
        let walked = client
            .sonet_group_get()
            .is_admin(true)
            .paging(paging)
            .stream()
            .map_ok(|group| u64::from(group.id))
            .try_collect::<Vec<u64>>()
            .await;
        let wall = started.elapsed().as_secs_f64();
        done.store(true, Ordering::Release);
        (walked, wall)
    };
    let changing = async {
        // The counter is read every millisecond: far more often than a walk
        // sends requests, even unthrottled.
        let mut ticks = tokio::time::interval(Duration::from_millis(1));
        let mut answered = 0;
        while !done.load(Ordering::Acquire) {
            ticks.tick().await;
            let requests = portal.counters().requests;
            for _ in answered..requests {
                for _ in 0..per_request {
                    changes.change(&portal);
                }
            }
            answered = requests;
        }
        changes
    };
    let ((walked, wall), changes) = tokio::join!(walked, changing);
    let counters = portal.counters();
    portal.shutdown().await;

    let (seen, error) = match walked {
        Ok(seen) => (seen, None),
        Err(error) => (Vec::new(), Some(error.to_string())),
    };
    let mut times: HashMap<u64, usize> = HashMap::new();
    for id in &seen {
        *times.entry(*id).or_default() += 1;
    }
    let gaps = before
        .iter()
        .filter(|id| !changes.removed.contains(id) && !times.contains_key(id))
        .count();
    Walk {
        wall: (wall * 1000.0).round() / 1000.0,
        requests: counters.requests,
        refusals: counters.rate_limited,
        items: seen.len(),
        repeats: times.values().map(|count| count - 1).sum(),
        gaps,
        added: changes.added,
        removed: changes.removed.len(),
        error,
    }
}

/// The groups a walk's neighbour adds and removes.
struct Changes {
    /// The groups there now, by ID.
    existing: Vec<u64>,
    next_id: u64,
    added: usize,
    removed: BTreeSet<u64>,
    step: usize,
}

impl Changes {
    fn new(existing: &BTreeSet<u64>) -> Self {
        Self {
            existing: existing.iter().copied().collect(),
            next_id: existing.last().map_or(1, |last| last + 1),
            added: 0,
            removed: BTreeSet::new(),
            step: 0,
        }
    }

    /// Adds a group past every ID, and removes one picked by a fixed
    /// sequence that spreads over the whole list.
    fn change(&mut self, portal: &RunningEmulator) {
        let id = self.next_id;
        self.next_id += 1;
        if portal.add_group(Group::new(id, format!("Group {id}"), 1)) {
            self.existing.push(id);
            self.added += 1;
        }
        self.step += 1;
        let index = self.step.wrapping_mul(7_919) % self.existing.len();
        let id = self.existing.swap_remove(index);
        if portal.remove_group(id) {
            self.removed.insert(id);
        }
    }
}
