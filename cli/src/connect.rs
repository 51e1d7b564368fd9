//! The portal a command talks to: a webhook (`--webhook URL` or
//! `B24_WEBHOOK_URL`), else an OAuth application's tokens from the
//! environment, else a profile (`--profile NAME`, or the default one);
//! OAuth tokens are refreshed as the client refreshes them and, with a
//! token file, kept in it.
//!
//! Plain `http` is accepted for loopback addresses only (the emulator's);
//! the client refuses it for any other host. No secret from here reaches
//! any output: the client masks them, and this module prints nothing.

use bitrix24::secrecy::ExposeSecret;
use bitrix24::{Client, ClientBuilder, OAuthTokens, TokenStore, TokenStoreFuture};
use serde_json::json;

use crate::profiles::{self, Hidden, Profile};
use crate::secret_file;

/// The environment variables an OAuth client is made from.
pub const OAUTH_VARIABLES: &str = "B24_PORTAL_URL (the portal's REST address), B24_ACCESS_TOKEN, B24_REFRESH_TOKEN, B24_CLIENT_ID, B24_CLIENT_SECRET, and optionally B24_OAUTH_SERVER and B24_TOKEN_FILE";

/// Why no client could be made: a usage error (nothing was sent).
#[derive(Debug)]
pub struct NoPortal(pub String);

/// The portal to call: `webhook` (`--webhook` or `B24_WEBHOOK_URL`), else
/// the OAuth variables when `B24_PORTAL_URL` is set, else the profile
/// named `profile`, else the default profile. What is given explicitly
/// wins over what was saved.
pub fn portal(webhook: Option<&str>, profile: Option<&str>) -> Result<Profile, NoPortal> {
    if let Some(url) = webhook {
        return Ok(Profile {
            webhook: Some(Hidden(url.to_owned())),
            ..Profile::default()
        });
    }
    let var = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
    if var("B24_PORTAL_URL").is_some() {
        return Ok(Profile::oauth(|_, variable| var(variable)));
    }
    profiles::pick(profile).map_err(NoPortal)?.ok_or_else(|| {
        NoPortal(format!(
            "no portal: pass --webhook URL, set B24_WEBHOOK_URL, add a profile (`b24 auth add NAME --webhook URL`), or set {OAUTH_VARIABLES}"
        ))
    })
}

/// The client of `portal`'s webhook, else of its OAuth tokens (those of
/// its token file when the file exists).
pub async fn client(portal: &Profile) -> Result<Client, NoPortal> {
    if let Some(Hidden(url)) = &portal.webhook {
        return configure(ClientBuilder::webhook(url))
            .build()
            .map_err(|error| NoPortal(error.to_string()));
    }
    let Some(portal_url) = portal.portal_url.clone() else {
        return Err(NoPortal(
            "the profile has neither a webhook nor a portal_url".to_owned(),
        ));
    };
    let builder = match (&portal.token_file, &portal.access_token) {
        (Some(file), _) if file.exists() => {
            ClientBuilder::oauth_from_store(portal_url, TokenFile(file.clone()))
                .await
                .map_err(|error| {
                    NoPortal(format!(
                        "cannot load the tokens of {}: {error}",
                        file.display()
                    ))
                })?
        }
        (_, Some(Hidden(access))) => {
            let tokens = match &portal.refresh_token {
                Some(Hidden(refresh)) => OAuthTokens::new(access.clone(), refresh.clone()),
                None => OAuthTokens::access_only(access.clone()),
            };
            let builder = ClientBuilder::oauth(portal_url, tokens);
            match &portal.token_file {
                Some(file) => builder.token_store(TokenFile(file.clone())),
                None => builder,
            }
        }
        (_, None) => {
            return Err(NoPortal(format!(
                "a portal address is given but no tokens are: set {OAUTH_VARIABLES}, or give the profile an access_token"
            )));
        }
    };
    let mut builder = configure(builder);
    if let (Some(id), Some(Hidden(secret))) = (&portal.client_id, &portal.client_secret) {
        builder = builder.oauth_app(id.clone(), secret.clone());
    }
    if let Some(server) = &portal.oauth_server {
        builder = builder.oauth_server(server.clone());
    }
    builder.build().map_err(|error| NoPortal(error.to_string()))
}

/// What every client of the command line has: http on loopback, and its
/// name in the user agent.
fn configure<C>(builder: ClientBuilder<C>) -> ClientBuilder<C> {
    builder
        .allow_http_loopback(true)
        .user_agent(concat!("b24/", env!("CARGO_PKG_VERSION")))
}

/// Tokens kept in a JSON file, `{"access_token": ..., "refresh_token": ...}`,
/// written again after every refresh.
struct TokenFile(std::path::PathBuf);

impl TokenStore for TokenFile {
    fn load(&self) -> TokenStoreFuture<'_, Option<OAuthTokens>> {
        Box::pin(async {
            let text = tokio::fs::read(&self.0).await?;
            let value: serde_json::Value = serde_json::from_slice(&text)
                .map_err(|_| bitrix24::TokenStoreError::from("the token file is not JSON"))?;
            let field = |name: &str| value.get(name).and_then(serde_json::Value::as_str);
            Ok(match (field("access_token"), field("refresh_token")) {
                (Some(access), Some(refresh)) => Some(OAuthTokens::new(access, refresh)),
                (Some(access), None) => Some(OAuthTokens::access_only(access)),
                _ => None,
            })
        })
    }

    fn save<'a>(&'a self, tokens: &'a OAuthTokens) -> TokenStoreFuture<'a, ()> {
        Box::pin(async move {
            let text = json!({
                "access_token": tokens.access_token().expose_secret(),
                "refresh_token": tokens.refresh_token().map(|token| token.expose_secret()),
            });
            secret_file::write(&self.0, text.to_string().as_bytes())?;
            Ok(())
        })
    }
}
