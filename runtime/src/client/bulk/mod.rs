//! Any number of requests sent 50 at a time as `batch` calls, one typed
//! result per request, in input order.
//!
//! [`Client::bulk`] (an iterator) and [`Client::bulk_stream`] (a stream) read
//! the requests as the results are consumed, pack what is ready into batches
//! of up to 50 commands, send a few batches at a time through the client's
//! limits and retries (each batch is one request for the rate limit and is
//! billed to `batch` in the operating-time accounting), and yield each
//! request's outcome in the order the requests came.
//!
//! A command that fails never fails the others. When a batch fails in a way
//! that leaves unknown whether it ran (a dropped connection, a timeout) and
//! not every command in it is safe to send twice, the safe ones are sent
//! again in a batch of their own and the others are reported as
//! [`Error::OutcomeUnknown`]: no command that is unsafe to repeat is ever
//! sent twice. A raw request of a REST 3.0 method, which a `batch` cannot
//! carry, is never sent: its outcome is [`RequestError::NotBatchable`].
//! Knows how to pack and unpack batches, not what the methods do.
//!
//! [`RequestError::NotBatchable`]: crate::error::RequestError::NotBatchable

mod request;

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use futures_util::stream::{self, BoxStream, Stream, StreamExt};

pub use self::request::{BulkAnswer, BulkCommand, BulkRequest};
use tokio::time::Instant;

use super::batch::{self, Batch, BatchResults};
use super::error::{Error, RequestError};
use super::handle::Client;
use super::limits;
use super::options::CallOptions;
use super::retry::RetryPolicy;
use super::verdict::{self, Verdict};
use crate::RestVersion;
use crate::error::ApiError;

/// How many batches a bulk run has in flight by default.
const DEFAULT_CONCURRENCY: usize = 4;

/// How far a bulk run has got; see [`Bulk::on_progress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct BulkProgress {
    /// Requests whose outcome is known, successes and failures.
    pub finished: usize,
    /// Of those, the requests that failed.
    pub failed: usize,
    /// `batch` calls answered so far.
    pub batches: usize,
}

type Callback = Arc<dyn Fn(BulkProgress) + Send + Sync>;

/// The outcomes of a bulk run, one per request in input order; see
/// [`Client::bulk`].
///
/// A [`Stream`]; [`collect_all`](Self::collect_all) waits for every outcome.
/// Requests are read from the input only as outcomes are consumed, so the
/// input may be endless; dropping the stream stops the run (batches already
/// sent may still take effect).
#[must_use = "streams do nothing unless polled"]
pub struct Bulk<R: BulkRequest> {
    setup: Option<Setup<R>>,
    running: Option<BoxStream<'static, R::Output>>,
}

struct Setup<R> {
    client: Client,
    requests: BoxStream<'static, R>,
    concurrency: usize,
    progress: Option<Callback>,
    options: CallOptions,
}

impl Client {
    /// Sends every request of `requests`, 50 per `batch` call; see [`Bulk`].
    ///
    /// ```no_run
    /// # async fn example(client: bitrix24::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use bitrix24::SonetGroupUserAdd;
    ///
    /// let adds = (1..=5000).map(|user| SonetGroupUserAdd::new(69, user));
    /// let outcomes = client.bulk(adds).collect_all().await;
    /// let added = outcomes.iter().filter(|outcome| outcome.is_ok()).count();
    /// # Ok(()) }
    /// ```
    pub fn bulk<I>(&self, requests: I) -> Bulk<I::Item>
    where
        I: IntoIterator,
        I::IntoIter: Send + 'static,
        I::Item: BulkRequest,
    {
        self.bulk_stream(stream::iter(requests))
    }

    /// Sends every request `requests` yields, 50 per `batch` call; see
    /// [`Bulk`]. What the stream has ready is sent without waiting for a
    /// full batch.
    pub fn bulk_stream<S>(&self, requests: S) -> Bulk<S::Item>
    where
        S: Stream + Send + 'static,
        S::Item: BulkRequest,
    {
        Bulk {
            setup: Some(Setup {
                client: self.clone(),
                requests: requests.boxed(),
                concurrency: DEFAULT_CONCURRENCY,
                progress: None,
                options: CallOptions::default(),
            }),
            running: None,
        }
    }
}

impl<R: BulkRequest> Bulk<R> {
    /// How many batches may be in flight at once (default 4, at least 1).
    /// The client's rate limit paces them whatever the number.
    pub fn concurrency(mut self, batches: usize) -> Self {
        if let Some(setup) = &mut self.setup {
            setup.concurrency = batches.max(1);
        }
        self
    }

    /// Calls `report` after each batch is answered, for a progress bar.
    pub fn on_progress(mut self, report: impl Fn(BulkProgress) + Send + Sync + 'static) -> Self {
        if let Some(setup) = &mut self.setup {
            setup.progress = Some(Arc::new(report));
        }
        self
    }

    /// How long each attempt of each batch may take, instead of the
    /// client's request timeout.
    pub fn call_timeout(mut self, timeout: std::time::Duration) -> Self {
        if let Some(setup) = &mut self.setup {
            setup.options.timeout = Some(timeout);
        }
        self
    }

