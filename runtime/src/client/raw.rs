//! Calls of methods by wire name, with JSON parameters: for methods this
//! crate has no type for, and for tools that describe calls as data (a
//! command line, a file of commands).
//!
//! Knows what a raw call is and how its command and answer look in a bulk
//! run; the sending is the same as for a typed call.

use std::borrow::Cow;

use serde_json::Value;

use super::batch::Command;
use super::bulk::{BulkAnswer, BulkCommand, BulkRequest};
use super::error::Error;
use super::response::Response;
use crate::error::ApiError;

/// A call of any method by its wire name, with JSON parameters, sent with
/// [`Client::call_raw_request`](crate::Client::call_raw_request) or in a
/// bulk run ([`Client::bulk`](crate::Client::bulk)).
///
/// A raw request is not safe to send twice unless
/// [`retry_safe`](Self::retry_safe) says so: after an ambiguous failure it
/// gives [`Error::OutcomeUnknown`] instead of a retry.
///
/// ```
/// use bitrix24::RawRequest;
///
/// let members = RawRequest::new("sonet_group.user.get", serde_json::json!({"ID": 69}))
///     .retry_safe(true);
/// assert_eq!(members.method(), "sonet_group.user.get");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RawRequest {
    method: Cow<'static, str>,
    params: Value,
    retry_safe: bool,
}

impl RawRequest {
    /// A call of `method` with `params` (a JSON object, or `null` for
    /// none), not safe to send twice.
    pub fn new(method: impl Into<Cow<'static, str>>, params: Value) -> Self {
        Self {
            method: method.into(),
            params,
            retry_safe: false,
        }
    }

    /// Whether sending the call again after an ambiguous failure is
    /// harmless (reads are; most writes are not).
    #[must_use]
    pub fn retry_safe(mut self, safe: bool) -> Self {
        self.retry_safe = safe;
        self
    }

    /// The method's wire name.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The parameters.
    pub fn params(&self) -> &Value {
        &self.params
    }

    /// Whether the call may be sent again after an ambiguous failure.
    pub fn is_retry_safe(&self) -> bool {
        self.retry_safe
    }
}

impl BulkRequest for RawRequest {
    type Output = Result<Response<Value>, Error<ApiError>>;

    fn command(&self) -> BulkCommand {
        BulkCommand(Command::named(
            self.method.clone(),
            self.retry_safe,
            crate::wire::to_php_query(&self.params),
        ))
    }

    fn read(&self, answer: BulkAnswer<'_>) -> Self::Output {
        answer.raw(&self.method)
    }
}
