//! Runs one call to the end: waits for the limits, sends, reads, retries.
//!
//! Each attempt waits for the method's operating-time budget and the rate
//! limiter, takes the current credentials, sends the request within the
//! overall deadline and classifies the answer; `verdict` decides what a failure
//! means and `RetryPolicy` how long to wait. A REST 3.0 write gets its
//! `Idempotency-Key` once, before the first attempt, so every attempt (the
//! repeat after a token refresh too) carries the same one, and the server
//! runs it at most once: such a write is repeated after an ambiguous failure
//! like a method safe to send twice. A `tracing` span per call records
//! the method, the attempt, the HTTP status, the duration and the time spent
//! waiting for the limiter, and never a URL, token or body.

use std::time::Duration;

use tokio::time::Instant;
use tracing::{Instrument, Span, field};

use super::endpoint::redacted_location;
use super::envelope::{Answer, FromBody};
use super::error::{
    DeadlineExceeded, DecodeError, Error, OutcomeCause, OutcomeUnknown, RedirectError,
};
use super::handle::Inner;
use super::idempotency::IdempotencyKey;
use super::limits;
use super::options::CallOptions;
use super::redact::{Masked, excerpt};
use super::response::Response;
use super::route::Route;
use super::verdict::{self, Verdict};
use crate::MethodError;

/// What a failed attempt leaves to do.
enum Failure<E> {
    /// Final.
    Fail(Error<E>),
    /// Retry after a backoff, or give `Error` if no retry is left.
    Backoff(Error<E>),
    /// Retry at the instant, or give `Error` if no retry is left.
    At(Instant, Error<E>),
    /// Retry only if the method is safe to send twice.
    Ambiguous(Error<E>, OutcomeCause),
}

/// Sends `body` to the method of `route` until it succeeds or a rule says
/// stop.
///
/// `T` reads each complete answer ([`FromBody`]): a decoded result, or the
/// body itself with its result's place ([`RawResult`](super::envelope::RawResult)).
pub(crate) async fn execute<T, E>(
    inner: &Inner,
    route: Route<'_>,
    body: Vec<u8>,
    options: CallOptions,
) -> Result<Response<T>, Error<E>>
where
    T: FromBody,
    E: MethodError,
{
    // A caller's key is checked whatever the method: a wrong one is a
    // mistake to report, not to ignore.
    let given = options
        .idempotency_key
        .as_deref()
        .map(IdempotencyKey::given)
        .transpose()
        .map_err(Error::Request)?;
    let key = route
        .idempotent()
        .then(|| given.unwrap_or_else(IdempotencyKey::random));
    let retry_safe = route.retry_safe || key.is_some();
    let span = tracing::info_span!(
        "bitrix24.call",
        method = route.method,
        retry_safe,
        attempt = field::Empty,
        status = field::Empty,
        duration_ms = field::Empty,
        limiter_wait_ms = field::Empty,
    );
    let sent = Sent {
        route,
        retry_safe,
        key,
    };
    run(inner, sent, body, options).instrument(span).await
}

/// What every attempt of one call sends.
struct Sent<'a> {
    route: Route<'a>,
    /// Whether the call may be sent again after an ambiguous failure: the
    /// method says so, or it carries a key.
    retry_safe: bool,
    key: Option<IdempotencyKey>,
}

