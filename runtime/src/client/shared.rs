//! Limits shared by every process and machine that calls one portal: the
//! request bucket and each method's operating-time budget, kept in Redis.
//!
//! A portal's limits hold for the portal, not for one process. With
//! [`SharedLimits`] every client pointed at the same Redis keeps one bucket
//! per portal host, as a GCRA in one atomic Lua script, and one budget per
//! portal and method. Both read the Redis server's clock (`TIME`), so the
//! clocks of the machines do not matter. The client's own limiter and
//! tracker keep running beside them: they are the fallback when Redis cannot
//! be reached, and cost nothing when it can.
//!
//! Knows nothing about HTTP or methods beyond their names; the Redis URL's
//! credentials are secrets like the portal's and are masked in every message.

use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client as RedisClient, Script};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::OnceCell;
use tokio::time::Instant;

use super::error::{ConfigError, SharedLimitsError};
use super::redact::{Masked, redact};
use crate::Time;

/// Where the limits shared with other processes are kept, and what to do
/// when that store cannot be reached.
///
/// ```
/// use std::time::Duration;
/// use bitrix24::client::{SharedLimits, Unavailable};
///
/// let shared = SharedLimits::redis("redis://:secret@127.0.0.1:6379/0")
///     .key_prefix("myapp:bitrix24")
///     .when_unavailable(Unavailable::FailTheCall)
///     .timeout(Duration::from_millis(500));
/// assert!(!format!("{shared:?}").contains("secret"));
/// ```
#[derive(Clone)]
pub struct SharedLimits {
    url: SecretString,
    prefix: String,
    unavailable: Unavailable,
    timeout: Duration,
}

/// What a client does when the shared store does not answer in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Unavailable {
    /// Keep going under the client's own limits, and log a warning once per
    /// outage. Other processes do the same, so together they may exceed the
    /// portal's limits until Redis is back; refusals are then retried.
    #[default]
    UseLocalLimits,
    /// Fail the call with [`Error::SharedLimits`](crate::Error::SharedLimits)
    /// before sending it.
    FailTheCall,
}

impl SharedLimits {
    /// Limits kept in the Redis server at `url`
    /// (`redis://[user:password@]host:port[/db]`). Credentials in the URL are
    /// kept secret. TLS (`rediss://`) is not supported: such a URL is refused
    /// when the client is built.
    pub fn redis(url: impl Into<String>) -> Self {
        Self {
            url: SecretString::from(url.into()),
            prefix: "bitrix24".to_owned(),
            unavailable: Unavailable::default(),
            timeout: Duration::from_secs(1),
        }
    }

    /// The prefix of every key, before the portal host: `bitrix24` unless
    /// set. Keys are `<prefix>:<host>:bucket` and
    /// `<prefix>:<host>:operating:<method>`.
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// What to do when Redis does not answer: [`Unavailable::UseLocalLimits`]
    /// unless set.
    pub fn when_unavailable(mut self, unavailable: Unavailable) -> Self {
        self.unavailable = unavailable;
        self
    }

    /// How long to wait for Redis to connect or answer before it counts as
    /// unavailable: one second unless set. After a failure, Redis is asked
    /// again only once this long has passed, so a server that does not
    /// answer costs one timeout, not one per call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

impl fmt::Debug for SharedLimits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedLimits")
            .field("url", &masked_url(self.url.expose_secret()))
            .field("prefix", &self.prefix)
            .field("unavailable", &self.unavailable)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// The URL with its user and password masked; unparsable URLs are masked whole.
fn masked_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if !parsed.username().is_empty() {
                let _ = parsed.set_username("***");
            }
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => "***".to_owned(),
    }
}

