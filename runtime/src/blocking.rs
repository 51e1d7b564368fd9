//! A client for synchronous code: the same method functions, each call sent
//! and answered before it returns.
//!
//! [`Client`] owns a small runtime (one worker thread, which also keeps the
//! connection pool alive between calls); the generated client functions
//! work on it as on the asynchronous client, [`Call::wait`] sends a call on
//! it, [`Call::wait_all`] reads every page of a list, and [`Client::bulk`]
//! runs bulk work. Like `reqwest::blocking`, it is for code outside an async runtime:
//! waiting inside one panics. Knows nothing about methods.

use std::fmt;
use std::sync::Arc;

use crate::__private::ClientHandle;
use crate::client::BulkRequest;
use crate::client::{Batch, BatchResults, Call, ClientBuilder, Error, Response};
use crate::error::ApiError;
use crate::method::{Batchable, Paged};
use crate::{Method, OAuthTokens};

/// A client whose calls block until they are answered.
///
/// ```no_run
/// use bitrix24::prelude::*;
/// use bitrix24::{ClientBuilder, blocking};
///
/// let client = blocking::Client::new(ClientBuilder::webhook("https://example.bitrix24.com/rest/1/abc123/"))?;
/// let members = client.sonet_group_user_get(69).wait()?.result;
/// # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
/// ```
#[derive(Clone)]
pub struct Client {
    client: crate::Client,
}

impl Client {
    /// Builds the client and the runtime its calls run on.
    ///
    /// # Errors
    ///
    /// The builder's [`ConfigError`](crate::ConfigError), or the runtime's
    /// I/O error when its thread cannot start.
    pub fn new<C>(
        builder: ClientBuilder<C>,
    ) -> Result<Self, Box<dyn std::error::Error + Send + Sync>>
    where
        ClientBuilder<C>: Build,
    {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("bitrix24-blocking")
            .enable_all()
            .build()?;
        let client = builder.build_client()?;
        let client = client
            .on_runtime(Arc::new(runtime))
            .ok_or("the client was shared before it got its runtime")?;
        Ok(Self { client })
    }

    /// Sends a request and waits for its answer, retrying where that is safe.
    pub fn call<M>(&self, request: M) -> Result<Response<M::Response>, Error<M::Error>>
    where
        M: Method + Send + 'static,
        M::Response: Send,
    {
        self.client.prepare(request).wait()
    }

    /// Sends the commands of `batch` in one `batch` call and waits.
    pub fn call_batch(&self, batch: &Batch) -> Result<BatchResults, Error<ApiError>> {
        let client = self.client.clone();
        let batch = batch.clone();
        block_on(&self.client, async move { client.call_batch(&batch).await })
    }

    /// Sends every request, 50 per `batch` call, and waits for every
    /// outcome, in input order; see [`Client::bulk`](crate::Client::bulk).
    pub fn bulk<I>(&self, requests: I) -> Vec<<I::Item as BulkRequest>::Output>
    where
        I: IntoIterator,
        I::IntoIter: Send + 'static,
        I::Item: BulkRequest,
    {
        let run = self.client.bulk(requests);
        block_on(&self.client, run.collect_all())
    }

    /// The current OAuth tokens; `None` for a webhook client.
    pub fn tokens(&self) -> Option<OAuthTokens> {
        self.client.tokens()
    }

    /// The asynchronous client behind this one, sharing its limits.
    pub fn as_async(&self) -> &crate::Client {
        &self.client
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("blocking::Client")
            .field(&self.client)
            .finish()
    }
}

impl crate::__private::HandleSealed for Client {}

impl ClientHandle for Client {
    fn client(&self) -> &crate::Client {
        &self.client
    }
}

/// A builder a blocking client can be built from: one of webhook or OAuth
/// credentials.
pub trait Build: sealed::Sealed {
    #[doc(hidden)]
    fn build_client(self) -> Result<crate::Client, crate::ConfigError>;
}

mod sealed {
    pub trait Sealed {}
}

impl sealed::Sealed for ClientBuilder<crate::client::Webhook> {}
impl sealed::Sealed for ClientBuilder<crate::client::OAuthApp> {}

impl Build for ClientBuilder<crate::client::Webhook> {
    fn build_client(self) -> Result<crate::Client, crate::ConfigError> {
        self.build()
    }
}

impl Build for ClientBuilder<crate::client::OAuthApp> {
    fn build_client(self) -> Result<crate::Client, crate::ConfigError> {
        self.build()
    }
}

impl<M> Call<M>
where
    M: Method + Send + 'static,
    M::Response: Send,
{
    /// Sends the call and blocks until it is answered, on the runtime of the
    /// [`blocking::Client`](Client) it came from, or else on a runtime made
    /// for this one call (slower: it opens its own connection).
    ///
    /// # Panics
    ///
    /// Inside an async runtime, as every blocking call does there.
    pub fn wait(self) -> Result<Response<M::Response>, Error<M::Error>> {
        let client = self.client().clone();
        block_on(&client, self.send())
    }
}

impl<M> Call<M>
where
    M: Paged + Batchable + Send + 'static,
    M::Response: Send,
    M::Item: Send,
{
    /// Reads every page of the list and blocks until the last, as
    /// [`collect_all`](Call::collect_all) does for async code.
    ///
    /// # Panics
    ///
    /// Inside an async runtime, as every blocking call does there.
    pub fn wait_all(self) -> Result<Vec<M::Item>, Error<M::Error>> {
        let client = self.client().clone();
        block_on(&client, self.collect_all())
    }
}

/// Runs `work` to its end on the client's runtime, or on a new one.
fn block_on<T>(client: &crate::Client, work: impl Future<Output = T> + Send) -> T {
    match &client.inner().runtime {
        Some(runtime) => runtime.block_on(work),
        None => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map(|runtime| runtime.block_on(work))
            .unwrap_or_else(|error| panic!("no runtime for a blocking call: {error}")),
    }
}