    /// The attempts, backoff and deadline of each batch, and how often a
    /// refused command is sent again, instead of the client's retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        if let Some(setup) = &mut self.setup {
            setup.options.retry = Some(policy);
        }
        self
    }

    /// Every outcome, in input order.
    pub async fn collect_all(self) -> Vec<R::Output> {
        self.collect().await
    }

    fn start(setup: Setup<R>) -> BoxStream<'static, R::Output> {
        let Setup {
            client,
            requests,
            concurrency,
            progress,
            options,
        } = setup;
        let counters = Arc::new(Counters::default());
        requests
            .ready_chunks(Batch::MAX_COMMANDS)
            .map(move |chunk| {
                let (client, counters, progress) =
                    (client.clone(), counters.clone(), progress.clone());
                let options = options.clone();
                async move {
                    let outcomes = run_batch(&client, chunk, options).await;
                    counters.report(&outcomes, progress.as_deref());
                    stream::iter(outcomes.into_iter().map(|(output, _)| output))
                }
            })
            .buffered(concurrency)
            .flatten()
            .boxed()
    }
}

impl<R: BulkRequest> Stream for Bulk<R> {
    type Item = R::Output;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<R::Output>> {
        if let Some(setup) = self.setup.take() {
            self.running = Some(Self::start(setup));
        }
        match &mut self.running {
            Some(running) => running.poll_next_unpin(cx),
            None => Poll::Ready(None),
        }
    }
}

// Both fields are boxed or plain data; nothing is pinned in place.
impl<R: BulkRequest> Unpin for Bulk<R> {}

impl<R: BulkRequest> fmt::Debug for Bulk<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bulk")
            .field("started", &self.running.is_some())
            .finish_non_exhaustive()
    }
}

/// The progress counts shared by the batches of one run.
#[derive(Default)]
struct Counters {
    finished: AtomicUsize,
    failed: AtomicUsize,
    batches: AtomicUsize,
}

impl Counters {
    fn report<T>(
        &self,
        outcomes: &[(T, bool)],
        callback: Option<&(dyn Fn(BulkProgress) + Send + Sync)>,
    ) {
        let failed = outcomes.iter().filter(|(_, ok)| !ok).count();
        let progress = BulkProgress {
            finished: self.finished.fetch_add(outcomes.len(), Ordering::Relaxed) + outcomes.len(),
            failed: self.failed.fetch_add(failed, Ordering::Relaxed) + failed,
            batches: self.batches.fetch_add(1, Ordering::Relaxed) + 1,
        };
        if let Some(callback) = callback {
            callback(progress);
        }
    }
}

/// Sends `requests` (at most 50) as one batch; again the safe ones if the
/// batch's outcome is unknown, and again the commands the portal refused
/// before running them (a method's operating-time budget used up), once
/// they may run, as often as the retry policy allows. Each outcome comes
/// with whether it succeeded.
async fn run_batch<R: BulkRequest>(
    client: &Client,
    requests: Vec<R>,
    options: CallOptions,
) -> Vec<(R::Output, bool)> {
    let inner = client.inner();
    let attempts = options.retry.unwrap_or(inner.retry).attempts();
    let commands: Vec<BulkCommand> = requests.iter().map(BulkRequest::command).collect();
    let mut outcomes: Vec<Option<(R::Output, bool)>> = requests.iter().map(|_| None).collect();
    let (mut pending, rest3): (Vec<usize>, Vec<usize>) =
        (0..requests.len()).partition(|&index| commands[index].0.version() == RestVersion::V2);
    for index in rest3 {
        let refused = Error::Request(RequestError::NotBatchable {
            method: commands[index].0.method().to_owned(),
        });
        outcomes[index] = Some(read(&requests[index], BulkAnswer::failed(&refused)));
    }
    let mut rounds = 1;
    while !pending.is_empty() {
        let mut batch = Batch::new();
        for &index in &pending {
            batch.push_command(commands[index].0.clone());
        }
        match batch::send(inner, &batch, options.clone()).await {
            Ok(results) => {
                let mut refused = Vec::new();
                let mut wake = None;
                for (position, &index) in pending.iter().enumerate() {
                    if rounds < attempts
                        && let Some(at) =
                            refusal(client, &results, position, &commands[index]).await
                    {
                        refused.push(index);
                        wake = wake.max(Some(at));
                        continue;
                    }
                    let answer = BulkAnswer::command(&batch, &results, position);
                    outcomes[index] = Some(read(&requests[index], answer));
                }
                if let Some(at) = wake {
                    tokio::time::sleep_until(at).await;
                }
                pending = refused;
                rounds += 1;
            }
            Err(Error::OutcomeUnknown(unknown)) => {
                let failure = Error::<ApiError>::OutcomeUnknown(unknown);
                let (safe, unsafe_to_repeat): (Vec<usize>, Vec<usize>) = pending
                    .iter()
                    .partition(|&&index| commands[index].0.retry_safe());
                for index in unsafe_to_repeat {
                    outcomes[index] = Some(read(&requests[index], BulkAnswer::failed(&failure)));
                }
                // A batch of safe commands only is retried by the client itself.
                pending = safe;
            }
            Err(failure) => {
                for &index in &pending {
                    outcomes[index] = Some(read(&requests[index], BulkAnswer::failed(&failure)));
                }
                break;
            }
        }
    }
    outcomes.into_iter().flatten().collect()
}

/// When the command at `position` may be sent again, if the portal refused
/// it before running it.
async fn refusal(
    client: &Client,
    results: &BatchResults,
    position: usize,
    command: &BulkCommand,
) -> Option<Instant> {
    let error = results.failure(position)?;
    match verdict::for_api_error(error, 200) {
        Verdict::AwaitOperatingReset => {
            Some(limits::blocked(client.inner(), command.0.method()).await)
        }
        Verdict::Backoff => Some(Instant::now() + client.inner().retry.backoff_delay(1)),
        _ => None,
    }
}

fn read<R: BulkRequest>(request: &R, answer: BulkAnswer<'_>) -> (R::Output, bool) {
    let ok = answer.is_success();
    (request.read(answer), ok)
}
