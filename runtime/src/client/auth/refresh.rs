//! One refresh request to the OAuth server and the reading of its answer.
//!
//! The secrets go into a form body (`application/x-www-form-urlencoded`),
//! never into the URL, where proxies and servers would log them. Knows nothing
//! about when to refresh or where the new tokens are kept.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};

use crate::client::endpoint::redacted_location;
use crate::client::error::{DecodeError, OAuthErrorCode, RedirectError, RefreshError};
use crate::client::redact::{Masked, redact};
use crate::client::transport::Transport;

/// Where and as whom to refresh.
#[derive(Debug)]
pub(crate) struct RefreshClient {
    pub(crate) server: Url,
    pub(crate) client_id: String,
    pub(crate) client_secret: SecretString,
}

/// What a token answer gave: each part only if it was there and readable.
///
/// A half-valid answer still hands over what it holds, since the refresh
/// token sent is spent either way: an answer without a refresh token leaves
/// an access token that cannot be renewed, one without an access token a
/// refresh token for the next try, and an unreadable lifetime tokens that are
/// refreshed when the portal says they expired.
#[derive(Debug)]
pub(crate) struct Refreshed {
    pub(crate) access_token: Option<SecretString>,
    pub(crate) refresh_token: Option<SecretString>,
    pub(crate) lifetime: Option<Duration>,
    pub(crate) client_endpoint: Option<String>,
    /// What the answer lacked, for a warning; `None` for a whole answer.
    pub(crate) missing: Option<&'static str>,
}

/// The largest token answer read: the real ones are a few hundred bytes.
const MAX_TOKEN_ANSWER: usize = 64 * 1024;

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
        // A token answer is made of secrets, some of which nobody knows yet,
        // so no part of its body is ever quoted.
        let undecodable = |reason: &'static str| {
            RefreshError::Decode(DecodeError::new(
                exchange.status,
                Masked::fixed(reason),
                Masked::default(),
                exchange.body.len(),
            ))
        };
        if exchange.body.len() > MAX_TOKEN_ANSWER {
            return Err(undecodable("the token answer is larger than 64 KiB"));
        }
        let Ok(serde_json::Value::Object(answer)) =
            serde_json::from_slice::<serde_json::Value>(&exchange.body)
        else {
            return Err(undecodable("the token answer is not a JSON object"));
        };
        let text = |key: &str| {
            answer
                .get(key)
                .and_then(serde_json::Value::as_str)
                .filter(|value| !value.is_empty())
                .map(str::to_owned)
        };
        let (access, refresh) = (text("access_token"), text("refresh_token"));
        let mut secrets = secrets.to_vec();
        secrets.extend(
            access
                .iter()
                .chain(&refresh)
                .map(|token| SecretString::from(token.as_str())),
        );
        if let Some(code) = text("error") {
            return Err(RefreshError::Refused {
                code: OAuthErrorCode::from_code(redact(&code, &secrets).as_str()),
                description: redact(&text("error_description").unwrap_or_default(), &secrets)
                    .into_string(),
            });
        }
        let number = |key: &str| answer.get(key).map(lenient_integer);
        let (expires_in, expires) = (number("expires_in"), number("expires"));
        let readable_lifetime = !matches!(expires_in, Some(None)) && !matches!(expires, Some(None));
        let lifetime = lifetime(expires_in.flatten(), expires.flatten(), SystemTime::now());
        let missing = match (&access, &refresh) {
            (None, None) => {
                return Err(undecodable(
                    "the token answer has neither an access_token nor a refresh_token",
                ));
            }
            (None, Some(_)) => Some("access_token"),
            (Some(_), None) => Some("refresh_token"),
            (Some(_), Some(_)) if !readable_lifetime => Some("a readable expires_in"),
            (Some(_), Some(_)) => None,
        };
        Ok(Refreshed {
            access_token: access.map(SecretString::from),
            refresh_token: refresh.map(SecretString::from),
            lifetime,
            client_endpoint: text("client_endpoint"),
            missing,
        })
    }
}

/// An integer, or a string of one; `None` for anything else.
fn lenient_integer(value: &serde_json::Value) -> Option<i64> {
    match value {
        serde_json::Value::Number(number) => number.as_i64(),
        serde_json::Value::String(text) => text.trim().parse().ok(),
        _ => None,
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
