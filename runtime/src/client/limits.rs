//! The waits before each attempt and the notes after it, for the client's
//! own limiter and operating-time tracker and, when configured, the limits
//! shared with other processes (`shared`, behind the `redis` feature).
//!
//! The shared limits decide while Redis answers; the client's own take over
//! when it does not, or the call fails, as configured. Knows nothing about
//! HTTP or answers beyond their `time`.

use std::time::Duration;

use tokio::time::Instant;

use super::error::SharedLimitsError;
use super::handle::Inner;
#[cfg(feature = "redis")]
use super::shared::Unavailable;
use crate::Time;

/// When `method` may be sent, if its operating-time budget is used up.
pub(crate) async fn paused_until(
    inner: &Inner,
    method: &str,
) -> Result<Option<Instant>, SharedLimitsError> {
    let local = inner.operating.paused_until(method);
    #[cfg(feature = "redis")]
    if let (Some(shared), Some(threshold)) = (&inner.shared, inner.operating.threshold()) {
        match shared.paused(method, threshold).await {
            Ok(Some(wait)) => {
                let until = Instant::now() + wait;
                return Ok(Some(local.map_or(until, |local| local.max(until))));
            }
            Ok(None) => {}
            Err(error) if shared.unavailable() == Unavailable::FailTheCall => return Err(error),
            Err(_) => {}
        }
    }
    Ok(local)
}

/// Waits for room in the portal's bucket; how long it waited, or `None` when
/// there would be room only after `deadline`.
pub(crate) async fn acquire(
    inner: &Inner,
    deadline: Option<Instant>,
) -> Result<Option<Duration>, SharedLimitsError> {
    #[cfg(feature = "redis")]
    if let (Some(shared), Some(bucket)) = (&inner.shared, inner.bucket) {
        let started = Instant::now();
        loop {
            match shared.bucket(bucket.0, bucket.1).await {
                Ok(wait) if wait.is_zero() => return Ok(Some(started.elapsed())),
                Ok(wait) => {
                    let ready = Instant::now() + wait;
                    if deadline.is_some_and(|deadline| ready > deadline) {
                        return Ok(None);
                    }
                    tokio::time::sleep_until(ready).await;
                }
                Err(error) if shared.unavailable() == Unavailable::FailTheCall => {
                    return Err(error);
                }
                // The client's own bucket takes over until Redis answers again.
                Err(_) => break,
            }
        }
    }
    Ok(inner.limiter.acquire(deadline).await)
}

/// Notes the budget an answer to `method`, received at `received`, reported.
/// A store that fails here is only logged: the call itself succeeded.
pub(crate) async fn record(inner: &Inner, method: &str, time: &Time, received: Instant) {
    inner.operating.record(method, time, received);
    #[cfg(feature = "redis")]
    if let Some(shared) = &inner.shared {
        let _ = shared.record(method, time).await;
    }
}

/// After `OPERATION_TIME_LIMIT`: when to try again, with the method paused
/// until then for every other call, in this process and the others.
pub(crate) async fn blocked(inner: &Inner, method: &str) -> Instant {
    let local = inner.operating.blocked(method);
    #[cfg(feature = "redis")]
    if let Some(shared) = &inner.shared {
        let (limit, unknown_reset_wait) = inner.operating.block_settings();
        if let Ok(wait) = shared.block(method, limit, unknown_reset_wait).await {
            return local.max(Instant::now() + wait);
        }
    }
    local
}
