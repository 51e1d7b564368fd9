//! The Rust side of `bench/bulk.sh`: the bulk benchmark's workload through
//! this crate's bulk helper, against a portal the script started, printing
//! one JSON line: `--operations N` `sonet_group.user.add` operations in one
//! `Client::bulk` run; operation `k` adds user `first_user + k` to group
//! `first_group + k % groups` (the layout of `bench/README.md`).
//!
//! The client has its default limits and retries: the portal's real bucket
//! paces it. Knows the workload, not how the portal was started.

use std::process::ExitCode;
use std::time::Instant;

use bitrix24::{ClientBuilder, SonetGroupUserAdd};
use clap::Parser;

/// One run of the bulk benchmark's workload.
#[derive(Debug, Parser)]
struct Args {
    /// The webhook URL (plain http is accepted on loopback only).
    #[arg(long)]
    webhook: String,
    /// Run this many `sonet_group.user.add` operations.
    #[arg(long)]
    operations: u64,
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
    let (operations, first_user, first_group, groups) = (
        args.operations,
        args.first_user,
        args.first_group,
        args.groups,
    );
    let adds = (0..operations)
        .map(move |k| SonetGroupUserAdd::new(first_group + k % groups, first_user + k));
    let outcomes = client.bulk(adds).collect_all().await;
    let wall = seconds(started);
    let added = outcomes
        .iter()
        .filter(|outcome| outcome.as_ref().is_ok_and(|added| added.result.len() == 1))
        .count();
    let error = outcomes.iter().find_map(|outcome| outcome.as_ref().err());
    let line = serde_json::json!({
        "tool": "bitrix24 (Rust)",
        "operations": operations,
        "wall_s": wall,
        "results": added,
        "error": error.map(ToString::to_string),
    });
    println!("{line}");
    ExitCode::SUCCESS
}

/// The time since `started`, in seconds to the millisecond.
fn seconds(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0
}
