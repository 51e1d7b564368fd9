//! Configuration of a [`Client`]: credentials, timeouts, limits, retries.
//!
//! Every setting has a default fit for a cloud portal; `build` checks them all
//! at once. Knows nothing about sending calls.

use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;

use super::auth::{
    Auth, OAuth, OAuthTokens, RefreshClient, StoreHandle, TokenStore, TokenStoreError,
    Webhook as WebhookAuth,
};
use super::endpoint::parse_url;
use super::error::ConfigError;
use super::handle::{Client, Inner};
use super::operating::{OperatingLimit, OperatingTracker};
use super::rate_limit::{Limiter, RateLimit};
use super::retry::RetryPolicy;
use super::transport::{Transport, TransportSettings, USER_AGENT};
use crate::wire::Decoding;

/// The OAuth server of Bitrix24 cloud portals.
pub const DEFAULT_OAUTH_SERVER: &str = "https://oauth.bitrix.info/oauth/token/";

/// Builds a [`Client`].
///
/// ```
/// use std::time::Duration;
/// use bitrix24::{ClientBuilder, RateLimit, RetryPolicy};
///
/// let client = ClientBuilder::webhook("https://example.bitrix24.com/rest/1/abc123/")
///     .rate_limit(RateLimit::enterprise())
///     .retry(RetryPolicy::default().max_attempts(3))
///     .request_timeout(Duration::from_secs(30))
///     .build()?;
/// assert_eq!(client.portal(), "https://example.bitrix24.com/rest/1/***/");
/// # Ok::<(), bitrix24::ConfigError>(())
/// ```
///
/// Defaults: connect timeout 10 s; request timeout 60 s (the cloud ends
/// requests after 60 s); [`RateLimit::standard`]; [`OperatingLimit::default`];
/// [`RetryPolicy::default`]; answers up to 256 MiB; `https` only; OAuth
/// refresh 60 s before a known expiry through [`DEFAULT_OAUTH_SERVER`].
///
/// The builder's type says which credentials it holds ([`Webhook`] or
/// [`OAuthApp`]), and each offers only its own settings:
///
/// ```
/// use bitrix24::{ClientBuilder, OAuthTokens};
///
/// let tokens = OAuthTokens::new("access", "refresh");
/// let client = ClientBuilder::oauth("https://example.bitrix24.com/rest/", tokens)
///     .oauth_app("local.app", "client-secret")
///     .build()?;
/// # Ok::<(), bitrix24::ConfigError>(())
/// ```
///
/// so an OAuth setting on a webhook builder does not compile, rather than
/// being ignored:
///
/// ```compile_fail,E0599
/// use bitrix24::ClientBuilder;
///
/// let client = ClientBuilder::webhook("https://example.bitrix24.com/rest/1/abc123/")
///     .oauth_app("local.app", "client-secret")
///     .build()?;
/// # Ok::<(), bitrix24::ConfigError>(())
/// ```
///
/// `Debug` never shows a secret.
#[derive(Debug)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder<C = Webhook> {
    credentials: C,
    allow_http_loopback: bool,
    connect_timeout: Duration,
    request_timeout: Duration,
    max_response_bytes: usize,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    rate_limit: RateLimit,
    operating_limit: OperatingLimit,
    retry: RetryPolicy,
    decoding: Decoding,
    #[cfg(feature = "redis")]
    shared_limits: Option<super::shared::SharedLimits>,
}

/// What a [`ClientBuilder`] for a webhook holds: the webhook's URL, with the
/// code in it.
#[derive(Debug)]
pub struct Webhook {
    url: SecretString,
}

/// What a [`ClientBuilder`] for an OAuth application holds: the portal's
/// REST address, the tokens, and what refreshing them needs.
#[derive(Debug)]
pub struct OAuthApp {
    endpoint: String,
    tokens: OAuthTokens,
    app: Option<(String, SecretString)>,
    server: String,
    store: Option<StoreHandle>,
    refresh_margin: Duration,
}

impl Webhook {
    fn into_auth(self, allow_http_loopback: bool) -> Result<Auth, ConfigError> {
        Ok(Auth::Webhook(Box::new(WebhookAuth::parse(
            &self.url,
            allow_http_loopback,
        )?)))
    }
}

impl OAuthApp {
    fn into_auth(self, allow_http_loopback: bool) -> Result<Auth, ConfigError> {
        let mut endpoint = parse_url(&self.endpoint, "OAuth client endpoint", allow_http_loopback)?;
        if !endpoint.path().ends_with('/') {
            let path = format!("{}/", endpoint.path());
            endpoint.set_path(&path);
        }
        let refresher = match self.app {
            Some((client_id, client_secret)) => Some(RefreshClient {
                server: parse_url(&self.server, "OAuth server URL", allow_http_loopback)?,
                client_id,
                client_secret,
            }),
            None => None,
        };
        Ok(Auth::OAuth(Box::new(OAuth::new(
            endpoint,
            self.tokens,
            refresher,
            self.store,
            self.refresh_margin,
        ))))
    }
}

