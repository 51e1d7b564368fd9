//! Failures below HTTP: connecting, timing out, losing the connection.
//!
//! Knows nothing about which method was called or whether it may be retried;
//! it only records what went wrong and whether the request can have reached
//! the server.

use std::fmt;
use std::sync::Arc;

/// A request that failed before a complete answer arrived.
///
/// The underlying `reqwest` error is kept as the [`source`](std::error::Error::source),
/// with its URL removed: a webhook URL carries the webhook's secret code.
#[derive(Debug, Clone)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Arc<reqwest::Error>,
}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be opened; the request was never sent.
    Connect,
    /// The request or its answer took longer than the request timeout.
    Timeout,
    /// The connection broke after the request was sent.
    Connection,
}

impl TransportError {
    pub(crate) fn from_reqwest(error: reqwest::Error) -> Self {
        let kind = if error.is_connect() {
            TransportErrorKind::Connect
        } else if error.is_timeout() {
            TransportErrorKind::Timeout
        } else {
            TransportErrorKind::Connection
        };
        Self {
            kind,
            source: Arc::new(error.without_url()),
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the request can have reached the server.
    ///
    /// Only a failed connection proves that nothing was sent.
    pub fn may_have_been_sent(&self) -> bool {
        self.kind != TransportErrorKind::Connect
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            TransportErrorKind::Connect => "could not connect to the portal",
            TransportErrorKind::Timeout => "the request timed out",
            TransportErrorKind::Connection => {
                "the connection failed before the answer was complete"
            }
        })
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}
