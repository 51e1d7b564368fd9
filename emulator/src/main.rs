//! `bitrix24-emulator`: runs an offline Bitrix24 portal and prints ready-to-use credentials.
//!
//! Only the command line lives here; everything else is the library.

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use bitrix24_emulator::{
    Emulator, FaultConfig, FaultRule, OperatingLimit, RunningEmulator, Seed, SeedError,
};
use clap::{CommandFactory, Parser, error::ErrorKind};

/// An offline Bitrix24 portal emulating the sonet_group.user.* methods and batch.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8024)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Allow a non-loopback --host (the portal has no real security).
    #[arg(long)]
    allow_remote: bool,
    /// Seed file (JSON) instead of the demo data.
    #[arg(long, value_name = "FILE")]
    seed: Option<PathBuf>,
    /// Add N generated users to the seed: the IDs after its highest, named "User <ID>".
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = generated_count())]
    users: u64,
    /// Add N generated groups to the seed: the IDs after its highest, named "Group <ID>",
    /// owned by the seed's first admin.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = generated_count())]
    groups: u64,
    /// Leaky-bucket size (requests).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..))]
    rate_burst: u32,
    /// Leaky-bucket drain (requests per second).
    #[arg(long, default_value_t = 2.0, value_parser = non_negative)]
    rate_drain: f64,
    /// Run limits and token expiry this many times faster than real time.
    #[arg(long, default_value_t = 1.0, value_parser = positive)]
    time_scale: f64,
    /// Operating-time limit per method and 10 minutes, in seconds.
    #[arg(long, default_value_t = 420.0, value_parser = non_negative)]
    operating_limit: f64,
    /// Seconds charged per call against the operating limit (default: measured time).
    #[arg(long, value_parser = non_negative)]
    operating_charge: Option<f64>,
    /// Access-token lifetime in seconds.
    #[arg(long, default_value_t = 3600.0, value_parser = positive)]
    token_lifetime: f64,
    /// Inject a fault: KIND:TIMING:PROBABILITY[:METHOD], e.g. drop:after:0.1 (repeatable).
    /// Kinds: internal, unavailable, html, delay, drop, truncate; timings: before, after;
    /// with METHOD only calls of that method are hit.
    #[arg(long = "fault", value_name = "RULE")]
    faults: Vec<FaultRule>,
    /// Seed of the fault RNG.
    #[arg(long, default_value_t = 1)]
    fault_seed: u64,
    /// Delay of the `delay` fault, in milliseconds.
    #[arg(long, default_value_t = 2000)]
    fault_delay_ms: u64,
    /// Serve HTTPS with a self-signed certificate generated at start.
    #[arg(long)]
    tls: bool,
    /// Seconds a client may take to finish a request head it has started (and a TLS handshake).
    #[arg(long, value_name = "S", default_value_t = 10.0, value_parser = timeout)]
    header_timeout: f64,
    /// Seconds a keep-alive connection may stay without a request before it is closed.
    #[arg(long, value_name = "S", default_value_t = 60.0, value_parser = timeout)]
    idle_timeout: f64,
    /// Connections served at once; more wait in the listen backlog.
    #[arg(long, value_name = "N", default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..))]
    max_connections: u32,
    /// Largest request body decoded, in bytes; a longer body is ignored.
    #[arg(long, value_name = "BYTES", default_value_t = 2 * 1024 * 1024)]
    max_body_bytes: usize,
    /// Request-log entries kept (the most recent).
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..))]
    log_capacity: u32,
}

/// Counts of generated records: 0 to [`Seed::MAX_GENERATED`].
fn generated_count() -> clap::builder::RangedU64ValueParser {
    clap::value_parser!(u64).range(0..=Seed::MAX_GENERATED as u64)
}

fn positive(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
        .ok_or_else(|| format!("expected a positive number, got {s:?}"))
}

/// A positive number of seconds that fits a `Duration`.
fn timeout(s: &str) -> Result<f64, String> {
    positive(s).and_then(|v| {
        Duration::try_from_secs_f64(v)
            .map(|_| v)
            .map_err(|_| format!("{s} seconds is too long"))
    })
}