/// Admits one request: `KEYS[1]` is the method's budget, `KEYS[2]` the
/// portal's bucket. With `ARGV[1]` (seconds), a budget used up to it and not
/// yet reset answers `{1, microseconds until the reset}`. With `ARGV[2]`
/// (the drain interval in microseconds) and `ARGV[3]` (the burst), the
/// bucket is a GCRA on the theoretical arrival time, in microseconds of the
/// Redis clock: no room answers `{2, microseconds to wait}`. Otherwise the
/// request takes its place and the answer is `{0, 0}`.
const ADMIT: &str = r"
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
if ARGV[1] ~= '' then
  local operating = tonumber(redis.call('HGET', KEYS[1], 'operating'))
  local reset_at = tonumber(redis.call('HGET', KEYS[1], 'reset_at'))
  if operating and reset_at and operating >= tonumber(ARGV[1]) and reset_at > now then
    return {1, reset_at - now}
  end
end
if ARGV[2] ~= '' then
  local interval = tonumber(ARGV[2])
  local tolerance = interval * (tonumber(ARGV[3]) - 1)
  local tat = tonumber(redis.call('GET', KEYS[2])) or now
  if tat < now then tat = now end
  local wait = tat - tolerance - now
  if wait > 0 then return {2, wait} end
  local next_tat = tat + interval
  redis.call('SET', KEYS[2], string.format('%.0f', next_tat), 'PX', math.ceil((next_tat - now) / 1000) + 1000)
end
return {0, 0}
";

/// Records a method's budget as an answer reported it: `ARGV[1]` the
/// operating seconds used, `ARGV[2]` the seconds until the budget resets.
/// The reset is kept as a time of the Redis clock.
const RECORD: &str = r"
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local left = math.max(0, tonumber(ARGV[2]))
redis.call('HSET', KEYS[1], 'operating', ARGV[1], 'reset_at', string.format('%.0f', now + left * 1000000))
redis.call('PEXPIRE', KEYS[1], math.ceil(left * 1000) + 1000)
return 0
";

/// Marks a method's budget used up after the portal refused it: `ARGV[1]`
/// the budget in seconds, `ARGV[2]` the seconds to wait when no reset is
/// known. Answers the microseconds until the reset.
const BLOCK: &str = r"
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local reset_at = tonumber(redis.call('HGET', KEYS[1], 'reset_at'))
if reset_at == nil or reset_at <= now then reset_at = now + tonumber(ARGV[2]) * 1000000 end
local operating = math.max(tonumber(redis.call('HGET', KEYS[1], 'operating')) or 0, tonumber(ARGV[1]))
redis.call('HSET', KEYS[1], 'operating', tostring(operating), 'reset_at', string.format('%.0f', reset_at))
redis.call('PEXPIRE', KEYS[1], math.ceil((reset_at - now) / 1000) + 1000)
return reset_at - now
";

/// A connection to the shared store, made on first use, and the keys of one
/// portal.
pub(crate) struct SharedStore {
    client: RedisClient,
    connection: OnceCell<ConnectionManager>,
    prefix: String,
    unavailable: Unavailable,
    timeout: Duration,
    secrets: Vec<SecretString>,
    /// Whether the last attempt failed, so an outage is logged once.
    failing: AtomicBool,
    /// After a failure, Redis is not asked again before this, so that a
    /// server that does not answer costs one timeout, not one per call.
    retry_at: Mutex<Option<Instant>>,
    scripts: Scripts,
}

struct Scripts {
    admit: Script,
    record: Script,
    block: Script,
}

/// What the shared limits say about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Admission {
    /// It took its place in the bucket: send it.
    Go,
    /// Its method's budget is used up until the reset, this far away.
    Paused(Duration),
    /// The bucket has room only after this long.
    Bucket(Duration),
}

impl fmt::Debug for SharedStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedStore")
            .field("prefix", &self.prefix)
            .field("unavailable", &self.unavailable)
            .finish_non_exhaustive()
    }
}

impl SharedStore {
    /// The store for the portal at `host`; nothing is connected yet.
    pub(crate) fn new(settings: SharedLimits, host: &str) -> Result<Self, ConfigError> {
        if settings.timeout.is_zero() {
            return Err(ConfigError::InvalidSetting {
                setting: "shared_limits",
                problem: "the timeout must be longer than zero",
            });
        }
        let url = settings.url.expose_secret();
        let secrets = url_secrets(url);
        let client = RedisClient::open(url).map_err(|error| ConfigError::InvalidUrl {
            what: "Redis URL",
            reason: redact(&error.to_string(), &secrets).into_string(),
        })?;
        Ok(Self {
            client,
            connection: OnceCell::new(),
            prefix: format!("{}:{host}", settings.prefix),
            unavailable: settings.unavailable,
            timeout: settings.timeout,
            secrets,
            failing: AtomicBool::new(false),
            retry_at: Mutex::new(None),
            scripts: Scripts {
                admit: Script::new(ADMIT),
                record: Script::new(RECORD),
                block: Script::new(BLOCK),
            },
        })
    }

