//! The commands: a method call (one page, or every page with `--all`), a
//! raw call, a batch file through the bulk helper, the profiles, the list
//! of methods and completion scripts; with `--dry-run`, the requests shown
//! instead of sent. Each returns its exit status; errors are printed
//! here, through the client's own messages, which mask every secret.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Read, Write};

use bitrix24::schema::{Method, RestVersion};
use bitrix24::{Client, Error, Paging, PagingError, RawList, RawRequest, Response};
use clap::ArgMatches;
use futures_util::StreamExt;
use serde_json::{Map, Value, json};

use crate::cli::{self, Globals};
use crate::output::{self, ListWriter};
use crate::{Outcome, auth, connect, dry_run, params, usage};

/// The largest batch file read, in bytes.
const MAX_BATCH_BYTES: u64 = 256 << 20;

/// Runs what the top-level `matches` ask for.
pub fn dispatch(matches: &ArgMatches) -> Outcome {
    let stdout_is_terminal = io::stdout().is_terminal();
    match matches.subcommand() {
        Some(("methods", sub)) => methods(sub.get_one::<String>("family").map(String::as_str)),
        Some(("completions", sub)) => {
            let Some(shell) = sub.get_one::<clap_complete::Shell>("shell").copied() else {
                return usage("name a shell");
            };
            clap_complete::generate(shell, &mut cli::full_tree(), "b24", &mut io::stdout());
            Outcome::Success
        }
        Some(("auth", sub)) => auth::run(sub),
        Some(("batch", sub)) => {
            let globals = Globals::of(matches, None, stdout_is_terminal);
            if globals.v3 {
                return usage("batch carries REST 2 methods only: --v3 does not apply to it");
            }
            let file = sub.get_one::<String>("file").cloned().unwrap_or_default();
            let requests = match read_batch(&file) {
                Ok(requests) => requests,
                Err(message) => return usage(&message),
            };
            with_client(&globals, &requests.clone(), |client| {
                batch(client, requests)
            })
        }
        Some(("call", sub)) => {
            let globals = Globals::of(matches, Some(sub), stdout_is_terminal);
            let method = sub.get_one::<String>("method").cloned().unwrap_or_default();
            let params = match raw_params(globals.params.as_deref()) {
                Ok(params) => params,
                Err(message) => return usage(&message),
            };
            let mut request = RawRequest::new(method, Value::Object(params));
            if globals.v3 {
                // Whether an unknown method writes is not known: a key is
                // harmless on a read, and makes a write safe to repeat.
                request = request.rest_version(RestVersion::V3).writes(true);
            }
            let (request, globals) = (&request, &globals);
            with_client(
                globals,
                std::slice::from_ref(request),
                |client| async move { print_result(client.call_raw_request(request).await, globals) },
            )
        }
        Some((name, sub)) => {
            let rest: Vec<OsString> = sub
                .get_many::<OsString>("")
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            // `--v3` may come before the method or among its flags; either
            // way it picks which method's flags the rest are.
            let v3 = matches.get_flag("v3") || rest.iter().any(|arg| arg == "--v3");
            let found = if v3 {
                bitrix24::schema::method_in(name, RestVersion::V3)
            } else {
                bitrix24::schema::method(name)
            };
            let Some(method) = found else {
                return match bitrix24::schema::method(name) {
                    Some(_) => usage(&format!(
                        "{name} has no REST 3.0 form: call it without --v3"
                    )),
                    None => unknown_method(name),
                };
            };
            let args = std::iter::once(OsString::from(name)).chain(rest);
            let own = match cli::method_command(method).try_get_matches_from(args) {
                Ok(own) => own,
                Err(error) => return crate::clap_exit(&error),
            };
            let globals = Globals::of(matches, Some(&own), stdout_is_terminal);
            call_method(method, &own, globals)
        }
        None => {
            let _ = cli::root().print_help();
            Outcome::Usage
        }
    }
}

