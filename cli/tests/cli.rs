//! The real `b24` binary against the emulator over HTTP on loopback: every
//! `sonet_group.user.*` method with a success and a method error, the exit
//! statuses, checks that refuse a call before anything is sent (the
//! emulator's request log stays empty), retries after `QUERY_LIMIT_EXCEEDED`,
//! an unsafe method not sent twice after a lost answer, batch files, `--all`,
//! the output formats and `--columns`, OAuth from the environment, profiles,
//! and secrets that never reach any output.
//!
//! The binary runs as its own process, so these tests wait in real time
//! for its answers; the retries they provoke wait a few hundred
//! milliseconds at most.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use bitrix24_emulator::{
    Emulator, EmulatorBuilder, FaultConfig, FaultKind, FaultRule, FaultTiming, RunningEmulator,
    Secret, Seed, SeedWebhook,
};
use serde_json::Value;

/// A webhook code no output may show.
const SECRET_CODE: &str = "hookSecretQ7v9Zt3";

/// A webhook of the same user without the `sonet_group` scope, and where
/// a test's arguments take its URL.
const NO_SCOPE_CODE: &str = "hookWithoutScope5";
const NO_SCOPE: &str = "<webhook without the scope>";

/// A portal on its own runtime, which serves while a test waits for the
/// binary.
struct Portal {
    emulator: RunningEmulator,
    // Dropped after the portal, whose tasks run on it.
    _runtime: tokio::runtime::Runtime,
}

impl Portal {
    fn start(builder: EmulatorBuilder) -> Self {
        Self::start_with(builder, Seed::demo())
    }

    fn start_with(builder: EmulatorBuilder, mut seed: Seed) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        seed.webhooks.push(SeedWebhook {
            user: 1,
            code: Secret::new(SECRET_CODE),
            scopes: vec!["sonet_group".to_owned()],
        });
        seed.webhooks.push(SeedWebhook {
            user: 1,
            code: Secret::new(NO_SCOPE_CODE),
            scopes: vec!["user".to_owned()],
        });
        let emulator = runtime
            .block_on(builder.seed(seed).start())
            .expect("the emulator starts on a loopback port");
        Self {
            emulator,
            _runtime: runtime,
        }
    }

    fn demo() -> Self {
        Self::start(Emulator::builder())
    }

    fn webhook(&self) -> String {
        format!("{}/rest/1/{SECRET_CODE}/", self.emulator.base_url())
    }

    /// The REST requests the portal saw (not the token endpoint).
    fn requests(&self) -> usize {
        self.emulator
            .log()
            .iter()
            .filter(|entry| !entry.in_batch)
            .count()
    }
}

/// What a run of the binary gave.
struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|error| panic!("stdout is not JSON ({error}): {:?}", self.stdout))
    }

    fn shows(&self, text: &str) -> bool {
        self.stdout.contains(text) || self.stderr.contains(text)
    }
}

fn b24(args: &[&str]) -> Run {
    b24_with(args, &[], None)
}

