//! Errors that any method can return: limits, authentication, scope, portal state.

use std::fmt;

use super::violation::{self, Violation};
use super::{ApiError, SystemErrorCode};

/// A system error: one whose code is listed in `schema/shared/errors.json`.
///
/// Decided by the `error` code, never by the HTTP status, because statuses
/// differ between server versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemError {
    code: SystemErrorCode,
    description: String,
    validation: Vec<Violation>,
}

impl SystemError {
    /// A system error with the given code and description.
    pub fn new(code: SystemErrorCode, description: impl Into<String>) -> Self {
        Self {
            code,
            description: description.into(),
            validation: Vec::new(),
        }
    }

    /// Which system error this is.
    pub fn code(&self) -> SystemErrorCode {
        self.code
    }

    /// The server's description, which varies with the auth kind and version.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// REST 3's `validation` entries: for
    /// [`RestV3Validation`](SystemErrorCode::RestV3Validation), the parameters
    /// that were wrong and why; see [`ApiError::validation`].
    pub fn validation(&self) -> &[Violation] {
        &self.validation
    }

    /// What kind of failure this is.
    pub fn category(&self) -> SystemErrorCategory {
        self.code.category()
    }

    /// Whether and how a client may send the call again.
    pub fn retry(&self) -> SystemErrorRetry {
        self.code.retry()
    }
}

impl TryFrom<ApiError> for SystemError {
    type Error = ApiError;

    /// Recognises a system error by its code; gives the error back otherwise.
    fn try_from(error: ApiError) -> Result<Self, ApiError> {
        match SystemErrorCode::from_code(error.code()) {
            Some(code) => {
                let (_, description, validation) = error.into_all_parts();
                Ok(Self {
                    code,
                    description,
                    validation,
                })
            }
            None => Err(error),
        }
    }
}

impl fmt::Display for SystemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.description)?;
        violation::write_list(f, &self.validation)
    }
}

impl std::error::Error for SystemError {}

/// The kind of failure a system error reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SystemErrorCategory {
    /// Too many requests for the portal (the leaky bucket, or a manual block).
    RateLimit,
    /// The method spent too long executing in the last ten minutes.
    OperationTimeLimit,
    /// The access token has expired and must be refreshed.
    ExpiredToken,
    /// The credentials are missing, wrong or refused.
    Authentication,
    /// The webhook or application lacks the method's scope.
    Scope,
    /// The portal's plan or an administrator denies access.
    AccessDenied,
    /// The portal is deleted or its public part is closed.
    Portal,
    /// The method does not exist on this portal.
    MethodNotFound,
    /// The object the request names does not exist.
    NotFound,
    /// The request itself was malformed (encoding, protocol, batch limits).
    BadRequest,
    /// The server failed internally.
    Internal,
}

/// Whether a call that failed with a system error may be sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SystemErrorRetry {
    /// Never: sending it again gives the same answer.
    Never,
    /// After a backoff: the server refused the call before executing it.
    Backoff,
    /// When the method's operating-time budget resets (`time.operating_reset_at`).
    AfterOperatingReset,
    /// After refreshing the access token.
    AfterTokenRefresh,
    /// Only for methods that are safe to retry: whether the call took effect
    /// is unknown.
    IfRetrySafe,
}