fn unknown_method(name: &str) -> Outcome {
    let family = name.split('.').next().unwrap_or(name);
    let near: Vec<&str> = bitrix24::schema::methods()
        .filter(|method| method.family == family || method.name.contains(name))
        .map(|method| method.name.as_str())
        .take(10)
        .collect();
    let hint = if near.is_empty() {
        String::new()
    } else {
        format!("; near it: {}", near.join(", "))
    };
    usage(&format!(
        "no method {name:?} in the schema{hint}; `b24 methods` lists them, `b24 call {name} --params JSON` sends any method"
    ))
}

fn raw_params(text: Option<&str>) -> Result<Map<String, Value>, String> {
    match text {
        None => Ok(Map::new()),
        Some(text) => match serde_json::from_str(text) {
            Ok(Value::Object(params)) => Ok(params),
            Ok(_) => Err("--params takes a JSON object".to_owned()),
            Err(error) => Err(format!("--params is not JSON: {error}")),
        },
    }
}

/// A method call: its parameters from the flags or `--params`, checked,
/// then one page or all of them.
fn call_method(method: &'static Method, own: &ArgMatches, globals: Globals) -> Outcome {
    let from_flags = match params::from_flags(method, own) {
        Ok(params) => params,
        Err(message) => return usage(&message),
    };
    let params = match (&globals.params, from_flags.is_empty()) {
        (Some(_), false) => return usage("give the parameters as flags or as --params, not both"),
        (Some(text), true) => match raw_params(Some(text)) {
            Ok(params) => params,
            Err(message) => return usage(&message),
        },
        (None, _) => from_flags,
    };
    if let Err(message) = params::check(method, &params) {
        return usage(&message);
    }
    if globals.all && method.paging.is_none() {
        return usage(&format!(
            "{} is not paged: --all is for paged methods",
            method.name
        ));
    }
    if globals.paging.is_some() && !globals.all {
        return usage("--paging says how --all reads the pages: give --all too");
    }
    let all = globals.all.then(|| globals.paging.unwrap_or_default());
    // With --all, the request shown is the method's as given: the walk adds
    // its paging parameters to it.
    let request = RawRequest::of(method, Value::Object(params.clone()));
    let (request, globals) = (&request, &globals);
    with_client(
        globals,
        std::slice::from_ref(request),
        |client| async move {
            if let Some(paging) = all {
                walk(&client, method, params, paging, globals).await
            } else {
                print_result(client.call_raw_request(request).await, globals)
            }
        },
    )
}

/// Builds the client of the portal the options name and runs `work` on a
/// runtime of its own; with `--dry-run`, prints `requests` instead, as the
/// client would send them, and sends nothing.
fn with_client<F, W>(globals: &Globals, requests: &[RawRequest], work: W) -> Outcome
where
    W: FnOnce(Client) -> F,
    F: std::future::Future<Output = Outcome>,
{
    if globals.verbose {
        log_to_stderr();
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start: {error}");
            return Outcome::Failure;
        }
    };
    runtime.block_on(async {
        let portal = connect::portal(globals.webhook.as_deref(), globals.profile.as_deref());
        let client = match portal {
            Ok(portal) => connect::client(&portal).await,
            Err(no_portal) => Err(no_portal),
        };
        match client {
            Ok(client) if globals.dry_run => {
                write_out(|out| dry_run::print(out, &client, requests))
            }
            Ok(client) => work(client).await,
            Err(connect::NoPortal(message)) => usage(&message),
        }
    })
}

/// The client's own log (each request's method, status, timing, retries)
/// on standard error; nothing from other crates, whose messages the client
/// does not mask.
fn log_to_stderr() {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(io::stderr)
        .with_ansi(crate::stderr_is_terminal())
        .with_target(false);
    let only_the_client = Targets::new().with_target("bitrix24_runtime", LevelFilter::DEBUG);
    let _ = tracing_subscriber::registry()
        .with(tracing_subscriber::Layer::with_filter(
            layer,
            only_the_client,
        ))
        .try_init();
}

