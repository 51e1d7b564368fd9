//! The command line's shape: the global options, the built-in commands
//! (`batch`, `call`, `auth`, `methods`, `completions`), and a command per method,
//! built only for the method called so start-up does not grow with the
//! API. Knows nothing about sending.

use bitrix24::Paging;
use bitrix24::schema::{Method, RestVersion};
use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};

use crate::output::Format;
use crate::params;

/// The long names of the global options, which may come before or after
/// the method. A parameter of the same name is no flag of its own: it goes
/// in `--params`.
pub const GLOBAL_FLAGS: &[&str] = &[
    "webhook", "profile", "output", "columns", "all", "paging", "params", "v3", "dry-run",
    "verbose", "help", "version",
];

const ABOUT: &str = "Calls any Bitrix24 REST method the schema knows, checking every parameter before anything is sent.";

const AFTER_HELP: &str = "\
Methods:
  b24 [OPTIONS] <METHOD> [PARAMETERS]   call a method by its wire name, such as sonet_group.user.get
  b24 <METHOD> --help                   its parameters, types, allowed values and documentation
  b24 methods [--family FAMILY]         every method it knows
  b24 auth add|list|remove|default      saved portals (profiles)

Examples:
  b24 --webhook https://portal.bitrix24.com/rest/1/CODE/ sonet_group.user.get --ID 69
  b24 sonet_group.user.add --GROUP_ID 69 --USER_ID 1271 --USER_ID 1272
  b24 sonet_group.user.groups --output table
  b24 auth add work --webhook https://portal.bitrix24.com/rest/1/CODE/
  b24 --profile work sonet_group.get --all --output csv --columns ID,NAME
  b24 --dry-run sonet_group.user.add --GROUP_ID 69 --USER_ID 1271   prints the request, sends nothing
  b24 call some.method --params '{\"ID\": 1}'
  b24 main.eventlog.get --id 1          a REST 3.0 method: sent to /rest/api/
  b24 --v3 tasks.task.update --id 5 --params ...   the REST 3.0 form of a method both versions serve

Exit status: 0 success, 1 a method error, 2 a usage error (nothing sent),
3 a transport, auth, decode or rate-limit error that remained after retries.";

/// The global options.
pub fn global_args() -> [Arg; 10] {
    [
        Arg::new("webhook")
            .long("webhook")
            .value_name("URL")
            .env("B24_WEBHOOK_URL")
            .hide_env_values(true)
            .help("The portal's webhook URL (or B24_WEBHOOK_URL; OAuth through B24_PORTAL_URL and its variables); either wins over a profile"),
        Arg::new("profile")
            .long("profile")
            .value_name("NAME")
            .env("B24_PROFILE")
            .help("The saved portal to call (b24 auth add), instead of the default profile; --webhook, B24_WEBHOOK_URL and B24_PORTAL_URL win over it"),
        Arg::new("output")
            .long("output")
            .value_name("FORMAT")
            .value_parser(["json", "jsonl", "csv", "table"])
            .help("How results are printed: json (pretty on a terminal, one line otherwise), jsonl (one item of a list per line), csv (a header, then a row per item) or table"),
        Arg::new("columns")
            .long("columns")
            .value_name("KEYS")
            .value_delimiter(',')
            .help("Keep only these keys of each item of a list (or of an object), in this order, such as ID,TITLE; for csv and table, the columns"),
        Arg::new("all")
            .long("all")
            .action(ArgAction::SetTrue)
            .help("For a paged method: read every page and print all items"),
        Arg::new("paging")
            .long("paging")
            .value_name("STRATEGY")
            .value_parser(["auto", "chained", "keyset", "batched", "classic"])
            .help("With --all, how pages are fetched: auto (chained where the method has a key, else batched), chained (keyset pages 50 to a batch), keyset (one request a page), batched (offsets 50 to a batch) or classic (one request a page)"),
        Arg::new("params")
            .long("params")
            .value_name("JSON")
            .help("The parameters as one JSON object, instead of flags"),
        Arg::new("v3")
            .long("v3")
            .action(ArgAction::SetTrue)
            .help("Call the REST 3.0 form of a method that REST 2 also serves (methods only REST 3.0 serves need no flag)"),
        Arg::new("dry-run")
            .long("dry-run")
            .action(ArgAction::SetTrue)
            .help("Print the request that would be sent (the webhook code masked) and send nothing; with --all the method's request as given (the walk adds its paging), with batch each line's request"),
        Arg::new("verbose")
            .long("verbose")
            .short('v')
            .action(ArgAction::SetTrue)
            .help("Log each request's method, status, timing and retries to standard error"),
    ]
}

