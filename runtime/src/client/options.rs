//! Settings of one call that override the client's: the time an attempt may
//! take, the retry policy, how answers are decoded, and the caller's own
//! `Idempotency-Key`.
//!
//! Set on a [`Call`](crate::Call); knows nothing about how calls are sent.

use std::time::Duration;

use super::retry::RetryPolicy;
use crate::wire::Decoding;

/// What one call changes of the client's settings; `None` keeps the client's.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CallOptions {
    /// How long one attempt may take, from sending to the end of the answer.
    pub(crate) timeout: Option<Duration>,
    /// Attempts, backoff and the overall deadline.
    pub(crate) retry: Option<RetryPolicy>,
    /// How an answer that does not fit its types is decoded.
    pub(crate) decoding: Option<Decoding>,
    /// The caller's key for a REST 3.0 write, checked before sending;
    /// `None` for a random one.
    pub(crate) idempotency_key: Option<String>,
}
