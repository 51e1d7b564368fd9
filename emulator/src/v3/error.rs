//! REST 3.0 errors: `{"error": {"code", "message", "validation"?}}` with a 4xx status, the
//! same shape for every method. Codes and statuses are the documented ones; messages follow
//! the documentation's examples where it gives one and are the emulator's own otherwise.

use std::borrow::Cow;

use crate::php::Value;

/// Every documented code starts with this.
const PREFIX: &str = "BITRIX_REST_V3_EXCEPTION_";

/// One entry of `validation`: which parameter is wrong and why.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Violation {
    pub(crate) field: String,
    pub(crate) message: String,
}

impl Violation {
    /// A required parameter or field is absent.
    pub(crate) fn required(field: &str) -> Self {
        Self {
            field: field.to_owned(),
            message: format!("Required field `{field}` is not specified"),
        }
    }

    /// A value of the wrong type; `kind` is the documented type name (`int`, `string`, …).
    pub(crate) fn wrong_type(field: &str, kind: &str) -> Self {
        Self {
            field: field.to_owned(),
            message: format!("Field `{field}` requires data type `{kind}` for this request"),
        }
    }

    /// Any other complaint about one field.
    pub(crate) fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// A REST 3.0 error answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiError {
    pub(crate) status: u16,
    /// The full code; the log records it as the entry's `error`.
    pub(crate) code: Cow<'static, str>,
    pub(crate) message: Cow<'static, str>,
    pub(crate) validation: Vec<Violation>,
}

impl ApiError {
    fn new(status: u16, name: &str, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            status,
            code: Cow::Owned(format!("{PREFIX}{name}")),
            message: message.into(),
            validation: Vec::new(),
        }
    }

    /// Parameter errors, all reported at once.
    pub(crate) fn validation(violations: Vec<Violation>) -> Self {
        Self {
            validation: violations,
            ..Self::new(
                400,
                "VALIDATION_REQUESTVALIDATIONEXCEPTION",
                "Error validating request object",
            )
        }
    }

    /// The body is not JSON, not sent as JSON, or not read whole.
    pub(crate) fn invalid_json() -> Self {
        Self::new(
            400,
            "INVALIDJSONEXCEPTION",
            "The request body is not valid JSON",
        )
    }

    /// No object with this identifier.
    pub(crate) fn not_found(id: i64) -> Self {
        Self::new(
            400,
            "ENTITYNOTFOUNDEXCEPTION",
            format!("Record with ID = `{id}` not found"),
        )
    }

    /// The caller may not see or change the object (or it does not exist, for writes).
    pub(crate) fn access_denied() -> Self {
        Self::new(403, "ACCESSDENIEDEXCEPTION", "Access denied")
    }

    /// The credential lacks the method's scope; `message` is the text REST 2 uses for the
    /// same credential.
    pub(crate) fn insufficient_scope(message: Cow<'static, str>) -> Self {
        Self::new(403, "INSUFFICIENTSCOPEEXCEPTION", message)
    }

    /// A field of a related object in `select` that the object does not have.
    pub(crate) fn unknown_property(field: &str, entity: &str) -> Self {
        Self::new(
            400,
            "UNKNOWNDTOPROPERTYEXCEPTION",
            format!("Unknown field `{field}` for entity `{entity}`"),
        )
    }

    /// The `Idempotency-Key` came before with another body.
    pub(crate) fn key_reused() -> Self {
        Self::new(
            422,
            "IDEMPOTENCYKEYREUSEDEXCEPTION",
            "The idempotency key was already used with a different request body",
        )
    }

    /// The `Idempotency-Key` is empty, too long, repeated or not printable ASCII.
    pub(crate) fn invalid_key() -> Self {
        Self::new(
            400,
            "INVALIDIDEMPOTENCYKEYEXCEPTION",
            "The idempotency key must be 1 to 255 printable ASCII characters",
        )
    }

    /// No REST 3.0 method of this name: REST 2's code, status and text, in this shape.
    pub(crate) fn method_not_found() -> Self {
        Self {
            status: 404,
            code: Cow::Borrowed("ERROR_METHOD_NOT_FOUND"),
            message: Cow::Borrowed("Method not found!"),
            validation: Vec::new(),
        }
    }

    /// The error body; `validation` only when there are violations.
    pub(crate) fn to_value(&self) -> Value {
        let mut error = vec![
            ("code", Value::str(self.code.as_ref())),
            ("message", Value::str(self.message.as_ref())),
        ];
        if !self.validation.is_empty() {
            let entries = self.validation.iter().map(|v| {
                Value::object([
                    ("message", Value::str(v.message.as_str())),
                    ("field", Value::str(v.field.as_str())),
                ])
            });
            error.push(("validation", Value::list(entries)));
        }
        Value::object([("error", Value::object(error))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_shape() {
        let error = ApiError::validation(vec![Violation::required("id")]);
        assert_eq!(
            serde_json::to_value(error.to_value()).unwrap(),
            serde_json::json!({"error": {
                "code": "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION",
                "message": "Error validating request object",
                "validation": [{"message": "Required field `id` is not specified", "field": "id"}]
            }})
        );
        let json = serde_json::to_value(ApiError::not_found(2).to_value()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {
                "code": "BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION",
                "message": "Record with ID = `2` not found"
            }})
        );
    }
}
