//! Error types: the REST errors the emulated server answers with, and the library's own errors.

use std::borrow::Cow;

use crate::php::Value;
use crate::state::SeedError;

/// An error answer of the REST API: HTTP status, `error` code and `error_description`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{status} {code:?}: {description}")]
pub(crate) struct RestError {
    pub(crate) status: u16,
    pub(crate) code: Cow<'static, str>,
    pub(crate) description: Cow<'static, str>,
}

impl RestError {
    const fn new(status: u16, code: &'static str, description: &'static str) -> Self {
        Self {
            status,
            code: Cow::Borrowed(code),
            description: Cow::Borrowed(description),
        }
    }

    /// A method's own error: `RestException` with an empty code and HTTP 400.
    pub(crate) const fn method(description: &'static str) -> Self {
        Self::new(400, "", description)
    }

    pub(crate) const NO_AUTH_FOUND: Self =
        Self::new(401, "NO_AUTH_FOUND", "Wrong authorization data");
    pub(crate) const INVALID_CREDENTIALS: Self =
        Self::new(401, "INVALID_CREDENTIALS", "Invalid request credentials");
    pub(crate) const EXPIRED_TOKEN: Self = Self::new(
        401,
        "expired_token",
        "The access token provided has expired",
    );
    pub(crate) const INVALID_TOKEN: Self = Self::new(
        401,
        "invalid_token",
        "The access token provided is invalid.",
    );
    pub(crate) const AUTHORIZATION_ERROR: Self =
        Self::new(401, "authorization_error", "Unable to authorize user");
    pub(crate) const WEBHOOK_SCOPE: Self = Self::new(
        401,
        "insufficient_scope",
        "The request requires higher privileges than provided by the webhook token",
    );
    pub(crate) const TOKEN_SCOPE: Self = Self::new(
        401,
        "insufficient_scope",
        "The request requires higher privileges than provided by the access token",
    );
    /// Inside a batch the scope error carries an empty description.
    pub(crate) const BATCH_SCOPE: Self = Self::new(401, "insufficient_scope", "");
    pub(crate) const METHOD_NOT_FOUND: Self =
        Self::new(404, "ERROR_METHOD_NOT_FOUND", "Method not found!");
    pub(crate) const QUERY_LIMIT_EXCEEDED: Self =
        Self::new(503, "QUERY_LIMIT_EXCEEDED", "Too many requests");
    pub(crate) const OPERATION_TIME_LIMIT: Self = Self::new(
        429,
        "OPERATION_TIME_LIMIT",
        "Method is blocked due to operation time limit.",
    );
    pub(crate) const INTERNAL_SERVER_ERROR: Self =
        Self::new(500, "INTERNAL_SERVER_ERROR", "Internal server error");
    pub(crate) const BATCH_LENGTH_EXCEEDED: Self = Self::new(
        400,
        "ERROR_BATCH_LENGTH_EXCEEDED",
        "Max batch length exceeded",
    );
    pub(crate) const BATCH_METHOD_NOT_ALLOWED: Self = Self::new(
        405,
        "ERROR_BATCH_METHOD_NOT_ALLOWED",
        "Method is not allowed for batch usage",
    );

    /// The error body: `{"error": …, "error_description": …}` and nothing else (no `time`).
    pub(crate) fn to_value(&self) -> Value {
        Value::object([
            ("error", Value::str(self.code.as_ref())),
            ("error_description", Value::str(self.description.as_ref())),
        ])
    }
}

/// Errors of the library API: starting the emulator or loading a seed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The seed is not valid.
    #[error(transparent)]
    Seed(#[from] SeedError),
    /// Binding the listening socket or reading a file failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// The self-signed certificate could not be created.
    #[error("TLS setup failed: {0}")]
    Tls(String),
    /// A configuration value is out of range.
    #[error("invalid configuration: {0}")]
    Config(String),
}
