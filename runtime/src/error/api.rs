//! The raw error answer of the REST API.

use std::fmt;

use serde::Deserialize;

/// An error answer as the server sent it: `{"error": "...", "error_description": "..."}`.
///
/// The code may be empty: method errors of `sonet_group.*` carry only a
/// description.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ApiError {
    #[serde(rename = "error")]
    code: String,
    #[serde(rename = "error_description", default)]
    description: String,
}

impl ApiError {
    /// An error answer with the given code and description.
    pub fn new(code: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            description: description.into(),
        }
    }

    /// The `error` code; may be empty.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The `error_description`.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Whether the code is one that method-specific errors use.
    ///
    /// Current servers send an empty code; servers from 2022 and older send
    /// `ERROR_ARGUMENT` or `ERROR_CORE` with the same descriptions.
    pub fn has_method_error_code(&self) -> bool {
        matches!(self.code.as_str(), "" | "ERROR_ARGUMENT" | "ERROR_CORE")
    }

    /// The code and description, by value.
    pub fn into_parts(self) -> (String, String) {
        (self.code, self.description)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.code.is_empty() {
            f.write_str(&self.description)
        } else {
            write!(f, "{}: {}", self.code, self.description)
        }
    }
}

impl std::error::Error for ApiError {}

impl From<super::SystemError> for ApiError {
    fn from(error: super::SystemError) -> Self {
        Self::new(error.code().as_str(), error.description())
    }
}

impl From<super::UnknownError> for ApiError {
    fn from(error: super::UnknownError) -> Self {
        Self::new(error.code(), error.description())
    }
}
