//! `b24` against a loopback portal that records every request: which REST
//! version's address each method goes to, the `Idempotency-Key` of REST 3.0
//! writes (the same key again after a lost answer), what a batch and
//! `--v3` refuse before anything is sent, and what `--dry-run` shows
//! without sending.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

/// A webhook code no output may show.
const CODE: &str = "v3HookSecret8Kq2";

/// The largest request head or body the portal reads.
const MAX_BYTES: usize = 1 << 20;

/// One request the portal read.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    headers: BTreeMap<String, String>,
    body: Value,
}

/// What the portal does with a request: answer it, or close the
/// connection without an answer (an answer lost after the method ran).
enum Reply {
    Answer(u16, Value),
    Lose,
}

/// A portal that records requests and answers each through a closure of
/// the request and how many came before it.
struct Portal {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Portal {
    fn start(reply: impl Fn(&Seen, usize) -> Reply + Send + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let Some(request) = read_request(&stream) else {
                    continue;
                };
                let count = {
                    let mut all = recorded.lock().unwrap();
                    all.push(request.clone());
                    all.len() - 1
                };
                match reply(&request, count) {
                    Reply::Answer(status, body) => answer(stream, status, &body),
                    Reply::Lose => drop(stream),
                }
            }
        });
        Self { base, seen }
    }

    fn webhook(&self) -> String {
        format!("{}/rest/1/{CODE}/", self.base)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn read_request(stream: &TcpStream) -> Option<Seen> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream.take(MAX_BYTES as u64));
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let path = line.split_whitespace().nth(1)?.to_owned();
    let mut headers = BTreeMap::new();
    loop {
        line.clear();
        reader.read_line(&mut line).ok()?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
    }
    let length: usize = headers.get("content-length")?.parse().ok()?;
    let mut body = vec![0; length.min(MAX_BYTES)];
    reader.read_exact(&mut body).ok()?;
    Some(Seen {
        path,
        headers,
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
    })
}

