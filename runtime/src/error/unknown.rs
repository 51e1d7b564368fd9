//! An error answer nobody described: neither the method's own nor a system error.

use std::fmt;

use super::ApiError;
use super::violation::{self, Violation};

/// An error this crate does not know, kept as the server sent it.
///
/// Every generated method error has an `Unknown` variant holding one, so an
/// error the schema does not list yet is never lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownError {
    code: String,
    description: String,
    validation: Vec<Violation>,
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

    /// REST 3's `validation` entries, if the answer had any; see
    /// [`ApiError::validation`].
    pub fn validation(&self) -> &[Violation] {
        &self.validation
    }
}

impl From<ApiError> for UnknownError {
    fn from(error: ApiError) -> Self {
        let (code, description, validation) = error.into_all_parts();
        Self {
            code,
            description,
            validation,
        }
    }
}

impl fmt::Display for UnknownError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (code {:?})", self.description, self.code)?;
        violation::write_list(f, &self.validation)
    }
}

impl std::error::Error for UnknownError {}
