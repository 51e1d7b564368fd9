//! The binary: usage errors before starting, seed errors, generated records, and real runs.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_bitrix24-emulator");

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(BIN).args(args).output().expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_command_lines_are_usage_errors() {
    for args in [
        &["--port", "abc"][..],
        &["--time-scale", "0"],
        &["--fault", "boom:after:0.1"],
        &["--host", "10.1.2.3"],
        &["--rate-burst", "0"],
        &["--bogus"],
        &["--groups", "-1"],
        &["--users", "some"],
        &["--header-timeout", "0"],
        &["--idle-timeout", "-1"],
        &["--idle-timeout", "1e300"],
        &["--max-connections", "0"],
        &["--log-capacity", "0"],
    ] {
        let (code, stderr) = run(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
    }
    for flag in ["--users", "--groups"] {
        let (code, stderr) = run(&[flag, "1000001"]);
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains(&format!(
                "invalid value '1000001' for '{flag} <N>': 1000001 is not in 0..=1000000"
            )),
            "{stderr}"
        );
    }
}

/// The binary on a free port, killed on drop, with its banner up to "Press Ctrl-C".
struct Running {
    child: Child,
    banner: Vec<String>,
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let mut child = Command::new(BIN)
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("binary starts");
        let mut banner = Vec::new();
        for line in BufReader::new(child.stdout.take().unwrap()).lines() {
            let line = line.unwrap();
            let done = line.starts_with("Press Ctrl-C");
            banner.push(line);
            if done {
                break;
            }
        }
        Running { child, banner }
    }

    /// The rest of the banner line starting with `prefix`.
    fn line(&self, prefix: &str) -> Option<&str> {
        self.banner.iter().find_map(|l| l.strip_prefix(prefix))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn call(webhook: &str, method: &str, params: serde_json::Value) -> serde_json::Value {
    reqwest::Client::new()
        .post(format!("{webhook}{method}"))
        .json(&params)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn generated_users_and_groups_join_the_demo() {
    let portal = Running::start(&["--users", "3", "--groups", "2"]);
    assert_eq!(
        portal.line("Generated users: "),
        Some("12-14"),
        "{:?}",
        portal.banner
    );
    assert_eq!(
        portal.line("Generated groups: "),
        Some("8-9, owned by user 1")
    );
    // The demo admin's webhook still works and sees the new groups (not the hidden 6).
    let webhook = portal.line("Webhook URL: ").expect("webhook line");
    let groups = call(webhook, "sonet_group.get", serde_json::json!({})).await;
    assert_eq!(groups["total"], 8, "{groups}");
    assert_eq!(groups["result"][0]["NAME"], "Group 9");
    let added = call(
        webhook,
        "sonet_group.user.add",
        serde_json::json!({"GROUP_ID": 9, "USER_ID": [14, 15]}),
    )
    .await;
    assert_eq!(added["result"], serde_json::json!(["14"]), "{added}");
}

#[tokio::test]
async fn generated_records_follow_a_seed_file() {
    let dir = std::env::temp_dir().join(format!("emulator-cli-gen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("seed.json");
    std::fs::write(&file, r#"{"users":[{"id":40,"name":"A"}],"groups":[{"id":5,"name":"G","opened":true,"visible":true,"owner":40}],"webhooks":[{"user":40,"code":"hook40","scopes":["sonet_group"]}]}"#).unwrap();
    let seed = file.to_str().unwrap();
    let portal = Running::start(&["--seed", seed, "--users", "2", "--groups", "1"]);
    assert_eq!(portal.line("Generated users: "), Some("41-42"));
    assert_eq!(
        portal.line("Generated groups: "),
        Some("6-6, owned by user 40")
    );
    let webhook = portal.line("Webhook URL: ").unwrap();
    let members = call(
        webhook,
        "sonet_group.user.get",
        serde_json::json!({"ID": 6}),
    )
    .await;
    assert_eq!(
        members["result"],
        serde_json::json!([{"USER_ID": "40", "ROLE": "A"}])
    );
    drop(portal);

    // Nobody to own generated groups: a seed error, before anything starts.
    std::fs::write(&file, r#"{"users":[],"groups":[]}"#).unwrap();
    let (code, stderr) = run(&["--port", "0", "--seed", seed, "--groups", "1"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("generated groups need an owner"),
        "{stderr}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn seed_errors_are_reported() {
    let dir = std::env::temp_dir().join(format!("emulator-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"users":[{"id":1,"name":"A"}],"groups":[{"id":1,"name":"G","opened":true,"visible":true,"owner":2}]}"#).unwrap();
    let (code, stderr) = run(&["--port", "0", "--seed", bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("group 1 owner refers to unknown user 2"),
        "{stderr}"
    );
    let (code, stderr) = run(&[
        "--port",
        "0",
        "--seed",
        dir.join("missing.json").to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("cannot read seed file"), "{stderr}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn prints_a_working_webhook() {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--tls"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut webhook = None;
    let mut pem_path = None;
    for line in lines.by_ref().take(12) {
        let line = line.unwrap();
        if let Some(url) = line.strip_prefix("Webhook URL: ") {
            webhook = Some(url.to_owned());
        }
        if let Some(path) = line.strip_prefix("TLS certificate (PEM): ") {
            pem_path = Some(path.to_owned());
        }
        if line.starts_with("Press Ctrl-C") {
            break;
        }
    }
    let webhook = webhook.expect("webhook line");
    assert!(
        webhook.starts_with("https://127.0.0.1:") && webhook.ends_with('/'),
        "{webhook}"
    );
    let pem_path = pem_path.expect("certificate line");
    let pem = std::fs::read(&pem_path).unwrap();
    let client = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(&pem).unwrap()])
        .build()
        .unwrap();
    let body: serde_json::Value = client
        .get(format!("{webhook}sonet_group.user.get?ID=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    // SIGKILL leaves no chance to clean up.
    let _ = std::fs::remove_file(&pem_path);
    assert_eq!(
        body["result"][0],
        serde_json::json!({"USER_ID": "1", "ROLE": "A"})
    );
}

/// The certificate file stayed in the temporary folder after the process was stopped.
#[test]
#[cfg(unix)]
fn the_certificate_file_is_removed_on_every_stop_signal() {
    for signal in ["TERM", "INT", "HUP"] {
        let running = Running::start(&["--tls"]);
        let path = std::path::PathBuf::from(
            running
                .line("TLS certificate (PEM): ")
                .expect("certificate line"),
        );
        assert!(path.exists(), "{}", path.display());
        let mut running = running;
        let pid = running.child.id().to_string();
        let sent = Command::new("kill")
            .args(["-s", signal, &pid])
            .status()
            .expect("kill runs");
        assert!(sent.success());
        let status = running.child.wait().unwrap();
        assert!(status.success(), "SIG{signal}: {status:?}");
        assert!(!path.exists(), "SIG{signal} left {}", path.display());
    }
}

/// CPU seconds (user + system) the process has used so far.
#[cfg(target_os = "linux")]
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    // USER_HZ is 100 on every Linux the tests run on.
    ticks / 100.0
}

/// At the file-descriptor limit every accept failed at once and the loop spun a core at
/// 100%. Measured on the real process: its CPU time over half a second of wall time while clients
/// keep it at the limit (this needs wall time; no clock of the test can stand in for it).
#[test]
#[cfg(target_os = "linux")]
fn the_accept_loop_idles_at_the_descriptor_limit() {
    let mut child = Command::new("bash")
        .args(["-c", &format!("ulimit -n 24 && exec {BIN} --port 0")])
        .stdout(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut webhook = None;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if let Some(url) = line.strip_prefix("Webhook URL: ") {
            webhook = Some(url.to_owned());
        }
        if line.starts_with("Press Ctrl-C") {
            break;
        }
    }
    let webhook = webhook.expect("webhook line");
    let addr = webhook
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_owned();
    let clients: Vec<std::net::TcpStream> = (0..40)
        .map(|_| std::net::TcpStream::connect(&addr).unwrap())
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let before = cpu_seconds(child.id());
    let started = std::time::Instant::now();
    // Half a second is 50 clock ticks: a spinning loop shows as about 100%.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let used = (cpu_seconds(child.id()) - before) / started.elapsed().as_secs_f64();
    drop(clients);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(used < 0.3, "the server used {:.0}% of a core", used * 100.0);
}
