//! One refresh request to the OAuth server and the reading of its answer.
//!
//! The secrets go into a form body (`application/x-www-form-urlencoded`),
//! never into the URL, where proxies and servers would log them. Knows nothing
//! about when to refresh or where the new tokens are kept.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::client::endpoint::redacted_location;
use crate::client::error::{DecodeError, OAuthErrorCode, RedirectError, RefreshError};
use crate::client::redact::{excerpt, redact};
use crate::client::transport::Transport;
use crate::wire::LenientInt;

use super::tokens::OAuthTokens;

/// Where and as whom to refresh.
#[derive(Debug)]
pub(crate) struct RefreshClient {
    pub(crate) server: Url,
    pub(crate) client_id: String,
    pub(crate) client_secret: SecretString,
}

/// New tokens, with how long the access token lives when the server said so.
#[derive(Debug)]
pub(crate) struct Refreshed {
    pub(crate) tokens: OAuthTokens,
    pub(crate) lifetime: Option<Duration>,
}

#[serde_with::serde_as]
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    refresh_token: Option<String>,
    #[serde_as(as = "Option<LenientInt>")]
    #[serde(default)]
    expires_in: Option<i64>,
    #[serde_as(as = "Option<LenientInt>")]
    #[serde(default)]
    expires: Option<i64>,
    client_endpoint: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// The longest lifetime a token answer is believed for. Bitrix24's tokens
/// live an hour; a server that claims more than a year gets a year, so no
/// clock arithmetic on the answer can overflow.
pub(crate) const LONGEST_TOKEN_LIFETIME: Duration = Duration::from_secs(366 * 24 * 3600);

/// How long a token lives, from `expires_in` (seconds) or else `expires`
/// (Unix seconds), at most [`LONGEST_TOKEN_LIFETIME`].
fn lifetime(expires_in: Option<i64>, expires: Option<i64>, now: SystemTime) -> Option<Duration> {
    expires_in
        .and_then(|seconds| u64::try_from(seconds).ok())
        .map(Duration::from_secs)
        .or_else(|| {
            let seconds = u64::try_from(expires?).ok()?;
            let expires = UNIX_EPOCH.checked_add(Duration::from_secs(seconds))?;
            expires.duration_since(now).ok()
        })
        .map(|lifetime| lifetime.min(LONGEST_TOKEN_LIFETIME))
}

impl RefreshClient {
    /// Exchanges `refresh_token` for a new pair.
    pub(crate) async fn refresh(
        &self,
        transport: &Transport,
        refresh_token: &SecretString,
    ) -> Result<Refreshed, RefreshError> {
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "refresh_token")
            .append_pair("client_id", &self.client_id)
            .append_pair("client_secret", self.client_secret.expose_secret())
            .append_pair("refresh_token", refresh_token.expose_secret())
            .finish();
        let exchange = transport
            .post(
                self.server.clone(),
                "application/x-www-form-urlencoded",
                None,
                body.into_bytes(),
                None,
            )
            .await
            .map_err(RefreshError::Transport)?;
        let secrets = [self.client_secret.clone(), refresh_token.clone()];
        if (300..400).contains(&exchange.status) {
            let location = redacted_location(exchange.location.as_ref(), &self.server, &secrets);
            return Err(RefreshError::Redirect(RedirectError::new(
                exchange.status,
                location,
            )));
        }
        let undecodable = |reason: String| {
            RefreshError::Decode(DecodeError::new(
                exchange.status,
                redact(&reason, &secrets),
                excerpt(&exchange.body, &secrets),
                exchange.body.len(),
            ))
        };
        let answer: TokenAnswer = serde_json::from_slice(&exchange.body)
            .map_err(|error| undecodable(error.to_string()))?;
        if let Some(code) = answer.error {
            return Err(RefreshError::Refused {
                code: OAuthErrorCode::from_code(&code),
                description: redact(&answer.error_description.unwrap_or_default(), &secrets),
            });
        }
        let (Some(access), Some(refresh)) = (answer.access_token, answer.refresh_token) else {
            return Err(undecodable(
                "the answer has no access_token or refresh_token".to_owned(),
            ));
        };
        let lifetime = lifetime(answer.expires_in, answer.expires, SystemTime::now());
        let mut tokens =
            OAuthTokens::new(access, refresh).with_client_endpoint(answer.client_endpoint);
        if let Some(lifetime) = lifetime {
            tokens = tokens.with_expires_at(SystemTime::now() + lifetime);
        }
        Ok(Refreshed { tokens, lifetime })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lifetime_is_believed_for_a_year_at_most() {
        let now = SystemTime::now();
        assert_eq!(
            lifetime(Some(3600), None, now),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(
            lifetime(Some(i64::MAX), None, now),
            Some(LONGEST_TOKEN_LIFETIME)
        );
        assert_eq!(
            lifetime(None, Some(i64::MAX), now),
            Some(LONGEST_TOKEN_LIFETIME)
        );
        assert_eq!(lifetime(Some(-5), Some(-5), now), None);
        assert_eq!(lifetime(None, Some(1), now), None, "already expired");
    }
}
