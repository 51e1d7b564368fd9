//! What a walk needs to know of a list method, once for typed methods
//! ([`Typed`], any [`Paged`] request) and once for methods called by wire
//! name with JSON parameters ([`RawList`], as a command line does).
//!
//! Knows how a page of each kind is sent and read, alone or as a command of
//! a batch; not how the pages follow each other.

use std::borrow::Cow;
use std::marker::PhantomData;

use futures_util::future::BoxFuture;
use serde_json::Value;

use super::{Page, Walker};
use crate::__private::schema;
use crate::MethodError;
use crate::client::batch::{Batch, BatchKey, BatchResults, Command};
use crate::client::envelope::ResultOf;
use crate::client::error::{Error, PagingError};
use crate::client::execute::execute;
use crate::client::response::Response;
use crate::client::route::Route;
use crate::error::ApiError;
use crate::method::{Batchable, Keyset, Paged};

/// A page of a list, or why it could not be read.
pub(super) type PageOf<L> = Result<Page<<L as List>::Item>, Error<<L as List>::Error>>;

/// A list method as a walk sees it.
pub(crate) trait List: Send + Sync + 'static {
    /// One item of a page.
    type Item: Send + 'static;
    /// What a failed page gives.
    type Error: MethodError;

    /// The wire name.
    fn method(&self) -> &'static str;

    /// Keyset paging, if the method supports it.
    fn keyset(&self) -> Option<Keyset>;

    /// The wire name of the result's field that holds the items; `None`
    /// when the result is the list.
    fn items_field(&self) -> Option<&'static str>;

    /// The key of `item`, for a keyset walk.
    fn key(&self, item: &Self::Item) -> Option<u64>;

    /// Sends one page with `params` through the client's execute path.
    fn fetch<'a>(&'a self, client: &'a Walker, params: Value) -> BoxFuture<'a, PageOf<Self>>;

    /// The command of `batch` that fetches a page with `params`; `false`
    /// when the batch is full.
    fn push(&self, batch: &mut Batch, params: &Value) -> bool;

    /// The page the command at `index` of `batch` gave.
    fn read(&self, batch: &Batch, results: &BatchResults, index: usize) -> PageOf<Self>;
}

/// A typed paged method `M`.
pub(crate) struct Typed<M>(PhantomData<fn() -> M>);

impl<M> Typed<M> {
    pub(crate) fn new() -> Self {
        Self(PhantomData)
    }
}

impl<M> List for Typed<M>
where
    M: Paged + Batchable + Send + 'static,
    M::Response: Send,
    M::Item: Send + 'static,
{
    type Item = M::Item;
    type Error = M::Error;

    fn method(&self) -> &'static str {
        M::NAME
    }

    fn keyset(&self) -> Option<Keyset> {
        M::KEYSET
    }

    fn items_field(&self) -> Option<&'static str> {
        M::ITEMS
    }

    fn key(&self, item: &M::Item) -> Option<u64> {
        M::keyset_value(item)
    }

    fn fetch<'a>(
        &'a self,
        client: &'a Walker,
        params: Value,
    ) -> BoxFuture<'a, Result<Page<M::Item>, Error<M::Error>>> {
        Box::pin(async move {
            let body = serde_json::to_vec(&params).unwrap_or_default();
            let response = execute::<ResultOf<M>, M::Error>(
                client.client.inner(),
                Route::of::<M>(),
                body,
                client.options.clone(),
            )
            .await?;
            Ok(response.map(|result| M::into_items(result.0)))
        })
    }

    fn push(&self, batch: &mut Batch, params: &Value) -> bool {
        batch.add_params::<M>(params).is_some()
    }

    fn read(
        &self,
        batch: &Batch,
        results: &BatchResults,
        index: usize,
    ) -> Result<Page<M::Item>, Error<M::Error>> {
        results
            .get(BatchKey::<M>::at(batch, index))
            .map(|page| page.map(M::into_items))
            .map_err(|error| error.into_call_error(M::NAME))
    }
}

/// A list method called by wire name with JSON parameters, walked with
/// [`Client::raw_pages`](crate::Client::raw_pages): its items are JSON
/// values.
///
/// What a walk needs to know, the schema knows: [`RawList::of`] takes it
/// from a method's description (`bitrix24::schema`).
///
/// ```
/// use bitrix24::{Keyset, RawList};
///
/// let groups = RawList::new("sonet_group.get", serde_json::json!({"FILTER": {"%NAME": "Pro"}}))
///     .keyset(Keyset::new("ORDER", "FILTER", "ID"));
/// assert_eq!(groups.method(), "sonet_group.get");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RawList {
    method: &'static str,
    params: Value,
    retry_safe: bool,
    items: Option<&'static str>,
    keyset: Option<Keyset>,
}