fn non_negative(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| format!("expected a non-negative number, got {s:?}"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if !cli.host.is_loopback() && !cli.allow_remote {
        Cli::command()
            .error(
                ErrorKind::ArgumentConflict,
                "a non-loopback --host needs --allow-remote",
            )
            .exit();
    }
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let seed = match &cli.seed {
        Some(path) => Seed::from_file(path).map_err(|e| e.to_string())?,
        None => Seed::demo(),
    };
    let (seed, generated) = generate(seed, &cli).map_err(|e| e.to_string())?;
    let mut operating = OperatingLimit::new(Duration::from_secs_f64(cli.operating_limit));
    if let Some(charge) = cli.operating_charge {
        operating = operating.charge(Duration::from_secs_f64(charge));
    }
    let faults = cli
        .faults
        .iter()
        .cloned()
        .fold(FaultConfig::new(cli.fault_seed), FaultConfig::rule)
        .delay(Duration::from_millis(cli.fault_delay_ms));
    let portal = Emulator::builder()
        .seed(seed)
        .host(cli.host)
        .port(cli.port)
        .rate_limit(cli.rate_burst, cli.rate_drain)
        .time_scale(cli.time_scale)
        .operating_limit(operating)
        .token_lifetime(Duration::from_secs_f64(cli.token_lifetime))
        .faults(faults)
        .tls(cli.tls)
        .header_read_timeout(Duration::from_secs_f64(cli.header_timeout))
        .idle_timeout(Duration::from_secs_f64(cli.idle_timeout))
        .max_connections(cli.max_connections as usize)
        .max_body_bytes(cli.max_body_bytes)
        .log_capacity(cli.log_capacity as usize)
        .start()
        .await
        .map_err(|e| e.to_string())?;
    // Listen for the stop signals before anything is written, so that a signal arriving at
    // any point afterwards still removes the certificate file.
    let stop = stop_signal().map_err(|e| format!("cannot listen for signals: {e}"))?;
    let certificate = write_certificate(&portal)?;
    print_banner(&portal, &generated, certificate.as_ref())?;
    stop.await.map_err(|e| e.to_string())?;
    portal.shutdown().await;
    drop(certificate);
    Ok(())
}

/// A file removed when dropped: on every return from `run`, an error or a panic included.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Writes the certificate (when serving HTTPS) to a new file in the temporary folder, named
/// after the process and port; a file already there is an error rather than overwritten.
fn write_certificate(portal: &RunningEmulator) -> Result<Option<TempFile>, String> {
    let Some(pem) = portal.certificate_pem() else {
        return Ok(None);
    };
    let path = std::env::temp_dir().join(format!(
        "bitrix24-emulator-{}-{}.pem",
        std::process::id(),
        portal.addr().port()
    ));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| format!("cannot write certificate {}: {e}", path.display()))?;
    let file_guard = TempFile(path);
    file.write_all(pem.as_bytes())
        .map_err(|e| format!("cannot write certificate: {e}"))?;
    Ok(Some(file_guard))
}

/// Resolves on Ctrl-C (SIGINT), and on Unix also on SIGTERM and SIGHUP, whose default action
/// would end the process without cleaning up. The handlers are installed when this is called.
fn stop_signal() -> std::io::Result<impl std::future::Future<Output = std::io::Result<()>>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        let mut hangup = signal(SignalKind::hangup())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = hangup.recv() => {}
                _ = interrupt.recv() => {}
            }
            Ok(())
        })
    }
    #[cfg(not(unix))]
    {
        Ok(tokio::signal::ctrl_c())
    }
}

/// Adds the generated users and groups the command line asks for and describes them for the
/// banner, one line per kind.
fn generate(seed: Seed, cli: &Cli) -> Result<(Seed, Vec<String>), SeedError> {
    // The parser caps both counts far below `usize::MAX`.
    let (users_before, groups_before) = (seed.users.len(), seed.groups.len());
    let seed = seed
        .with_generated_users(cli.users as usize)?
        .with_generated_groups(cli.groups as usize)?;
    // Generated records are appended, so they are the tails of the two lists.
    let mut lines = Vec::new();
    if let [first, .., last] | [first @ last] = &seed.users[users_before..] {
        lines.push(format!("Generated users: {}-{}", first.id, last.id));
    }
    if let [first, .., last] | [first @ last] = &seed.groups[groups_before..] {
        lines.push(format!(
            "Generated groups: {}-{}, owned by user {}",
            first.id, last.id, first.owner
        ));
    }
    Ok((seed, lines))
}

fn print_banner(
    portal: &RunningEmulator,
    generated: &[String],
    certificate: Option<&TempFile>,
) -> Result<(), String> {
    println!("Bitrix24 emulator listening on {}", portal.base_url());
    println!("Webhook URL: {}", portal.webhook_url());
    println!("REST 3.0 webhook URL: {}", portal.api_url());
    for line in generated {
        println!("{line}");
    }
    if let Some(app) = portal.oauth() {
        println!("OAuth client_id:     {}", app.client_id);
        println!("OAuth client_secret: {}", app.client_secret.expose());
        println!("OAuth access_token:  {}", app.access_token.expose());
        println!("OAuth refresh_token: {}", app.refresh_token.expose());
        println!("OAuth REST endpoint: {}", app.client_endpoint);
        println!("OAuth REST 3.0 endpoint: {}", portal.api_endpoint());
        println!("Token endpoint:      {}", app.token_url);
    }
    if let Some(TempFile(path)) = certificate {
        println!("TLS certificate (PEM): {}", path.display());
    }
    println!(
        "State, log and counters: {0}/_emulator/state  {0}/_emulator/log  {0}/_emulator/counters",
        portal.base_url()
    );
    println!("Press Ctrl-C to stop.");
    Ok(())
}
