//! The client handle: cheap to clone, everything shared behind one `Arc`.
//!
//! Knows how to turn a typed request into a call; the sending itself is in
//! `execute`, the configuration in `builder`.

use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::RestVersion;
use serde_json::Value;

use super::auth::{Auth, OAuthTokens};
use super::batch::{self, Batch, BatchResults};
use super::call::Call;
use super::envelope::ResultOf;
use super::error::Error;
use super::execute::execute;
use super::operating::OperatingTracker;
use super::options::CallOptions;
use super::rate_limit::Limiter;
use super::raw::RawRequest;
use super::response::Response;
use super::retry::RetryPolicy;
use super::route::Route;
use super::transport::Transport;
use crate::error::ApiError;
use crate::{Method, MethodError};

/// An asynchronous Bitrix24 REST client for one portal.
///
/// Build one with [`ClientBuilder`](crate::ClientBuilder). Clones share the
/// connection pool, the credentials (and their refreshes), the rate limiter and
/// the operating-time budgets, so clone freely across tasks.
///
/// `Debug` shows the portal address with any secret masked.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// Everything the clones of a client share.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) auth: Auth,
    pub(crate) transport: Transport,
    pub(crate) limiter: Limiter,
    pub(crate) operating: OperatingTracker,
    pub(crate) retry: RetryPolicy,
    /// How answers that do not fit their types are decoded.
    pub(crate) decoding: crate::wire::Decoding,
    /// The limits shared with other processes, if configured.
    #[cfg(feature = "redis")]
    pub(crate) shared: Option<Arc<super::shared::SharedStore>>,
    /// The bucket's burst and drain interval, for the shared bucket.
    #[cfg(feature = "redis")]
    pub(crate) bucket: Option<(u32, std::time::Duration)>,
    /// The runtime a blocking client's calls run on.
    #[cfg(feature = "blocking")]
    pub(crate) runtime: Option<std::sync::Arc<tokio::runtime::Runtime>>,
}

impl Client {
    pub(crate) fn from_inner(inner: Inner) -> Self {
        Self {
            inner: Arc::new(inner),
        }
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }

    /// The client with its calls run on `runtime`, for the blocking client;
    /// `None` once the client has been cloned.
    #[cfg(feature = "blocking")]
    pub(crate) fn on_runtime(
        mut self,
        runtime: std::sync::Arc<tokio::runtime::Runtime>,
    ) -> Option<Self> {
        Arc::get_mut(&mut self.inner)?.runtime = Some(runtime);
        Some(self)
    }

    /// Prepares a call, to adjust with setters before sending or awaiting it.
    pub fn prepare<M: Method>(&self, request: M) -> Call<M> {
        Call::new(self.clone(), request)
    }

    /// Sends a request and waits for its answer, retrying where that is safe.
    pub async fn call<M: Method>(
        &self,
        request: M,
    ) -> Result<Response<M::Response>, Error<M::Error>> {
        self.call_with(request, CallOptions::default()).await
    }

    /// Sends a request with settings of its own.
    pub(crate) async fn call_with<M: Method>(
        &self,
        request: M,
        options: CallOptions,
    ) -> Result<Response<M::Response>, Error<M::Error>> {
        let body = encode(&request.to_json());
        let response =
            execute::<ResultOf<M>, M::Error>(&self.inner, Route::of::<M>(), body, options);
        Ok(response.await?.map(|result| result.0))
    }

