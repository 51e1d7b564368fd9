//! OAuth credentials that renew themselves: the current token pair and a
//! single-flight refresh.
//!
//! Many calls may find the token expired at once; exactly one of them asks the
//! OAuth server while the others wait and then use the new token. A
//! generation counter tells a waiter whether the token it used has already
//! been replaced. Knows nothing about method calls or retries.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use reqwest::Url;
use secrecy::SecretString;
use tokio::time::Instant;

use crate::RestVersion;
use crate::client::error::RefreshError;
use crate::client::transport::Transport;

use super::refresh::{LONGEST_TOKEN_LIFETIME, RefreshClient};
use super::tokens::{OAuthTokens, StoreHandle};
use crate::client::redact::redact;

/// The token a call is made with, and which generation it belongs to.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub(crate) access_token: SecretString,
    pub(crate) generation: u64,
    refresh_attempts: u64,
}

#[derive(Debug)]
struct Current {
    tokens: OAuthTokens,
    generation: u64,
    /// When the access token expires, on tokio's clock.
    expires_at: Option<Instant>,
}

/// What the last refresh did, kept under the refresh lock.
#[derive(Debug, Default)]
struct Ledger {
    last_failure: Option<RefreshError>,
}

#[derive(Debug)]
pub(crate) struct OAuth {
    /// REST 2's address, such as `https://portal/rest/`.
    endpoint: Url,
    /// REST 3.0's address, `api/` under REST 2's.
    api: Url,
    refresher: Option<RefreshClient>,
    store: Option<StoreHandle>,
    refresh_margin: Duration,
    current: Mutex<Current>,
    refresh_attempts: AtomicU64,
    refresh_lock: tokio::sync::Mutex<Ledger>,
    /// Whether the current pair is yet to be saved: its save failed.
    unsaved: AtomicBool,
    /// One save at a time, so an older pair never overwrites a newer one.
    save_lock: tokio::sync::Mutex<()>,
}

impl OAuth {
    pub(crate) fn new(
        endpoint: Url,
        tokens: OAuthTokens,
        refresher: Option<RefreshClient>,
        store: Option<StoreHandle>,
        refresh_margin: Duration,
    ) -> Self {
        let expires_at = tokens.expires_at().map(|at| {
            let left = at.duration_since(SystemTime::now()).unwrap_or_default();
            Instant::now() + left.min(LONGEST_TOKEN_LIFETIME)
        });
        let (endpoint, api) = rest_addresses(endpoint);
        Self {
            endpoint,
            api,
            refresher,
            store,
            refresh_margin,
            current: Mutex::new(Current {
                tokens,
                generation: 0,
                expires_at,
            }),
            refresh_attempts: AtomicU64::new(0),
            refresh_lock: tokio::sync::Mutex::new(Ledger::default()),
            unsaved: AtomicBool::new(false),
            save_lock: tokio::sync::Mutex::new(()),
        }
    }

    /// The current token pair.
    pub(crate) fn tokens(&self) -> OAuthTokens {
        self.lock_current().tokens.clone()
    }

    /// The URL of a call of `method`, served by `version`; carries no
    /// secret.
    pub(crate) fn method_url(&self, method: &str, version: RestVersion) -> Url {
        let base = match version {
            RestVersion::V2 => &self.endpoint,
            RestVersion::V3 => &self.api,
        };
        super::method_url(base, method)
    }

    pub(crate) fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// The tokens as they are now, for redaction.
    pub(crate) fn secrets(&self) -> Vec<SecretString> {
        let current = self.lock_current();
        let mut secrets = vec![current.tokens.access_token().clone()];
        secrets.extend(current.tokens.refresh_token().cloned());
        if let Some(refresher) = &self.refresher {
            secrets.push(refresher.client_secret.clone());
        }
        secrets
    }

    /// The token to call with, refreshed first when it is about to expire.
    ///
    /// A failed early refresh is an error only once the token has actually
    /// expired; before that the old token is still good.
    pub(crate) async fn grant(&self, transport: &Transport) -> Result<Grant, RefreshError> {
        if self.unsaved.load(Ordering::Acquire) {
            self.save().await;
        }
        let (grant, expires_at) = self.snapshot();
        let Some(expires_at) = expires_at else {
            return Ok(grant);
        };
        let now = Instant::now();
        if now + self.refresh_margin < expires_at || !self.can_refresh() {
            return Ok(grant);
        }
        match self.refresh(&grant, transport).await {
            Ok(()) => Ok(self.snapshot().0),
            Err(error) if now < expires_at => {
                tracing::warn!(error = %error, "early token refresh failed; using the current token");
                Ok(grant)
            }
            Err(error) => Err(error),
        }
    }

    /// Whether a refresh token and client credentials are configured.
    pub(crate) fn can_refresh(&self) -> bool {
        self.refresher.is_some() && self.lock_current().tokens.refresh_token().is_some()
    }