fn print_result(
    answer: Result<Response<Value>, Error<bitrix24::ApiError>>,
    globals: &Globals,
) -> Outcome {
    match answer {
        Ok(response) => write_out(|out| {
            output::value(
                out,
                &response.result,
                globals.format,
                globals.columns.as_deref(),
            )
        }),
        Err(error) => report(&error),
    }
}

pub fn write_out(write: impl FnOnce(&mut io::StdoutLock<'static>) -> io::Result<()>) -> Outcome {
    let mut out = io::stdout().lock();
    match write(&mut out).and_then(|()| out.flush()) {
        Ok(()) => Outcome::Success,
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Outcome::Success,
        Err(error) => {
            eprintln!("error: cannot write the output: {error}");
            Outcome::Failure
        }
    }
}

/// Prints a failed call's error and gives its exit status: 1 for the
/// method's answer, 3 for what the call could not get past (transport,
/// credentials, limits, the server failing).
fn report(error: &Error<bitrix24::ApiError>) -> Outcome {
    eprintln!("error: {}", message(error));
    status(error)
}

/// The text of an error: a method error as `<code or (empty)>: <description>`,
/// anything else as the client writes it (secrets masked).
fn message(error: &Error<bitrix24::ApiError>) -> String {
    match error {
        Error::Method(api) => {
            let code = if api.code().is_empty() {
                "(empty)"
            } else {
                api.code()
            };
            format!("{code}: {}", api.description())
        }
        other => other.to_string(),
    }
}

fn status(error: &Error<bitrix24::ApiError>) -> Outcome {
    use bitrix24::error::SystemErrorCategory as Category;
    let Error::Method(api) = error else {
        return Outcome::Failure;
    };
    match bitrix24::SystemError::try_from(api.clone()).map(|system| system.category()) {
        Ok(
            Category::RateLimit
            | Category::OperationTimeLimit
            | Category::ExpiredToken
            | Category::Authentication
            | Category::Internal,
        ) => Outcome::Failure,
        _ => Outcome::MethodError,
    }
}

/// Every page of a paged method, walked by `paging`, printed as one list
/// as the pages come.
async fn walk(
    client: &Client,
    method: &'static Method,
    params: Map<String, Value>,
    paging: Paging,
    globals: &Globals,
) -> Outcome {
    let progress = crate::stderr_is_terminal().then(indicatif::ProgressBar::no_length);
    let mut writer =
        match ListWriter::new(io::stdout().lock(), globals.format, globals.columns.clone()) {
            Ok(writer) => writer,
            Err(error) => return written(error),
        };
    let mut pages = client.raw_pages(RawList::of(method, Value::Object(params)), paging);
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            // Refused before anything was sent: the strategy asked for does
            // not fit the request.
            Err(Error::Paging(refusal @ PagingError::KeysetUnavailable { .. })) => {
                return usage(&refusal.to_string());
            }
            Err(error) => return report(&error),
        };
        if let (Some(bar), Some(total)) = (&progress, page.total) {
            bar.set_length(total);
        }
        if let Some(bar) = &progress {
            bar.inc(page.result.len() as u64);
        }
        if let Err(error) = writer.page(page.result) {
            return written(error);
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    match writer.finish() {
        Ok(()) => Outcome::Success,
        Err(error) => written(error),
    }
}

fn written(error: io::Error) -> Outcome {
    if error.kind() == io::ErrorKind::BrokenPipe {
        Outcome::Success
    } else {
        eprintln!("error: cannot write the output: {error}");
        Outcome::Failure
    }
}

/// The lines of a batch file as requests, each checked; the first bad
/// line is a usage error and nothing is sent.
fn batch_requests(text: &str) -> Result<Vec<RawRequest>, String> {
    let mut requests = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let Ok(Value::Object(mut command)) = serde_json::from_str::<Value>(line) else {
            return Err(format!(
                "line {number}: expected a JSON object {{\"method\": ..., \"params\": {{...}}}}"
            ));
        };
        let Some(Value::String(name)) = command.remove("method") else {
            return Err(format!("line {number}: \"method\" must be a method's name"));
        };
        let params = match command.remove("params") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(params)) => params,
            Some(_) => return Err(format!("line {number}: \"params\" must be an object")),
        };
        if let Some(key) = command.keys().next() {
            return Err(format!(
                "line {number}: unknown key {key:?}; a line holds \"method\" and \"params\""
            ));
        }
        let request = match bitrix24::schema::method(&name) {
            Some(method) if method.rest_version == RestVersion::V3 => {
                return Err(format!(
                    "line {number}: {name} is a REST 3.0 method, which a batch cannot carry: call it on its own"
                ));
            }
            Some(method) => {
                params::check(method, &params)
                    .map_err(|message| format!("line {number}: {message}"))?;
                RawRequest::of(method, Value::Object(params))
            }
            // Unknown methods go as `b24 call` sends them: never twice.
            None => RawRequest::new(name, Value::Object(params)),
        };
        requests.push(request);
    }
    Ok(requests)
}

