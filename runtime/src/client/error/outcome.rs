//! A call that failed in a way that leaves its effect unknown.
//!
//! Returned instead of retrying when a method is not safe to send twice
//! (`Method::RETRY_SAFE` is false). Knows nothing about retry policy; it only
//! says what happened.

use std::fmt;

use super::{DecodeError, TransportError};
use crate::error::ApiError;

/// The call may or may not have taken effect on the portal.
///
/// The request was sent, but the answer was lost or was a server failure, and
/// the method is not safe to send again (it might, for example, notify people
/// twice). Check the portal's state before deciding to call again.
#[derive(Debug, Clone)]
pub struct OutcomeUnknown {
    method: String,
    cause: OutcomeCause,
}

/// What made the outcome unknown.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum OutcomeCause {
    /// The connection broke or timed out after the request was sent.
    Transport(TransportError),
    /// The server failed with a `5xx` answer that is not a Bitrix24 envelope.
    Answer(DecodeError),
    /// The server answered with an error that does not say whether the call ran,
    /// such as `INTERNAL_SERVER_ERROR` or a `5xx` with an unknown code.
    Server {
        /// The HTTP status.
        status: u16,
        /// The error as the server sent it.
        error: ApiError,
    },
}

impl OutcomeUnknown {
    pub(crate) fn new(method: &str, cause: OutcomeCause) -> Self {
        Self {
            method: method.to_owned(),
            cause,
        }
    }

    /// The method that was called.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// What made the outcome unknown.
    pub fn cause(&self) -> &OutcomeCause {
        &self.cause
    }
}

impl fmt::Display for OutcomeUnknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} may or may not have taken effect: ", self.method)?;
        match &self.cause {
            OutcomeCause::Transport(error) => write!(f, "{error} after the request was sent")?,
            OutcomeCause::Answer(error) => write!(f, "{error}")?,
            OutcomeCause::Server { status, error } => {
                write!(f, "the server failed (HTTP {status}): {error}")?;
            }
        }
        f.write_str("; it was not retried because the method is not safe to send twice")
    }
}

// Display already shows the inner error, so `source` continues with its cause.
impl std::error::Error for OutcomeUnknown {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.cause {
            OutcomeCause::Transport(error) => std::error::Error::source(error),
            OutcomeCause::Answer(error) => std::error::Error::source(error),
            OutcomeCause::Server { error, .. } => std::error::Error::source(error),
        }
    }
}