async fn run<T, E>(
    inner: &Inner,
    sent: Sent<'_>,
    body: Vec<u8>,
    options: CallOptions,
) -> Result<Response<T>, Error<E>>
where
    T: FromBody,
    E: MethodError,
{
    let Sent {
        route,
        retry_safe,
        key,
    } = sent;
    let method = route.method;
    let policy = options.retry.unwrap_or(inner.retry);
    let started = Instant::now();
    let deadline = policy.overall_deadline().map(|limit| started + limit);
    let out_of_time = |attempts: u32, in_flight: bool| {
        Error::DeadlineExceeded(DeadlineExceeded::new(
            policy.overall_deadline().unwrap_or_default(),
            attempts,
            in_flight,
        ))
    };
    let mut attempt = 0;
    let mut refreshed = false;
    let mut limiter_wait = Duration::ZERO;
    loop {
        attempt += 1;
        Span::current().record("attempt", attempt);
        let admitted = limits::admit(inner, method, deadline)
            .await
            .map_err(Error::SharedLimits)?;
        let Some(waited) = admitted else {
            return Err(out_of_time(attempt - 1, false));
        };
        limiter_wait += waited;
        Span::current().record("limiter_wait_ms", millis(limiter_wait));
        let target = inner
            .auth
            .target(method, route.version, &inner.transport)
            .await
            .map_err(Error::Refresh)?;
        let sent = Instant::now();
        let request = inner.transport.post(
            target.url.clone(),
            "application/json",
            target.grant.as_ref().map(|grant| &grant.access_token),
            key.as_ref(),
            body.clone(),
            options.timeout,
        );
        let exchange = match deadline {
            Some(deadline) => match tokio::time::timeout_at(deadline, request).await {
                Ok(exchange) => exchange,
                Err(_) => return Err(out_of_time(attempt, true)),
            },
            None => request.await,
        };
        let elapsed = millis(sent.elapsed());
        Span::current().record("duration_ms", elapsed);
        let secrets = inner.auth.secrets();
        let failure = match exchange {
            Err(error) => {
                tracing::debug!(attempt, duration_ms = elapsed, error = %error, "request failed");
                if error.may_have_been_sent() {
                    Failure::Ambiguous(
                        Error::Transport(error.clone()),
                        OutcomeCause::Transport(error),
                    )
                } else {
                    Failure::Backoff(Error::Transport(error))
                }
            }
            Ok(exchange) => {
                let status = exchange.status;
                let replayed = exchange.replayed;
                Span::current().record("status", status);
                tracing::debug!(
                    attempt,
                    status,
                    duration_ms = elapsed,
                    bytes = exchange.body.len(),
                    "answer received"
                );
                if (300..400).contains(&status) {
                    let location =
                        redacted_location(exchange.location.as_ref(), &target.url, &secrets);
                    return Err(Error::Redirect(RedirectError::new(status, location)));
                }
                let answer = if exchange.truncated {
                    Answer::Invalid(DecodeError::new(
                        status,
                        Masked::written(format!(
                            "the body is larger than the limit of {} bytes",
                            exchange.body.len()
                        )),
                        excerpt(&exchange.body, &secrets),
                        exchange.body.len(),
                    ))
                } else {
                    T::read(
                        status,
                        exchange.body,
                        &secrets,
                        options.decoding.unwrap_or(inner.decoding),
                    )
                };
                match answer {
                    Answer::Success(mut response) => {
                        super::envelope::warn_mismatches(method, &response.mismatches);
                        limits::record(inner, method, &response.time, Instant::now());
                        response.replayed = replayed;
                        response.idempotency_key = key.map(IdempotencyKey::into_string);
                        return Ok(response);
                    }
                    // A server failure, or a success whose body was cut off:
                    // either way the method may have run.
                    Answer::Cut(error) if status >= 500 || is_success(status) => {
                        Failure::Ambiguous(
                            Error::Decode(error.clone()),
                            OutcomeCause::Answer(error),
                        )
                    }
                    Answer::Invalid(error) if status >= 500 => Failure::Ambiguous(
                        Error::Decode(error.clone()),
                        OutcomeCause::Answer(error),
                    ),
                    Answer::Invalid(error) | Answer::Cut(error) => {
                        Failure::Fail(Error::Decode(error))
                    }
                    Answer::Error(api) => {
                        tracing::debug!(attempt, status, code = api.code(), "error answer");
                        match verdict::for_api_error(&api, status) {
                            Verdict::Fail => Failure::Fail(Error::Method(E::from_api(api))),
                            Verdict::Backoff => Failure::Backoff(Error::Method(E::from_api(api))),
                            Verdict::AwaitOperatingReset => Failure::At(
                                limits::blocked(inner, method).await,
                                Error::Method(E::from_api(api)),
                            ),
                            Verdict::Ambiguous => Failure::Ambiguous(
                                Error::Method(E::from_api(api.clone())),
                                OutcomeCause::Server { status, error: api },
                            ),
                            Verdict::RefreshToken => match (&inner.auth, target.grant) {
                                (super::auth::Auth::OAuth(oauth), Some(grant))
                                    if !refreshed && oauth.can_refresh() =>
                                {
                                    refreshed = true;
                                    oauth
                                        .refresh(&grant, &inner.transport)
                                        .await
                                        .map_err(Error::Refresh)?;
                                    // The repeat after a refresh is part of the
                                    // refresh, not one of the retries.
                                    attempt -= 1;
                                    continue;
                                }
                                _ => Failure::Fail(Error::Method(E::from_api(api))),
                            },
                        }
                    }
                }
            }
        };
        let (retry_at, last) = match failure {
            Failure::Fail(error) => return Err(error),
            Failure::Ambiguous(_, cause) if !retry_safe => {
                return Err(Error::OutcomeUnknown(OutcomeUnknown::new(method, cause)));
            }
            Failure::Ambiguous(error, _) | Failure::Backoff(error) => {
                (Instant::now() + policy.backoff_delay(attempt), error)
            }
            Failure::At(at, error) => (at, error),
        };
        if attempt >= policy.attempts() || deadline.is_some_and(|deadline| retry_at > deadline) {
            return Err(last);
        }
        tracing::info!(
            attempt,
            wait_ms = millis(retry_at.saturating_duration_since(Instant::now())),
            "retrying"
        );
        tokio::time::sleep_until(retry_at).await;
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Whether the status says the server accepted and ran the request.
fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}
