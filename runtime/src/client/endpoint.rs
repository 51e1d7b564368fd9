//! Checks that a URL may carry credentials.
//!
//! Credentials travel only over `https`, except to a loopback address when the
//! caller explicitly allowed plain `http` (tests, the local emulator). Knows
//! nothing about webhooks or OAuth beyond the URL itself.

use reqwest::Url;
use reqwest::header::HeaderValue;
use url::Host;

use super::error::ConfigError;
use super::redact::{Masked, redact};
use secrecy::SecretString;

/// Parses `text` and checks its scheme; never includes `text` in the error.
pub(crate) fn parse_url(
    text: &str,
    what: &'static str,
    allow_http_loopback: bool,
) -> Result<Url, ConfigError> {
    let url = Url::parse(text.trim()).map_err(|error| ConfigError::InvalidUrl {
        what,
        reason: error.to_string(),
    })?;
    let secure = match url.scheme() {
        "https" => true,
        "http" => allow_http_loopback && is_loopback(&url),
        _ => false,
    };
    if !secure {
        return Err(ConfigError::InsecureUrl { what });
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ConfigError::UrlShape {
            what,
            problem: "must not contain a user name or password",
        });
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::UrlShape {
            what,
            problem: "must not contain a query string or fragment",
        });
    }
    Ok(url)
}

/// Whether the URL's host is 127.0.0.0/8, `::1` or `localhost`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(address)) => address.is_loopback(),
        Some(Host::Ipv6(address)) => address.is_loopback(),
        None => false,
    }
}

/// A `Location` header made fit for an error message: resolved against the
/// request URL, without query string or fragment, with secrets masked.
pub(crate) fn redacted_location(
    location: Option<&HeaderValue>,
    request_url: &Url,
    secrets: &[SecretString],
) -> Option<Masked> {
    let text = location?.to_str().ok()?;
    let mut url = request_url.join(text).ok()?;
    url.set_query(None);
    url.set_fragment(None);
    // Credentials in the userinfo part are secrets too; drop them whatever they are.
    url.set_username("").ok()?;
    url.set_password(None).ok()?;
    // A secret may come percent-encoded (`wh0s%45cret`): mask it decoded,
    // with what must not reach a message (control characters) encoded again.
    let decoded = percent_encoding::percent_decode_str(url.as_str()).decode_utf8_lossy();
    let printable: String = decoded
        .chars()
        .map(|c| {
            if c.is_control() {
                let mut bytes = [0; 4];
                c.encode_utf8(&mut bytes)
                    .bytes()
                    .map(|byte| format!("%{byte:02X}"))
                    .collect()
            } else {
                c.to_string()
            }
        })
        .collect();
    Some(redact(&printable, secrets))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for text in [
            "http://127.0.0.1:8080/",
            "http://127.1.2.3/",
            "http://[::1]/",
            "http://LOCALHOST/",
        ] {
            assert!(is_loopback(&Url::parse(text).unwrap()), "{text}");
        }
        for text in [
            "http://10.0.0.1/",
            "http://example.com/",
            "http://localhost.example.com/",
        ] {
            assert!(!is_loopback(&Url::parse(text).unwrap()), "{text}");
        }
    }

    #[test]
    fn http_needs_loopback_and_permission() {
        assert!(parse_url("http://127.0.0.1/rest/", "URL", true).is_ok());
        assert!(parse_url("http://127.0.0.1/rest/", "URL", false).is_err());
        assert!(parse_url("http://portal.example/rest/", "URL", true).is_err());
        assert!(parse_url("ftp://127.0.0.1/", "URL", true).is_err());
    }
}
