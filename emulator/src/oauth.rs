//! The OAuth application and its tokens: access-token checks and the refresh grant of the
//! token endpoint. Every refresh issues a new pair and invalidates the old refresh token.
//!
//! Knows nothing about HTTP; times are emulated seconds.

use crate::error::RestError;
use crate::secret::Secret;
use crate::state::SeedOAuth;

/// The installed application.
#[derive(Debug, Clone)]
pub(crate) struct App {
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
    pub(crate) user: u64,
    pub(crate) scopes: Vec<String>,
}

#[derive(Debug, Clone)]
struct AccessToken {
    token: Secret,
    expires_at: f64,
}

/// A newly issued token pair.
#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub(crate) access_token: Secret,
    pub(crate) refresh_token: Secret,
    pub(crate) expires_at: f64,
}

/// An authorization-server error (`{"error": "invalid_grant", …}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum OAuthError {
    #[error("invalid_request")]
    Request,
    #[error("invalid_client")]
    Client,
    #[error("invalid_grant")]
    Grant,
}

impl OAuthError {
    pub(crate) fn description(self) -> &'static str {
        match self {
            OAuthError::Request => "Unsupported or missing grant_type",
            OAuthError::Client => "Invalid client_id or client_secret",
            OAuthError::Grant => "Invalid refresh token",
        }
    }
}

/// The token store.
#[derive(Debug)]
pub(crate) struct TokenStore {
    app: Option<App>,
    access: Vec<AccessToken>,
    refresh: Option<Secret>,
    lifetime: f64,
    rng: fastrand::Rng,
}

impl TokenStore {
    pub(crate) fn new(seed: Option<&SeedOAuth>, lifetime: f64, now: f64) -> Self {
        Self {
            app: seed.map(|s| App {
                client_id: s.client_id.clone(),
                client_secret: s.client_secret.clone(),
                user: s.user,
                scopes: s.scopes.clone(),
            }),
            access: seed
                .map(|s| AccessToken {
                    token: s.access_token.clone(),
                    expires_at: now + lifetime,
                })
                .into_iter()
                .collect(),
            refresh: seed.map(|s| s.refresh_token.clone()),
            lifetime,
            rng: fastrand::Rng::new(),
        }
    }

    pub(crate) fn app(&self) -> Option<&App> {
        self.app.as_ref()
    }

    pub(crate) fn lifetime(&self) -> f64 {
        self.lifetime
    }

    /// The newest access token and the current refresh token.
    pub(crate) fn current(&self) -> Option<(Secret, Secret)> {
        Some((self.access.last()?.token.clone(), self.refresh.clone()?))
    }

    /// Resolves an access token to the application, or explains why not.
    pub(crate) fn check(&self, token: &str, now: f64) -> Result<&App, RestError> {
        let app = self.app.as_ref().ok_or(RestError::INVALID_TOKEN)?;
        let found = self
            .access
            .iter()
            .find(|t| t.token.expose() == token)
            .ok_or(RestError::INVALID_TOKEN)?;
        if found.expires_at <= now {
            return Err(RestError::EXPIRED_TOKEN);
        }
        Ok(app)
    }

    /// Makes every issued access token expire at `now`.
    pub(crate) fn expire_all(&mut self, now: f64) {
        for t in &mut self.access {
            t.expires_at = t.expires_at.min(now);
        }
    }

    /// `grant_type=refresh_token`: checks the client, then the refresh token, then issues a
    /// new pair. Older access tokens stay valid until they expire.
    pub(crate) fn refresh(
        &mut self,
        grant_type: Option<&str>,
        client_id: Option<&str>,
        client_secret: Option<&str>,
        refresh_token: Option<&str>,
        now: f64,
    ) -> Result<Issued, OAuthError> {
        if grant_type != Some("refresh_token") {
            return Err(OAuthError::Request);
        }
        let app = self.app.as_ref().ok_or(OAuthError::Client)?;
        if client_id != Some(app.client_id.as_str())
            || client_secret != Some(app.client_secret.expose())
        {
            return Err(OAuthError::Client);
        }
        let current = self.refresh.as_ref().ok_or(OAuthError::Grant)?;
        if refresh_token != Some(current.expose()) {
            return Err(OAuthError::Grant);
        }
        let issued = Issued {
            access_token: Secret::random(&mut self.rng),
            refresh_token: Secret::random(&mut self.rng),
            expires_at: now + self.lifetime,
        };
        self.access.push(AccessToken {
            token: issued.access_token.clone(),
            expires_at: issued.expires_at,
        });
        self.refresh = Some(issued.refresh_token.clone());
        Ok(issued)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Seed;

    #[test]
    fn refresh_rotates_and_expiry_is_checked() {
        let seed = Seed::demo().oauth.unwrap();
        let mut store = TokenStore::new(Some(&seed), 100.0, 0.0);
        let (access, refresh) = store.current().unwrap();
        assert!(store.check(access.expose(), 50.0).is_ok());
        assert_eq!(
            store.check(access.expose(), 100.0).unwrap_err(),
            RestError::EXPIRED_TOKEN
        );
        assert_eq!(
            store.check("nope", 1.0).unwrap_err(),
            RestError::INVALID_TOKEN
        );

        let id = Some(seed.client_id.as_str());
        let secret = Some(seed.client_secret.expose());
        let grant = Some("refresh_token");
        assert_eq!(
            store
                .refresh(grant, id, Some("bad"), Some(refresh.expose()), 0.0)
                .unwrap_err(),
            OAuthError::Client
        );
        assert_eq!(
            store
                .refresh(None, id, secret, Some(refresh.expose()), 0.0)
                .unwrap_err(),
            OAuthError::Request
        );
        let issued = store
            .refresh(grant, id, secret, Some(refresh.expose()), 0.0)
            .unwrap();
        assert_ne!(issued.refresh_token, refresh);
        assert_eq!(
            store
                .refresh(grant, id, secret, Some(refresh.expose()), 0.0)
                .unwrap_err(),
            OAuthError::Grant
        );
        assert!(store.check(issued.access_token.expose(), 1.0).is_ok());
        store.expire_all(2.0);
        assert_eq!(
            store.check(issued.access_token.expose(), 2.0).unwrap_err(),
            RestError::EXPIRED_TOKEN
        );
    }
}
