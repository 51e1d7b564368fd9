//! `/rest/…`: decodes a REST 2 request and runs it through the pipeline between the two fault
//! decisions, which `/rest/api/…` shares: a fault before the method runs answers instead of
//! it; one after spoils the answer the method produced. Writes the answer and the log entry.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri, header};
use axum::response::Response;

use super::fault_response;
use super::response::{json, json_bytes};
use crate::engine::{Engine, Shared};
use crate::faults::{FaultKind, FaultTiming};
use crate::log::{AuthKind, LogEntry, Presented, masked};
use crate::wire;

pub(super) async fn handle(
    State(shared): State<Arc<Shared>>,
    Path(path): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let body = super::read_body(body, &shared.limits)
        .await
        .unwrap_or_default();
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let request = wire::decode(
        &path,
        uri.query(),
        header(header::CONTENT_TYPE),
        header(header::AUTHORIZATION),
        &body,
    );

    let untouched = || {
        let presented = Presented::new(request.credentials.secret());
        untouched_entry(&request.method, masked(&request.params, &presented), false)
    };
    if let Some(response) = fault_before(&shared, &request.method, untouched).await {
        return response;
    }
    let processed = {
        let mut inner = shared.lock();
        Engine::new(&shared, &mut inner).process(request)
    };
    let answer = Answer {
        status: processed.status,
        body: json_bytes(&processed.body),
        headers: HeaderMap::new(),
        entry: processed.entry,
    };
    fault_after(&shared, answer).await
}

/// What the pipeline produced, before a fault may spoil it.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) body: Vec<u8>,
    /// Headers of the answer itself, beyond the portal's usual ones.
    pub(super) headers: HeaderMap,
    pub(super) entry: LogEntry,
}

/// The log entry of a request that a fault stopped before anything looked at it.
pub(super) fn untouched_entry(method: &str, params: serde_json::Value, rest_v3: bool) -> LogEntry {
    LogEntry {
        seq: 0,
        method: method.to_owned(),
        auth: AuthKind::None,
        params,
        status: 0,
        error: None,
        executed: false,
        fault: None,
        in_batch: false,
        rest_v3,
        idempotency_key: None,
        replayed: false,
    }
}

/// Draws the fault that strikes before `method` runs. A delay is waited out and the request
/// goes on (`None`); any other fault is the answer, logged with `entry()`.
pub(super) async fn fault_before(
    shared: &Shared,
    method: &str,
    entry: impl FnOnce() -> LogEntry,
) -> Option<Response> {
    let delay = shared.lock().faults.delay();
    let kind = shared.decide_fault(FaultTiming::BeforeExecution, method)?;
    if kind == FaultKind::Delay {
        tokio::time::sleep(delay).await;
        return None;
    }
    let response = fault_response::render(kind, None);
    let mut entry = entry();
    entry.status = response.status().as_u16();
    entry.fault = Some(kind);
    shared.lock().log.push(entry);
    Some(response)
}

/// Sends `answer`, spoiled by the fault that strikes after the method ran if one does, and
/// logs it.
pub(super) async fn fault_after(shared: &Shared, answer: Answer) -> Response {
    let Answer {
        status,
        body,
        headers,
        mut entry,
    } = answer;
    let delay = shared.lock().faults.delay();
    let fault = shared.decide_fault(FaultTiming::AfterExecution, &entry.method);
    let mut response = match fault {
        Some(kind) => {
            if kind == FaultKind::Delay {
                tokio::time::sleep(delay).await;
            }
            entry.fault = Some(kind);
            fault_response::render(kind, Some((status, body)))
        }
        None => json(status, body),
    };
    // An error page of the front server is not the portal's answer and has none of its
    // headers.
    if fault.is_none_or(fault_response::shows_answer) {
        response.headers_mut().extend(headers);
    }
    entry.status = response.status().as_u16();
    shared.lock().log.push(entry);
    response
}
