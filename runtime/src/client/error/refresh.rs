//! Failures to refresh an OAuth access token.
//!
//! Knows the OAuth server's error codes; knows nothing about when a refresh
//! is attempted.

use std::fmt;

use super::{DecodeError, RedirectError, TransportError};

/// Refreshing the OAuth access token failed.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum RefreshError {
    /// The OAuth server refused the refresh.
    Refused {
        /// The OAuth error code.
        code: OAuthErrorCode,
        /// The server's description.
        description: String,
    },
    /// The OAuth server could not be reached.
    Transport(TransportError),
    /// The OAuth server's answer could not be read.
    Decode(DecodeError),
    /// The OAuth server answered with a redirect.
    Redirect(RedirectError),
}

/// An error code of the OAuth server.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OAuthErrorCode {
    /// The refresh token is expired, revoked or unknown: the application must
    /// be authorized again.
    InvalidGrant,
    /// The client ID or secret is wrong.
    InvalidClient,
    /// The request is malformed.
    InvalidRequest,
    /// The requested scope is not allowed.
    InvalidScope,
    /// The application's subscription has lapsed.
    PaymentRequired,
    /// A code this crate does not know, as the server sent it.
    Other(String),
}

impl OAuthErrorCode {
    pub(crate) fn from_code(code: &str) -> Self {
        match code {
            "invalid_grant" => Self::InvalidGrant,
            "invalid_client" => Self::InvalidClient,
            "invalid_request" => Self::InvalidRequest,
            "invalid_scope" | "insufficient_scope" => Self::InvalidScope,
            "PAYMENT_REQUIRED" => Self::PaymentRequired,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for RefreshError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("refreshing the OAuth access token failed: ")?;
        match self {
            Self::Refused { code, description } => {
                write!(f, "the OAuth server refused ({code:?}): {description}")
            }
            Self::Transport(error) => write!(f, "{error}"),
            Self::Decode(error) => write!(f, "{error}"),
            Self::Redirect(error) => write!(f, "{error}"),
        }
    }
}

// Display already shows the inner error, so `source` continues with its cause.
impl std::error::Error for RefreshError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Refused { .. } => None,
            Self::Transport(error) => std::error::Error::source(error),
            Self::Decode(error) => std::error::Error::source(error),
            Self::Redirect(error) => std::error::Error::source(error),
        }
    }
}
