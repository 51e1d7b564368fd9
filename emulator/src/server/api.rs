//! `/rest/api/…`: decodes a REST 3.0 request, runs it through its pipeline between the fault
//! decisions shared with REST 2, and sends the `Idempotency-Key` headers with the answer.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::Response;

use super::rest::{Answer, fault_after, fault_before, untouched_entry};
use crate::engine::{Engine, Shared};
use crate::log::{Presented, masked};
use crate::wire;

const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

pub(super) async fn handle(
    State(shared): State<Arc<Shared>>,
    Path(path): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let body = super::read_body(body, &shared.limits).await;
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let keys: Vec<&[u8]> = headers
        .get_all(&IDEMPOTENCY_KEY)
        .iter()
        .map(HeaderValue::as_bytes)
        .collect();
    let request = wire::decode_api(
        &path,
        header(header::CONTENT_TYPE),
        header(header::AUTHORIZATION),
        &keys,
        body.as_deref(),
    );

    let untouched = || {
        let presented = Presented::new(request.credentials.secret());
        let params = request
            .params
            .as_ref()
            .map_or(serde_json::Value::Null, |p| masked(p, &presented));
        untouched_entry(&request.method, params, true)
    };
    if let Some(response) = fault_before(&shared, &request.method, untouched).await {
        return response;
    }
    let answer = {
        let mut inner = shared.lock();
        Engine::new(&shared, &mut inner).process_api(request)
    };
    let mut headers = HeaderMap::new();
    // A valid key is printable ASCII, so it is always a valid header value.
    if let Some(key) = answer.key.and_then(|k| HeaderValue::from_str(&k).ok()) {
        headers.insert(IDEMPOTENCY_KEY, key);
    }
    if answer.replayed {
        headers.insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    }
    let answer = Answer {
        status: answer.status,
        body: answer.body,
        headers,
        entry: answer.entry,
    };
    fault_after(&shared, answer).await
}
