//! An error answer nobody described: neither the method's own nor a system error.

use std::fmt;

use super::ApiError;

/// An error this crate does not know, kept as the server sent it.
///
/// Every generated method error has an `Unknown` variant holding one, so an
/// error the schema does not list yet is never lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownError {
    code: String,
    description: String,
}

impl UnknownError {
    /// The `error` code; may be empty.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The `error_description`.
    pub fn description(&self) -> &str {
        &self.description
    }
}

impl From<ApiError> for UnknownError {
    fn from(error: ApiError) -> Self {
        let (code, description) = error.into_parts();
        Self { code, description }
    }
}

impl fmt::Display for UnknownError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (code {:?})", self.description, self.code)
    }
}

impl std::error::Error for UnknownError {}
