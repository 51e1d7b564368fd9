//! A `3xx` answer: the portal moved, and the client does not follow silently.
//!
//! Following a redirect would send the credentials to a host nobody chose, so
//! the client reports where the portal points instead. Knows nothing about
//! how the location was redacted; it receives it masked.

use std::fmt;

use crate::client::redact::Masked;

/// The portal answered with a redirect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectError {
    status: u16,
    location: Option<Masked>,
}

impl RedirectError {
    /// `location` must have no query string; its secrets are masked by its type.
    pub(crate) fn new(status: u16, location: Option<Masked>) -> Self {
        Self { status, location }
    }

    /// The HTTP status, such as 301 or 302.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Where the portal points, with secrets replaced by `***` and without a
    /// query string; `None` when the answer had no usable `Location`.
    pub fn location(&self) -> Option<&str> {
        self.location.as_ref().map(Masked::as_str)
    }
}

impl fmt::Display for RedirectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(location) => write!(
                f,
                "the portal moved (HTTP {}) to {location}; update the portal address",
                self.status
            ),
            None => write!(
                f,
                "the portal answered with a redirect (HTTP {}) without a location",
                self.status
            ),
        }
    }
}

impl std::error::Error for RedirectError {}
