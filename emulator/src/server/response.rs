//! Response helpers: JSON as the portal sends it, and the plain 404 page.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub(super) use crate::envelope::json_bytes;

/// The portal's JSON content type.
pub(super) const JSON: &str = "application/json; charset=utf-8";

/// A JSON response with the portal's headers.
pub(super) fn json(status: u16, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// An HTML page with the given status.
pub(super) fn html(status: StatusCode, page: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}

pub(super) async fn not_found() -> Response {
    html(
        StatusCode::NOT_FOUND,
        "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>\n",
    )
}
