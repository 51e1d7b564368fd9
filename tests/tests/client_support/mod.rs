//! A scripted HTTP server on 127.0.0.1 for the client's tests.
//!
//! Each test says what the server answers (in order, or computed from the
//! request) and reads back every request it received. Answers are written as
//! raw bytes, so tests can send broken HTTP too: cut bodies, closed
//! connections, redirects. Nothing here knows about Bitrix24 beyond the
//! fixtures at the end.

#![allow(dead_code)] // Each test file uses a different part of the helper.

pub mod rest_v3;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bitrix24::{Client, ClientBuilder, RateLimit, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A JSON answer with the status.
    Json(u16, String),
    /// A full answer with headers, as raw bytes; the connection closes after it.
    Raw(Vec<u8>),
    /// A full answer as [`Raw`](Self::Raw), shared rather than copied for
    /// each request, so a large answer is allocated once, before a test
    /// measures anything.
    Shared(Arc<[u8]>),
    /// Close the connection without answering.
    Close,
    /// Wait, then give the inner reply.
    Delay(Duration, Box<Reply>),
}

impl Reply {
    pub fn ok(result: &str) -> Self {
        Self::Json(200, format!(r#"{{"result":{result},"time":{TIME}}}"#))
    }

    pub fn error(status: u16, code: &str, description: &str) -> Self {
        Self::Json(
            status,
            serde_json::json!({"error": code, "error_description": description}).to_string(),
        )
    }

    pub fn body(status: u16, content_type: &str, body: &[u8]) -> Self {
        let mut raw = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        raw.extend_from_slice(body);
        Self::Raw(raw)
    }
}

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// A running server; it stops when the test's runtime ends.
#[derive(Clone)]
pub struct Server {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    /// Answers with `replies` in order; the last one repeats.
    pub async fn scripted(replies: Vec<Reply>) -> Self {
        let queue = Mutex::new(VecDeque::from(replies));
        Self::start(move |_| {
            let mut queue = queue.lock().unwrap();
            if queue.len() > 1 {
                queue.pop_front().unwrap()
            } else {
                queue.front().cloned().expect("at least one reply")
            }
        })
        .await
    }

    /// Answers every request with what `handler` computes from it.
    pub async fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let recorded = requests.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                // Answers are never held back for an ACK, which tests on a paused
                // clock would see as time passing.
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve(stream, handler.clone(), recorded.clone()));
            }
        });
        Self { addr, requests }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The webhook URL of this server, with [`WEBHOOK_CODE`].
    pub fn webhook_url(&self) -> String {
        self.url(&format!("/rest/1/{WEBHOOK_CODE}/"))
    }

    /// A webhook client with fast retries and no rate limit.
    pub fn webhook(&self) -> ClientBuilder {
        ClientBuilder::webhook(self.webhook_url())
            .allow_http_loopback(true)
            .rate_limit(RateLimit::unlimited())
            .retry(fast_retries())
    }

    pub fn client(&self) -> Client {
        self.webhook().build().unwrap()
    }
}

/// Retries that wait milliseconds, for fast tests.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(4)
        .backoff(Duration::from_millis(1), Duration::from_millis(5))
        .deadline(Some(Duration::from_secs(10)))
}

async fn serve(mut stream: TcpStream, handler: Arc<Handler>, requests: Arc<Mutex<Vec<Recorded>>>) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        requests.lock().unwrap().push(request.clone());
        let mut reply = handler(&request);
        while let Reply::Delay(wait, inner) = reply {
            tokio::time::sleep(wait).await;
            reply = *inner;
        }
        match reply {
            Reply::Json(status, body) => {
                // One write: a second small one would wait for the first's ACK.
                let answer = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                if stream.write_all(answer.as_bytes()).await.is_err() {
                    return;
                }
            }
            Reply::Raw(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
                return;
            }
            Reply::Shared(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
                return;
            }
            Reply::Close | Reply::Delay(..) => return,
        }
    }
}

async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Recorded> {
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut parsed = httparse::Request::new(&mut headers);
        if let httparse::Status::Complete(head_len) = parsed.parse(buffer).ok()? {
            let headers: Vec<(String, String)> = parsed
                .headers
                .iter()
                .map(|header| {
                    (
                        header.name.to_owned(),
                        String::from_utf8_lossy(header.value).into_owned(),
                    )
                })
                .collect();
            let length: usize = headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
                .map_or(0, |(_, value)| value.parse().unwrap());
            let method = parsed.method?.to_owned();
            let path = parsed.path?.to_owned();
            while buffer.len() < head_len + length {
                read_more(stream, buffer).await?;
            }
            let body = buffer[head_len..head_len + length].to_vec();
            buffer.drain(..head_len + length);
            return Some(Recorded {
                method,
                path,
                headers,
                body,
                at: Instant::now(),
            });
        }
        read_more(stream, buffer).await?;
    }
}

async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0; 8192];
    let read = stream.read(&mut chunk).await.ok()?;
    (read > 0).then(|| buffer.extend_from_slice(&chunk[..read]))
}

/// The secret code in every test webhook URL.
pub const WEBHOOK_CODE: &str = "wh0sEcReTc0de";

/// A `time` object as the documentation shows it: integer `start`, no operating fields.
pub const TIME: &str = r#"{"start":1773850553,"finish":1773850553.261059,"duration":0.261059045791626,"processing":0,"date_start":"2026-03-18T19:15:53+02:00","date_finish":"2026-03-18T19:15:53+02:00"}"#;

/// Everything a `tracing` subscriber writes, to read back what was logged.
#[derive(Clone, Default)]
pub struct Captured(pub std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Self;

    fn make_writer(&'a self) -> Self {
        self.clone()
    }
}