/// The top-level command: the global options, the built-in commands, and
/// any method name as an external subcommand.
pub fn root() -> Command {
    Command::new("b24")
        .version(env!("CARGO_PKG_VERSION"))
        .about(ABOUT)
        .after_help(AFTER_HELP)
        .args(global_args())
        .allow_external_subcommands(true)
        .subcommand_value_name("METHOD")
        .subcommand(
            Command::new("batch")
                .about("Runs a file of JSON lines {\"method\": ..., \"params\": {...}}, 50 commands per request, and prints one JSON line per input (REST 2 methods only: REST 3.0 has no such batch)")
                .arg(Arg::new("file").value_name("FILE").required(true).help("The file, or - for standard input")),
        )
        .subcommand(
            Command::new("call")
                .about("Calls any method, known or not, with --params as they are (never sent twice, except with --v3, whose Idempotency-Key makes a repeat safe)")
                .arg(Arg::new("method").value_name("METHOD").required(true))
                .args(global_args()),
        )
        .subcommand(auth_command())
        .subcommand(
            Command::new("methods")
                .about("Lists the methods it knows")
                .arg(Arg::new("family").long("family").value_name("FAMILY").help("Only this family, such as sonet_group")),
        )
        .subcommand(
            Command::new("completions")
                .about("Prints a completion script for a shell")
                .arg(
                    Arg::new("shell")
                        .value_name("SHELL")
                        .required(true)
                        .value_parser(value_parser!(clap_complete::Shell)),
                ),
        )
}

/// `b24 auth`: the profiles, saved portals.
fn auth_command() -> Command {
    let secret = |name: &'static str, variable: &'static str, help: &'static str| {
        Arg::new(name)
            .long(name)
            .value_name("TEXT")
            .env(variable)
            .hide_env_values(true)
            .help(help)
    };
    Command::new("auth")
        .about("Saves portals as profiles in the configuration folder's b24/config.toml (B24_CONFIG_DIR names another folder), readable by its owner alone")
        .subcommand_required(true)
        .subcommand(
            Command::new("add")
                .about("Saves a portal as a profile, the default one if it is the first; values may come from the environment variables (kept out of the shell's history)")
                .arg(Arg::new("name").value_name("NAME").required(true))
                .arg(secret("webhook", "B24_WEBHOOK_URL", "The portal's webhook URL").value_name("URL"))
                .arg(Arg::new("portal-url").long("portal-url").value_name("URL").env("B24_PORTAL_URL").help("For OAuth: the portal's REST address"))
                .arg(secret("access-token", "B24_ACCESS_TOKEN", "For OAuth: the access token"))
                .arg(secret("refresh-token", "B24_REFRESH_TOKEN", "For OAuth: the refresh token"))
                .arg(Arg::new("client-id").long("client-id").value_name("ID").env("B24_CLIENT_ID").help("For OAuth: the application's client id"))
                .arg(secret("client-secret", "B24_CLIENT_SECRET", "For OAuth: the application's client secret"))
                .arg(Arg::new("oauth-server").long("oauth-server").value_name("URL").env("B24_OAUTH_SERVER").help("For OAuth: the token server, when not the usual one"))
                .arg(Arg::new("token-file").long("token-file").value_name("FILE").env("B24_TOKEN_FILE").help("For OAuth: where refreshed tokens are kept (by default NAME.tokens.json beside the profiles)")),
        )
        .subcommand(Command::new("list").about("Lists the profiles: names, portal hosts and kinds, never a secret"))
        .subcommand(
            Command::new("remove")
                .about("Removes a profile (and the token file kept for it beside the profiles)")
                .arg(Arg::new("name").value_name("NAME").required(true)),
        )
        .subcommand(
            Command::new("default")
                .about("Makes a profile the default one")
                .arg(Arg::new("name").value_name("NAME").required(true)),
        )
}

