//! Hostile and oversized input over real HTTP: the server answers (never crashes), the log
//! stays bounded and masked.

mod common;

use std::time::Duration;

use bitrix24_emulator::Emulator;
use common::{result, start, start_with};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::Instant;

/// A few thousand nested brackets overflowed the stack and killed the process; now the
/// variable is dropped (PHP's `max_input_nesting_level`) and the server keeps serving.
#[tokio::test]
async fn deeply_nested_brackets_do_not_kill_the_server() {
    let p = start().await;
    for depth in [3_000, 100_000] {
        let body = format!("ID=1&a{}=1", "[]".repeat(depth));
        let (status, answer) = p.form("sonet_group.user.get", &body).await;
        assert_eq!(status, 200, "{answer}");
        assert!(answer["result"].is_array(), "{answer}");
    }
    // In the query string too (as long as the head fits hyper's buffer).
    let url = format!(
        "{}sonet_group.user.get?ID=1&a{}=1",
        p.emu.webhook_url(),
        "[x]".repeat(2_000)
    );
    let (status, _) = p.get(&url).await;
    assert_eq!(status, 200);
    // And inside a batch command.
    let cmd = format!("sonet_group.user.get?ID=1&a{}=1", "[]".repeat(50_000));
    let answer = result(p.call("batch", json!({"cmd": {"a": cmd}})).await);
    assert!(answer["result"]["a"].is_array(), "{answer}");
    // JSON up to serde_json's 128 levels is decoded (and logged) without trouble; deeper JSON
    // is invalid, so no parameters: the group ID is missing.
    for (depth, status) in [(120, 200), (100_000, 400)] {
        let body = format!(
            r#"{{"ID":1,"DEEP":{}1{}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let response = p
            .http
            .post(format!("{}sonet_group.user.get", p.emu.webhook_url()))
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status, "depth {depth}");
    }
    let (status, _) = p.call("sonet_group.user.get", json!({"ID": 1})).await;
    assert_eq!(status, 200);
}

/// A body past the limit is not decoded: the request runs without its parameters.
#[tokio::test]
async fn oversized_bodies_are_ignored() {
    let p = start_with(Emulator::builder().max_body_bytes(1024)).await;
    let padding = "x".repeat(2048);
    let (status, answer) = p
        .form("sonet_group.user.get", &format!("ID=1&PAD={padding}"))
        .await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["error_description"], "Wrong socialnetwork group ID");
    let (status, _) = p.form("sonet_group.user.get", "ID=1").await;
    assert_eq!(status, 200);
}

/// The log kept every request forever and `/_emulator/log` serialised all of it.
#[tokio::test]
async fn the_log_is_a_bounded_ring_of_capped_entries() {
    let p = start_with(Emulator::builder().log_capacity(3)).await;
    let big = "y".repeat(100_000);
    for _ in 0..5 {
        let (status, _) = p
            .call("sonet_group.user.get", json!({"ID": 1, "BIG": big}))
            .await;
        assert_eq!(status, 200);
    }
    let log = p.emu.log();
    assert_eq!(log.iter().map(|e| e.seq).collect::<Vec<_>>(), [3, 4, 5]);
    let logged = log[0].params["BIG"].as_str().unwrap();
    assert!(
        logged.len() < 4200 && logged.starts_with("yyyy"),
        "{}",
        logged.len()
    );
    assert_eq!(log[0].params["ID"], 1);
    assert_eq!(p.emu.counters().requests, 5);
    let (status, served) = p.get(&format!("{}/_emulator/log", p.emu.base_url())).await;
    assert_eq!(status, 200);
    assert_eq!(served.as_array().unwrap().len(), 3);
}

/// Batch commands were logged with their access tokens in plain text.
#[tokio::test]
async fn tokens_inside_batch_commands_are_masked() {
    let p = start().await;
    let app = p.emu.oauth().expect("demo app");
    let token = app.access_token.expose().to_owned();
    let response = p
        .http
        .post(format!("{}batch", app.client_endpoint))
        .json(&json!({
            "auth": token,
            "cmd": {
                "a": format!("user.current?auth={token}"),
                "b": format!("sonet_group.user.get?ID=1&access_token={token}"),
                "c": "sonet_group.user.get?ID=1&refresh_token=r3fr3sh",
            }
        }))
        .send()
        .await
        .unwrap();
    let (status, answer) = common::read(response).await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer["result"]["result"]["a"].is_object(), "{answer}");
    let log = p.emu.log();
    let text = serde_json::to_string(&log).unwrap();
    assert!(!text.contains(&token), "{text}");
    assert!(!text.contains("r3fr3sh"), "{text}");
    let outer = log.iter().find(|e| e.method == "batch").unwrap();
    assert_eq!(outer.params["cmd"]["a"], "user.current?auth=***");
    assert_eq!(log.iter().filter(|e| e.in_batch).count(), 3);
    let served = p
        .http
        .get(format!("{}/_emulator/log", p.emu.base_url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!served.contains(&token));
}

