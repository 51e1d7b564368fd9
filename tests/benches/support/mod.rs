//! A loopback server the client benchmarks call: keep-alive HTTP/1.1 that
//! answers every request with one `sonet_group.user.get` answer.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub const ANSWER: &str = r#"{"result":[{"USER_ID":"1269","ROLE":"A"},{"USER_ID":"1271","ROLE":"E"},{"USER_ID":"779","ROLE":"K"}],"time":{"start":1773850553,"finish":1773850553.261059,"duration":0.261059045791626,"processing":0,"date_start":"2026-03-18T19:15:53+02:00","date_finish":"2026-03-18T19:15:53+02:00","operating_reset_at":1773851153,"operating":0}}"#;

/// A keep-alive HTTP/1.1 server on its own thread that answers every request with [`ANSWER`].
pub fn start_server() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    listener.set_nonblocking(true).expect("non-blocking");
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let listener = TcpListener::from_std(listener).expect("listener");
            while let Ok((mut stream, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let response = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{ANSWER}",
                        ANSWER.len()
                    );
                    let mut buffer = vec![0; 16 * 1024];
                    let mut filled = 0;
                    loop {
                        let Ok(read) = stream.read(&mut buffer[filled..]).await else { return };
                        if read == 0 {
                            return;
                        }
                        filled += read;
                        // Each request is small: its head and its body arrive together.
                        let Some(head_end) = find(&buffer[..filled], b"\r\n\r\n") else { continue };
                        let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
                        let length: usize = head
                            .lines()
                            .find_map(|line| line.strip_prefix("content-length:"))
                            .map_or(0, |value| value.trim().parse().unwrap_or(0));
                        if filled < head_end + 4 + length {
                            continue;
                        }
                        buffer.copy_within(head_end + 4 + length..filled, 0);
                        filled -= head_end + 4 + length;
                        if stream.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
    });
    addr
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