    /// Calls any method by wire name with JSON parameters and decodes its
    /// result as your own type `T`, with the same limits, retries and errors
    /// as every call: for a method this crate lacks, or an answer you want
    /// in another shape. Objects of this crate inside `T` decode
    /// tolerantly (see [`Decoding`](crate::Decoding)).
    ///
    /// The method is treated as not safe to send twice, as with
    /// [`call_raw`](Self::call_raw).
    ///
    /// ```no_run
    /// # async fn run(client: bitrix24::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// #[derive(serde::Deserialize)]
    /// struct Scope(String);
    ///
    /// let scopes = client.call_as::<Vec<Scope>>("scope", serde_json::json!({})).await?;
    /// println!("{} scopes", scopes.result.len());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn call_as<T: DeserializeOwned>(
        &self,
        method: &str,
        params: Value,
    ) -> Result<Response<T>, Error<ApiError>> {
        execute(
            &self.inner,
            Route::rest2(method, false),
            encode(&params),
            CallOptions::default(),
        )
        .await
    }

    /// Sends a typed request and decodes its result as `T`, with the
    /// method's own errors.
    pub(crate) async fn call_as_with<M: Method, T: DeserializeOwned>(
        &self,
        request: M,
        options: CallOptions,
    ) -> Result<Response<T>, Error<M::Error>> {
        let body = encode(&request.to_json());
        execute(&self.inner, Route::of::<M>(), body, options).await
    }

    /// Calls a method this crate has no type for, with JSON parameters.
    ///
    /// The method is treated as not safe to send twice: an ambiguous failure
    /// gives [`Error::OutcomeUnknown`] instead of a retry. Refusals before
    /// execution (rate and operating-time limits, an expired token) are still
    /// retried.
    pub async fn call_raw(
        &self,
        method: &str,
        params: Value,
    ) -> Result<Response<Value>, Error<ApiError>> {
        self.call_raw_request(&RawRequest::new(method.to_owned(), params))
            .await
    }

    /// Sends a [`RawRequest`]: a method by wire name with JSON parameters,
    /// at the address of the request's REST version, retried after an
    /// ambiguous failure only if the request says it is safe to or, for a
    /// REST 3.0 write, because it carries an `Idempotency-Key`.
    pub async fn call_raw_request(
        &self,
        request: &RawRequest,
    ) -> Result<Response<Value>, Error<ApiError>> {
        let options = CallOptions {
            idempotency_key: request.key().map(str::to_owned),
            ..CallOptions::default()
        };
        execute(
            &self.inner,
            request.route(),
            encode(request.params()),
            options,
        )
        .await
    }

    /// Sends the commands of `batch` in one `batch` call.
    ///
    /// The call waits for the limits and is retried like any other; after an
    /// ambiguous failure it is sent again only if every command is safe to
    /// send twice. It fails only when the batch as a whole fails: each
    /// command's own result or error is read from the answer with its key.
    /// See [`Batch`] for an example.
    pub async fn call_batch(&self, batch: &Batch) -> Result<BatchResults, Error<ApiError>> {
        batch::send(&self.inner, batch, CallOptions::default()).await
    }

    /// The current OAuth tokens, refreshed ones included, to store them
    /// yourself; `None` for a webhook client.
    pub fn tokens(&self) -> Option<OAuthTokens> {
        self.inner.auth.tokens()
    }

    /// The portal's REST address, with any secret masked.
    pub fn portal(&self) -> String {
        self.inner.auth.display()
    }

    /// The address a call of `method` served by `version` goes to, with any
    /// secret masked (`…/rest/api/1/***/tasks.task.add`): what a dry run
    /// shows.
    pub fn method_address(&self, method: &str, version: RestVersion) -> String {
        let url = self.inner.auth.method_url(method, version);
        super::redact::redact(url.as_str(), &self.inner.auth.secrets()).into_string()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("portal", &self.inner.auth.display())
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// The raw error answer is its own typed error for untyped calls: nothing is
/// classified, so [`as_system`](MethodError::as_system) is always `None`
/// (`SystemError::try_from` classifies one).
impl MethodError for ApiError {
    fn own(error: &ApiError) -> Option<Self> {
        Some(error.clone())
    }

    fn code(&self) -> &str {
        ApiError::code(self)
    }

    fn description(&self) -> &str {
        ApiError::description(self)
    }

    fn as_system(&self) -> Option<&crate::SystemError> {
        None
    }

    fn from_api(error: ApiError) -> Self {
        error
    }
}

fn encode(params: &Value) -> Vec<u8> {
    // Serializing a `Value` cannot fail: its map keys are always strings.
    serde_json::to_vec(params).unwrap_or_default()
}