    /// What to do when the store fails.
    pub(crate) fn unavailable(&self) -> Unavailable {
        self.unavailable
    }

    /// Admits a request of `method`: checks its budget against `threshold`
    /// (when budgets are tracked) and takes a place in the bucket of
    /// `burst` requests draining one per `interval` (when there is one).
    pub(crate) async fn admit(
        &self,
        method: &str,
        threshold: Option<Duration>,
        bucket: Option<(u32, Duration)>,
    ) -> Result<Admission, SharedLimitsError> {
        let keys = [
            self.operating_key(method),
            format!("{}:bucket", self.prefix),
        ];
        let threshold = threshold.map_or_else(String::new, |limit| limit.as_secs_f64().to_string());
        let (interval, burst) = bucket.map_or_else(
            || (String::new(), String::new()),
            |(burst, interval)| (micros(interval).max(1).to_string(), burst.to_string()),
        );
        let (what, wait): (i64, i64) = self
            .run(&self.scripts.admit, &keys, &[threshold, interval, burst])
            .await?;
        let wait = checked_wait(wait);
        Ok(match what {
            1 => Admission::Paused(wait),
            2 => Admission::Bucket(wait),
            _ => Admission::Go,
        })
    }

    /// Records the budget an answer to `method` reported.
    pub(crate) async fn record(&self, method: &str, time: &Time) -> Result<(), SharedLimitsError> {
        let (Some(operating), Some(reset_at)) = (time.operating, time.operating_reset_at) else {
            return Ok(());
        };
        // Precision below a millisecond is irrelevant for a reset time in seconds.
        #[allow(clippy::cast_precision_loss)]
        let left = (reset_at as f64 - time.finish).clamp(0.0, 600.0);
        let key = self.operating_key(method);
        let _: i64 = self
            .run(
                &self.scripts.record,
                &[key],
                &[operating.to_string(), left.to_string()],
            )
            .await?;
        Ok(())
    }

    /// Marks `method` refused for its budget, for every process; answers how
    /// long until the budget resets.
    pub(crate) async fn block(
        &self,
        method: &str,
        limit: Duration,
        unknown_reset_wait: Duration,
    ) -> Result<Duration, SharedLimitsError> {
        let key = self.operating_key(method);
        let args = [
            limit.as_secs_f64().to_string(),
            unknown_reset_wait.as_secs_f64().to_string(),
        ];
        let wait: i64 = self.run(&self.scripts.block, &[key], &args).await?;
        Ok(checked_wait(wait))
    }

    fn operating_key(&self, method: &str) -> String {
        // Method names are case-insensitive on the server.
        format!("{}:operating:{}", self.prefix, method.to_ascii_lowercase())
    }

