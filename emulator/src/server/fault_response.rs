//! What a client sees for each injected fault.

use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use futures_util::{StreamExt, stream};

use super::response::{JSON, html, json, json_bytes};
use crate::error::RestError;
use crate::faults::FaultKind;

const UNAVAILABLE_PAGE: &str = "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
const BAD_GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// A body cut short when the method never ran: the start of a success envelope.
const NEVER_FINISHED: &[u8] = br#"{"result":"#;

/// Renders `kind`. `real` is the answer the portal produced (status and JSON) when the fault
/// strikes after execution; `None` when it strikes before.
pub(super) fn render(kind: FaultKind, real: Option<(u16, Vec<u8>)>) -> Response {
    match kind {
        FaultKind::InternalError => json(
            500,
            json_bytes(&RestError::INTERNAL_SERVER_ERROR.to_value()),
        ),
        FaultKind::ServiceUnavailable => html(StatusCode::SERVICE_UNAVAILABLE, UNAVAILABLE_PAGE),
        FaultKind::HtmlError => html(StatusCode::BAD_GATEWAY, BAD_GATEWAY_PAGE),
        FaultKind::Delay => {
            let (status, body) = real.unwrap_or((200, NEVER_FINISHED.to_vec()));
            json(status, body)
        }
        FaultKind::TruncatedJson => {
            let (status, mut body) = real.unwrap_or((200, NEVER_FINISHED.to_vec()));
            body.truncate(body.len() / 2);
            json(status, body)
        }
        FaultKind::Drop => dropped(real),
    }
}

/// Whether a fault after execution still sends (part of) the portal's own answer, rather than
/// an error of its own.
pub(super) fn shows_answer(kind: FaultKind) -> bool {
    matches!(
        kind,
        FaultKind::Delay | FaultKind::TruncatedJson | FaultKind::Drop
    )
}

/// Announces the full length, sends at most half of the body, then fails the stream so the
/// server closes the connection mid-response.
fn dropped(real: Option<(u16, Vec<u8>)>) -> Response {
    let (status, body) = real.unwrap_or((200, NEVER_FINISHED.to_vec()));
    let full_length = body.len();
    let partial = body[..full_length / 2].to_vec();
    let chunks = stream::iter([partial])
        .map(Ok::<_, std::io::Error>)
        .chain(stream::once(async {
            // Give the partial chunk time to leave before the connection is torn down.
            tokio::time::sleep(Duration::from_millis(50)).await;
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                "injected drop",
            ))
        }));
    let mut response = Response::new(Body::from_stream(chunks));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(full_length));
    response
}
