//! How calls authenticate: an incoming webhook or an OAuth application.
//!
//! A webhook puts its secret code into the URL path; an OAuth application
//! sends its access token in an `Authorization: Bearer` header. The header is
//! preferred over the documented `auth` body parameter because the portal
//! checks it first, it never mixes with the method's parameters, and headers
//! marked sensitive stay out of `Debug` output, while bodies get logged.
//! For REST 3.0 it is also what keeps retries of a write idempotent: the
//! server stores an answer under the `Idempotency-Key` with the request body
//! and refuses the same key with another body, so a token in the body would
//! turn the repeat after a token refresh into a refused call.
//!
//! Each kind serves REST 2 at `/rest/…` and REST 3.0 at `/rest/api/…`.
//! Knows nothing about retries.

mod oauth;
mod refresh;
mod tokens;
mod webhook;

use reqwest::Url;
use secrecy::SecretString;

use super::error::RefreshError;
use super::transport::Transport;
use crate::RestVersion;

pub(crate) use oauth::{Grant, OAuth};
pub(crate) use refresh::RefreshClient;
pub(crate) use tokens::StoreHandle;
pub use tokens::{OAuthTokens, TokenStore, TokenStoreError, TokenStoreFuture};
pub(crate) use webhook::Webhook;

/// The credentials of a client.
#[derive(Debug)]
pub(crate) enum Auth {
    // Boxed, both: a webhook holds two addresses, the token state more.
    Webhook(Box<Webhook>),
    OAuth(Box<OAuth>),
}

/// Where to send one request and with which token.
#[derive(Debug)]
pub(crate) struct Target {
    pub(crate) url: Url,
    pub(crate) grant: Option<Grant>,
}

impl Auth {
    /// The request target for `method`, served by `version`, refreshing an
    /// OAuth token that is about to expire.
    pub(crate) async fn target(
        &self,
        method: &str,
        version: RestVersion,
        transport: &Transport,
    ) -> Result<Target, RefreshError> {
        let grant = match self {
            Self::Webhook(_) => None,
            Self::OAuth(oauth) => Some(oauth.grant(transport).await?),
        };
        Ok(Target {
            url: self.method_url(method, version),
            grant,
        })
    }

    /// The URL of a call of `method` served by `version`; a webhook's
    /// carries its code.
    pub(crate) fn method_url(&self, method: &str, version: RestVersion) -> Url {
        match self {
            Self::Webhook(webhook) => webhook.method_url(method, version),
            Self::OAuth(oauth) => oauth.method_url(method, version),
        }
    }

    /// Every secret the client holds now, for masking in errors and logs.
    pub(crate) fn secrets(&self) -> Vec<SecretString> {
        match self {
            Self::Webhook(webhook) => vec![webhook.code().clone()],
            Self::OAuth(oauth) => oauth.secrets(),
        }
    }

    /// The current OAuth tokens; `None` for a webhook.
    pub(crate) fn tokens(&self) -> Option<OAuthTokens> {
        match self {
            Self::Webhook(_) => None,
            Self::OAuth(oauth) => Some(oauth.tokens()),
        }
    }

    /// The portal address with any secret masked.
    pub(crate) fn display(&self) -> String {
        match self {
            Self::Webhook(webhook) => webhook.display().to_owned(),
            Self::OAuth(oauth) => oauth.endpoint().to_string(),
        }
    }
}

/// `method` appended to `base` as one path segment (escaped, so a name
/// cannot reach another path).
fn method_url(base: &Url, method: &str) -> Url {
    let mut url = base.clone();
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty().push(method);
    }
    url
}
