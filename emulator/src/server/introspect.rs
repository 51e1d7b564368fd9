//! `/_emulator/…`: the portal state, the request log and the counters as JSON, for tests and
//! people poking at a running emulator. Secrets are never part of these views.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;

use super::response::{json, json_bytes};
use crate::engine::Shared;

pub(super) async fn state(State(shared): State<Arc<Shared>>) -> Response {
    let snapshot = shared.lock().portal.snapshot();
    json(200, json_bytes(&snapshot))
}

pub(super) async fn log(State(shared): State<Arc<Shared>>) -> Response {
    // Only pointers are copied under the lock; serialising happens outside it.
    let entries = shared.lock().log.snapshot();
    let entries: Vec<&crate::log::LogEntry> = entries.iter().map(|e| &**e).collect();
    json(200, json_bytes(&entries))
}

pub(super) async fn counters(State(shared): State<Arc<Shared>>) -> Response {
    let body = json_bytes(&shared.lock().counters);
    json(200, body)
}