fn answer(mut stream: TcpStream, status: u16, body: &Value) {
    let body = body.to_string();
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

fn time() -> Value {
    json!({"start": 1.0, "finish": 1.1, "duration": 0.1, "processing": 0.0,
           "date_start": "2026-01-30T15:52:33+03:00", "date_finish": "2026-01-30T15:52:33+03:00",
           "operating_reset_at": 1_769_778_153, "operating": 0})
}

fn ok(result: Value) -> Reply {
    Reply::Answer(200, json!({"result": result, "time": time()}))
}

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

fn b24(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_b24"))
        .args(args)
        .env_remove("B24_WEBHOOK_URL")
        .env_remove("B24_PORTAL_URL")
        .env_remove("B24_PROFILE")
        .env(
            "B24_CONFIG_DIR",
            std::env::temp_dir().join("b24-tests-no-profiles"),
        )
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    let run = Run {
        status: output.status.code().expect("the binary exits"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    assert!(
        !run.stdout.contains(CODE) && !run.stderr.contains(CODE),
        "the webhook code leaked: {} {}",
        run.stdout,
        run.stderr
    );
    run
}

/// A batch file of `lines` in a folder of its own, named after the test;
/// the folder is the caller's to remove.
fn batch_file(test: &str, lines: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("b24-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("commands.jsonl");
    std::fs::write(&file, lines).unwrap();
    (dir, file)
}

/// A key the documentation allows: 1 to 255 printable ASCII characters.
fn is_valid_key(key: &str) -> bool {
    (1..=255).contains(&key.len()) && key.bytes().all(|byte| (0x20..0x7f).contains(&byte))
}

#[test]
fn a_rest_3_read_goes_to_rest_api_without_a_key_and_prints_its_answer() {
    let portal = Portal::start(|_, _| {
        ok(
            json!({"item": {"id": 839, "severity": "SECURITY", "auditTypeId": "USER_AUTHORIZE",
                          "timestampX": "2026-01-30T15:50:24+03:00", "userId": 1}}),
        )
    });
    let run = b24(&[
        "--webhook",
        &portal.webhook(),
        "main.eventlog.get",
        "--id",
        "1250",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let printed: Value = serde_json::from_str(&run.stdout).expect("JSON out");
    assert_eq!(printed["item"]["id"], 839);
    let seen = portal.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].path,
        format!("/rest/api/1/{CODE}/main.eventlog.get")
    );
    assert_eq!(seen[0].body, json!({"id": 1250}));
    assert_eq!(seen[0].headers["content-type"], "application/json");
    assert!(
        !seen[0].headers.contains_key("idempotency-key"),
        "a read sends no key"
    );
}

#[test]
fn a_rest_3_write_whose_answer_was_lost_is_sent_again_with_the_same_key() {
    let portal = Portal::start(|_, count| {
        if count == 0 {
            Reply::Lose
        } else {
            ok(json!({"item": {"id": 17, "name": "Sales"}}))
        }
    });
    let hook = portal.webhook();
    let add_node = || {
        b24(&[
            "--webhook",
            &hook,
            "humanresources.node.add",
            "--type",
            "DEPARTMENT",
            "--name",
            "Sales",
            "--parentId",
            "1",
        ])
    };
    let run = add_node();
    assert_eq!(run.status, 0, "{}", run.stderr);
    let seen = portal.seen();
    assert_eq!(seen.len(), 2, "sent again after the lost answer");
    let keys: Vec<&str> = seen
        .iter()
        .map(|request| request.headers["idempotency-key"].as_str())
        .collect();
    assert!(is_valid_key(keys[0]), "{keys:?}");
    assert_eq!(keys[0], keys[1], "one key for both attempts");
    for request in &seen {
        assert_eq!(
            request.path,
            format!("/rest/api/1/{CODE}/humanresources.node.add")
        );
        assert_eq!(
            request.body,
            json!({"type": "DEPARTMENT", "name": "Sales", "parentId": 1})
        );
    }

    // Another call is another key.
    let run = add_node();
    assert_eq!(run.status, 0, "{}", run.stderr);
    let seen = portal.seen();
    assert_ne!(seen[2].headers["idempotency-key"], keys[0]);
}

#[test]
fn a_name_both_versions_serve_is_rest_2_unless_v3_is_asked_for() {
    let portal = Portal::start(|request, _| {
        if request.path.starts_with("/rest/api/") {
            ok(json!({"result": true}))
        } else {
            ok(json!({"task": {"id": "5"}}))
        }
    });
    let run = b24(&[
        "--webhook",
        &portal.webhook(),
        "tasks.task.update",
        "--taskId",
        "5",
        "--fields",
        r#"{"TITLE": "Report"}"#,
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let run = b24(&[
        "--webhook",
        &portal.webhook(),
        "--v3",
        "tasks.task.update",
        "--id",
        "5",
        "--fields",
        r#"{"title": "Report"}"#,
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    // `--v3` among the method's flags picks the same form.
    let run = b24(&[
        "--webhook",
        &portal.webhook(),
        "tasks.task.update",
        "--id",
        "5",
        "--fields",
        r#"{"title": "Report"}"#,
        "--v3",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let seen = portal.seen();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].path, format!("/rest/1/{CODE}/tasks.task.update"));
    assert_eq!(
        seen[0].body,
        json!({"taskId": 5, "fields": {"TITLE": "Report"}})
    );
    assert!(
        !seen[0].headers.contains_key("idempotency-key"),
        "REST 2 sends no key"
    );
    for request in &seen[1..] {
        assert_eq!(
            request.path,
            format!("/rest/api/1/{CODE}/tasks.task.update")
        );
        assert_eq!(
            request.body,
            json!({"id": 5, "fields": {"title": "Report"}})
        );
        assert!(is_valid_key(&request.headers["idempotency-key"]));
    }
}

#[test]
fn what_rest_3_cannot_do_is_a_usage_error_before_anything_is_sent() {
    let portal = Portal::start(|_, _| ok(json!(true)));
    let hook = portal.webhook();
    // A method REST 3.0 does not serve.
    let run = b24(&[
        "--webhook",
        &hook,
        "--v3",
        "sonet_group.user.get",
        "--ID",
        "1",
    ]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no REST 3.0 form"), "{}", run.stderr);
    // A REST 3.0 method in a batch file.
    let (dir, file) = batch_file(
        "rest3",
        "{\"method\": \"sonet_group.user.get\", \"params\": {\"ID\": 1}}\n{\"method\": \"main.eventlog.get\", \"params\": {\"id\": 1}}\n",
    );
    let run = b24(&["--webhook", &hook, "batch", file.to_str().unwrap()]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(run.stderr.contains("line 2"), "{}", run.stderr);
    assert!(run.stderr.contains("REST 3.0"), "{}", run.stderr);
    // `--v3` does not make a batch of another kind.
    let run = b24(&["--webhook", &hook, "--v3", "batch", file.to_str().unwrap()]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(portal.seen().is_empty(), "{:?}", portal.seen());
}

#[test]
fn call_with_v3_sends_any_method_to_rest_api_with_a_key() {
    let portal = Portal::start(|_, _| ok(json!({"result": true})));
    let run = b24(&[
        "--webhook",
        &portal.webhook(),
        "--v3",
        "call",
        "some.new.method",
        "--params",
        r#"{"id": 3}"#,
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let run = b24(&["--webhook", &portal.webhook(), "call", "some.new.method"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let seen = portal.seen();
    assert_eq!(seen[0].path, format!("/rest/api/1/{CODE}/some.new.method"));
    assert_eq!(seen[0].body, json!({"id": 3}));
    assert!(is_valid_key(&seen[0].headers["idempotency-key"]));
    assert_eq!(seen[1].path, format!("/rest/1/{CODE}/some.new.method"));
    assert!(!seen[1].headers.contains_key("idempotency-key"));
}

#[test]
fn dry_run_prints_each_request_as_it_would_be_sent_and_sends_nothing() {
    let portal = Portal::start(|_, _| ok(json!(true)));
    let hook = portal.webhook();
    let run = b24(&[
        "--dry-run",
        "--webhook",
        &hook,
        "sonet_group.user.add",
        "--GROUP_ID",
        "3",
        "--USER_ID",
        "5",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!(
            "POST {}/rest/1/***/sonet_group.user.add\nContent-Type: application/json\n\n{}\n",
            portal.base,
            json!({"GROUP_ID": 3, "USER_ID": 5})
        )
    );
    // A REST 3.0 write: its address under /rest/api/, and a key.
    let run = b24(&[
        "--webhook",
        &hook,
        "--v3",
        "tasks.task.update",
        "--id",
        "5",
        "--fields",
        r#"{"title": "Report"}"#,
        "--dry-run",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!("POST {}/rest/api/1/***/tasks.task.update", portal.base)
    );
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("Idempotency-Key: "))
    );
    let body: Value = serde_json::from_str(lines.last().unwrap()).unwrap();
    assert_eq!(body, json!({"id": 5, "fields": {"title": "Report"}}));
    // --all shows the method's request; a batch file each line's.
    let run = b24(&["--webhook", &hook, "--dry-run", "sonet_group.get", "--all"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("POST "), "{}", run.stdout);
    let (dir, file) = batch_file(
        "dry-run",
        "{\"method\": \"sonet_group.user.get\", \"params\": {\"ID\": 1}}\n{\"method\": \"sonet_group.user.get\", \"params\": {\"ID\": 2}}\n",
    );
    let run = b24(&[
        "--webhook",
        &hook,
        "--dry-run",
        "batch",
        file.to_str().unwrap(),
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout.matches("POST ").count(), 2, "{}", run.stdout);
    assert!(portal.seen().is_empty(), "{:?}", portal.seen());
}