impl RawList {
    /// The list of `method` with `params` (a JSON object, or `null` for
    /// none), whose result is the list, without keyset paging, safe to send
    /// twice (a list is a read).
    pub fn new(method: &'static str, params: Value) -> Self {
        Self {
            method,
            params,
            retry_safe: true,
            items: None,
            keyset: None,
        }
    }

    /// The list of the method `described`, with what its schema says of
    /// paging and retries.
    pub fn of(described: &'static schema::Method, params: Value) -> Self {
        let paging = described.paging.as_ref();
        Self {
            method: &described.name,
            params,
            retry_safe: described.retry_safe,
            items: paging.and_then(|paging| paging.items.as_deref()),
            keyset: paging.and_then(|paging| paging.keyset.as_ref().map(Keyset::from)),
        }
    }

    /// The field of the result that holds the items, for a result that is
    /// an object (`"items"` for `crm.item.list`).
    #[must_use]
    pub fn items(mut self, field: &'static str) -> Self {
        self.items = Some(field);
        self
    }

    /// How the method is walked by key.
    #[must_use]
    pub fn keyset(mut self, keyset: Keyset) -> Self {
        self.keyset = Some(keyset);
        self
    }

    /// Whether a page may be sent again after an ambiguous failure.
    #[must_use]
    pub fn retry_safe(mut self, safe: bool) -> Self {
        self.retry_safe = safe;
        self
    }

    /// The method's wire name.
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// The parameters.
    pub fn params(&self) -> &Value {
        &self.params
    }

    /// The items of a page's result: the list itself, or the list in the
    /// items field.
    fn items_of(&self, result: Value) -> Result<Vec<Value>, Error<ApiError>> {
        let list = match (self.items, result) {
            (None, Value::Array(items)) => Some(items),
            (Some(field), Value::Object(mut object)) => match object.remove(field) {
                Some(Value::Array(items)) => Some(items),
                _ => None,
            },
            _ => None,
        };
        list.ok_or(Error::Paging(PagingError::NoItems {
            method: self.method,
        }))
    }

    /// A page's answer with its items taken out of the result.
    fn page(&self, response: Response<Value>) -> Result<Page<Value>, Error<ApiError>> {
        let mut result = Value::Null;
        let envelope = response.map(|taken| result = taken);
        let items = self.items_of(result)?;
        Ok(envelope.map(|()| items))
    }
}

impl List for RawList {
    type Item = Value;
    type Error = ApiError;

    fn method(&self) -> &'static str {
        self.method
    }

    fn keyset(&self) -> Option<Keyset> {
        self.keyset
    }

    fn items_field(&self) -> Option<&'static str> {
        self.items
    }

    /// A key written as a number or as its digits, as the portal writes IDs.
    fn key(&self, item: &Value) -> Option<u64> {
        match item.get(self.keyset?.field)? {
            Value::Number(number) => number.as_u64(),
            Value::String(digits) => digits.parse().ok(),
            _ => None,
        }
    }

    fn fetch<'a>(
        &'a self,
        client: &'a Walker,
        params: Value,
    ) -> BoxFuture<'a, Result<Page<Value>, Error<ApiError>>> {
        Box::pin(async move {
            let body = serde_json::to_vec(&params).unwrap_or_default();
            let response = execute::<Value, ApiError>(
                client.client.inner(),
                Route::rest2(self.method, self.retry_safe),
                body,
                client.options.clone(),
            )
            .await?;
            self.page(response)
        })
    }

    fn push(&self, batch: &mut Batch, params: &Value) -> bool {
        batch.push_command(Command::named(
            Cow::Borrowed(self.method),
            self.retry_safe,
            crate::wire::to_php_query(params),
        ))
    }

    fn read(
        &self,
        _batch: &Batch,
        results: &BatchResults,
        index: usize,
    ) -> Result<Page<Value>, Error<ApiError>> {
        let page = results
            .raw(index)
            .map_err(|error| error.into_call_error(self.method))?;
        self.page(page)
    }
}
