//! HTTP(S) serving: the router, the accept loop with optional TLS and graceful shutdown.
//!
//! Routes: `/rest/api/…` (REST 3.0), `/rest/…` (REST 2), `/oauth/token/` (the token
//! endpoint), and `/_emulator/{state,log,counters}` for inspection, deliberately outside
//! `/rest`.

mod api;
mod connection;
mod fault_response;
mod introspect;
mod response;
mod rest;
pub(crate) mod tls;
mod token;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::{any, get};
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio_rustls::TlsAcceptor;

use crate::config::ServerLimits;
use crate::engine::Shared;
use connection::{Activity, Backoff, Tracked};

/// How long shutdown waits for open connections to finish.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/rest/api/{*path}", any(api::handle))
        .route("/rest/{*path}", any(rest::handle))
        .route("/oauth/token", any(token::handle))
        .route("/oauth/token/", any(token::handle))
        .route("/_emulator/state", get(introspect::state))
        .route("/_emulator/log", get(introspect::log))
        .route("/_emulator/counters", get(introspect::counters))
        .fallback(response::not_found)
        .with_state(shared)
}

/// Something connections come from: the TCP listener, or a stand-in in tests.
pub(crate) trait Accept {
    type Stream;
    fn accept(&self) -> impl Future<Output = std::io::Result<Self::Stream>> + Send;
}

impl Accept for TcpListener {
    type Stream = TcpStream;
    async fn accept(&self) -> std::io::Result<TcpStream> {
        TcpListener::accept(self)
            .await
            .map(|(stream, _peer)| stream)
    }
}

/// The next connection. Accept errors (out of file descriptors, above all) are retried after
/// a growing pause instead of at once, which spun the loop at full CPU.
async fn next_stream<L: Accept>(listener: &L, backoff: &mut Backoff) -> L::Stream {
    loop {
        match listener.accept().await {
            Ok(stream) => {
                backoff.reset();
                return stream;
            }
            Err(_) => tokio::time::sleep(backoff.next_delay()).await,
        }
    }
}

/// Serves until `shutdown` flips to true, then drains connections briefly. At most
/// `max_connections` are served at once: the loop accepts only with a free slot, so further
/// clients wait in the listen backlog.
pub(crate) async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let limits = shared.limits.clone();
    let app = router(shared);
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(
        limits.max_connections.min(Semaphore::MAX_PERMITS),
    ));
    let mut backoff = Backoff::default();
    loop {
        let slot = tokio::select! {
            _ = shutdown.wait_for(|stop| *stop) => break,
            slot = Arc::clone(&slots).acquire_owned() => slot,
        };
        let Ok(slot) = slot else { break };
        let stream = tokio::select! {
            _ = shutdown.wait_for(|stop| *stop) => break,
            stream = next_stream(&listener, &mut backoff) => stream,
        };
        // An answer written in parts is never held back waiting for an ACK.
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let watcher = graceful.watcher();
        let limits = limits.clone();
        match &tls {
            Some(acceptor) => {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    // The handshake is part of the head: it gets the header-read timeout.
                    let handshake =
                        tokio::time::timeout(limits.header_read_timeout, acceptor.accept(stream));
                    if let Ok(Ok(stream)) = handshake.await {
                        serve_connection(stream, app, watcher, &limits).await;
                    }
                    drop(slot);
                });
            }
            None => {
                tokio::spawn(async move {
                    serve_connection(stream, app, watcher, &limits).await;
                    drop(slot);
                });
            }
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown()).await;
}

async fn serve_connection<I>(
    io: I,
    app: Router,
    watcher: hyper_util::server::graceful::Watcher,
    limits: &ServerLimits,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let activity = Activity::new();
    let io = Tracked {
        inner: io,
        activity: Arc::clone(&activity),
    };
    let service = TowerToHyperService::new(app);
    let requests = Arc::clone(&activity);
    let service = hyper::service::service_fn(move |request| {
        let guard = requests.begin_request();
        let answer = hyper::service::Service::call(&service, request);
        async move {
            let answer = answer.await;
            drop(guard);
            answer
        }
    });
    let connection =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(io), service);
    // Errors here are client disconnects and deliberately dropped responses. A connection that
    // overstays is dropped, which closes it.
    tokio::select! {
        _ = watcher.watch(connection) => {}
        () = activity.expired(limits.header_read_timeout, limits.idle_timeout) => {}
    }
}

/// The request body, or `None` when it is longer than `max_body_bytes`, does not arrive
/// within `idle_timeout`, or the client broke off. Such a body is read no further (the
/// connection is then closed, as the rest of it was never read). REST 2 goes on without body
/// parameters: the reference documents no answer for oversized input, and its one rule for
/// malformed input is that it silently decodes to none (invalid JSON becomes `{}`), which is
/// also what PHP does with a body past `post_max_size`. REST 3.0 refuses it as invalid JSON.
async fn read_body(body: axum::body::Body, limits: &ServerLimits) -> Option<axum::body::Bytes> {
    let read = axum::body::to_bytes(body, limits.max_body_bytes);
    tokio::time::timeout(limits.idle_timeout, read)
        .await
        .ok()?
        .ok()
}

/// Binds the listening socket.
pub(crate) async fn bind(addr: SocketAddr) -> std::io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    Ok((listener, local))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    /// A listener out of file descriptors: every accept fails, until the last.
    struct Exhausted {
        calls: AtomicUsize,
        succeed_at: usize,
    }

    impl Accept for Exhausted {
        type Stream = usize;
        async fn accept(&self) -> std::io::Result<usize> {
            tokio::task::yield_now().await;
            let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            if call >= self.succeed_at {
                Ok(call)
            } else {
                Err(std::io::Error::from_raw_os_error(24)) // EMFILE
            }
        }
    }

    /// At the file-descriptor limit the loop retried at once, spinning a core. Over ten
    /// (paused, auto-advanced) seconds of failures it now tries about a dozen times.
    #[tokio::test(start_paused = true)]
    async fn accept_errors_back_off() {
        let listener = Exhausted {
            calls: AtomicUsize::new(0),
            succeed_at: 100_000,
        };
        let mut backoff = Backoff::default();
        let started = tokio::time::Instant::now();
        let waited = tokio::time::timeout(
            Duration::from_secs(10),
            next_stream(&listener, &mut backoff),
        )
        .await;
        assert!(waited.is_err(), "no connection can come");
        let calls = listener.calls.load(Ordering::SeqCst);
        // 10 + 20 + … + 640 ms, then 1 s each: 7 + 4 tries in 10 s, plus the first.
        assert!(
            (8..=16).contains(&calls),
            "{calls} accepts in {:?}",
            started.elapsed()
        );
        // A success resets the pause.
        let listener = Exhausted {
            calls: AtomicUsize::new(0),
            succeed_at: 3,
        };
        let before = tokio::time::Instant::now();
        assert_eq!(next_stream(&listener, &mut backoff).await, 3);
        assert_eq!(
            before.elapsed(),
            Duration::from_secs(2),
            "waited at the 1 s cap"
        );
        assert_eq!(backoff.next_delay(), Duration::from_millis(10));
    }
}
