//! Settings of one call that override the client's: the time an attempt may
//! take, the retry policy, and how answers are decoded.
//!
//! Set on a [`Call`](crate::Call); knows nothing about how calls are sent.

use std::time::Duration;

use super::retry::RetryPolicy;
use crate::wire::Decoding;

/// What one call changes of the client's settings; `None` keeps the client's.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct CallOptions {
    /// How long one attempt may take, from sending to the end of the answer.
    pub(crate) timeout: Option<Duration>,
    /// Attempts, backoff and the overall deadline.
    pub(crate) retry: Option<RetryPolicy>,
    /// How an answer that does not fit its types is decoded.
    pub(crate) decoding: Option<Decoding>,
}
