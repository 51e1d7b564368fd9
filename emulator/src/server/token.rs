//! `/oauth/token/`: the refresh-token grant, parameters in the query string or a form body,
//! answered in the authorization server's JSON shape.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;

use super::response::{json, json_bytes};
use crate::engine::Shared;
use crate::log::{AuthKind, LogEntry, Presented, masked};
use crate::php::Value;
use crate::wire::parse_str;

/// `member_id` of the emulated portal.
const MEMBER_ID: &str = "e3b0c44298fc1c149afbf4c8996fb924";

pub(super) async fn handle(State(shared): State<Arc<Shared>>, uri: Uri, body: Body) -> Response {
    let body = super::read_body(body, &shared.limits)
        .await
        .unwrap_or_default();
    let mut params = uri.query().map(parse_str).unwrap_or_default();
    params.replace_with(parse_str(&String::from_utf8_lossy(&body)));
    let text = |name: &str| params.get(name).and_then(Value::as_str);

    let mut inner = shared.lock();
    let now = shared.clock.now();
    let granted = inner.tokens.refresh(
        text("grant_type"),
        text("client_id"),
        text("client_secret"),
        text("refresh_token"),
        now,
    );
    let (status, answer, auth) = match granted {
        Ok(issued) => {
            inner.counters.refreshes += 1;
            let app = inner.tokens.app().cloned();
            let (user, client_id, scope) = app.map_or((0, String::new(), String::new()), |a| {
                (a.user, a.client_id, a.scopes.join(","))
            });
            let base = &shared.site.base_url;
            let answer = Value::object([
                ("access_token", Value::str(issued.access_token.expose())),
                ("client_endpoint", Value::Str(format!("{base}/rest/"))),
                ("domain", Value::Str(domain(base))),
                (
                    "expires",
                    Value::Int(shared.clock.unix_at(issued.expires_at).floor() as i64),
                ),
                (
                    "expires_in",
                    Value::Int(inner.tokens.lifetime().round() as i64),
                ),
                ("member_id", Value::str(MEMBER_ID)),
                ("refresh_token", Value::str(issued.refresh_token.expose())),
                ("scope", Value::Str(scope)),
                ("server_endpoint", Value::Str(format!("{base}/oauth/"))),
                ("status", Value::str("L")),
                ("user_id", Value::Int(user as i64)),
            ]);
            (200, answer, AuthKind::OAuth { user, client_id })
        }
        Err(error) => {
            let answer = Value::object([
                ("error", Value::Str(error.to_string())),
                ("error_description", Value::str(error.description())),
            ]);
            (400, answer, AuthKind::None)
        }
    };
    let error = answer
        .as_array()
        .and_then(|a| a.get("error"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    inner.log.push(LogEntry {
        seq: 0,
        method: "oauth/token".to_owned(),
        auth,
        params: masked(&params, &Presented::default()),
        status,
        error,
        executed: status == 200,
        fault: None,
        in_batch: false,
        rest_v3: false,
        idempotency_key: None,
        replayed: false,
    });
    json(status, json_bytes(&answer))
}

/// `host:port` of the base URL.
fn domain(base_url: &str) -> String {
    base_url.split("://").nth(1).unwrap_or(base_url).to_owned()
}
