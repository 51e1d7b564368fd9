//! The shared limits' store could not be reached, and the client was told
//! to fail rather than fall back to its own limits.

use std::fmt;

use crate::client::redact::Masked;

/// The store of limits shared between processes (Redis) did not answer, and
/// the client is configured to fail the call rather than fall back to its
/// own limits. The call was not sent.
///
/// The reason never contains the store's credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedLimitsError {
    reason: Masked,
}

impl SharedLimitsError {
    /// The reason's secrets are masked by its type.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn new(reason: Masked) -> Self {
        Self { reason }
    }

    /// Why the store could not be used.
    pub fn reason(&self) -> &str {
        self.reason.as_str()
    }
}

impl fmt::Display for SharedLimitsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the shared limits are unavailable, so the call was not sent: {}",
            self.reason
        )
    }
}

impl std::error::Error for SharedLimitsError {}
