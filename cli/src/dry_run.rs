//! `--dry-run`: the requests a command would send, printed instead of
//! sent. Each is shown as the client sends it: `POST`, the address of the
//! method's REST version (REST 3.0's under `/rest/api/`) with the webhook
//! code as `***`, the headers that matter (an OAuth token as `***`, the
//! `Idempotency-Key` of a REST 3.0 write), and the JSON body.

use std::io::{self, Write};

use bitrix24::schema::RestVersion;
use bitrix24::{Client, RawRequest};
use serde_json::Value;

/// Prints `requests` to `out` as `client` would send them, a blank line
/// between two. The address is the client's own (`Client::method_address`),
/// with its secrets masked.
pub fn print(out: &mut impl Write, client: &Client, requests: &[RawRequest]) -> io::Result<()> {
    for (n, request) in requests.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "POST {}",
            client.method_address(request.method(), request.version())
        )?;
        writeln!(out, "Content-Type: application/json")?;
        if client.tokens().is_some() {
            writeln!(out, "Authorization: Bearer ***")?;
        }
        if request.version() == RestVersion::V3 && request.is_write() {
            // The key is made when the call is sent, and kept for its
            // retries: there is none yet to show.
            writeln!(
                out,
                "Idempotency-Key: <a new UUID, the same on every retry>"
            )?;
        }
        writeln!(out)?;
        let body = match request.params() {
            Value::Null => Value::Object(serde_json::Map::new()),
            params => params.clone(),
        };
        writeln!(out, "{body}")?;
    }
    Ok(())
}
