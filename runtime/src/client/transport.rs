//! One HTTP exchange: POST a body, read the status and the whole answer.
//!
//! Holds the `reqwest` client (TLS as the crate's features choose, no
//! redirects, timeouts, user agent).
//! Knows nothing about Bitrix24 envelopes, retries or which credentials it
//! carries beyond putting a bearer token into a header, nor about
//! idempotency beyond sending a key and reading whether the answer was
//! replayed.

use std::time::Duration;

use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, LOCATION, USER_AGENT as USER_AGENT_HEADER,
};
use reqwest::{Url, redirect};
use secrecy::{ExposeSecret, SecretString};

use super::error::{ConfigError, TransportError};
use super::idempotency::IdempotencyKey;

/// The request header that carries a REST 3.0 write's key.
const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// The answer header that says the server replayed a stored answer.
const IDEMPOTENT_REPLAYED: &str = "idempotent-replayed";

/// The `User-Agent` sent with every request.
pub(crate) const USER_AGENT: &str = concat!("bitrix24-rs/", env!("CARGO_PKG_VERSION"));

/// Settings of the HTTP layer.
#[derive(Debug, Clone)]
pub(crate) struct TransportSettings {
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) max_body_bytes: usize,
    pub(crate) user_agent: String,
    /// The caller's own HTTP client, if any.
    pub(crate) http: Option<reqwest::Client>,
}

/// The HTTP client shared by every call of a [`Client`](crate::Client).
#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    request_timeout: Duration,
    user_agent: HeaderValue,
    max_body_bytes: usize,
}

/// A complete HTTP answer.
#[derive(Debug)]
pub(crate) struct Exchange {
    pub(crate) status: u16,
    pub(crate) location: Option<HeaderValue>,
    /// Whether the answer is a stored one, replayed for a repeated key.
    pub(crate) replayed: bool,
    pub(crate) body: Vec<u8>,
    /// Whether the body was cut at the size limit.
    pub(crate) truncated: bool,
}

/// The TLS of the client the runtime builds: rustls with ring when
/// `rustls-ring` is on (and `native-tls`, which reqwest prefers, is not),
/// else reqwest's choice among what the features compiled in.
#[cfg(all(feature = "rustls-ring", not(feature = "native-tls")))]
fn tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, ConfigError> {
    use std::sync::Arc;
    let error = |error: rustls::Error| ConfigError::HttpClient(error.to_string());
    // reqwest takes ring only as the process's default provider, which is
    // the application's to choose; its own configuration is rebuilt here
    // around ring instead: the platform's verifier, HTTP/1.1 by ALPN.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone()).map_err(error)?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(error)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(builder.tls_backend_preconfigured(config))
}

/// The TLS of the client the runtime builds: reqwest's choice among what the
/// features compiled in, or none (plain http only).
#[cfg(not(all(feature = "rustls-ring", not(feature = "native-tls"))))]
fn tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, ConfigError> {
    Ok(builder)
}

impl Transport {
    pub(crate) fn new(settings: &TransportSettings) -> Result<Self, ConfigError> {
        let http = match &settings.http {
            Some(http) => http.clone(),
            None => tls(reqwest::Client::builder())?
                .connect_timeout(settings.connect_timeout)
                // A redirect would carry the credentials to a host nobody
                // chose; the caller reports it instead.
                .redirect(redirect::Policy::none())
                .build()
                .map_err(|error| ConfigError::HttpClient(error.without_url().to_string()))?,
        };
        let user_agent = HeaderValue::from_str(&settings.user_agent).map_err(|_| {
            ConfigError::InvalidSetting {
                setting: "user_agent",
                problem: "must be visible ASCII text",
            }
        })?;
        Ok(Self {
            http,
            request_timeout: settings.request_timeout,
            user_agent,
            max_body_bytes: settings.max_body_bytes,
        })
    }

    /// Sends `body` and reads the answer, up to the body size limit.
    pub(crate) async fn post(
        &self,
        url: Url,
        content_type: &'static str,
        bearer: Option<&SecretString>,
        key: Option<&IdempotencyKey>,
        body: Vec<u8>,
        timeout: Option<Duration>,
    ) -> Result<Exchange, TransportError> {
        let mut request = self
            .http
            .post(url)
            .header(CONTENT_TYPE, content_type)
            .header(ACCEPT, "application/json")
            .header(USER_AGENT_HEADER, self.user_agent.clone())
            .timeout(timeout.unwrap_or(self.request_timeout))
            .body(body);
        if let Some(token) = bearer {
            let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret()))
                .unwrap_or_else(|_| HeaderValue::from_static("Bearer"));
            // Keeps the header out of `Debug` output of the request.
            value.set_sensitive(true);
            request = request.header(AUTHORIZATION, value);
        }
        if let Some(key) = key {
            // A checked key is printable ASCII, which a header value holds.
            if let Ok(value) = HeaderValue::from_str(key.as_str()) {
                request = request.header(IDEMPOTENCY_KEY, value);
            }
        }
        let mut response = request.send().await.map_err(TransportError::from_reqwest)?;
        let status = response.status().as_u16();
        let location = response.headers().get(LOCATION).cloned();
        let replayed = response
            .headers()
            .get(IDEMPOTENT_REPLAYED)
            .is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"true"));
        // The body is read into one buffer, sized by `Content-Length` (at most
        // the limit) so that it is never moved while it grows, and handed on
        // without a copy; each chunk is freed once copied in.
        let expected = response
            .content_length()
            .and_then(|length| usize::try_from(length).ok())
            .unwrap_or(0);
        let mut body = Vec::with_capacity(expected.min(self.max_body_bytes));
        let mut truncated = false;
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(TransportError::from_reqwest)?
        {
            let room = self.max_body_bytes - body.len();
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Exchange {
            status,
            location,
            replayed,
            body,
            truncated,
        })
    }
}
