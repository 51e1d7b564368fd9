//! The REST 3.0 pipeline: rate limit, authentication, body, method lookup, scope,
//! `Idempotency-Key`, operating limit, execution, envelope.
//!
//! The bucket, credentials, operating limit, counters and `time` object are REST 2's, and so
//! are their errors: a client's token refresh and backoff work the same on both versions.
//! Everything past authentication answers in the REST 3.0 error shape.

use std::borrow::Cow;

use super::Engine;
use crate::auth::authenticate;
use crate::envelope::{date_c, json_bytes, success};
use crate::error::RestError;
use crate::log::{AuthKind, LogEntry, Presented, masked};
use crate::methods::Output;
use crate::php::Array;
use crate::v3::idempotency::{Lookup, Scope, StoredAnswer, body_fingerprint, key_fingerprint};
use crate::v3::{self, ApiCall, ApiError};
use crate::wire::{ApiRequest, KeyHeader};

/// The answer to a REST 3.0 request before it is written to the wire.
#[derive(Debug)]
pub(crate) struct ApiAnswer {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
    /// The `Idempotency-Key` to send back: every answer to a write with a valid key.
    pub(crate) key: Option<String>,
    /// The body is a stored answer sent again (`Idempotent-Replayed: true`).
    pub(crate) replayed: bool,
    /// The log entry, completed by the server with the fault and the final status.
    pub(crate) entry: LogEntry,
}

/// Why a call was not answered with a result.
enum Refusal {
    /// A REST 2 system error: rate limit, credentials, operating limit.
    System(RestError),
    Api(ApiError),
}

impl From<RestError> for Refusal {
    fn from(error: RestError) -> Self {
        Refusal::System(error)
    }
}

impl From<ApiError> for Refusal {
    fn from(error: ApiError) -> Self {
        Refusal::Api(error)
    }
}

impl Engine<'_> {
    /// Handles one decoded REST 3.0 request.
    pub(crate) fn process_api(&mut self, request: ApiRequest) -> ApiAnswer {
        let ApiRequest {
            method,
            credentials,
            params,
            key,
        } = request;
        self.presented = Presented::new(credentials.secret());
        let logged_params = params
            .as_ref()
            .map_or(serde_json::Value::Null, |p| masked(p, &self.presented));
        let mut answer = ApiAnswer {
            status: 200,
            body: Vec::new(),
            key: None,
            replayed: false,
            entry: LogEntry {
                seq: 0,
                method: method.clone(),
                auth: AuthKind::None,
                params: logged_params,
                status: 200,
                error: None,
                executed: false,
                fault: None,
                in_batch: false,
                rest_v3: true,
                idempotency_key: None,
                replayed: false,
            },
        };
        self.inner.counters.requests += 1;
        let (status, body, error) =
            match self.answer_api(&mut answer, &method, &credentials, params, key) {
                Ok((status, body)) => (status, body, None),
                Err(Refusal::System(e)) => (e.status, json_bytes(&e.to_value()), Some(e.code)),
                Err(Refusal::Api(e)) => (e.status, json_bytes(&e.to_value()), Some(e.code)),
            };
        answer.status = status;
        answer.body = body;
        answer.entry.status = status;
        answer.entry.error = error.map(Cow::into_owned);
        answer
    }

    fn answer_api(
        &mut self,
        answer: &mut ApiAnswer,
        method: &str,
        credentials: &crate::wire::Credentials,
        params: Option<Array>,
        key: KeyHeader,
    ) -> Result<(u16, Vec<u8>), Refusal> {
        let now = self.shared.clock.now();
        if !self.inner.bucket.try_acquire(now) {
            self.inner.counters.rate_limited += 1;
            return Err(RestError::QUERY_LIMIT_EXCEEDED.into());
        }
        let principal = authenticate(&self.inner.portal, &self.inner.tokens, credentials, now)?;
        answer.entry.auth = principal.kind.clone();
        let params = params.ok_or_else(ApiError::invalid_json)?;
        let api = v3::find(method).ok_or_else(ApiError::method_not_found)?;
        if !principal.scopes.iter().any(|s| s == api.scope) {
            return Err(ApiError::insufficient_scope(principal.scope_error().description).into());
        }

        // Reads ignore the header; writes with a valid key are answered once per body.
        let mut keep = None;
        if api.writes {
            match key {
                KeyHeader::Absent => {}
                KeyHeader::Invalid => return Err(ApiError::invalid_key().into()),
                KeyHeader::Valid(key) => {
                    answer.entry.idempotency_key = Some(key_fingerprint(&key));
                    answer.key = Some(key.clone());
                    let scope = Scope {
                        caller: format!("{}/{}", principal.limiter_key, principal.user.id),
                        method: api.name.to_owned(),
                        key,
                    };
                    let body = body_fingerprint(&params);
                    match self.inner.idempotency.lookup(&scope, body, now) {
                        Lookup::Fresh => keep = Some((scope, body)),
                        Lookup::Replay(stored) => {
                            answer.replayed = true;
                            answer.entry.replayed = true;
                            self.inner.counters.replayed += 1;
                            return Ok((stored.status, stored.body));
                        }
                        Lookup::Reused => return Err(ApiError::key_reused().into()),
                    }
                }
            }
        }

        let shared = self.shared;
        let user = principal.user.clone();
        let called_at = date_c(shared.clock.unix_now(), shared.offset);
        let (result, time) = self.metered(&principal, api.name, |portal| {
            (api.handler)(&mut ApiCall {
                portal,
                user,
                params: &params,
                now: called_at,
            })
        })?;
        answer.entry.executed = true;
        let body = json_bytes(&success(Output::new(result?), time));
        if let Some((scope, fingerprint)) = keep {
            let stored = StoredAnswer {
                status: 200,
                body: body.clone(),
            };
            self.inner
                .idempotency
                .store(scope, fingerprint, now, stored);
        }
        Ok((200, body))
    }
}