fn b24_with(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_b24"));
    command
        .args(args)
        .env_remove("B24_WEBHOOK_URL")
        .env_remove("B24_PORTAL_URL")
        .env_remove("B24_PROFILE")
        // Never the user's own profiles: a folder no test creates, unless
        // the test names its own.
        .env(
            "B24_CONFIG_DIR",
            std::env::temp_dir().join("b24-tests-no-profiles"),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("the binary runs");
    let mut input = child.stdin.take().expect("stdin is piped");
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    Run {
        status: status.code().expect("the binary exits"),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

#[test]
fn every_membership_method_succeeds_and_reports_its_method_error() {
    let portal = Portal::demo();
    let hook = portal.webhook();
    let hook = hook.as_str();
    let calls: [(&[&str], &[&str]); 7] = [
        (
            &["sonet_group.user.get", "--ID", "1"],
            &["sonet_group.user.get", "--ID", "999"],
        ),
        // The method has no errors of its own: the portal's when the call is unauthorised.
        (
            &["sonet_group.user.groups"],
            &["sonet_group.user.groups", "--webhook", NO_SCOPE],
        ),
        (
            &[
                "sonet_group.user.add",
                "--GROUP_ID",
                "3",
                "--USER_ID",
                "5",
                "--USER_ID",
                "6",
            ],
            &[
                "sonet_group.user.add",
                "--GROUP_ID",
                "999",
                "--USER_ID",
                "5",
            ],
        ),
        (
            &[
                "sonet_group.user.invite",
                "--group-id",
                "1",
                "--user-id",
                "7",
                "--MESSAGE",
                "Join",
            ],
            &[
                "sonet_group.user.invite",
                "--GROUP_ID",
                "999",
                "--USER_ID",
                "7",
            ],
        ),
        (
            &[
                "sonet_group.user.update",
                "--GROUP_ID",
                "3",
                "--USER_ID",
                "5",
                "--ROLE",
                "E",
            ],
            &[
                "sonet_group.user.update",
                "--GROUP_ID",
                "999",
                "--USER_ID",
                "5",
                "--ROLE",
                "E",
            ],
        ),
        (
            &[
                "sonet_group.user.delete",
                "--GROUP_ID",
                "3",
                "--USER_ID",
                "6",
            ],
            &[
                "sonet_group.user.delete",
                "--GROUP_ID",
                "999",
                "--USER_ID",
                "6",
            ],
        ),
        (
            &[
                "sonet_group.user.request",
                "--GROUP_ID",
                "5",
                "--MESSAGE",
                "Let me in",
            ],
            &["sonet_group.user.request", "--GROUP_ID", "999"],
        ),
    ];
    let no_scope = portal.webhook().replace(SECRET_CODE, NO_SCOPE_CODE);
    for (success, failure) in calls {
        let failure: Vec<&str> = failure
            .iter()
            .map(|arg| {
                if *arg == NO_SCOPE {
                    no_scope.as_str()
                } else {
                    arg
                }
            })
            .collect();
        let run = b24(&[&["--webhook", hook], success].concat());
        assert_eq!(run.status, 0, "{success:?}: {}", run.stderr);
        let result = run.json();
        assert!(
            result.is_array() || result.is_boolean() || result.is_object(),
            "{success:?}: {result}"
        );

        let run = b24(&[&["--webhook", hook], failure.as_slice()].concat());
        assert_eq!(run.status, 1, "{failure:?}: {} {}", run.stdout, run.stderr);
        assert!(run.stdout.is_empty());
        assert!(
            run.stderr.starts_with("error: "),
            "{failure:?}: {}",
            run.stderr
        );
    }
    // The group's members as the portal has them after the calls.
    let members = b24(&["--webhook", hook, "sonet_group.user.get", "--ID", "3"]).json();
    let of = |user: &str| {
        members
            .as_array()
            .unwrap()
            .iter()
            .find(|member| member["USER_ID"] == user)
            .map(|member| member["ROLE"].clone())
    };
    assert_eq!(
        of("5"),
        Some(Value::from("E")),
        "added, then made a moderator"
    );
    assert_eq!(of("6"), None, "added, then removed");
}

#[test]
fn a_method_error_prints_its_code_or_empty_and_its_description() {
    let portal = Portal::demo();
    let run = b24(&[
        "--webhook",
        &portal.webhook(),
        "sonet_group.user.get",
        "--ID",
        "999",
    ]);
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stderr,
        "error: (empty): Socialnetwork group not found\n"
    );
    // `0` is an ID the command line sends: the portal's own answer is what
    // the user sees (and `0` is a real ID of some kinds, such as the general
    // sales funnel).
    let run = b24(&[
        "--webhook",
        &portal.webhook(),
        "sonet_group.user.get",
        "--ID",
        "0",
    ]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_eq!(run.stderr, "error: (empty): Wrong socialnetwork group ID\n");
}

#[test]
fn global_options_go_before_or_after_the_method_and_results_are_one_line_in_a_pipe() {
    let portal = Portal::demo();
    let hook = portal.webhook();
    let before = b24(&["--webhook", &hook, "sonet_group.user.get", "--ID", "1"]);
    let after = b24(&["sonet_group.user.get", "--id", "1", "--webhook", &hook]);
    let from_env = b24_with(
        &["sonet_group.user.get", "--ID", "1"],
        &[("B24_WEBHOOK_URL", &hook)],
        None,
    );
    assert_eq!(before.status, 0, "{}", before.stderr);
    assert_eq!(before.stdout, after.stdout);
    assert_eq!(before.stdout, from_env.stdout);
    assert_eq!(
        before.stdout.lines().count(),
        1,
        "one line when stdout is no terminal"
    );
    let raw = b24(&[
        "--webhook",
        &hook,
        "sonet_group.user.get",
        "--params",
        r#"{"ID": 1}"#,
    ]);
    assert_eq!(raw.stdout, before.stdout);
}

#[test]
fn bad_command_lines_are_usage_errors_and_nothing_is_sent() {
    let portal = Portal::demo();
    let hook = portal.webhook();
    let refused: [&[&str]; 9] = [
        // A required parameter missing.
        &["sonet_group.user.get"],
        // A value outside a closed enum: the owner cannot be assigned.
        &[
            "sonet_group.user.update",
            "--GROUP_ID",
            "1",
            "--USER_ID",
            "2",
            "--ROLE",
            "A",
        ],
        // Not a number.
        &["sonet_group.user.get", "--ID", "first"],
        // Not an ID.
        &["sonet_group.user.get", "--ID", "-1"],
        // A parameter the method does not have.
        &[
            "sonet_group.user.get",
            "--params",
            r#"{"ID": 1, "GROUPID": 2}"#,
        ],
        // A wrong type inside --params.
        &["sonet_group.user.get", "--params", r#"{"ID": "x"}"#],
        // An unknown method.
        &["sonet_group.user.gets", "--ID", "1"],
        // --all on a method that does not page.
        &["sonet_group.user.get", "--ID", "1", "--all"],
        // Flags and --params at once.
        &[
            "sonet_group.user.get",
            "--ID",
            "1",
            "--params",
            r#"{"ID": 1}"#,
        ],
    ];
    for args in refused {
        let run = b24(&[&["--webhook", hook.as_str()], args].concat());
        assert_eq!(run.status, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("error"), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}");
    }
    let no_portal = b24(&["sonet_group.user.get", "--ID", "1"]);
    assert_eq!(no_portal.status, 2);
    assert!(
        no_portal.stderr.contains("--webhook"),
        "{}",
        no_portal.stderr
    );
    assert_eq!(
        portal.requests(),
        0,
        "nothing reached the portal: {:?}",
        portal.emulator.log()
    );
}

#[test]
fn plain_http_is_only_for_loopback() {
    let run = b24(&[
        "--webhook",
        "http://portal.example.com/rest/1/abc/",
        "sonet_group.user.get",
        "--ID",
        "1",
    ]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(run.stderr.contains("https"), "{}", run.stderr);
}

#[test]
fn a_call_refused_for_the_rate_limit_is_sent_again() {
    // One request at a time, refilled ten times a second.
    let portal = Portal::start(Emulator::builder().rate_limit(1, 10.0));
    let hook = portal.webhook();
    let first = b24(&["--webhook", &hook, "sonet_group.user.get", "--ID", "1"]);
    let second = b24(&["--webhook", &hook, "sonet_group.user.get", "--ID", "1"]);
    assert_eq!(first.status, 0, "{}", first.stderr);
    assert_eq!(second.status, 0, "{}", second.stderr);
    let refused = portal
        .emulator
        .log()
        .iter()
        .filter(|entry| entry.error.as_deref() == Some("QUERY_LIMIT_EXCEEDED"))
        .count();
    assert!(
        refused >= 1,
        "the second call was refused at first: {:?}",
        portal.emulator.log()
    );
    assert_eq!(
        portal.emulator.counters().executed("sonet_group.user.get"),
        2
    );
}

#[test]
fn an_unsafe_method_is_not_sent_again_after_its_answer_was_lost() {
    let lose_one = || {
        FaultConfig::new(3)
            .rule(FaultRule::new(FaultKind::Drop, FaultTiming::AfterExecution, 1.0).max_hits(1))
    };
    let portal = Portal::start(Emulator::builder().faults(lose_one()));
    let hook = portal.webhook();
    // An invitation notifies the user: sending it twice would notify twice.
    let run = b24(&[
        "--webhook",
        &hook,
        "sonet_group.user.invite",
        "--GROUP_ID",
        "3",
        "--USER_ID",
        "5",
    ]);
    assert_eq!(run.status, 3, "{} {:?}", run.stderr, portal.emulator.log());
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert_eq!(
        portal
            .emulator
            .counters()
            .executed("sonet_group.user.invite"),
        1,
        "sent once"
    );

    // Adding a member is set-like, and a read is safe: both are sent again.
    portal.emulator.set_faults(lose_one());
    let run = b24(&[
        "--webhook",
        &hook,
        "sonet_group.user.add",
        "--GROUP_ID",
        "3",
        "--USER_ID",
        "6",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        portal.emulator.counters().executed("sonet_group.user.add"),
        2,
        "sent again"
    );
    portal.emulator.set_faults(lose_one());
    let run = b24(&["--webhook", &hook, "sonet_group.user.get", "--ID", "1"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        portal.emulator.counters().executed("sonet_group.user.get"),
        2,
        "sent again"
    );
}

#[test]
fn a_batch_file_prints_one_line_per_command_in_input_order() {
    let portal = Portal::demo();
    let hook = portal.webhook();
    let mut lines: Vec<String> = vec![
        r#"{"method": "sonet_group.user.get", "params": {"ID": 1}}"#.to_owned(),
        r#"{"method": "sonet_group.user.get", "params": {"ID": 999}}"#.to_owned(),
        String::new(),
        r#"{"method": "sonet_group.user.groups"}"#.to_owned(),
    ];
    // Enough to need two batches.
    lines.extend(
        (0..60).map(|_| r#"{"method": "sonet_group.user.get", "params": {"ID": 2}}"#.to_owned()),
    );
    let file = std::env::temp_dir().join(format!("b24-batch-{}.jsonl", std::process::id()));
    std::fs::write(&file, lines.join("\n")).unwrap();

    let run = b24(&["--webhook", &hook, "batch", file.to_str().unwrap()]);
    let from_stdin = b24_with(
        &["--webhook", &hook, "batch", "-"],
        &[],
        Some(&lines.join("\n")),
    );
    std::fs::remove_file(&file).unwrap();

    assert_eq!(run.status, 1, "one command failed: {}", run.stderr);
    assert_eq!(run.stdout, from_stdin.stdout);
    let outputs: Vec<Value> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(
        outputs.len(),
        63,
        "one line per command; the blank line is none"
    );
    assert!(outputs[0]["result"].is_array());
    assert_eq!(
        outputs[1]["error"]["description"],
        "Socialnetwork group not found"
    );
    assert_eq!(outputs[1]["error"]["code"], "");
    assert!(outputs[2]["result"].is_array());
    assert!(
        outputs[3..]
            .iter()
            .all(|output| output["result"] == outputs[3]["result"])
    );
    let batches = portal
        .emulator
        .log()
        .iter()
        .filter(|entry| entry.method == "batch")
        .count();
    assert_eq!(
        batches,
        2 * 2,
        "63 commands in two batches, for each of the two runs"
    );
}

#[test]
fn a_bad_batch_line_is_a_usage_error_before_anything_is_sent() {
    let portal = Portal::demo();
    let hook = portal.webhook();
    let bad = [
        "{\"method\": \"sonet_group.user.get\", \"params\": {\"ID\": 1}}\nnot json",
        "{\"method\": \"sonet_group.user.get\"}",
        "{\"method\": \"sonet_group.user.update\", \"params\": {\"GROUP_ID\": 1, \"USER_ID\": 2, \"ROLE\": \"A\"}}",
        "{\"method\": 5}",
        "{\"method\": \"sonet_group.user.get\", \"params\": {\"ID\": 1}, \"extra\": 1}",
    ];
    for input in bad {
        let run = b24_with(&["--webhook", &hook, "batch", "-"], &[], Some(input));
        assert_eq!(run.status, 2, "{input}: {}", run.stderr);
        assert!(run.stderr.contains("line "), "{}", run.stderr);
    }
    assert_eq!(portal.requests(), 0);
}

#[test]
fn all_reads_every_page_of_a_paged_method() {
    // The admin is a member of every group: 130 groups are three pages.
    let seed = Seed::demo().with_generated_groups(125).unwrap();
    let portal = Portal::start_with(Emulator::builder(), seed);
    let hook = portal.webhook();
    let first = b24(&["--webhook", &hook, "sonet_group.get"]).json();
    assert_eq!(first.as_array().unwrap().len(), 50);
    let ids_of = |run: Run| -> Vec<u64> {
        assert_eq!(run.status, 0, "{}", run.stderr);
        run.json()
            .as_array()
            .unwrap()
            .iter()
            .map(|group| group["ID"].as_str().unwrap().parse().unwrap())
            .collect()
    };
    // Chained keyset pages by default: the first page alone, then the
    // other two in one batch, by ascending ID.
    let before = portal.requests();
    let all = ids_of(b24(&["--webhook", &hook, "sonet_group.get", "--all"]));
    assert!(all.len() > 100, "{}", all.len());
    assert!(
        all.windows(2).all(|pair| pair[0] < pair[1]),
        "no item twice"
    );
    assert_eq!(portal.requests() - before, 2);
    // Every strategy reads the same items, in its own number of requests.
    for (strategy, requests) in [
        ("chained", 2),
        ("keyset", 3),
        ("batched", 2),
        ("classic", 3),
    ] {
        let before = portal.requests();
        let mut ids = ids_of(b24(&[
            "--webhook",
            &hook,
            "sonet_group.get",
            "--all",
            "--paging",
            strategy,
        ]));
        assert_eq!(portal.requests() - before, requests, "{strategy}");
        ids.sort_unstable();
        assert_eq!(ids, all, "{strategy}");
    }
    // A strategy that needs the key refuses another sort order before
    // anything is sent; auto falls back to offsets.
    let before = portal.requests();
    let refused = b24(&[
        "--webhook",
        &hook,
        "sonet_group.get",
        "--ORDER",
        r#"{"NAME": "ASC"}"#,
        "--all",
        "--paging",
        "chained",
    ]);
    assert_eq!(refused.status, 2, "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("sonet_group.get cannot be walked by key"),
        "{}",
        refused.stderr
    );
    assert_eq!(portal.requests(), before);
    let by_name = ids_of(b24(&[
        "--webhook",
        &hook,
        "sonet_group.get",
        "--ORDER",
        r#"{"NAME": "ASC"}"#,
        "--all",
    ]));
    assert_eq!(by_name.len(), all.len());
    for wrong in [
        &["--paging", "chained"][..],
        &["--all", "--paging", "sideways"],
    ] {
        let run = b24(&[&["--webhook", hook.as_str(), "sonet_group.get"], wrong].concat());
        assert_eq!(run.status, 2, "{wrong:?}: {}", run.stderr);
    }
}

#[test]
fn the_webhook_code_never_reaches_any_output() {
    let portal = Portal::demo();
    let right = portal.webhook();
    let wrong = format!("{}/rest/1/wrongHookZ8k2Lq/", portal.emulator.base_url());
    for verbose in [false, true] {
        let flags: &[&str] = if verbose { &["--verbose"] } else { &[] };
        let run = b24(&[
            flags,
            &["--webhook", &right, "sonet_group.user.get", "--ID", "1"],
        ]
        .concat());
        assert_eq!(run.status, 0, "{}", run.stderr);
        assert!(!run.shows(SECRET_CODE), "{}{}", run.stdout, run.stderr);
        if verbose {
            assert!(
                run.stderr.contains("sonet_group.user.get") && run.stderr.contains("status=200"),
                "{}",
                run.stderr
            );
        }

        let run = b24(&[
            flags,
            &["--webhook", &wrong, "sonet_group.user.get", "--ID", "1"],
        ]
        .concat());
        assert_eq!(run.status, 3, "{}", run.stderr);
        assert!(
            !run.shows("wrongHookZ8k2Lq"),
            "{}{}",
            run.stdout,
            run.stderr
        );

        let run = b24(&[
            flags,
            &["--webhook", &right, "sonet_group.user.get", "--ID", "999"],
        ]
        .concat());
        assert!(!run.shows(SECRET_CODE), "{}", run.stderr);

        let run = b24_with(
            &[flags, &["batch", "-"]].concat(),
            &[("B24_WEBHOOK_URL", &wrong)],
            Some(r#"{"method": "sonet_group.user.get", "params": {"ID": 1}}"#),
        );
        assert_eq!(run.status, 3, "{}", run.stderr);
        assert!(
            !run.shows("wrongHookZ8k2Lq"),
            "{}{}",
            run.stdout,
            run.stderr
        );
    }
    let help = b24_with(&["--help"], &[("B24_WEBHOOK_URL", &right)], None);
    assert_eq!(help.status, 0);
    assert!(
        !help.shows(SECRET_CODE),
        "the environment's value is not shown in help"
    );
    let typo = b24(&[
        "--webhook",
        &right,
        "sonet_group.user.get",
        "--ID",
        "1",
        "--webhok",
        &right,
    ]);
    assert_eq!(typo.status, 2);
    assert!(!typo.shows(SECRET_CODE), "{}", typo.stderr);
}

#[test]
fn oauth_tokens_come_from_the_environment_and_are_refreshed_into_the_token_file() {
    let portal = Portal::start(Emulator::builder().token_lifetime(Duration::from_secs(60)));
    let oauth = portal
        .emulator
        .oauth()
        .expect("the demo has an OAuth application");
    let file = std::env::temp_dir().join(format!("b24-tokens-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&file);
    let env = [
        ("B24_PORTAL_URL", oauth.client_endpoint.as_str()),
        ("B24_ACCESS_TOKEN", oauth.access_token.expose()),
        ("B24_REFRESH_TOKEN", oauth.refresh_token.expose()),
        ("B24_CLIENT_ID", oauth.client_id.as_str()),
        ("B24_CLIENT_SECRET", oauth.client_secret.expose()),
        ("B24_OAUTH_SERVER", oauth.token_url.as_str()),
        ("B24_TOKEN_FILE", file.to_str().unwrap()),
    ];
    let run = b24_with(&["sonet_group.user.get", "--ID", "1"], &env, None);
    assert_eq!(run.status, 0, "{}", run.stderr);

    // A staged file a crash left behind, readable by anyone, is not reused.
    let staged = file.with_extension("new");
    std::fs::write(&staged, "stale").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(0o644)).unwrap();
    }

    // The access token expires; the next call refreshes it and keeps the new pair.
    portal.emulator.advance(Duration::from_secs(120));
    let run = b24_with(
        &["--verbose", "sonet_group.user.get", "--ID", "1"],
        &env,
        None,
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    for secret in [
        oauth.access_token.expose(),
        oauth.refresh_token.expose(),
        oauth.client_secret.expose(),
    ] {
        assert!(!run.shows(secret), "{}", run.stderr);
    }
    let saved: Value =
        serde_json::from_slice(&std::fs::read(&file).expect("the new pair is saved")).unwrap();
    let fresh = portal.emulator.oauth().unwrap();
    assert_eq!(saved["access_token"], fresh.access_token.expose());
    assert_eq!(saved["refresh_token"], fresh.refresh_token.expose());
    assert_ne!(fresh.refresh_token.expose(), oauth.refresh_token.expose());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the tokens are for their owner alone");
    }
    assert!(!staged.exists(), "the staged file became the token file");

    // A token file its owner made narrower stays so after the next refresh.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o400)).unwrap();
        portal.emulator.advance(Duration::from_secs(120));
        let run = b24_with(&["sonet_group.user.get", "--ID", "1"], &env, None);
        assert_eq!(run.status, 0, "{}", run.stderr);
        let saved: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        let fresh = portal.emulator.oauth().unwrap();
        assert_eq!(
            saved["access_token"],
            fresh.access_token.expose(),
            "refreshed"
        );
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o400, "a token file's mode is never widened");
    }

    // With the file, the environment's old tokens are not needed.
    let file_only = [env[0], env[3], env[4], env[5], env[6]];
    let run = b24_with(&["sonet_group.user.get", "--ID", "1"], &file_only, None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    std::fs::remove_file(&file).unwrap();
}

#[test]
fn methods_lists_what_it_knows_and_help_shows_the_schema() {
    let all = b24(&["methods"]);
    assert_eq!(all.status, 0);
    assert!(
        all.stdout
            .lines()
            .any(|line| line.starts_with("sonet_group.user.get "))
    );
    assert!(all.stdout.lines().count() >= 22);
    let family = b24(&["methods", "--family", "sonet_group"]);
    assert!(
        family
            .stdout
            .lines()
            .all(|line| line.starts_with("sonet_group."))
    );
    assert_eq!(b24(&["methods", "--family", "nope"]).status, 2);

    let help = b24(&["sonet_group.user.update", "--help"]);
    assert_eq!(help.status, 0);
    for shown in [
        "--GROUP_ID",
        "--group-id",
        "[required]",
        "Possible values:",
        "- E:",
        "- K:",
        "apidocs.bitrix24.com",
        "Safe to send twice: yes",
    ] {
        assert!(help.stdout.contains(shown), "{shown}: {}", help.stdout);
    }
    let completions = b24(&["completions", "bash"]);
    assert_eq!(completions.status, 0);
    assert!(completions.stdout.contains("sonet_group.user.get"));
}

#[test]
fn call_sends_any_method_as_it_is() {
    let portal = Portal::demo();
    let run = b24(&[
        "--webhook",
        &portal.webhook(),
        "call",
        "sonet_group.user.get",
        "--params",
        r#"{"ID": 1}"#,
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.json().is_array());
    let unknown = b24(&["--webhook", &portal.webhook(), "call", "no.such.method"]);
    assert_eq!(
        unknown.status, 1,
        "the portal's own error: {}",
        unknown.stderr
    );
}

/// A folder of its own for a test's profiles, removed first.
fn config_dir(test: &str) -> std::path::PathBuf {
    let folder = std::env::temp_dir().join(format!("b24-config-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    folder
}

#[test]
fn profiles_are_saved_for_their_owner_listed_without_secrets_and_picked() {
    let portal = Portal::demo();
    let hook = portal.webhook();
    let wrong = format!("{}/rest/1/wrongHookZ8k2Lq/", portal.emulator.base_url());
    let folder = config_dir("profiles");
    let dir = folder.join("b24");
    let dir_text = dir.to_str().unwrap();
    let with = |args: &[&str], extra: &[(&str, &str)]| {
        let env: Vec<(&str, &str)> = [("B24_CONFIG_DIR", dir_text)]
            .into_iter()
            .chain(extra.iter().copied())
            .collect();
        let run = b24_with(args, &env, None);
        for secret in [SECRET_CODE, "wrongHookZ8k2Lq"] {
            assert!(!run.shows(secret), "{args:?}: {}{}", run.stdout, run.stderr);
        }
        run
    };
    let run = with(&["auth", "add", "work", "--webhook", &hook], &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stderr.contains("the default profile"), "{}", run.stderr);
    let run = with(&["auth", "add", "other"], &[("B24_WEBHOOK_URL", &wrong)]);
    assert_eq!(
        run.status, 0,
        "the webhook from the environment: {}",
        run.stderr
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode =
            |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("config.toml")), 0o600);
    }
    let saved = std::fs::read_to_string(dir.join("config.toml")).unwrap();
    assert!(saved.contains("default = \"work\""), "{saved}");

    let list = with(&["auth", "list"], &[]);
    assert_eq!(list.status, 0, "{}", list.stderr);
    let host = portal.emulator.base_url().replace("http://", "");
    let host = host.trim_end_matches('/');
    let lines: Vec<&str> = list.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", list.stdout);
    assert!(lines[0].starts_with("NAME"), "{}", list.stdout);
    assert!(
        lines[1].starts_with("other") && lines[1].contains(host),
        "{}",
        list.stdout
    );
    assert!(
        lines[2].starts_with("work") && lines[2].ends_with('*'),
        "{}",
        list.stdout
    );

    // The default profile, another by --profile or B24_PROFILE.
    let call = ["sonet_group.user.get", "--ID", "1"];
    assert_eq!(with(&call, &[]).status, 0);
    assert_eq!(
        with(&[&["--profile", "other"][..], &call].concat(), &[]).status,
        3
    );
    assert_eq!(with(&call, &[("B24_PROFILE", "other")]).status, 3);
    // --webhook and B24_WEBHOOK_URL win over any profile.
    assert_eq!(
        with(
            &[&["--profile", "work", "--webhook", &wrong][..], &call].concat(),
            &[]
        )
        .status,
        3
    );
    assert_eq!(
        with(
            &[&["--profile", "other"][..], &call].concat(),
            &[("B24_WEBHOOK_URL", &hook)]
        )
        .status,
        0
    );
    let missing = with(&[&["--profile", "nope"][..], &call].concat(), &[]);
    assert_eq!(missing.status, 2);
    assert!(
        missing.stderr.contains("no profile \"nope\""),
        "{}",
        missing.stderr
    );

    assert_eq!(with(&["auth", "default", "other"], &[]).status, 0);
    assert_eq!(with(&call, &[]).status, 3, "the new default");
    assert_eq!(
        with(&["auth", "add", "work", "--webhook", &hook], &[]).status,
        2,
        "taken"
    );
    assert_eq!(
        with(&["auth", "add", "bad name", "--webhook", &hook], &[]).status,
        2
    );
    assert_eq!(
        with(
            &[
                "auth",
                "add",
                "x",
                "--webhook",
                "http://portal.example.com/rest/1/abc/"
            ],
            &[]
        )
        .status,
        2
    );
    let removed = with(&["auth", "remove", "other"], &[]);
    assert_eq!(removed.status, 0, "{}", removed.stderr);
    assert_eq!(with(&["auth", "remove", "other"], &[]).status, 2);
    let no_default = with(&call, &[]);
    assert_eq!(
        no_default.status, 2,
        "no default left: {}",
        no_default.stderr
    );
    assert_eq!(
        with(&[&["--profile", "work"][..], &call].concat(), &[]).status,
        0
    );
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn a_profiles_file_others_may_read_or_malformed_is_refused_before_anything_is_sent() {
    let portal = Portal::demo();
    let folder = config_dir("refused");
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join("config.toml");
    let env = [("B24_CONFIG_DIR", folder.to_str().unwrap())];
    let call = ["sonet_group.user.get", "--ID", "1"];
    let write = |text: &str, mode: u32| {
        std::fs::write(&file, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
        }
        #[cfg(not(unix))]
        let _ = mode;
    };
    let good = format!(
        "default = \"work\"\n\n[profiles.work]\nwebhook = \"{}\"\n",
        portal.webhook()
    );
    #[cfg(unix)]
    {
        write(&good, 0o644);
        let run = b24_with(&call, &env, None);
        assert_eq!(run.status, 2, "{}", run.stderr);
        assert!(run.stderr.contains("chmod 600"), "{}", run.stderr);
    }
    for (text, line) in [
        (good.replace("webhook =", "webhok ="), 4),
        (
            format!(
                "{good}\n[profiles.two]\nwebhook = [\"{}\"]\n",
                portal.webhook()
            ),
            7,
        ),
        ("default = \"work\"\n[profiles.work\n".to_owned(), 2),
        (
            format!("[profiles.work]\nwebhook = {{ url = \"{SECRET_CODE}\" }}\n"),
            2,
        ),
    ] {
        write(&text, 0o600);
        let run = b24_with(&call, &env, None);
        assert_eq!(run.status, 2, "{text}: {}", run.stderr);
        let place = format!("{}:{line}:", file.display());
        assert!(run.stderr.contains(&place), "{place}: {}", run.stderr);
        assert!(!run.shows(SECRET_CODE), "{}", run.stderr);
    }
    write(&good, 0o600);
    assert_eq!(b24_with(&call, &env, None).status, 0);
    assert_eq!(portal.requests(), 1, "only the good file's call was sent");
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn lists_print_as_json_lines_csv_or_a_table_with_the_columns_asked_for() {
    let seed = Seed::demo().with_generated_groups(125).unwrap();
    let portal = Portal::start_with(Emulator::builder(), seed);
    let hook = portal.webhook();
    let run = |args: &[&str]| {
        let run = b24(&[&["--webhook", hook.as_str(), "sonet_group.get"][..], args].concat());
        assert_eq!(run.status, 0, "{args:?}: {}", run.stderr);
        run.stdout
    };
    let all: Vec<Value> = serde_json::from_str::<Value>(&run(&["--all"]))
        .unwrap()
        .as_array()
        .unwrap()
        .clone();

    let lines = run(&["--all", "--output", "jsonl"]);
    let items: Vec<Value> = lines
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(items, all, "one item a line");

    let picked = run(&["--all", "--output", "jsonl", "--columns", "NAME,ID"]);
    let first: Value = serde_json::from_str(picked.lines().next().unwrap()).unwrap();
    assert_eq!(
        first,
        serde_json::json!({"NAME": all[0]["NAME"], "ID": all[0]["ID"]})
    );
    assert_eq!(picked.lines().count(), all.len());
    let json: Value = serde_json::from_str(&run(&["--all", "--columns", "ID"])).unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .all(|item| item.as_object().unwrap().len() == 1)
    );
    let json: Value = serde_json::from_str(&run(&["--columns", "ID"])).unwrap();
    assert_eq!(
        json.as_array().unwrap().len(),
        50,
        "one page, the columns kept"
    );
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .all(|item| item.as_object().unwrap().len() == 1)
    );

    let csv = run(&[
        "--all",
        "--output",
        "csv",
        "--columns",
        "ID,NAME,DESCRIPTION",
    ]);
    let mut rows = csv.lines();
    assert_eq!(rows.next(), Some("ID,NAME,DESCRIPTION"));
    assert_eq!(csv.lines().count(), all.len() + 1, "{csv}");
    // Without --columns, the header is every key of the first page.
    let csv = run(&["--output", "csv"]);
    let header = csv.lines().next().unwrap();
    assert!(
        header.starts_with("ID,") && header.contains("NAME"),
        "{header}"
    );

    let table = run(&["--all", "--output", "table", "--columns", "ID,NAME"]);
    let header: Vec<&str> = table.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["ID", "NAME"]);
    assert_eq!(table.lines().count(), all.len() + 1);
}
