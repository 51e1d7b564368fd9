//! The waits before each attempt and the notes after it, for the client's
//! own limiter and operating-time tracker and, when configured, the limits
//! shared with other processes (`shared`, behind the `redis` feature).
//!
//! The shared limits decide while Redis answers, in one round trip per
//! attempt (budget and bucket together); the client's own take over when it
//! does not, or the call fails, as configured. A budget that pauses a
//! method goes to Redis in the background, so no answer waits for it. Knows nothing about
//! HTTP or answers beyond their `time`.

use std::time::Duration;

use tokio::time::Instant;

use super::error::SharedLimitsError;
use super::handle::Inner;
#[cfg(feature = "redis")]
use super::shared::{Admission, Unavailable};
use crate::Time;

/// Waits until `method` may be sent: its operating-time budget is not used
/// up and the portal's bucket has room. How long it waited for the bucket,
/// or `None` when it could go only after `deadline`.
pub(crate) async fn admit(
    inner: &Inner,
    method: &str,
    deadline: Option<Instant>,
) -> Result<Option<Duration>, SharedLimitsError> {
    #[cfg(feature = "redis")]
    if let Some(shared) = &inner.shared {
        let started = Instant::now();
        let threshold = inner.operating.threshold();
        loop {
            let wait = match shared.admit(method, threshold, inner.bucket).await {
                Ok(Admission::Go) => return Ok(Some(started.elapsed())),
                Ok(Admission::Paused(wait)) => {
                    budget_used_up(wait);
                    wait
                }
                Ok(Admission::Bucket(wait)) => wait,
                Err(error) if shared.unavailable() == Unavailable::FailTheCall => {
                    return Err(error);
                }
                // The client's own limits take over until Redis answers again.
                Err(_) => break,
            };
            let ready = Instant::now() + wait;
            if deadline.is_some_and(|deadline| ready > deadline) {
                return Ok(None);
            }
            tokio::time::sleep_until(ready).await;
        }
    }
    if let Some(until) = inner.operating.paused_until(method) {
        if deadline.is_some_and(|deadline| until > deadline) {
            return Ok(None);
        }
        budget_used_up(until - Instant::now());
        tokio::time::sleep_until(until).await;
    }
    Ok(inner.limiter.acquire(deadline).await)
}

fn budget_used_up(wait: Duration) {
    tracing::info!(
        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
        "operating-time budget used up; waiting for it to reset"
    );
}

/// Notes the budget an answer to `method`, received at `received`, reported.
///
/// The portal reports its own count, which already holds every process's
/// calls, so the others need to hear of it only once it pauses the method:
/// then it goes to Redis, in the background. A store that fails there is
/// only logged: the call itself succeeded.
pub(crate) fn record(inner: &Inner, method: &str, time: &Time, received: Instant) {
    inner.operating.record(method, time, received);
    #[cfg(feature = "redis")]
    let pauses = match (inner.operating.threshold(), time.operating) {
        (Some(threshold), Some(operating)) => operating >= threshold.as_secs_f64(),
        _ => false,
    };
    #[cfg(feature = "redis")]
    if let (Some(shared), true) = (&inner.shared, pauses) {
        let (shared, method, time) = (shared.clone(), method.to_owned(), time.clone());
        tokio::spawn(async move {
            let _ = shared.record(&method, &time).await;
        });
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