/// The command of one method: its parameters as flags, and the global
/// options.
pub fn method_command(method: &'static Method) -> Command {
    let mut about = method.summary.clone();
    let mut long_about = about.clone();
    if let Some(description) = &method.description {
        long_about.push_str("\n\n");
        long_about.push_str(description);
    }
    long_about.push_str(&format!(
        "\n\nWho may call it: {}\nScopes: {}\nREST version: {}\nSafe to send twice: {}{}\nDocumentation: {}",
        method.access,
        method.scopes.join(", "),
        match method.rest_version {
            RestVersion::V2 => "2 (/rest/)",
            RestVersion::V3 => "3.0 (/rest/api/)",
        },
        if method.retry_safe || method.writes { "yes" } else { "no" },
        if method.paging.is_some() {
            "\nPaged: yes (--all reads every page)"
        } else {
            ""
        },
        method.docs_url,
    ));
    about.push_str(&format!(" ({})", method.docs_url));
    let command = Command::new(method.name.as_str())
        .bin_name(format!("b24 {}", method.name))
        .about(about)
        .long_about(long_about)
        .disable_version_flag(true);
    params::add_flags(command, method, GLOBAL_FLAGS)
        .next_help_heading("Global options")
        .args(global_args())
}

/// The whole tree, every method with its flags, for completion scripts: a
/// name both versions serve once, with REST 2's flags (`--v3` picks the
/// other form when it is called).
pub fn full_tree() -> Command {
    bitrix24::schema::methods()
        .filter(|method| {
            bitrix24::schema::method(&method.name).is_some_and(|first| std::ptr::eq(first, *method))
        })
        .fold(root(), |root, method| {
            root.subcommand(method_command(method))
        })
}

/// The global options of a parse: a method's own, else the top level's.
#[derive(Debug, Clone)]
pub struct Globals {
    /// `--webhook`, or `B24_WEBHOOK_URL`.
    pub webhook: Option<String>,
    /// `--profile`, or `B24_PROFILE`.
    pub profile: Option<String>,
    /// How results are printed.
    pub format: Format,
    /// `--columns`: the keys kept of each item.
    pub columns: Option<Vec<String>>,
    /// `--all`.
    pub all: bool,
    /// `--paging`, if given.
    pub paging: Option<Paging>,
    /// `--params`.
    pub params: Option<String>,
    /// `--v3`: the REST 3.0 form of the method.
    pub v3: bool,
    /// `--dry-run`: print the request, send nothing.
    pub dry_run: bool,
    /// `--verbose`.
    pub verbose: bool,
}

impl Globals {
    /// The options of `inner` (a method's matches), falling back on
    /// `outer` (the top level's).
    pub fn of(outer: &ArgMatches, inner: Option<&ArgMatches>, stdout_is_terminal: bool) -> Self {
        let text = |name: &str| {
            inner
                .and_then(|inner| inner.try_get_one::<String>(name).ok().flatten())
                .or_else(|| outer.try_get_one::<String>(name).ok().flatten())
                .cloned()
        };
        let flag = |name: &str| {
            [Some(outer), inner]
                .into_iter()
                .flatten()
                .any(|matches| matches.try_get_one::<bool>(name).ok().flatten() == Some(&true))
        };
        let columns = inner
            .and_then(|inner| inner.try_get_many::<String>("columns").ok().flatten())
            .or_else(|| outer.try_get_many::<String>("columns").ok().flatten())
            .map(|keys| {
                keys.map(|key| key.trim().to_owned())
                    .filter(|key| !key.is_empty())
                    .collect()
            });
        let format = match text("output").as_deref() {
            Some("table") => Format::Table,
            Some("csv") => Format::Csv,
            Some("jsonl") => Format::Jsonl,
            _ if stdout_is_terminal => Format::Pretty,
            _ => Format::Line,
        };
        Self {
            webhook: text("webhook"),
            profile: text("profile"),
            format,
            columns,
            all: flag("all"),
            paging: text("paging").as_deref().map(|strategy| match strategy {
                "chained" => Paging::Chained,
                "keyset" => Paging::Keyset,
                "batched" => Paging::Batched,
                "classic" => Paging::Classic,
                _ => Paging::Auto,
            }),
            params: text("params"),
            v3: flag("v3"),
            dry_run: flag("dry-run"),
            verbose: flag("verbose"),
        }
    }
}
