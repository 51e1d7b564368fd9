//! OAuth tokens as the application stores them, and the hook that receives
//! new ones.
//!
//! Knows nothing about when tokens are refreshed or how.

use std::fmt;
use std::time::SystemTime;

use secrecy::SecretString;

/// An OAuth access token with the refresh token that renews it.
///
/// `Debug` shows neither token.
#[derive(Debug, Clone)]
pub struct OAuthTokens {
    access_token: SecretString,
    refresh_token: Option<SecretString>,
    expires_at: Option<SystemTime>,
    client_endpoint: Option<String>,
}

impl OAuthTokens {
    /// An access token and the refresh token that renews it.
    pub fn new(access_token: impl Into<String>, refresh_token: impl Into<String>) -> Self {
        Self {
            access_token: SecretString::from(access_token.into()),
            refresh_token: Some(SecretString::from(refresh_token.into())),
            expires_at: None,
            client_endpoint: None,
        }
    }

    /// An access token that cannot be renewed; calls fail once it expires.
    pub fn access_only(access_token: impl Into<String>) -> Self {
        Self {
            access_token: SecretString::from(access_token.into()),
            refresh_token: None,
            expires_at: None,
            client_endpoint: None,
        }
    }

    /// When the access token expires, if known; the client then refreshes it
    /// shortly before instead of waiting for an `expired_token` answer.
    pub fn with_expires_at(mut self, expires_at: SystemTime) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    pub(crate) fn with_client_endpoint(mut self, endpoint: Option<String>) -> Self {
        self.client_endpoint = endpoint;
        self
    }

    /// The access token.
    pub fn access_token(&self) -> &SecretString {
        &self.access_token
    }

    /// The refresh token, if the tokens can be renewed.
    pub fn refresh_token(&self) -> Option<&SecretString> {
        self.refresh_token.as_ref()
    }

    /// When the access token expires, if known.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// The portal's REST address as the OAuth server reported it with new tokens.
    pub fn client_endpoint(&self) -> Option<&str> {
        self.client_endpoint.as_deref()
    }
}

/// Receives every new token pair, so the application can store it.
///
/// Bitrix24 issues a new refresh token with every refresh and the old one
/// stops working: a pair that is not stored is lost. The hook runs while other
/// calls wait for the refresh, so it should be quick (hand the tokens to a
/// channel or a task for slow storage).
///
/// Any `Fn(&OAuthTokens) + Send + Sync` closure is a hook.
pub trait TokenHook: Send + Sync + 'static {
    /// Called once for each successful refresh, with the new tokens.
    fn tokens_refreshed(&self, tokens: &OAuthTokens);
}

impl<F> TokenHook for F
where
    F: Fn(&OAuthTokens) + Send + Sync + 'static,
{
    fn tokens_refreshed(&self, tokens: &OAuthTokens) {
        self(tokens);
    }
}

/// A hook behind an `Arc`, with a `Debug` that shows only that it is there.
#[derive(Clone)]
pub(crate) struct SharedHook(pub(crate) std::sync::Arc<dyn TokenHook>);

impl fmt::Debug for SharedHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenHook")
    }
}
