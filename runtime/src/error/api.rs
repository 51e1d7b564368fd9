//! The raw error answer of the REST API.

use std::fmt;

use secrecy::SecretString;
use serde::{Deserialize, Deserializer, de};

use super::violation::{self, Violation};
use crate::client::redact::redact;

/// An error answer as the server sent it: `{"error": "...", "error_description": "..."}`.
///
/// The code may be empty: method errors of `sonet_group.*` carry only a
/// description. Some methods send a number as the code (`"error": 422`),
/// read as its digits; the methods of REST 3 send an object
/// (`"error": {"code": "...", "message": "...", "validation": [...]}`),
/// whose message is the description and whose `validation` list says which
/// parameters were wrong ([`validation`](Self::validation)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    code: String,
    description: String,
    validation: Vec<Violation>,
}

impl<'de> Deserialize<'de> for ApiError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            error: ErrorField,
            #[serde(default)]
            error_description: Option<String>,
        }
        let wire = Wire::deserialize(deserializer)?;
        Ok(wire.error.into_api_error(wire.error_description))
    }
}

/// The `error` field of an answer in each form servers send it: a code,
/// a number (read as its digits), or REST 3's object with a `code`, a
/// `message` and a `validation` list.
#[derive(Debug)]
pub(crate) struct ErrorField {
    code: String,
    /// REST 3's `message`, the description when `error_description` is absent.
    message: Option<String>,
    /// REST 3's `validation` list, bounded.
    validation: Vec<Violation>,
}

impl ErrorField {
    /// The error as it came, not yet masked: the description is
    /// `error_description` where the answer has one, else REST 3's
    /// `message`, else empty.
    pub(crate) fn into_api_error(self, error_description: Option<String>) -> ApiError {
        ApiError {
            code: self.code,
            description: error_description.or(self.message).unwrap_or_default(),
            validation: self.validation,
        }
    }
}

impl<'de> Deserialize<'de> for ErrorField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ErrorFieldVisitor { nested: false })
    }
}

/// Reads an error code; `nested` is set inside REST 3's object, where the
/// code is text or a number, never another object.
struct ErrorFieldVisitor {
    nested: bool,
}

impl ErrorFieldVisitor {
    fn code(code: String) -> ErrorField {
        ErrorField {
            code,
            message: None,
            validation: Vec::new(),
        }
    }
}

impl<'de> de::Visitor<'de> for ErrorFieldVisitor {
    type Value = ErrorField;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.nested {
            formatter.write_str("an error code")
        } else {
            formatter.write_str("an error code, or an object with a `code` and a `message`")
        }
    }

    fn visit_str<E: de::Error>(self, code: &str) -> Result<ErrorField, E> {
        Ok(Self::code(code.to_owned()))
    }

    fn visit_u64<E: de::Error>(self, code: u64) -> Result<ErrorField, E> {
        Ok(Self::code(code.to_string()))
    }

    fn visit_i64<E: de::Error>(self, code: i64) -> Result<ErrorField, E> {
        Ok(Self::code(code.to_string()))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<ErrorField, A::Error> {
        if self.nested {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        }
        let mut code = None;
        let mut message = None;
        let mut validation = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "code" => code = Some(map.next_value::<NestedCode>()?.0.code),
                "message" => message = map.next_value::<Option<String>>()?,
                "validation" => validation = map.next_value::<Validation>()?.0,
                _ => drop(map.next_value::<de::IgnoredAny>()?),
            }
        }
        Ok(ErrorField {
            code: code.unwrap_or_default(),
            message,
            validation,
        })
    }
}

/// The code inside REST 3's error object.
struct NestedCode(ErrorField);

impl<'de> Deserialize<'de> for NestedCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(ErrorFieldVisitor { nested: true })
            .map(Self)
    }
}

/// REST 3's `validation` list inside its error object.
struct Validation(Vec<Violation>);

impl<'de> Deserialize<'de> for Validation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        violation::deserialize_list(deserializer).map(Self)
    }
}

impl ApiError {
    /// An error answer with the given code and description.
    pub fn new(code: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            description: description.into(),
            validation: Vec::new(),
        }
    }

    /// The error with REST 3's `validation` entries, at most
    /// [`MAX_VIOLATIONS`](super::MAX_VIOLATIONS) of them.
    #[must_use]
    pub fn with_validation(mut self, violations: impl IntoIterator<Item = Violation>) -> Self {
        self.validation = violation::bounded(violations);
        self
    }

    /// The error as a server sent it, with every one of `secrets` masked in
    /// each text: a server may echo the request, credentials included. The
    /// client builds every `ApiError` from an answer through this one door.
    pub(crate) fn from_server(error: Self, secrets: &[SecretString]) -> Self {
        let mask = |text: &str| redact(text, secrets).into_string();
        Self {
            code: mask(&error.code),
            description: mask(&error.description),
            validation: error
                .validation
                .into_iter()
                .map(|violation| violation.map_text(mask))
                .collect(),
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

    /// REST 3's `validation` entries: which parameters of the request were
    /// wrong and why. Empty for REST 2 answers and for REST 3 errors that
    /// are not about parameters.
    pub fn validation(&self) -> &[Violation] {
        &self.validation
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

    /// The code, the description and the `validation` entries, by value.
    pub(crate) fn into_all_parts(self) -> (String, String, Vec<Violation>) {
        (self.code, self.description, self.validation)
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
            f.write_str(&self.description)?;
        } else {
            write!(f, "{}: {}", self.code, self.description)?;
        }
        violation::write_list(f, &self.validation)
    }
}

impl std::error::Error for ApiError {}

impl From<super::SystemError> for ApiError {
    fn from(error: super::SystemError) -> Self {
        Self::new(error.code().as_str(), error.description())
            .with_validation(error.validation().iter().cloned())
    }
}

impl From<super::UnknownError> for ApiError {
    fn from(error: super::UnknownError) -> Self {
        Self::new(error.code(), error.description())
            .with_validation(error.validation().iter().cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_answers_read_in_every_form_servers_send() {
        let read = |body: &str| serde_json::from_str::<ApiError>(body).map(ApiError::into_parts);
        let parts = |code: &str, description: &str| (code.to_owned(), description.to_owned());
        assert_eq!(
            read(r#"{"error":"NOT_FOUND","error_description":"Not found"}"#).unwrap(),
            parts("NOT_FOUND", "Not found")
        );
        assert_eq!(read(r#"{"error":""}"#).unwrap(), parts("", ""));
        assert_eq!(
            read(r#"{"error":422,"error_description":"Invalid date period"}"#).unwrap(),
            parts("422", "Invalid date period")
        );
        assert_eq!(
            read(r#"{"error":{"code":"BITRIX_REST_V3_EXCEPTION","message":"Error during request object validation","validation":[{"field":"name"}]}}"#).unwrap(),
            parts("BITRIX_REST_V3_EXCEPTION", "Error during request object validation")
        );
        // `error_description` wins over REST 3's message; a number may be negative.
        assert_eq!(
            read(r#"{"error":{"code":-1,"message":"m"},"error_description":"d"}"#).unwrap(),
            parts("-1", "d")
        );
        // Anything else stays an error, and an object holds no object as its code.
        for body in [
            r#"{"error":true}"#,
            r#"{"error":["x"]}"#,
            r#"{"error":{"code":{"code":"x"}}}"#,
            r#"{"error":1.5}"#,
        ] {
            assert!(read(body).is_err(), "{body}");
        }
    }

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