    /// Runs `script` on `keys`, connecting first if needed, within the timeout.
    async fn run<T: redis::FromRedisValue>(
        &self,
        script: &Script,
        keys: &[String],
        args: &[String],
    ) -> Result<T, SharedLimitsError> {
        let now = Instant::now();
        if let Some(retry_at) = *self.retry_at()
            && now < retry_at
        {
            return Err(SharedLimitsError::new(Masked::written(format!(
                "Redis failed a moment ago; asking again in {} ms",
                (retry_at - now).as_millis()
            ))));
        }
        let attempt = async {
            let connection = self
                .connection
                .get_or_try_init(|| {
                    let config = ConnectionManagerConfig::new()
                        .set_connection_timeout(Some(self.timeout))
                        .set_response_timeout(Some(self.timeout))
                        .set_number_of_retries(1);
                    ConnectionManager::new_with_config(self.client.clone(), config)
                })
                .await?;
            let mut connection = connection.clone();
            let mut invocation = script.prepare_invoke();
            for key in keys {
                invocation.key(key);
            }
            for arg in args {
                invocation.arg(arg);
            }
            invocation.invoke_async::<T>(&mut connection).await
        };
        let outcome = match tokio::time::timeout(self.timeout, attempt).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(redact(&error.to_string(), &self.secrets)),
            Err(_) => Err(Masked::written(format!(
                "Redis did not answer within {:?}",
                self.timeout
            ))),
        };
        match outcome {
            Ok(value) => {
                *self.retry_at() = None;
                if self.failing.swap(false, Ordering::Relaxed) {
                    tracing::info!("the shared limits are reachable again");
                }
                Ok(value)
            }
            Err(reason) => {
                *self.retry_at() = Some(Instant::now() + self.timeout);
                if !self.failing.swap(true, Ordering::Relaxed) {
                    tracing::warn!(
                        reason = %reason,
                        fallback = matches!(self.unavailable, Unavailable::UseLocalLimits),
                        "the shared limits are unavailable"
                    );
                }
                Err(SharedLimitsError::new(reason))
            }
        }
    }
}

impl SharedStore {
    // Plain data, left consistent by every writer: a poisoned lock is still usable.
    fn retry_at(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        self.retry_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The user name and password of a Redis URL, to mask in messages.
fn url_secrets(url: &str) -> Vec<SecretString> {
    let mut secrets = vec![SecretString::from(url.to_owned())];
    if let Ok(parsed) = url::Url::parse(url) {
        if let Some(password) = parsed.password() {
            secrets.push(SecretString::from(password.to_owned()));
            // The password as the server sees it, decoded (`%40` is `@`).
            let decoded = percent_encoding::percent_decode_str(password).decode_utf8_lossy();
            secrets.push(SecretString::from(decoded.into_owned()));
        }
        if !parsed.username().is_empty() {
            secrets.push(SecretString::from(parsed.username().to_owned()));
        }
    }
    secrets
}

/// A wait in microseconds as Redis answered it, within what the portal's
/// limits can ask for: no budget resets later than in ten minutes.
fn checked_wait(micros: i64) -> Duration {
    const LONGEST: u64 = 600_000_000;
    Duration::from_micros(u64::try_from(micros).unwrap_or(0).min(LONGEST))
}

fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_show() {
        let shared = SharedLimits::redis("redis://admin:s3cr%40t-pw@10.0.0.5:6380/2");
        let debug = format!("{shared:?}");
        assert!(
            !debug.contains("s3cr") && !debug.contains("admin"),
            "{debug}"
        );
        assert!(debug.contains("10.0.0.5:6380"), "{debug}");
        let secrets = url_secrets("redis://admin:s3cr%40t-pw@10.0.0.5:6380/2");
        let message = redact(
            "auth failed for admin with s3cr@t-pw and s3cr%40t-pw",
            &secrets,
        );
        assert!(
            !message.contains("s3cr") && !message.contains("admin"),
            "{message}"
        );
        assert!(!format!("{:?}", SharedLimits::redis("not a url")).contains("not a url"));
    }

    #[test]
    fn waits_from_redis_are_bounded() {
        assert_eq!(checked_wait(-5), Duration::ZERO);
        assert_eq!(checked_wait(1_500), Duration::from_micros(1_500));
        assert_eq!(checked_wait(i64::MAX), Duration::from_secs(600));
    }

    #[test]
    fn a_zero_timeout_or_a_bad_url_is_a_configuration_error() {
        let zero = SharedLimits::redis("redis://127.0.0.1/").timeout(Duration::ZERO);
        assert!(SharedStore::new(zero, "portal").is_err());
        for url in [
            "http://user:hunter2@127.0.0.1/",
            "rediss://user:hunter2@127.0.0.1/",
        ] {
            let error = SharedStore::new(SharedLimits::redis(url), "portal")
                .unwrap_err()
                .to_string();
            assert!(!error.contains("hunter2"), "{error}");
        }
    }
}