impl<C> ClientBuilder<C> {
    fn with(credentials: C) -> Self {
        Self {
            credentials,
            allow_http_loopback: false,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_response_bytes: 256 * 1024 * 1024,
            user_agent: None,
            http_client: None,
            rate_limit: RateLimit::default(),
            operating_limit: OperatingLimit::default(),
            retry: RetryPolicy::default(),
            decoding: Decoding::default(),
            #[cfg(feature = "redis")]
            shared_limits: None,
        }
    }

    /// Sends through `client` instead of a `reqwest` client of its own: for
    /// a proxy, your own root certificates, or one connection pool for many
    /// portals (clone it for each).
    ///
    /// This builder's request timeout and user agent still apply to every
    /// request; the connect timeout, TLS and proxy settings are `client`'s.
    /// Build it with `redirect(reqwest::redirect::Policy::none())`: the
    /// client then reports a redirect as [`Error::Redirect`](crate::Error::Redirect)
    /// instead of following it (`reqwest` drops the bearer token on a
    /// redirect to another host either way).
    ///
    /// ```
    /// use bitrix24::{ClientBuilder, reqwest};
    ///
    /// let http = reqwest::Client::builder()
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()?;
    /// let first = ClientBuilder::webhook("https://one.bitrix24.com/rest/1/code/")
    ///     .http_client(http.clone())
    ///     .build()?;
    /// let second = ClientBuilder::webhook("https://two.bitrix24.com/rest/1/code/")
    ///     .http_client(http)
    ///     .build()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Allows plain `http` to loopback addresses (127.0.0.0/8, `::1`,
    /// `localhost`), for tests and a local emulator. Other hosts always need
    /// `https`.
    pub fn allow_http_loopback(mut self, allow: bool) -> Self {
        self.allow_http_loopback = allow;
        self
    }

    /// How long opening a connection may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one request may take, answer included (default 60 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The largest answer read, in bytes (default 256 MiB); a larger one is a decode error.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Names the integration in the `User-Agent`, after `bitrix24-rs/VERSION`.
    pub fn user_agent(mut self, product: impl Into<String>) -> Self {
        self.user_agent = Some(product.into());
        self
    }

    /// The client-side request-rate limit (default [`RateLimit::standard`]).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = limit;
        self
    }

    /// The per-method operating-time limit (default [`OperatingLimit::default`]).
    pub fn operating_limit(mut self, limit: OperatingLimit) -> Self {
        self.operating_limit = limit;
        self
    }

    /// Shares the portal's limits (the request bucket and each method's
    /// operating-time budget) with every process and machine whose client
    /// is set to the same Redis, instead of keeping them for this client
    /// alone. Needs the `redis` feature.
    ///
    /// The bucket is this builder's [`rate_limit`](Self::rate_limit), kept
    /// per portal host; what happens when Redis does not answer is set on
    /// [`SharedLimits`](super::SharedLimits).
    #[cfg(feature = "redis")]
    pub fn shared_limits(mut self, shared: super::shared::SharedLimits) -> Self {
        self.shared_limits = Some(shared);
        self
    }

    /// Attempts, backoff and overall deadline (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// What an answer whose values do not all fit their types gives
    /// (default [`Decoding::Tolerant`]: the rest of the answer, with the
    /// values that did not fit kept aside and reported). Tests of an
    /// integration may want [`Decoding::Strict`], which fails such calls.
    pub fn decoding(mut self, decoding: Decoding) -> Self {
        self.decoding = decoding;
        self
    }

    /// Checks the settings, then the credentials with `into_auth`, and
    /// creates the client.
    fn build_with(
        self,
        into_auth: fn(C, bool) -> Result<Auth, ConfigError>,
    ) -> Result<Client, ConfigError> {
        let invalid = |setting, problem| ConfigError::InvalidSetting { setting, problem };
        if self.connect_timeout.is_zero() {
            return Err(invalid("connect_timeout", "must be longer than zero"));
        }
        if self.request_timeout.is_zero() {
            return Err(invalid("request_timeout", "must be longer than zero"));
        }
        if self.max_response_bytes == 0 {
            return Err(invalid("max_response_bytes", "must be at least 1"));
        }
        if self.retry.attempts() == 0 {
            return Err(invalid("retry", "max_attempts must be at least 1"));
        }
        let quota = self
            .rate_limit
            .quota()
            .map_err(|problem| invalid("rate_limit", problem))?;
        let auth = into_auth(self.credentials, self.allow_http_loopback)?;
        let user_agent = match self.user_agent {
            Some(product) => format!("{USER_AGENT} {product}"),
            None => USER_AGENT.to_owned(),
        };
        let transport = Transport::new(&TransportSettings {
            connect_timeout: self.connect_timeout,
            request_timeout: self.request_timeout,
            max_body_bytes: self.max_response_bytes,
            user_agent,
            http: self.http_client,
        })?;
        #[cfg(feature = "redis")]
        let shared = match self.shared_limits {
            Some(settings) => Some(std::sync::Arc::new(super::shared::SharedStore::new(
                settings,
                &portal_host(&auth.display()),
            )?)),
            None => None,
        };
        Ok(Client::from_inner(Inner {
            auth,
            transport,
            limiter: Limiter::new(quota),
            operating: OperatingTracker::new(self.operating_limit),
            retry: self.retry,
            decoding: self.decoding,
            #[cfg(feature = "redis")]
            shared,
            #[cfg(feature = "redis")]
            bucket: self
                .rate_limit
                .burst()
                .zip(self.rate_limit.drain_interval()),
            #[cfg(feature = "blocking")]
            runtime: None,
        }))
    }
}

