//! OAuth tokens as the application stores them, and the store that keeps
//! them.
//!
//! Knows nothing about when tokens are refreshed or how.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
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

    pub(crate) fn from_parts(
        access_token: SecretString,
        refresh_token: Option<SecretString>,
    ) -> Self {
        Self {
            access_token,
            refresh_token,
            expires_at: None,
            client_endpoint: None,
        }
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

/// Why a [`TokenStore`] could not load or save: whatever the store reports.
pub type TokenStoreError = Box<dyn std::error::Error + Send + Sync>;

/// The future a [`TokenStore`] returns.
pub type TokenStoreFuture<'a, T> =
    Pin<Box<dyn Future<Output = Result<T, TokenStoreError>> + Send + 'a>>;

/// Where an OAuth client keeps its tokens: a file, a database row, a secret
/// manager.
///
/// Bitrix24 issues a new refresh token with every refresh and the old one
/// stops working, so a pair that is not stored is lost. The client saves
/// every new pair once the refresh is over, outside the lock other calls
/// wait on, so a slow store delays no call but the one that refreshed; a
/// save that fails is logged and tried again at the next call, and
/// [`Client::tokens`](crate::Client::tokens) always gives the current pair.
/// [`ClientBuilder::oauth_from_store`](crate::ClientBuilder::oauth_from_store)
/// starts a client from the stored pair.
///
/// Any `Fn(&OAuthTokens) + Send + Sync` closure is a store that saves by
/// calling it and loads nothing.
///
/// ```
/// use bitrix24::secrecy::ExposeSecret;
/// use bitrix24::{ClientBuilder, OAuthTokens, TokenStore, TokenStoreFuture};
///
/// /// The pair in a file: the access token, a line break, the refresh token.
/// struct FileStore(std::path::PathBuf);
///
/// impl TokenStore for FileStore {
///     fn load(&self) -> TokenStoreFuture<'_, Option<OAuthTokens>> {
///         Box::pin(async {
///             let text = std::fs::read_to_string(&self.0)?;
///             Ok(text.split_once('\n').map(|(access, refresh)| OAuthTokens::new(access, refresh)))
///         })
///     }
///
///     fn save<'a>(&'a self, tokens: &'a OAuthTokens) -> TokenStoreFuture<'a, ()> {
///         Box::pin(async move {
///             let refresh = tokens.refresh_token().map(|token| token.expose_secret().to_owned());
///             let text = format!("{}\n{}", tokens.access_token().expose_secret(), refresh.unwrap_or_default());
///             Ok(std::fs::write(&self.0, text)?)
///         })
///     }
/// }
///
/// # async fn example() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
/// # let path = std::env::temp_dir().join(format!("bitrix24-doc-tokens-{}", std::process::id()));
/// # std::fs::write(&path, "access\nrefresh")?;
/// let client = ClientBuilder::oauth_from_store("https://example.bitrix24.com/rest/", FileStore(path.clone()))
///     .await?
///     .oauth_app("local.app", "client secret")
///     .build()?;
/// assert_eq!(client.tokens().unwrap().access_token().expose_secret(), "access");
/// # std::fs::remove_file(path)?;
/// # Ok(()) }
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(example()).unwrap();
/// ```
pub trait TokenStore: Send + Sync + 'static {
    /// The stored tokens, if there are any.
    fn load(&self) -> TokenStoreFuture<'_, Option<OAuthTokens>> {
        Box::pin(async { Ok(None) })
    }

    /// Stores a new pair, replacing the one before.
    fn save<'a>(&'a self, tokens: &'a OAuthTokens) -> TokenStoreFuture<'a, ()>;
}

impl<F> TokenStore for F
where
    F: Fn(&OAuthTokens) + Send + Sync + 'static,
{
    fn save<'a>(&'a self, tokens: &'a OAuthTokens) -> TokenStoreFuture<'a, ()> {
        self(tokens);
        Box::pin(async { Ok(()) })
    }
}

/// A store behind an `Arc`, with a `Debug` that shows only that it is there.
#[derive(Clone)]
pub(crate) struct StoreHandle(pub(crate) std::sync::Arc<dyn TokenStore>);

impl fmt::Debug for StoreHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenStore")
    }
}
