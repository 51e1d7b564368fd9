//! `--dry-run`: the requests a command would send, printed instead of
//! sent. Each is shown as the client sends it: `POST`, the address of the
//! method's REST version (REST 3.0's under `/rest/api/`) with the webhook
//! code as `***`, the headers that matter (an OAuth token as `***`, the
//! `Idempotency-Key` of a REST 3.0 write), and the JSON body.

use std::io::{self, Write};

use bitrix24::RawRequest;
use bitrix24::schema::RestVersion;
use serde_json::Value;

use crate::profiles::{Hidden, Profile};

/// Prints `requests` to `out`, a blank line between two.
pub fn print(out: &mut impl Write, portal: &Profile, requests: &[RawRequest]) -> io::Result<()> {
    for (n, request) in requests.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "POST {}",
            url(portal, request.method(), request.version())
        )?;
        writeln!(out, "Content-Type: application/json")?;
        if portal.webhook.is_none() {
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

/// The address of a call of `method` served by `version`: under the
/// webhook (`…/rest/USER/***/`, REST 3.0's `…/rest/api/USER/***/`), else
/// under the OAuth portal's REST address (REST 3.0's `api/` under it).
/// The client's own builder is private; this follows its rules.
fn url(portal: &Profile, method: &str, version: RestVersion) -> String {
    let api = version == RestVersion::V3;
    if let Some(Hidden(webhook)) = &portal.webhook {
        // `…/rest/USER/CODE/`, or REST 3.0's form `…/rest/api/USER/CODE/`.
        let trimmed = webhook.trim_end_matches('/');
        let mut segments: Vec<&str> = trimmed.rsplitn(3, '/').collect();
        segments.reverse();
        if let [before, user, _code] = segments.as_slice() {
            let prefix = before.strip_suffix("/api").unwrap_or(before);
            let api = if api { "api/" } else { "" };
            return format!("{prefix}/{api}{user}/***/{method}");
        }
        return crate::mask_webhook_codes(webhook);
    }
    let portal_url = portal.portal_url.as_deref().unwrap_or_default();
    let rest = portal_url.trim_end_matches('/');
    let rest = rest
        .strip_suffix("/rest/api")
        .map_or(rest.to_owned(), |prefix| format!("{prefix}/rest"));
    let api = if api { "api/" } else { "" };
    format!("{rest}/{api}{method}")
}

#[cfg(test)]
mod tests {
    use bitrix24::schema::RestVersion;

    use super::url;
    use crate::profiles::{Hidden, Profile};

    #[test]
    fn each_version_has_its_address_and_the_code_is_masked() {
        let webhook = |url: &str| Profile {
            webhook: Some(Hidden(url.to_owned())),
            ..Profile::default()
        };
        let oauth = |url: &str| Profile {
            portal_url: Some(url.to_owned()),
            ..Profile::default()
        };
        for (portal, rest, api) in [
            (
                webhook("https://p.bitrix24.com/rest/1/s3cr3t/"),
                "rest/1/***",
                "rest/api/1/***",
            ),
            (
                webhook("https://p.bitrix24.com/rest/api/1/s3cr3t"),
                "rest/1/***",
                "rest/api/1/***",
            ),
            (oauth("https://p.bitrix24.com/rest/"), "rest", "rest/api"),
            (
                oauth("https://p.bitrix24.com/rest/api/"),
                "rest",
                "rest/api",
            ),
        ] {
            assert_eq!(
                url(&portal, "user.get", RestVersion::V2),
                format!("https://p.bitrix24.com/{rest}/user.get")
            );
            assert_eq!(
                url(&portal, "main.eventlog.get", RestVersion::V3),
                format!("https://p.bitrix24.com/{api}/main.eventlog.get")
            );
        }
    }
}
