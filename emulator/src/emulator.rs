//! The library entry point: [`Emulator::builder`] configures a portal, [`EmulatorBuilder::start`]
//! runs it on a loopback port, and [`RunningEmulator`] hands out URLs and credentials, exposes
//! the state, log and counters, and shuts the server down (also on drop).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use chrono::FixedOffset;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::clock::Clock;
use crate::config::{OperatingLimit, ServerLimits};
use crate::engine::{Inner, Shared};
use crate::envelope::date_c;
use crate::error::Error;
use crate::faults::{FaultConfig, FaultState};
use crate::limits::{LeakyBucket, OperatingLimiter};
use crate::log::{Counters, LogEntry, RequestLog};
use crate::methods::Site;
use crate::oauth::TokenStore;
use crate::secret::Secret;
use crate::server;
use crate::state::{
    Group, InitiatedBy, Portal, PortalSnapshot, Role, Seed, SeedRelation, Task, User,
};
use crate::v3::idempotency::IdempotencyStore;

/// Entry point of the library.
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// A builder with the demo seed and the real server's defaults.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }
}

/// Configuration of an emulated portal.
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    seed: Seed,
    host: IpAddr,
    port: u16,
    burst: u32,
    drain_per_sec: f64,
    time_scale: f64,
    operating: OperatingLimit,
    token_lifetime: Duration,
    faults: FaultConfig,
    tls: bool,
    utc_offset_secs: i32,
    limits: ServerLimits,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self {
            seed: Seed::demo(),
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            burst: 50,
            drain_per_sec: 2.0,
            time_scale: 1.0,
            operating: OperatingLimit::default(),
            token_lifetime: Duration::from_secs(3600),
            faults: FaultConfig::default(),
            tls: false,
            utc_offset_secs: 3 * 3600,
            limits: ServerLimits::default(),
        }
    }
}

