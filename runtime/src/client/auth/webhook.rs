//! Incoming-webhook credentials: `https://PORTAL/rest/USER_ID/CODE/`.
//!
//! Parses and checks the URL once, keeps the one with the code private, and
//! offers a redacted form for display. Knows nothing about HTTP.

use std::fmt;

use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};

use crate::client::endpoint::parse_url;
use crate::client::error::ConfigError;
use crate::client::redact::MASK;

const WHAT: &str = "webhook URL";

/// A checked webhook URL.
pub(crate) struct Webhook {
    /// The URL with the code; never displayed.
    base: Url,
    code: SecretString,
    display: String,
}

impl Webhook {
    /// Checks the shape `…/rest/USER_ID/CODE/` (trailing slash optional).
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
        let [prefix @ .., rest, user_id, code] = segments.as_slice() else {
            return Err(shape("must end with /rest/USER_ID/CODE/"));
        };
        if rest != "rest" {
            return Err(shape("must end with /rest/USER_ID/CODE/"));
        }
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
        let mut path = prefix;
        path.extend(["rest", user_id.as_str(), code.expose_secret(), ""]);
        base.set_path(&path.join("/"));
        Ok(Self {
            base,
            code,
            display: shown.to_string(),
        })
    }

    /// The URL of a method call; carries the code.
    pub(crate) fn method_url(&self, method: &str) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().push(method);
        }
        url
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
                hook.method_url("sonet_group.user.get").as_str(),
                "https://portal.example/rest/1/abc123/sonet_group.user.get"
            );
            assert_eq!(hook.display(), "https://portal.example/rest/1/***/");
        }
    }

    #[test]
    fn keeps_a_path_prefix() {
        let hook = parse("http://127.0.0.1:8080/portal/rest/7/xyz").unwrap();
        assert_eq!(
            hook.method_url("m").as_str(),
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
