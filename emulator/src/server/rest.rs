//! `/rest/…`: decodes the request, applies faults around the pipeline, writes the answer and
//! the log entry.

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
    let body = super::read_body(body, &shared.limits).await;
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let request = wire::decode(
        &path,
        uri.query(),
        header(header::CONTENT_TYPE),
        header(header::AUTHORIZATION),
        &body,
    );

    let delay = shared.lock().faults.delay();
    match shared.decide_fault(FaultTiming::BeforeExecution) {
        Some(FaultKind::Delay) => tokio::time::sleep(delay).await,
        Some(kind) => {
            let response = fault_response::render(kind, None);
            shared.lock().log.push(LogEntry {
                seq: 0,
                method: request.method,
                auth: AuthKind::None,
                params: masked(
                    &request.params,
                    &Presented::new(request.credentials.secret()),
                ),
                status: response.status().as_u16(),
                error: None,
                executed: false,
                fault: Some(kind),
                in_batch: false,
            });
            return response;
        }
        None => {}
    }

    let processed = {
        let mut inner = shared.lock();
        Engine::new(&shared, &mut inner).process(request)
    };
    let body = json_bytes(&processed.body);
    let mut entry = processed.entry;
    let response = match shared.decide_fault(FaultTiming::AfterExecution) {
        Some(kind) => {
            if kind == FaultKind::Delay {
                tokio::time::sleep(delay).await;
            }
            entry.fault = Some(kind);
            fault_response::render(kind, Some((processed.status, body)))
        }
        None => json(processed.status, body),
    };
    entry.status = response.status().as_u16();
    shared.lock().log.push(entry);
    response
}