impl EmulatorBuilder {
    /// The portal's initial data (default: [`Seed::demo`]).
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = seed;
        self
    }

    /// Adds a user to the seed, for a test's own data
    /// (`.user(User::new(500, "Tester"))`).
    pub fn user(mut self, user: User) -> Self {
        self.seed.users.push(user);
        self
    }

    /// Adds a group to the seed; its owner becomes its `A` member.
    pub fn group(mut self, group: Group) -> Self {
        self.seed.groups.push(group);
        self
    }

    /// Adds `user` to `group` with `role` in the seed.
    pub fn member(mut self, group: u64, user: u64, role: Role) -> Self {
        self.seed.relations.push(SeedRelation {
            group,
            user,
            role,
            initiated_by: InitiatedBy::User,
        });
        self
    }

    /// Adds a task to the seed (REST 3.0 `tasks.task.*`).
    pub fn task(mut self, task: Task) -> Self {
        self.seed.tasks.push(task);
        self
    }

    /// The address to listen on (default 127.0.0.1).
    pub fn host(mut self, host: IpAddr) -> Self {
        self.host = host;
        self
    }

    /// The port (default 0: an ephemeral port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Leaky bucket: `burst` requests, draining `drain_per_sec` per emulated second
    /// (default 50 and 2, the non-Enterprise cloud plan).
    pub fn rate_limit(mut self, burst: u32, drain_per_sec: f64) -> Self {
        self.burst = burst;
        self.drain_per_sec = drain_per_sec;
        self
    }

    /// Runs limits and token expiry `scale` times faster than real time (default 1).
    pub fn time_scale(mut self, scale: f64) -> Self {
        self.time_scale = scale;
        self
    }

    /// The operating-time limit (default 420 s per method and 10 minutes).
    pub fn operating_limit(mut self, limit: OperatingLimit) -> Self {
        self.operating = limit;
        self
    }

    /// Access-token lifetime in emulated time (default one hour).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// Faults to inject (default none).
    pub fn faults(mut self, faults: FaultConfig) -> Self {
        self.faults = faults;
        self
    }

    /// Serves HTTPS with a self-signed certificate generated at start (default off).
    pub fn tls(mut self, enabled: bool) -> Self {
        self.tls = enabled;
        self
    }

    /// The portal's time zone for `date_start`/`date_finish` (default +03:00).
    pub fn utc_offset_secs(mut self, secs: i32) -> Self {
        self.utc_offset_secs = secs;
        self
    }

    /// How long a client may take to send a request head once it has started one (default
    /// 10 s); the connection is closed when it is late. Also bounds the TLS handshake.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.header_read_timeout = timeout;
        self
    }

    /// How long a keep-alive connection may sit without a request before it is closed
    /// (default 60 s). A request body must also arrive within this time, or it is ignored.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.limits.idle_timeout = timeout;
        self
    }

    /// Prepares the portal for a test whose tokio runtime starts paused
    /// (`#[tokio::test(start_paused = true)]`), where the portal's clock is the test's: waits of
    /// the client, the portal's limits and its token lifetimes then pass together and at once.
    /// Turns the connection timeouts off, since a paused runtime with nothing to do jumps to
    /// the next timer, and a header-read timeout would otherwise end a request in flight.
    pub fn paused_time(mut self) -> Self {
        self.limits.header_read_timeout = Duration::MAX;
        self.limits.idle_timeout = Duration::MAX;
        self
    }

    /// Connections served at once (default 512); more wait in the listen backlog until one
    /// closes.
    pub fn max_connections(mut self, max: usize) -> Self {
        self.limits.max_connections = max;
        self
    }

    /// The largest request body decoded (default 2 MiB). A longer body is ignored, its
    /// parameters absent, as PHP does past `post_max_size`.
    pub fn max_body_bytes(mut self, max: usize) -> Self {
        self.limits.max_body_bytes = max;
        self
    }

    /// How many recent entries the request log keeps (default 10,000); older ones are
    /// dropped, the counters keep counting.
    pub fn log_capacity(mut self, entries: usize) -> Self {
        self.limits.log_capacity = entries;
        self
    }

    /// How many REST 3.0 answers are kept for `Idempotency-Key` repeats (default 10,000);
    /// beyond it the oldest are dropped, and a repeat of a dropped one runs again. Answers
    /// also expire after 24 hours of the portal's emulated time.
    pub fn idempotency_capacity(mut self, answers: usize) -> Self {
        self.limits.idempotency_capacity = answers;
        self
    }

    fn check(&self) -> Result<FixedOffset, Error> {
        let invalid = |what: &str| Err(Error::Config(what.to_owned()));
        if !(self.time_scale.is_finite() && self.time_scale > 0.0) {
            return invalid("time scale must be a positive number");
        }
        if self.burst == 0 || !(self.drain_per_sec.is_finite() && self.drain_per_sec >= 0.0) {
            return invalid("rate limit needs a burst of at least 1 and a non-negative drain");
        }
        if self.token_lifetime.is_zero() {
            return invalid("token lifetime must be positive");
        }
        if self
            .faults
            .rules()
            .iter()
            .any(|r| !(0.0..=1.0).contains(&r.probability()))
        {
            return invalid("fault probabilities must be within 0..=1");
        }
        if self.limits.header_read_timeout.is_zero() || self.limits.idle_timeout.is_zero() {
            return invalid("header-read and idle timeouts must be positive");
        }
        if self.limits.max_connections == 0
            || self.limits.log_capacity == 0
            || self.limits.idempotency_capacity == 0
        {
            return invalid(
                "connection limit, log capacity and idempotency capacity must be at least 1",
            );
        }
        if self.seed.users.is_empty() {
            return invalid("the seed needs at least one user");
        }
        FixedOffset::east_opt(self.utc_offset_secs)
            .map_or_else(|| invalid("UTC offset out of range"), Ok)
    }

    /// Validates the configuration and seed, binds the port and starts serving.
    pub async fn start(self) -> Result<RunningEmulator, Error> {
        let offset = self.check()?;
        let clock = Clock::new(self.time_scale);
        let started = date_c(clock.unix_now(), offset);
        let mut portal = Portal::from_seed(&self.seed, &started)?;
        let (listener, addr) = server::bind(SocketAddr::new(self.host, self.port)).await?;
        let tls = self
            .tls
            .then(|| server::tls::self_signed(&self.host.to_string(), addr.port()))
            .transpose()?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        let base_url = format!("{scheme}://{addr}");

        let admin_hook = ensure_admin_webhook(&mut portal);
        let inner = Inner {
            tokens: TokenStore::new(
                self.seed.oauth.as_ref(),
                self.token_lifetime.as_secs_f64(),
                clock.now(),
            ),
            portal,
            bucket: LeakyBucket::new(self.burst, self.drain_per_sec),
            operating: OperatingLimiter::new(self.operating.limit_secs()),
            log: RequestLog::new(self.limits.log_capacity),
            counters: Counters::default(),
            faults: FaultState::new(self.faults),
            idempotency: IdempotencyStore::new(self.limits.idempotency_capacity),
        };
        let site = Site {
            base_url: base_url.clone(),
            created: started,
        };
        let shared = Arc::new(Shared::new(
            clock,
            site,
            offset,
            self.operating,
            self.limits,
            inner,
        ));

        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(server::serve(
            listener,
            tls.as_ref().map(|t| t.acceptor.clone()),
            Arc::clone(&shared),
            stopped,
        ));
        Ok(RunningEmulator {
            base_url,
            addr,
            admin_hook,
            certificate_pem: tls.map(|t| t.certificate_pem),
            shared,
            stop,
            task: Some(task),
        })
    }
}

