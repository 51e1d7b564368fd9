//! Reading REST 3.0 parameters: required values and their types, with every problem of a
//! request collected into one validation error, as the server reports them.

use super::super::error::{ApiError, Violation};
use crate::php::{Array, Value};

/// The problems found so far in one request.
#[derive(Debug, Default)]
pub(super) struct Problems(Vec<Violation>);

impl Problems {
    pub(super) fn push(&mut self, violation: Violation) {
        self.0.push(violation);
    }

    /// The validation error, if anything was wrong.
    pub(super) fn check(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.0))
        }
    }

    /// A required integer (`id`, `responsibleId`); JSON `null` counts as absent.
    pub(super) fn required_int(&mut self, params: &Array, name: &str) -> Option<i64> {
        match params.get(name) {
            None | Some(Value::Null) => {
                self.push(Violation::required(name));
                None
            }
            Some(_) => self.int(params, name),
        }
    }

    /// An optional integer; a value of another type (`"5"` included) is a violation.
    pub(super) fn int(&mut self, params: &Array, name: &str) -> Option<i64> {
        match params.get(name)? {
            Value::Int(n) => Some(*n),
            _ => {
                self.push(Violation::wrong_type(name, "int"));
                None
            }
        }
    }

    /// An optional string.
    pub(super) fn string<'a>(&mut self, params: &'a Array, name: &str) -> Option<&'a str> {
        match params.get(name)? {
            Value::Str(s) => Some(s),
            _ => {
                self.push(Violation::wrong_type(name, "string"));
                None
            }
        }
    }

    /// A required object (`fields`).
    pub(super) fn required_object<'a>(
        &mut self,
        params: &'a Array,
        name: &str,
    ) -> Option<&'a Array> {
        match params.get(name) {
            None | Some(Value::Null) => {
                self.push(Violation::required(name));
                None
            }
            Some(Value::Array(a)) => Some(a),
            Some(_) => {
                self.push(Violation::wrong_type(name, "array"));
                None
            }
        }
    }
}