async fn connect(p: &common::Portal) -> tokio::net::TcpStream {
    tokio::net::TcpStream::connect(p.emu.addr()).await.unwrap()
}

/// Reads until the server closes; returns what came and how long it took on tokio's clock
/// (paused in the tests that measure, so the waits pass at once). Panics after `within`: a
/// connection that is never closed is the defect under test.
async fn until_closed(stream: &mut tokio::net::TcpStream, within: Duration) -> (Vec<u8>, Duration) {
    let started = Instant::now();
    let mut received = Vec::new();
    let read = tokio::time::timeout(within, stream.read_to_end(&mut received)).await;
    assert!(read.is_ok(), "still open after {within:?}");
    (received, started.elapsed())
}

/// A connection that never finished its headers stayed open forever, and so did an idle one.
#[tokio::test(start_paused = true)]
async fn slow_heads_and_idle_connections_are_closed() {
    let header = Duration::from_millis(200);
    let idle = Duration::from_secs(2);
    let p = start_with(
        Emulator::builder()
            .header_read_timeout(header)
            .idle_timeout(idle),
    )
    .await;
    let mut silent = connect(&p).await;
    let mut slow = connect(&p).await;
    slow.write_all(b"GET /_emulator/counters HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let (silent_result, slow_result) = tokio::join!(
        until_closed(&mut silent, Duration::from_secs(10)),
        until_closed(&mut slow, Duration::from_secs(10)),
    );
    let (_, slow_after) = slow_result;
    assert!(slow_after >= header && slow_after < idle, "{slow_after:?}");
    // No byte sent: that is idleness, not a slow head.
    let (_, silent_after) = silent_result;
    assert!(silent_after >= idle, "{silent_after:?}");

    // After a complete exchange a keep-alive connection is closed once idle.
    let mut kept = connect(&p).await;
    kept.write_all(b"GET /_emulator/counters HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (answer, after) = until_closed(&mut kept, Duration::from_secs(10)).await;
    assert!(answer.starts_with(b"HTTP/1.1 200 OK"), "{answer:?}");
    assert!(after >= idle, "{after:?}");
}

/// At most `max_connections` are served; the next waits until one closes.
#[tokio::test(start_paused = true)]
async fn connections_beyond_the_limit_wait() {
    let p = start_with(Emulator::builder().max_connections(1)).await;
    let mut first = connect(&p).await;
    first
        .write_all(b"GET /_emulator/counters HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 15];
    first.read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"HTTP/1.1 200 OK");
    let mut second = connect(&p).await;
    second
        .write_all(b"GET /_emulator/counters HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut byte = [0u8; 1];
    let early = tokio::time::timeout(Duration::from_millis(300), second.read(&mut byte)).await;
    assert!(early.is_err(), "served beyond the limit");
    drop(first);
    let (answer, _) = until_closed(&mut second, Duration::from_secs(10)).await;
    assert!(answer.starts_with(b"HTTP/1.1 200 OK"), "{answer:?}");
}

/// A body that never finishes held its connection (and its slot) forever; it now counts as
/// absent after the idle timeout and the request is answered.
#[tokio::test(start_paused = true)]
async fn a_body_that_never_arrives_is_given_up() {
    let idle = Duration::from_millis(500);
    let p = start_with(Emulator::builder().idle_timeout(idle)).await;
    let path = p.emu.webhook_url().replacen(p.emu.base_url(), "", 1);
    let mut stream = connect(&p).await;
    let head = format!(
        "POST {path}sonet_group.user.get HTTP/1.1\r\nHost: x\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nID=1"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let (answer, after) = until_closed(&mut stream, Duration::from_secs(10)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("Wrong socialnetwork group ID"), "{answer}");
    assert!(after >= idle, "{after:?}");
}
