//! Answers that are not a Bitrix24 envelope: proxy pages, empty or cut bodies.
//!
//! Keeps the HTTP status and a short, redacted excerpt of the body, so the
//! error can be logged without leaking secrets or megabytes of HTML. Knows
//! nothing about how the body was received.

use std::fmt;

use crate::client::redact::Masked;

/// How many bytes of the body an error keeps.
pub const EXCERPT_BYTES: usize = 512;

/// An answer that could not be read as a Bitrix24 success or error envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    status: u16,
    reason: Masked,
    excerpt: Masked,
    body_len: usize,
}

impl DecodeError {
    /// `excerpt` must already be bounded; both texts are masked by their type.
    pub(crate) fn new(status: u16, reason: Masked, excerpt: Masked, body_len: usize) -> Self {
        Self {
            status,
            reason,
            excerpt,
            body_len,
        }
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Why the body could not be read.
    pub fn reason(&self) -> &str {
        self.reason.as_str()
    }

    /// The start of the body (at most [`EXCERPT_BYTES`] bytes), with secrets replaced by `***`.
    pub fn excerpt(&self) -> &str {
        self.excerpt.as_str()
    }

    /// The length of the body in bytes (of the part that was read, when it was too large).
    pub fn body_len(&self) -> usize {
        self.body_len
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the portal answered HTTP {} with {} bytes that are not a Bitrix24 answer ({}); the body starts with {:?}",
            self.status, self.body_len, self.reason, self.excerpt
        )
    }
}

impl std::error::Error for DecodeError {}