/// The webhook handed out by [`RunningEmulator::webhook_url`]: the first one of an admin with
/// the `sonet_group` scope, created (for the first admin, else the first user, with the
/// `sonet_group`, `user` and `tasks` scopes) if missing.
fn ensure_admin_webhook(portal: &mut Portal) -> (u64, Secret) {
    let existing = portal.webhooks().iter().find(|w| {
        w.scopes.iter().any(|s| s == "sonet_group") && portal.user(w.user).is_some_and(|u| u.admin)
    });
    if let Some(hook) = existing {
        return (hook.user, hook.code.clone());
    }
    let user = portal
        .users()
        .find(|u| u.admin)
        .or(portal.users().next())
        .map_or(1, |u| u.id);
    let code = Secret::random(&mut fastrand::Rng::new());
    portal.add_webhook(
        user,
        code.clone(),
        vec!["sonet_group".into(), "user".into(), "tasks".into()],
    );
    (user, code)
}

/// OAuth credentials of the installed application, as a client would store them.
#[derive(Debug, Clone)]
pub struct OAuthCredentials {
    /// `client_id`.
    pub client_id: String,
    /// `client_secret`.
    pub client_secret: Secret,
    /// The newest access token.
    pub access_token: Secret,
    /// The current refresh token.
    pub refresh_token: Secret,
    /// The token endpoint, `…/oauth/token/`.
    pub token_url: String,
    /// The REST base for application calls, `…/rest/`.
    pub client_endpoint: String,
}

/// A running emulator. Dropping it stops the server.
pub struct RunningEmulator {
    base_url: String,
    addr: SocketAddr,
    admin_hook: (u64, Secret),
    certificate_pem: Option<String>,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for RunningEmulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunningEmulator")
            .field("base_url", &self.base_url)
            .field("tls", &self.certificate_pem.is_some())
            .finish_non_exhaustive()
    }
}

impl RunningEmulator {
    /// `http://127.0.0.1:PORT` (or `https://…`), without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `BASE/rest/USER/CODE/` of the admin webhook; append a method name to call it.
    pub fn webhook_url(&self) -> String {
        let (user, code) = &self.admin_hook;
        self.hook_url(*user, code)
    }

    /// `BASE/rest/api/USER/CODE/` of the admin webhook: REST 3.0; append a method name.
    pub fn api_url(&self) -> String {
        let (user, code) = &self.admin_hook;
        self.api_hook_url(*user, code)
    }

    /// `BASE/rest/api/USER/CODE/` of the first webhook of `user`, if it has one.
    pub fn api_url_for(&self, user: u64) -> Option<String> {
        let inner = self.shared.lock();
        let hook = inner.portal.webhooks().iter().find(|w| w.user == user)?;
        Some(self.api_hook_url(hook.user, &hook.code))
    }

    /// `BASE/rest/api/`: REST 3.0 for applications, with the token in
    /// `Authorization: Bearer` or the body's `auth`.
    pub fn api_endpoint(&self) -> String {
        format!("{}/rest/api/", self.base_url)
    }

    fn api_hook_url(&self, user: u64, code: &Secret) -> String {
        format!("{}/rest/api/{user}/{}/", self.base_url, code.expose())
    }

    /// A client of the `bitrix24` crate for the admin webhook, with plain
    /// http allowed for this loopback portal; feature `client`.
    #[cfg(feature = "client")]
    pub fn client(&self) -> bitrix24_runtime::Client {
        Self::client_of(&self.webhook_url())
    }

