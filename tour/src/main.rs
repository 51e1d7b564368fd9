//! A tour of the client: the workgroup-membership methods
//! (`sonet_group.user.*`, and `sonet_group.get` walked page by page), REST 3.0
//! task writes with an idempotency key, and a typed error, called end to end
//! through the generated client, printing what it sends and what came back.
//!
//! Without configuration it starts the offline portal emulator in-process and
//! runs against its demo data. With `B24_WEBHOOK_URL` (or `--webhook-url`) it
//! runs against that portal instead, calling only the read-only methods unless
//! `--write` is given with a group and a user to work on.

mod plan;
mod steps;

use std::process::ExitCode;

use bitrix24::ClientBuilder;
use clap::Parser;

use crate::plan::Plan;

/// Calls every sonet_group.user method and prints what comes back.
///
/// Runs on an offline portal started in this process unless a webhook URL is given.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// A portal's incoming webhook, https://PORTAL/rest/USER_ID/CODE/ (kept out of all output).
    #[arg(long, env = "B24_WEBHOOK_URL", hide_env_values = true)]
    webhook_url: Option<String>,

    /// On a real portal, also call the methods that change it (add, update, delete, invite, request).
    #[arg(long, requires_all = ["group", "user"])]
    write: bool,

    /// On a real portal, the group to look at and change (default: the first of your groups).
    #[arg(long, env = "B24_TOUR_GROUP_ID")]
    group: Option<u64>,

    /// On a real portal with --write, the user to add, promote, remove and invite.
    #[arg(long, env = "B24_TOUR_USER_ID")]
    user: Option<u64>,
}

/// Shows whether a webhook was given, never the webhook itself.
impl std::fmt::Debug for Args {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Args")
            .field("webhook_url", &self.webhook_url.as_ref().map(|_| "***"))
            .field("write", &self.write)
            .field("group", &self.group)
            .field("user", &self.user)
            .finish()
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tour failed: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    match args.webhook_url {
        Some(url) => {
            let client = ClientBuilder::webhook(url)
                .build()
                .map_err(|error| error.to_string())?;
            let plan = Plan::for_portal(
                &client,
                args.group,
                args.write.then_some(args.user).flatten(),
            )
            .await?;
            println!(
                "Touring your portal{}.\n",
                if plan.writes() {
                    ""
                } else {
                    " (read-only; pass --write to change it)"
                }
            );
            steps::run(&client, &plan).await
        }
        None => {
            let portal = bitrix24_emulator::Emulator::builder()
                .start()
                .await
                .map_err(|error| error.to_string())?;
            println!(
                "Touring an offline demo portal at {} (set B24_WEBHOOK_URL to use yours).\n",
                portal.base_url()
            );
            let client = ClientBuilder::webhook(portal.webhook_url())
                .allow_http_loopback(true)
                .build()
                .map_err(|error| error.to_string())?;
            let outcome = steps::run(&client, &Plan::demo()).await;
            portal.shutdown().await;
            outcome
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::{Args, run};

    fn args(command_line: &[&str]) -> Result<Args, clap::Error> {
        Args::try_parse_from(std::iter::once("tour").chain(command_line.iter().copied()))
    }

    #[tokio::test]
    async fn the_tour_runs_on_the_offline_portal() {
        let args = Args {
            webhook_url: None,
            write: false,
            group: None,
            user: None,
        };
        run(args)
            .await
            .expect("the tour succeeds on the demo portal");
    }

    #[test]
    fn writing_to_a_real_portal_needs_a_group_and_a_user() {
        let error = args(&["--write", "--group", "1"]).expect_err("--user is missing");
        assert_eq!(
            error.kind(),
            clap::error::ErrorKind::MissingRequiredArgument
        );
        assert!(args(&["--write", "--group", "1", "--user", "7"]).is_ok());
        assert!(args(&["--group", "x"]).is_err(), "a group is a number");
    }

    // Paused: the client's backoff between its attempts passes at once.
    #[tokio::test(start_paused = true)]
    async fn a_failing_portal_is_reported_without_the_webhook_code() {
        // Nothing listens on port 9 of the loopback address: the connection is refused.
        let url = "https://127.0.0.1:9/rest/1/tourSecretCode42/";
        let args = Args {
            webhook_url: Some(url.to_owned()),
            write: false,
            group: Some(1),
            user: None,
        };
        assert!(!format!("{args:?}").contains("tourSecretCode42"));
        let message = run(args).await.expect_err("nothing answers");
        assert!(!message.contains("tourSecretCode42"), "{message}");
    }
}
