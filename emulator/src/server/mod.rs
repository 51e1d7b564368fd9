//! HTTP(S) serving: the router, the accept loop with optional TLS and graceful shutdown.
//!
//! Routes: `/rest/…` (the REST API), `/oauth/token/` (the token endpoint), and
//! `/_emulator/{state,log,counters}` for inspection, deliberately outside `/rest`.

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
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

use crate::engine::Shared;

/// How long shutdown waits for open connections to finish.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/rest/{*path}", any(rest::handle))
        .route("/oauth/token", any(token::handle))
        .route("/oauth/token/", any(token::handle))
        .route("/_emulator/state", get(introspect::state))
        .route("/_emulator/log", get(introspect::log))
        .route("/_emulator/counters", get(introspect::counters))
        .fallback(response::not_found)
        .with_state(shared)
}

/// Serves until `shutdown` flips to true, then drains connections briefly.
pub(crate) async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let app = router(shared);
    let graceful = GracefulShutdown::new();
    loop {
        let accepted = tokio::select! {
            _ = shutdown.wait_for(|stop| *stop) => break,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, _peer)) = accepted else {
            continue;
        };
        let app = app.clone();
        match &tls {
            Some(acceptor) => {
                let acceptor = acceptor.clone();
                let watcher = graceful.watcher();
                tokio::spawn(async move {
                    if let Ok(stream) = acceptor.accept(stream).await {
                        serve_connection(stream, app, watcher).await;
                    }
                });
            }
            None => {
                tokio::spawn(serve_connection(stream, app, graceful.watcher()));
            }
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown()).await;
}

async fn serve_connection<I>(io: I, app: Router, watcher: hyper_util::server::graceful::Watcher)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let connection = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(io), TowerToHyperService::new(app));
    // Errors here are client disconnects and deliberately dropped responses.
    let _ = watcher.watch(connection).await;
}

/// The request body, or nothing when it is longer than `limit` bytes (or the client broke
/// off). The reference documents no answer for oversized input; its one rule for malformed
/// input is that it silently decodes to no parameters (invalid JSON becomes `{}`), which is also
/// what PHP does with a body past `post_max_size`. So an oversized body is read no further and
/// the request goes on without body parameters (the connection is then closed, as the rest of
/// the body was never read).
async fn read_body(body: axum::body::Body, limit: usize) -> axum::body::Bytes {
    axum::body::to_bytes(body, limit).await.unwrap_or_default()
}

/// Binds the listening socket.
pub(crate) async fn bind(addr: SocketAddr) -> std::io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    Ok((listener, local))
}
