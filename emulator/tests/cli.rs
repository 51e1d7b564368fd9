//! The binary: usage errors before starting, seed errors, and a real run.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

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
    ] {
        let (code, stderr) = run(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
    }
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
    let pem = std::fs::read(pem_path.expect("certificate line")).unwrap();
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
    assert_eq!(
        body["result"][0],
        serde_json::json!({"USER_ID": "1", "ROLE": "A"})
    );
}