    /// A client for the first webhook of `user`, if it has one; feature
    /// `client`.
    #[cfg(feature = "client")]
    pub fn client_for(&self, user: u64) -> Option<bitrix24_runtime::Client> {
        self.webhook_url_for(user).map(|url| Self::client_of(&url))
    }

    #[cfg(feature = "client")]
    fn client_of(url: &str) -> bitrix24_runtime::Client {
        bitrix24_runtime::ClientBuilder::webhook(url)
            .allow_http_loopback(true)
            .build()
            // The URL is this portal's own, on loopback: always valid.
            .unwrap_or_else(|error| unreachable!("the emulator's webhook URL is valid: {error}"))
    }

    /// The URL of the first webhook of `user`, if it has one.
    pub fn webhook_url_for(&self, user: u64) -> Option<String> {
        let inner = self.shared.lock();
        let hook = inner.portal.webhooks().iter().find(|w| w.user == user)?;
        Some(self.hook_url(hook.user, &hook.code))
    }

    fn hook_url(&self, user: u64, code: &Secret) -> String {
        format!("{}/rest/{user}/{}/", self.base_url, code.expose())
    }

    /// Creates a webhook for an existing user with the given scopes and returns its URL.
    pub fn add_webhook(&self, user: u64, scopes: &[&str]) -> Option<String> {
        let code = Secret::random(&mut fastrand::Rng::new());
        let mut inner = self.shared.lock();
        inner.portal.user(user)?;
        inner.portal.add_webhook(
            user,
            code.clone(),
            scopes.iter().map(|s| (*s).to_owned()).collect(),
        );
        drop(inner);
        Some(self.hook_url(user, &code))
    }

    /// Adds a group while the portal runs, as if someone created it, with its
    /// owner as its only member; `false` (and nothing changes) when the ID is
    /// taken or the owner is not a user.
    pub fn add_group(&self, group: Group) -> bool {
        self.shared.lock().portal.add_group(group)
    }

    /// Removes a group while the portal runs, as if someone deleted it,
    /// with every membership in it; `false` when there is no such group.
    pub fn remove_group(&self, id: u64) -> bool {
        self.shared.lock().portal.remove_group(id)
    }

    /// `BASE/oauth/token/`.
    pub fn token_url(&self) -> String {
        format!("{}/oauth/token/", self.base_url)
    }

    /// The application's current credentials, if the seed installs one.
    pub fn oauth(&self) -> Option<OAuthCredentials> {
        let inner = self.shared.lock();
        let app = inner.tokens.app()?;
        let (access_token, refresh_token) = inner.tokens.current()?;
        Some(OAuthCredentials {
            client_id: app.client_id.clone(),
            client_secret: app.client_secret.clone(),
            access_token,
            refresh_token,
            token_url: self.token_url(),
            client_endpoint: format!("{}/rest/", self.base_url),
        })
    }

    /// Moves the portal's clock forward by `by` without waiting: its request bucket drains,
    /// operating-time budgets reset and tokens age as if `by` had passed (scaled by the time
    /// scale), and the times in its answers move on. The client's clock is not touched; in a
    /// test on a paused runtime, `tokio::time::advance` moves both.
    pub fn advance(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    /// Makes every access token issued so far expire now.
    pub fn expire_access_tokens(&self) {
        let now = self.shared.clock.now();
        self.shared.lock().tokens.expire_all(now);
    }

    /// Replaces the fault configuration (and restarts its random sequence).
    pub fn set_faults(&self, faults: FaultConfig) {
        self.shared.lock().faults = FaultState::new(faults);
    }

    /// A copy of the portal's users, groups, relations and tasks.
    pub fn state(&self) -> PortalSnapshot {
        self.shared.lock().portal.snapshot()
    }

    /// The request log so far.
    pub fn log(&self) -> Vec<LogEntry> {
        let entries = self.shared.lock().log.snapshot();
        entries.iter().map(|e| LogEntry::clone(e)).collect()
    }

    /// The counters so far.
    pub fn counters(&self) -> Counters {
        self.shared.lock().counters.clone()
    }

    /// The self-signed certificate (PEM) when serving HTTPS; trust it in the client.
    pub fn certificate_pem(&self) -> Option<&str> {
        self.certificate_pem.as_deref()
    }

    /// Stops accepting connections and waits briefly for open ones to finish.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}
