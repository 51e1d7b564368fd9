//! Who is calling: resolves presented credentials to a user, scopes and the key the operating
//! limit is kept under. Knows nothing about methods or HTTP.

use crate::error::RestError;
use crate::log::AuthKind;
use crate::oauth::TokenStore;
use crate::state::{Portal, User};
use crate::wire::Credentials;

/// An authenticated caller.
#[derive(Debug, Clone)]
pub(crate) struct Principal {
    pub(crate) user: User,
    pub(crate) scopes: Vec<String>,
    /// `apauth:<webhook>` or `oauth:<client_id>`: the operating limit is per credential.
    pub(crate) limiter_key: String,
    pub(crate) kind: AuthKind,
}

impl Principal {
    /// The scope error for this kind of credential (its text names webhook or token).
    pub(crate) fn scope_error(&self) -> RestError {
        match self.kind {
            AuthKind::Webhook { .. } => RestError::WEBHOOK_SCOPE,
            _ => RestError::TOKEN_SCOPE,
        }
    }
}

/// Checks the credentials: webhook user ID + code, or an access token.
pub(crate) fn authenticate(
    portal: &Portal,
    tokens: &TokenStore,
    credentials: &Credentials,
    now: f64,
) -> Result<Principal, RestError> {
    let (user_id, scopes, limiter_key, kind) = match credentials {
        Credentials::Missing => return Err(RestError::NO_AUTH_FOUND),
        Credentials::Webhook { user_id, code } => {
            let hook = portal
                .webhooks()
                .iter()
                .find(|w| w.user.to_string() == *user_id && w.code.expose() == code)
                .ok_or(RestError::INVALID_CREDENTIALS)?;
            (
                hook.user,
                hook.scopes.clone(),
                format!("apauth:{}", hook.id),
                AuthKind::Webhook {
                    user: hook.user,
                    webhook: hook.id,
                },
            )
        }
        Credentials::Token(token) => {
            let app = tokens.check(token, now)?;
            (
                app.user,
                app.scopes.clone(),
                format!("oauth:{}", app.client_id),
                AuthKind::OAuth {
                    user: app.user,
                    client_id: app.client_id.clone(),
                },
            )
        }
    };
    // `CRestUtil::makeAuth` refuses inactive or missing users.
    let user = portal
        .user(user_id)
        .filter(|u| u.active)
        .cloned()
        .ok_or(RestError::AUTHORIZATION_ERROR)?;
    Ok(Principal {
        user,
        scopes,
        limiter_key,
        kind,
    })
}