impl ClientBuilder<Webhook> {
    /// Checks the settings and creates the client.
    pub fn build(self) -> Result<Client, ConfigError> {
        self.build_with(Webhook::into_auth)
    }

    /// A client for an incoming webhook, from its URL
    /// `https://PORTAL/rest/USER_ID/CODE/` (trailing slash optional).
    ///
    /// The URL is checked by [`build`](Self::build); its code never appears in
    /// errors, logs or `Debug` output.
    pub fn webhook(url: impl Into<String>) -> Self {
        Self::with(Webhook {
            url: SecretString::from(url.into()),
        })
    }

    /// A client for an OAuth application, from the portal's REST address (the
    /// `client_endpoint` of the token answer, such as
    /// `https://example.bitrix24.com/rest/`) and the current tokens.
    ///
    /// To refresh expired tokens, also set
    /// [`oauth_app`](ClientBuilder::<OAuthApp>::oauth_app), and
    /// [`token_store`](ClientBuilder::<OAuthApp>::token_store)
    /// to keep the new ones: the builder this returns offers them, as a
    /// webhook builder does not.
    pub fn oauth(
        client_endpoint: impl Into<String>,
        tokens: OAuthTokens,
    ) -> ClientBuilder<OAuthApp> {
        ClientBuilder::with(OAuthApp {
            endpoint: client_endpoint.into(),
            tokens,
            app: None,
            server: DEFAULT_OAUTH_SERVER.to_owned(),
            store: None,
            refresh_margin: Duration::from_secs(60),
        })
    }

    /// A client for an OAuth application whose tokens `store` keeps: the
    /// stored pair is loaded now, and every new pair is saved to it.
    ///
    /// # Errors
    ///
    /// The store's own error, or one saying it holds no tokens.
    pub async fn oauth_from_store(
        client_endpoint: impl Into<String>,
        store: impl TokenStore,
    ) -> Result<ClientBuilder<OAuthApp>, TokenStoreError> {
        let tokens = store
            .load()
            .await?
            .ok_or_else(|| TokenStoreError::from("the token store holds no tokens"))?;
        Ok(Self::oauth(client_endpoint, tokens).token_store(store))
    }
}

/// Settings only an OAuth client has.
impl ClientBuilder<OAuthApp> {
    /// Checks the settings and creates the client.
    pub fn build(self) -> Result<Client, ConfigError> {
        self.build_with(OAuthApp::into_auth)
    }

    /// The application's client ID and secret, needed to refresh tokens.
    ///
    /// The secret is sent only to the OAuth server, never to the portal.
    pub fn oauth_app(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.credentials.app = Some((client_id.into(), SecretString::from(client_secret.into())));
        self
    }

    /// The OAuth server's token URL (default [`DEFAULT_OAUTH_SERVER`]).
    pub fn oauth_server(mut self, url: impl Into<String>) -> Self {
        self.credentials.server = url.into();
        self
    }

    /// Where every new token pair is saved: a [`TokenStore`], or a closure
    /// called with each new pair.
    pub fn token_store(mut self, store: impl TokenStore) -> Self {
        self.credentials.store = Some(StoreHandle(Arc::new(store)));
        self
    }

    /// How long before a known expiry the access token is refreshed (default 60 s).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.credentials.refresh_margin = margin;
        self
    }
}

/// The portal's host and port, which key its shared limits: every client of
/// one portal, webhook or OAuth, shares them.
#[cfg(feature = "redis")]
fn portal_host(portal: &str) -> String {
    match url::Url::parse(portal) {
        Ok(url) => match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            _ => String::new(),
        },
        Err(_) => String::new(),
    }
}

#[cfg(all(test, feature = "redis"))]
mod shared_key_tests {
    use super::portal_host;

    #[test]
    fn webhook_and_oauth_clients_of_one_portal_share_its_keys() {
        let webhook = portal_host("https://portal.bitrix24.com/rest/1/***/");
        let oauth = portal_host("https://portal.bitrix24.com/rest/");
        assert_eq!(webhook, "portal.bitrix24.com");
        assert_eq!(webhook, oauth);
        assert_eq!(
            portal_host("http://127.0.0.1:8024/rest/1/***/"),
            "127.0.0.1:8024"
        );
    }
}
