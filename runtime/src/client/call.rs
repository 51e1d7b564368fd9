//! A prepared call: a request with the client that will send it.
//!
//! Generated per-method functions return a `Call`, whose optional parameters
//! are set with the generated setters (which work on a request and on a call
//! of it, through `HasRequest`) before it is sent or awaited. Knows nothing
//! about how calls are sent.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use serde::de::DeserializeOwned;

use super::error::Error;
use super::handle::Client;
use super::options::CallOptions;
use super::paging::Paging;
use super::response::Response;
use super::retry::RetryPolicy;
use crate::__private::HasRequest;
use crate::Method;
use crate::method::Paged;
use crate::wire::Decoding;

/// A request bound to a client, ready to send.
///
/// Generated client functions return one; its setters are those of the
/// request:
///
/// ```no_run
/// # async fn example(client: bitrix24::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use bitrix24::prelude::*;
/// use bitrix24::{Method, SonetGroupUserInvite};
///
/// let call = client.sonet_group_user_invite(69, [1271, 1272]).message("Join the project");
/// assert_eq!(call.request().to_query(), "GROUP_ID=69&USER_ID[0]=1271&USER_ID[1]=1272&MESSAGE=Join+the+project");
/// let invited = call.await?.result;
///
/// // The same call from a request value:
/// let call = client.prepare(SonetGroupUserInvite::new(69, [1271, 1272]).message("Join the project"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a call does nothing until it is sent or awaited"]
pub struct Call<M> {
    client: Client,
    request: M,
    paging: Paging,
    options: CallOptions,
}

impl<M: Method> Call<M> {
    pub(crate) fn new(client: Client, request: M) -> Self {
        Self {
            client,
            request,
            paging: Paging::default(),
            options: CallOptions::default(),
        }
    }

    /// Changes the request, for example with one of its setters.
    pub fn map(self, change: impl FnOnce(M) -> M) -> Self {
        Self {
            request: change(self.request),
            ..self
        }
    }

    /// The request as it will be sent.
    pub fn request(&self) -> &M {
        &self.request
    }

    /// The request, without sending it.
    pub fn into_request(self) -> M {
        self.request
    }

    /// How long each attempt of this call may take, from sending the
    /// request to the end of the answer, instead of the client's
    /// [`request_timeout`](crate::ClientBuilder::request_timeout). A zero
    /// duration fails every attempt at once.
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// The attempts, backoff and overall deadline of this call, instead of
    /// the client's [`retry`](crate::ClientBuilder::retry) policy. The rules
    /// of what is retried stay the same: nothing unsafe is sent twice.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// How this call's answer is decoded if its values do not all fit their
    /// types, instead of the client's
    /// [`decoding`](crate::ClientBuilder::decoding).
    pub fn decoding(mut self, decoding: Decoding) -> Self {
        self.options.decoding = Some(decoding);
        self
    }

    /// The `Idempotency-Key` of this call, instead of a random one: to
    /// send the same write again later (after a restart, say) without it
    /// running twice, keep the key and give it again.
    ///
    /// Only a REST 3.0 method that writes ([`Method::WRITES`]) sends a key;
    /// every attempt of the call sends the same one. The key must be 1 to 255
    /// printable ASCII characters without a space at either end; any other
    /// fails the call with [`RequestError::InvalidIdempotencyKey`] before
    /// anything is sent, whatever the method.
    ///
    /// [`RequestError::InvalidIdempotencyKey`]: crate::error::RequestError::InvalidIdempotencyKey
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.options.idempotency_key = Some(key.into());
        self
    }

    #[cfg(feature = "blocking")]
    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    pub(crate) fn into_parts(self) -> (Client, M, Paging, CallOptions) {
        (self.client, self.request, self.paging, self.options)
    }

    /// Sends the request and waits for its answer.
    pub async fn send(self) -> Result<Response<M::Response>, Error<M::Error>> {
        self.client.call_with(self.request, self.options).await
    }

    /// Sends the request and decodes its result as your own type `T`
    /// instead of the method's, keeping the method's errors, limits and
    /// retry rule: for an answer that carries more than the schema says,
    /// in the shape you need.
    pub async fn send_as<T: DeserializeOwned>(self) -> Result<Response<T>, Error<M::Error>> {
        self.client.call_as_with(self.request, self.options).await
    }
}

impl<M: Paged> Call<M> {
    /// How [`pages`](Self::pages), [`stream`](Self::stream) and
    /// [`collect_all`](Self::collect_all) fetch the pages (default
    /// [`Paging::Auto`]).
    pub fn paging(self, paging: Paging) -> Self {
        Self { paging, ..self }
    }
}

/// The future of an awaited [`Call`].
pub type CallFuture<M> = Pin<
    Box<
        dyn Future<Output = Result<Response<<M as Method>::Response>, Error<<M as Method>::Error>>>
            + Send,
    >,
>;

impl<M> IntoFuture for Call<M>
where
    M: Method + Send + 'static,
    M::Response: Send,
{
    type Output = Result<Response<M::Response>, Error<M::Error>>;
    type IntoFuture = CallFuture<M>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<M: Method> HasRequest for Call<M> {
    type Request = M;

    fn request_mut(&mut self) -> &mut M {
        &mut self.request
    }
}
