//! The Rust side of `bench/bulk.sh`: the bulk benchmark's workload through
//! this crate's bulk helper and paged streams, against a portal the script
//! started, printing one JSON line.
//!
//! - `--operations N`: `N` `sonet_group.user.add` operations in one
//!   `Client::bulk` run; operation `k` adds user `first_user + k` to group
//!   `first_group + k % groups` (the layout of `bench/README.md`).
//! - `--list STRATEGY`: every group of the portal through
//!   `sonet_group.get`, walked by `classic`, `batched` or `keyset` paging.
//!
//! The client has its default limits and retries: the portal's real bucket
//! paces it. Knows the workload, not how the portal was started.

use std::process::ExitCode;
use std::time::Instant;

use bitrix24::prelude::*;
use bitrix24::{ClientBuilder, Paging, SonetGroupUserAdd};
use clap::{Parser, ValueEnum};

/// One run of the bulk benchmark's workload.
#[derive(Debug, Parser)]
struct Args {
    /// The webhook URL (plain http is accepted on loopback only).
    #[arg(long)]
    webhook: String,
    /// Run this many `sonet_group.user.add` operations.
    #[arg(long, conflicts_with = "list", required_unless_present = "list")]
    operations: Option<u64>,
    /// List every group with this paging strategy instead.
    #[arg(long, value_enum)]
    list: Option<Strategy>,
    /// The first user the operations add.
    #[arg(long, default_value_t = 12)]
    first_user: u64,
    /// The first group the operations add to.
    #[arg(long, default_value_t = 8)]
    first_group: u64,
    /// How many groups the operations spread over.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    groups: u64,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Strategy {
    Classic,
    Batched,
    Keyset,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let client = match ClientBuilder::webhook(&args.webhook)
        .allow_http_loopback(true)
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let line = match (args.operations, args.list) {
        (Some(operations), _) => {
            let (first_user, first_group, groups) =
                (args.first_user, args.first_group, args.groups);
            let adds = (0..operations)
                .map(move |k| SonetGroupUserAdd::new(first_group + k % groups, first_user + k));
            let outcomes = client.bulk(adds).collect_all().await;
            let wall = seconds(started);
            let added = outcomes
                .iter()
                .filter(|outcome| outcome.as_ref().is_ok_and(|added| added.result.len() == 1))
                .count();
            let error = outcomes.iter().find_map(|outcome| outcome.as_ref().err());
            serde_json::json!({
                "tool": "bitrix24 (Rust)",
                "operations": operations,
                "wall_s": wall,
                "results": added,
                "error": error.map(ToString::to_string),
            })
        }
        (None, Some(strategy)) => {
            let paging = match strategy {
                Strategy::Classic => Paging::Classic,
                Strategy::Batched => Paging::Batched,
                Strategy::Keyset => Paging::Keyset,
            };
            let groups = client.sonet_group_get().paging(paging).collect_all().await;
            let wall = seconds(started);
            serde_json::json!({
                "tool": "bitrix24 (Rust)",
                "strategy": format!("{strategy:?}").to_lowercase(),
                "wall_s": wall,
                "items": groups.as_ref().map_or(0, Vec::len),
                "error": groups.err().map(|error| error.to_string()),
            })
        }
        (None, None) => unreachable!("clap requires one of --operations and --list"),
    };
    println!("{line}");
    ExitCode::SUCCESS
}

/// The time since `started`, in seconds to the millisecond.
fn seconds(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0
}
