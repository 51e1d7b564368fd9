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
use super::route::Route;
use crate::__private::schema;
use crate::RestVersion;
use crate::error::ApiError;

/// A call of any method by its wire name, with JSON parameters, sent with
/// [`Client::call_raw_request`](crate::Client::call_raw_request) or in a
/// bulk run ([`Client::bulk`](crate::Client::bulk)).
///
/// A raw request is a REST 2 call, not safe to send twice, unless its
/// builder methods say otherwise: [`retry_safe`](Self::retry_safe) lets it
/// be sent again after an ambiguous failure (otherwise it gives
/// [`Error::OutcomeUnknown`]); [`rest_version`](Self::rest_version) sends it
/// to REST 3.0's address, where a request that
/// [`writes`](Self::writes) carries an `Idempotency-Key` and is therefore
/// repeated like a safe one. [`of`](Self::of) takes all of that from the
/// method's description.
///
/// ```
/// use bitrix24::{RawRequest, RestVersion};
///
/// let members = RawRequest::new("sonet_group.user.get", serde_json::json!({"ID": 69}))
///     .retry_safe(true);
/// assert_eq!(members.method(), "sonet_group.user.get");
///
/// let task = RawRequest::new("tasks.task.add", serde_json::json!({"fields": {"title": "Report"}}))
///     .rest_version(RestVersion::V3)
///     .writes(true)
///     .idempotency_key("report-2026-05");
/// assert_eq!(task.version(), RestVersion::V3);
/// assert!(task.is_write());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RawRequest {
    method: Cow<'static, str>,
    params: Value,
    retry_safe: bool,
    version: RestVersion,
    writes: bool,
    key: Option<String>,
}

impl RawRequest {
    /// A REST 2 call of `method` with `params` (a JSON object, or `null`
    /// for none), not safe to send twice.
    pub fn new(method: impl Into<Cow<'static, str>>, params: Value) -> Self {
        Self {
            method: method.into(),
            params,
            retry_safe: false,
            version: RestVersion::V2,
            writes: false,
            key: None,
        }
    }

    /// A call of the method `described` with `params`, with what its
    /// schema says of its REST version, writes and retries.
    pub fn of(described: &schema::Method, params: Value) -> Self {
        Self::new(described.name.clone(), params)
            .retry_safe(described.retry_safe)
            .rest_version(described.rest_version)
            .writes(described.writes)
    }

    /// Which REST version serves the method (default REST 2): REST 3.0's
    /// methods are called at `/rest/api/`, and cannot go into a `batch`.
    #[must_use]
    pub fn rest_version(mut self, version: RestVersion) -> Self {
        self.version = version;
        self
    }

    /// Whether the method creates, changes or deletes data (default
    /// `false`). A REST 3.0 request that writes carries an
    /// `Idempotency-Key`, the same on every attempt, so the server runs it at
    /// most once and it is sent again after an ambiguous failure; REST 2
    /// requests carry none.
    #[must_use]
    pub fn writes(mut self, writes: bool) -> Self {
        self.writes = writes;
        self
    }

    /// The `Idempotency-Key` to send instead of a random one; see
    /// [`Call::idempotency_key`](crate::Call::idempotency_key) for the rules.
    #[must_use]
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
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

    /// The REST version that serves the method.
    pub fn version(&self) -> RestVersion {
        self.version
    }

    /// Whether the method creates, changes or deletes data.
    pub fn is_write(&self) -> bool {
        self.writes
    }

    /// The key set with [`idempotency_key`](Self::idempotency_key).
    pub(crate) fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    /// What the execute path needs to know of the method.
    pub(crate) fn route(&self) -> Route<'_> {
        Route {
            method: &self.method,
            version: self.version,
            retry_safe: self.retry_safe,
            writes: self.writes,
        }
    }
}

impl BulkRequest for RawRequest {
    type Output = Result<Response<Value>, Error<ApiError>>;

    /// A REST 3.0 request makes a command the bulk run refuses without
    /// sending it ([`RequestError::NotBatchable`](crate::error::RequestError::NotBatchable)).
    fn command(&self) -> BulkCommand {
        let command = Command::named(
            self.method.clone(),
            self.retry_safe,
            crate::wire::to_php_query(&self.params),
        );
        BulkCommand(command.on(self.version))
    }

    fn read(&self, answer: BulkAnswer<'_>) -> Self::Output {
        answer.raw(&self.method)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_of_a_described_method_takes_its_version_and_retry_rule() {
        let described: schema::Method = serde_json::from_value(serde_json::json!({
            "name": "tasks.task.add", "family": "tasks", "summary": "Adds a task.",
            "access": "any user", "scopes": ["task"], "docs_url": "https://example.com",
            "rest_version": "3", "writes": true, "result": {"named": "tasks::Task"}
        }))
        .unwrap();
        let request = RawRequest::of(&described, serde_json::json!({"fields": {}}));
        assert_eq!(request.method(), "tasks.task.add");
        assert_eq!(request.version(), RestVersion::V3);
        assert!(request.is_write() && !request.is_retry_safe());
        assert_eq!(request.route().method, "tasks.task.add");
        assert!(request.route().idempotent());
        assert!(!RawRequest::new("x", Value::Null).route().idempotent());
    }
}