    /// Replaces the token `stale` was made with, unless another call already has.
    ///
    /// Callers that waited while another call's refresh failed get that
    /// failure instead of asking the OAuth server again.
    pub(crate) async fn refresh(
        &self,
        stale: &Grant,
        transport: &Transport,
    ) -> Result<(), RefreshError> {
        let mut ledger = self.refresh_lock.lock().await;
        if self.lock_current().generation != stale.generation {
            return Ok(());
        }
        if self.refresh_attempts.load(Ordering::Acquire) != stale.refresh_attempts
            && let Some(failure) = &ledger.last_failure
        {
            return Err(failure.clone());
        }
        let (Some(refresher), Some(refresh_token)) = (
            self.refresher.as_ref(),
            self.lock_current().tokens.refresh_token().cloned(),
        ) else {
            return Ok(());
        };
        self.refresh_attempts.fetch_add(1, Ordering::AcqRel);
        tracing::debug!("refreshing the OAuth access token");
        match refresher.refresh(transport, &refresh_token).await {
            Ok(refreshed) => {
                ledger.last_failure = None;
                {
                    let mut current = self.lock_current();
                    let renewed = refreshed.access_token.is_some();
                    // Without a new access token the old one stays, known to
                    // have expired, so the next call refreshes again.
                    let access = refreshed
                        .access_token
                        .unwrap_or_else(|| current.tokens.access_token().clone());
                    let lifetime = if renewed {
                        refreshed.lifetime
                    } else {
                        Some(Duration::ZERO)
                    };
                    let mut tokens = OAuthTokens::from_parts(access, refreshed.refresh_token)
                        .with_client_endpoint(refreshed.client_endpoint);
                    if let Some(lifetime) = lifetime {
                        tokens = tokens.with_expires_at(SystemTime::now() + lifetime);
                    }
                    current.tokens = tokens;
                    current.generation += 1;
                    current.expires_at = lifetime.map(|lifetime| Instant::now() + lifetime);
                }
                match refreshed.missing {
                    None => tracing::info!("OAuth access token refreshed"),
                    Some(missing) => tracing::warn!(
                        missing,
                        "the OAuth server's token answer lacked a part; the tokens it held are kept and saved"
                    ),
                }
                self.unsaved.store(self.store.is_some(), Ordering::Release);
                // The calls waiting for the refresh go on with the new
                // token while the store saves it.
                drop(ledger);
                self.save().await;
                Ok(())
            }
            Err(error) => {
                tracing::warn!(error = %error, "OAuth token refresh failed");
                ledger.last_failure = Some(error.clone());
                Err(error)
            }
        }
    }

    /// Hands the current pair to the store, if it has not taken it yet; a
    /// failure is logged, with the client's secrets masked, and the save is
    /// tried again at the next call.
    async fn save(&self) {
        let Some(store) = &self.store else { return };
        let Ok(_one_at_a_time) = self.save_lock.try_lock() else {
            return;
        };
        if !self.unsaved.load(Ordering::Acquire) {
            return;
        }
        let (tokens, generation) = {
            let current = self.lock_current();
            (current.tokens.clone(), current.generation)
        };
        match store.0.save(&tokens).await {
            Ok(()) => {
                // A refresh during the save left a newer pair unsaved.
                if self.lock_current().generation == generation {
                    self.unsaved.store(false, Ordering::Release);
                }
            }
            Err(error) => {
                let message = redact(&error.to_string(), &self.secrets());
                tracing::warn!(error = %message, "the token store could not save the new tokens; trying again at the next call");
            }
        }
    }

    fn snapshot(&self) -> (Grant, Option<Instant>) {
        let current = self.lock_current();
        let grant = Grant {
            access_token: current.tokens.access_token().clone(),
            generation: current.generation,
            refresh_attempts: self.refresh_attempts.load(Ordering::Acquire),
        };
        (grant, current.expires_at)
    }

    // The lock guards plain data that every writer leaves consistent, so a
    // panic elsewhere while holding it leaves nothing half-written.
    fn lock_current(&self) -> std::sync::MutexGuard<'_, Current> {
        self.current.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// REST 2's and REST 3.0's addresses from the client endpoint, which ends
/// with `/`: REST 3.0's is `api/` under REST 2's, and an endpoint given in
/// REST 3.0's form (`…/rest/api/`) serves REST 2 at `…/rest/`.
fn rest_addresses(endpoint: Url) -> (Url, Url) {
    let rest = if endpoint.path().ends_with("/rest/api/") {
        endpoint.join("..").unwrap_or_else(|_| endpoint.clone())
    } else {
        endpoint
    };
    let api = rest.join("api/").unwrap_or_else(|_| rest.clone());
    (rest, api)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_v3_is_under_api_whichever_form_the_endpoint_has() {
        for endpoint in [
            "https://portal.example/rest/",
            "https://portal.example/rest/api/",
        ] {
            let (rest, api) = rest_addresses(Url::parse(endpoint).unwrap());
            assert_eq!(rest.as_str(), "https://portal.example/rest/");
            assert_eq!(api.as_str(), "https://portal.example/rest/api/");
        }
        let (rest, api) = rest_addresses(Url::parse("http://127.0.0.1:1/x/").unwrap());
        assert_eq!(rest.as_str(), "http://127.0.0.1:1/x/");
        assert_eq!(api.as_str(), "http://127.0.0.1:1/x/api/");
    }
}
