//! The portal a command talks to: a webhook (`--webhook URL` or
//! `B24_WEBHOOK_URL`), or an OAuth application's tokens from the
//! environment, refreshed as the client refreshes them and, with
//! `B24_TOKEN_FILE`, kept in a file.
//!
//! Plain `http` is accepted for loopback addresses only (the emulator's);
//! the client refuses it for any other host. No secret from here reaches
//! any output: the client masks them, and this module prints nothing.

use bitrix24::secrecy::ExposeSecret;
use bitrix24::{Client, ClientBuilder, OAuthTokens, TokenStore, TokenStoreFuture};
use serde_json::json;

use crate::secret_file;

/// The environment variables an OAuth client is made from.
pub const OAUTH_VARIABLES: &str = "B24_PORTAL_URL (the portal's REST address), B24_ACCESS_TOKEN, B24_REFRESH_TOKEN, B24_CLIENT_ID, B24_CLIENT_SECRET, and optionally B24_OAUTH_SERVER and B24_TOKEN_FILE";

/// Why no client could be made: a usage error (nothing was sent).
#[derive(Debug)]
pub struct NoPortal(pub String);

/// The client for `webhook`, else for the OAuth variables.
pub async fn client(webhook: Option<&str>) -> Result<Client, NoPortal> {
    if let Some(url) = webhook {
        return configure(ClientBuilder::webhook(url))
            .build()
            .map_err(|error| NoPortal(error.to_string()));
    }
    let var = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
    let Some(portal) = var("B24_PORTAL_URL") else {
        return Err(NoPortal(format!(
            "no portal: pass --webhook URL, set B24_WEBHOOK_URL, or set {OAUTH_VARIABLES}"
        )));
    };
    let file = var("B24_TOKEN_FILE").map(std::path::PathBuf::from);
    let builder = match (&file, var("B24_ACCESS_TOKEN")) {
        (Some(file), _) if file.exists() => {
            ClientBuilder::oauth_from_store(portal, TokenFile(file.clone()))
                .await
                .map_err(|error| {
                    NoPortal(format!("cannot load the tokens of B24_TOKEN_FILE: {error}"))
                })?
        }
        (_, Some(access)) => {
            let tokens = match var("B24_REFRESH_TOKEN") {
                Some(refresh) => OAuthTokens::new(access, refresh),
                None => OAuthTokens::access_only(access),
            };
            let builder = ClientBuilder::oauth(portal, tokens);
            match file {
                Some(file) => builder.token_store(TokenFile(file)),
                None => builder,
            }
        }
        (_, None) => {
            return Err(NoPortal(format!(
                "B24_PORTAL_URL is set but no tokens are: set {OAUTH_VARIABLES}"
            )));
        }
    };
    let mut builder = configure(builder);
    if let (Some(id), Some(secret)) = (var("B24_CLIENT_ID"), var("B24_CLIENT_SECRET")) {
        builder = builder.oauth_app(id, secret);
    }
    if let Some(server) = var("B24_OAUTH_SERVER") {
        builder = builder.oauth_server(server);
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
            // A few hundred bytes: written at once, as the one-thread
            // runtime would wait for them anyway.
            secret_file::write(&self.0, text.to_string().as_bytes())?;
            Ok(())
        })
    }
}