/// The requests of a batch file (`-` for standard input), each checked.
fn read_batch(file: &str) -> Result<Vec<RawRequest>, String> {
    let mut text = String::new();
    let read = if file == "-" {
        io::stdin()
            .lock()
            .take(MAX_BATCH_BYTES + 1)
            .read_to_string(&mut text)
    } else {
        std::fs::File::open(file)
            .and_then(|opened| opened.take(MAX_BATCH_BYTES + 1).read_to_string(&mut text))
    };
    if let Err(error) = read {
        return Err(format!("cannot read {file}: {error}"));
    }
    if text.len() as u64 > MAX_BATCH_BYTES {
        return Err(format!(
            "{file} is larger than {} MiB",
            MAX_BATCH_BYTES >> 20
        ));
    }
    batch_requests(&text)
}

async fn batch(client: Client, requests: Vec<RawRequest>) -> Outcome {
    let count = requests.len() as u64;
    let mut run = client.bulk(requests);
    if crate::stderr_is_terminal() {
        let bar = indicatif::ProgressBar::new(count);
        let shown = bar.clone();
        run = run.on_progress(move |progress| shown.set_position(progress.finished as u64));
        drop(bar);
    }
    let mut worst = Outcome::Success;
    let mut out = io::stdout().lock();
    while let Some(outcome) = run.next().await {
        let line = match outcome {
            Ok(response) => json!({"result": response.result}),
            Err(error) => {
                worst = worst.max_with(status(&error));
                match &error {
                    Error::Method(api) => {
                        json!({"error": {"code": api.code(), "description": api.description()}})
                    }
                    other => {
                        json!({"error": {"kind": format!("{:?}", other.kind()), "message": message(other)}})
                    }
                }
            }
        };
        if let Err(error) = writeln!(out, "{line}") {
            return written(error);
        }
    }
    worst
}

impl Outcome {
    /// The more serious of two outcomes.
    fn max_with(self, other: Self) -> Self {
        if other as u8 > self as u8 {
            other
        } else {
            self
        }
    }
}

fn methods(family: Option<&str>) -> Outcome {
    let listed: Vec<&Method> = bitrix24::schema::methods()
        .filter(|method| family.is_none_or(|family| method.family == family))
        .collect();
    if listed.is_empty() {
        return usage(&format!("no family {:?}", family.unwrap_or_default()));
    }
    let width = listed
        .iter()
        .map(|method| method.name.len())
        .max()
        .unwrap_or(0);
    write_out(|out| {
        for method in listed {
            writeln!(out, "{:<width$}  {}", method.name, method.summary)?;
        }
        Ok(())
    })
}
