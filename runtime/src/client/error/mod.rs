//! The error of a call made through [`Client`](crate::Client).
//!
//! [`Error`] puts the method's own typed error next to the failures that have
//! nothing to do with the method: transport, unreadable answers, redirects,
//! token refresh, unknown outcomes, the deadline, and calls refused before
//! sending. Each failure has its own
//! small type in this module. Nothing here decides about retries.

mod config;
mod deadline;
mod decode;
mod outcome;
mod paging;
mod redirect;
mod refresh;
mod request;
mod shared;
mod transport;

use std::fmt;

pub use config::ConfigError;
pub use deadline::DeadlineExceeded;
pub use decode::{DecodeError, EXCERPT_BYTES};
pub use outcome::{OutcomeCause, OutcomeUnknown};
pub use paging::PagingError;
pub use redirect::RedirectError;
pub use refresh::{OAuthErrorCode, RefreshError};
pub use request::RequestError;
pub use shared::SharedLimitsError;
pub use transport::{TransportError, TransportErrorKind};

/// Why a call failed.
///
/// `E` is the method's error type, such as `SonetGroupUserGetError`; its
/// `System` variant covers errors any method can return (rate limits, authentication,
/// scope, plan, deleted portal, unknown method, internal errors).
///
/// Match on the variants, or on [`Error::kind`] for a quick decision.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Error<E> {
    /// The portal answered with an error: one of the method's own, or a system error.
    Method(E),
    /// The request failed below HTTP and the client gave up (connect failure or timeout).
    Transport(TransportError),
    /// The answer could not be read as a Bitrix24 answer.
    Decode(DecodeError),
    /// The call may or may not have taken effect, and the method is not safe to send again.
    OutcomeUnknown(OutcomeUnknown),
    /// The portal answered with a redirect, which the client does not follow.
    Redirect(RedirectError),
    /// The OAuth access token was expired or about to expire and could not be refreshed.
    Refresh(RefreshError),
    /// The call's overall deadline passed.
    DeadlineExceeded(DeadlineExceeded),
    /// The limits shared with other processes could not be read, and the
    /// client is set to fail rather than fall back to its own; the call was
    /// not sent.
    SharedLimits(SharedLimitsError),
    /// A walk over the pages of a list could not go on.
    Paging(PagingError),
    /// The call was refused before anything was sent, because of what it
    /// asked (an invalid `Idempotency-Key`, a REST 3.0 method in a `batch`).
    Request(RequestError),
}

/// The kind of an [`Error`], without its details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::Method`].
    Method,
    /// [`Error::Transport`].
    Transport,
    /// [`Error::Decode`].
    Decode,
    /// [`Error::OutcomeUnknown`].
    OutcomeUnknown,
    /// [`Error::Redirect`].
    Redirect,
    /// [`Error::Refresh`].
    Refresh,
    /// [`Error::DeadlineExceeded`].
    DeadlineExceeded,
    /// [`Error::SharedLimits`].
    SharedLimits,
    /// [`Error::Paging`].
    Paging,
    /// [`Error::Request`].
    Request,
}

impl<E> Error<E> {
    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Method(_) => ErrorKind::Method,
            Self::Transport(_) => ErrorKind::Transport,
            Self::Decode(_) => ErrorKind::Decode,
            Self::OutcomeUnknown(_) => ErrorKind::OutcomeUnknown,
            Self::Redirect(_) => ErrorKind::Redirect,
            Self::Refresh(_) => ErrorKind::Refresh,
            Self::DeadlineExceeded(_) => ErrorKind::DeadlineExceeded,
            Self::SharedLimits(_) => ErrorKind::SharedLimits,
            Self::Paging(_) => ErrorKind::Paging,
            Self::Request(_) => ErrorKind::Request,
        }
    }

    /// The method's typed error, if the portal answered with one.
    pub fn method_error(&self) -> Option<&E> {
        match self {
            Self::Method(error) => Some(error),
            _ => None,
        }
    }

    /// The method's typed error by value, or the error itself otherwise.
    pub fn into_method_error(self) -> Result<E, Self> {
        match self {
            Self::Method(error) => Ok(error),
            other => Err(other),
        }
    }

    /// Converts the method error, keeping every other failure as it is.
    pub fn map_method<F>(self, convert: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Self::Method(error) => Error::Method(convert(error)),
            Self::Transport(error) => Error::Transport(error),
            Self::Decode(error) => Error::Decode(error),
            Self::OutcomeUnknown(error) => Error::OutcomeUnknown(error),
            Self::Redirect(error) => Error::Redirect(error),
            Self::Refresh(error) => Error::Refresh(error),
            Self::DeadlineExceeded(error) => Error::DeadlineExceeded(error),
            Self::SharedLimits(error) => Error::SharedLimits(error),
            Self::Paging(error) => Error::Paging(error),
            Self::Request(error) => Error::Request(error),
        }
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Method(error) => write!(f, "the portal answered with an error: {error}"),
            Self::Transport(error) => error.fmt(f),
            Self::Decode(error) => error.fmt(f),
            Self::OutcomeUnknown(error) => error.fmt(f),
            Self::Redirect(error) => error.fmt(f),
            Self::Refresh(error) => error.fmt(f),
            Self::DeadlineExceeded(error) => error.fmt(f),
            Self::SharedLimits(error) => error.fmt(f),
            Self::Paging(error) => error.fmt(f),
            Self::Request(error) => error.fmt(f),
        }
    }
}

// Every variant displays its inner error, so `source` skips it and goes on
// with the inner error's own cause; a chain then never repeats a message.
impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Method(error) => std::error::Error::source(error),
            Self::Transport(error) => std::error::Error::source(error),
            Self::Decode(error) => std::error::Error::source(error),
            Self::OutcomeUnknown(error) => std::error::Error::source(error),
            Self::Redirect(error) => std::error::Error::source(error),
            Self::Refresh(error) => std::error::Error::source(error),
            Self::DeadlineExceeded(error) => std::error::Error::source(error),
            Self::SharedLimits(error) => std::error::Error::source(error),
            Self::Paging(error) => std::error::Error::source(error),
            Self::Request(error) => std::error::Error::source(error),
        }
    }
}
