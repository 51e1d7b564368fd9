//! Incoming-webhook credentials: `https://PORTAL/rest/USER_ID/CODE/`.
//!
//! Parses and checks the URL once, keeps the addresses with the code
//! private (REST 2's, and REST 3.0's with `api` after `rest`), and offers a
//! redacted form for display. Knows nothing about HTTP.

use std::fmt;

use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};

use crate::RestVersion;
use crate::client::endpoint::parse_url;
use crate::client::error::ConfigError;
use crate::client::redact::MASK;

const WHAT: &str = "webhook URL";

/// A checked webhook URL.
pub(crate) struct Webhook {
    /// REST 2's address with the code; never displayed.
    base: Url,
    /// REST 3.0's address with the code; never displayed.
    api: Url,
    code: SecretString,
    display: String,
}

impl Webhook {
    /// Checks the shape `…/rest/USER_ID/CODE/` (trailing slash optional).
    /// REST 3.0's form `…/rest/api/USER_ID/CODE/`, as some SDKs ask for, is
    /// the same webhook: REST 2 methods still go to `/rest/USER_ID/CODE/`.
    ///
    /// Errors never contain the code: they name the expected shape instead.
    pub(crate) fn parse(
        text: &SecretString,
        allow_http_loopback: bool,
    ) -> Result<Self, ConfigError> {
        let mut base = parse_url(text.expose_secret(), WHAT, allow_http_loopback)?;
        let shape = |problem| ConfigError::UrlShape {
            what: WHAT,
            problem,
        };
        let mut segments: Vec<String> = base
            .path_segments()
            .ok_or_else(|| shape("has no path; expected https://PORTAL/rest/USER_ID/CODE/"))?
            .map(str::to_owned)
            .collect();
        if segments.last().is_some_and(String::is_empty) {
            segments.pop();
        }
        let (prefix, user_id, code) = match segments.as_slice() {
            [prefix @ .., rest, api, user_id, code] if rest == "rest" && api == "api" => {
                (prefix, user_id, code)
            }
            [prefix @ .., rest, user_id, code] if rest == "rest" => (prefix, user_id, code),
            _ => return Err(shape("must end with /rest/USER_ID/CODE/")),
        };
        if user_id.is_empty() || !user_id.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(shape("must have a numeric USER_ID in /rest/USER_ID/CODE/"));
        }
        if code.is_empty() {
            return Err(shape("must have a CODE in /rest/USER_ID/CODE/"));
        }
        let code = SecretString::from(code.as_str());
        let prefix: Vec<&str> = prefix.iter().map(String::as_str).collect();
        let mut shown = base.clone();
        let mut path = prefix.clone();
        path.extend(["rest", user_id.as_str(), MASK, ""]);
        shown.set_path(&path.join("/"));
        let mut api = base.clone();
        let mut path = prefix.clone();
        path.extend(["rest", user_id.as_str(), code.expose_secret(), ""]);
        base.set_path(&path.join("/"));
        let mut path = prefix;
        path.extend(["rest", "api", user_id.as_str(), code.expose_secret(), ""]);
        api.set_path(&path.join("/"));
        Ok(Self {
            base,
            api,
            code,
            display: shown.to_string(),
        })
    }

    /// The URL of a call of `method`, served by `version`; carries the code.
    pub(crate) fn method_url(&self, method: &str, version: RestVersion) -> Url {
        let base = match version {
            RestVersion::V2 => &self.base,
            RestVersion::V3 => &self.api,
        };
        super::method_url(base, method)
    }

    /// The secret code, for redaction.
    pub(crate) fn code(&self) -> &SecretString {
        &self.code
    }

    /// The URL with the code replaced by `***`.
    pub(crate) fn display(&self) -> &str {
        &self.display
    }
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("url", &self.display)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Webhook, ConfigError> {
        Webhook::parse(&SecretString::from(text), true)
    }

    #[test]
    fn accepts_with_and_without_trailing_slash() {
        for text in [
            "https://portal.example/rest/1/abc123/",
            "https://portal.example/rest/1/abc123",
        ] {
            let hook = parse(text).unwrap();
            assert_eq!(
                hook.method_url("sonet_group.user.get", RestVersion::V2)
                    .as_str(),
                "https://portal.example/rest/1/abc123/sonet_group.user.get"
            );
            assert_eq!(hook.display(), "https://portal.example/rest/1/***/");
        }
    }

    #[test]
    fn rest_v3_calls_go_under_api_whichever_form_was_given() {
        for text in [
            "https://portal.example/rest/1/abc123/",
            "https://portal.example/rest/api/1/abc123/",
            "https://portal.example/rest/api/1/abc123",
        ] {
            let hook = parse(text).unwrap();
            assert_eq!(
                hook.method_url("tasks.task.add", RestVersion::V3).as_str(),
                "https://portal.example/rest/api/1/abc123/tasks.task.add",
                "{text}"
            );
            assert_eq!(
                hook.method_url("tasks.task.add", RestVersion::V2).as_str(),
                "https://portal.example/rest/1/abc123/tasks.task.add",
                "{text}"
            );
            assert_eq!(hook.display(), "https://portal.example/rest/1/***/");
            assert!(!format!("{hook:?}").contains("abc123"));
        }
        let hook = parse("http://127.0.0.1:8080/portal/rest/api/7/xyz").unwrap();
        assert_eq!(
            hook.method_url("m", RestVersion::V3).as_str(),
            "http://127.0.0.1:8080/portal/rest/api/7/xyz/m"
        );
        // `api` is the version's segment only right after `rest`.
        assert!(parse("https://portal.example/rest/api/abc123/").is_err());
        assert!(parse("https://portal.example/api/rest/1/abc123/").is_ok());
    }

    #[test]
    fn keeps_a_path_prefix() {
        let hook = parse("http://127.0.0.1:8080/portal/rest/7/xyz").unwrap();
        assert_eq!(
            hook.method_url("m", RestVersion::V2).as_str(),
            "http://127.0.0.1:8080/portal/rest/7/xyz/m"
        );
    }

    #[test]
    fn rejects_bad_shapes_without_echoing_the_code() {
        for text in [
            "https://portal.example/rest/abc123/",
            "https://portal.example/rest/x1/abc123/",
            "https://portal.example/api/1/abc123/",
            "https://portal.example/rest/1/abc123/?auth=abc123",
            "https://user:abc123@portal.example/rest/1/abc123/",
            "http://portal.example/rest/1/abc123/",
            "not a url abc123",
        ] {
            let error = parse(text)
                .err()
                .unwrap_or_else(|| panic!("accepted {text}"));
            assert!(!error.to_string().contains("abc123"), "{error}");
            assert!(!format!("{error:?}").contains("abc123"), "{error:?}");
        }
    }
}
