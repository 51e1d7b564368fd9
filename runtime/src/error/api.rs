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

    /// An error answer from a server, with every one of `secrets` masked in
    /// both texts: a server may echo the request, credentials included. The
    /// client builds every `ApiError` from an answer through this one door.
    pub(crate) fn from_server(
        code: &str,
        description: &str,
        secrets: &[secrecy::SecretString],
    ) -> Self {
        Self::new(
            crate::client::redact::redact(code, secrets).into_string(),
            crate::client::redact::redact(description, secrets).into_string(),
        )
    }

    /// The `error` code; may be empty.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The `error_description`.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Whether the error is one of `codes` (any code if empty) with one of
    /// `descriptions` (any description if empty).
    ///
    /// Descriptions compare without surrounding whitespace and one trailing
    /// period: documentation pages write `Access denied` where the server
    /// sends `Access denied.`.
    pub fn matches(&self, codes: &[&str], descriptions: &[&str]) -> bool {
        let code = codes.is_empty() || codes.contains(&self.code.as_str());
        code && (descriptions.is_empty() || {
            let description = normalized(&self.description);
            descriptions
                .iter()
                .any(|known| normalized(known) == description)
        })
    }

    /// The code and description, by value.
    pub fn into_parts(self) -> (String, String) {
        (self.code, self.description)
    }
}

/// A description without surrounding whitespace and one trailing period.
fn normalized(description: &str) -> &str {
    let trimmed = description.trim();
    trimmed.strip_suffix('.').unwrap_or(trimmed).trim_end()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_by_code_description_or_both() {
        let error = ApiError::new("ERROR_CORE", " Access denied. ");
        assert!(error.matches(&["", "ERROR_CORE"], &["Access denied"]));
        assert!(error.matches(&[], &["Other", "Access denied."]));
        assert!(error.matches(&["ERROR_CORE"], &[]));
        assert!(!error.matches(&[""], &["Access denied"]));
        assert!(!error.matches(&["ERROR_CORE"], &["Access"]));
        assert!(!ApiError::new("", "Access denied..").matches(&[], &["Access denied"]));
        assert!(ApiError::new("", "").matches(&[""], &[]));
    }
}
