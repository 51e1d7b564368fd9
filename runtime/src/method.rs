//! The contract between generated request types and whatever sends them.
//!
//! Every generated request implements [`Method`]; every generated per-method
//! error implements [`MethodError`]. Nothing here lists the methods, so adding
//! a method to the schema never changes these traits. This module knows
//! nothing about HTTP, authentication or retries.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::error::{ApiError, SystemError, UnknownError};

pub use crate::__private::schema::RestVersion;

/// A Bitrix24 REST method with typed parameters, result and errors.
///
/// Implemented by each generated request type. The request value holds the
/// parameters; the associated items describe the rest of the call.
pub trait Method: Serialize {
    /// The wire name, such as `sonet_group.user.get`.
    const NAME: &'static str;

    /// The permission scopes that allow the call, any one of them, such as
    /// `["user", "user_brief", "user_basic"]`.
    const SCOPES: &'static [&'static str];

    /// Whether sending the call again after an ambiguous failure (a dropped
    /// connection, a timeout, a `5xx` without a known code) is harmless.
    ///
    /// Reads and set-like writes are safe; methods that notify people, such as
    /// invitations, are not.
    const RETRY_SAFE: bool;

    /// Whether the method pages its results with `start`, answering with
    /// `next` and `total`.
    const PAGED: bool;

    /// The REST version that serves the method, which decides its address.
    const REST_VERSION: RestVersion = RestVersion::V2;

    /// REST 3.0 only: whether the method creates, changes or deletes data.
    /// Such a call is sent with an `Idempotency-Key`, the same on every
    /// attempt, so it is repeated after an ambiguous failure without running
    /// twice.
    const WRITES: bool = false;

    /// The decoded `result` of a successful call.
    type Response: DeserializeOwned;

    /// The method's own errors, plus system errors and an unknown fallback.
    type Error: MethodError;

    /// Reads `result` from the wire.
    ///
    /// Generated where the result's type needs more than its own decoding:
    /// numbers sent as strings, PHP's `[]` for an empty map.
    fn decode_result<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self::Response, D::Error> {
        Self::Response::deserialize(deserializer)
    }

    /// The parameters as a JSON object, as sent in a request body, keys in
    /// the order the request holds them.
    fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The parameters as a PHP-style query string, as used inside `batch`.
    fn to_query(&self) -> String {
        crate::wire::to_php_query(&self.to_json())
    }
}

/// A method that a REST 2 `batch` can carry: every REST 2 method.
///
/// REST 3.0 methods do not implement it, so putting one in a
/// [`Batch`](crate::Batch) does not compile.
pub trait Batchable: Method {}

/// A method whose results come in pages: where its list is and how it can
/// be walked.
///
/// Implemented by the generated request of every paged method. The runtime
/// reads it to stream every page ([`Call::pages`](crate::Call::pages),
/// [`Call::stream`](crate::Call::stream)); nothing here lists methods.
pub trait Paged: Method {
    /// One item of the list.
    type Item;

    /// Keyset paging (order by an ID, filter past the last one seen, skip
    /// counting with `start=-1`), when the method supports it.
    const KEYSET: Option<Keyset> = None;

    /// The wire name of the result's field that holds the list (`items`
    /// for `crm.item.list`); `None` when the result is the list. A chained
    /// keyset walk refers to the last key of a page through it.
    const ITEMS: Option<&'static str> = None;

    /// The list a page's result holds.
    fn into_items(result: Self::Response) -> Vec<Self::Item>;

    /// The value of the keyset field of `item`; `None` for methods without
    /// keyset paging, or an item without the field.
    fn keyset_value(item: &Self::Item) -> Option<u64> {
        let _ = item;
        None
    }
}

/// How a paged method is walked by its key: the wire names of its sort and
/// filter parameters and of the key field, in the method's own case
/// (`ORDER`/`FILTER`/`ID` for most methods, `order`/`filter`/`id` for others).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keyset {
    /// The sort parameter.
    pub order: &'static str,
    /// The filter parameter.
    pub filter: &'static str,
    /// The key field, a positive integer unique per item.
    pub field: &'static str,
    /// The parameter that selects the fields of the items, if the method
    /// has one: a walk adds the key to a selection that leaves it out.
    pub select: Option<&'static str>,
}

impl Keyset {
    /// A keyset walk with the given wire names, for a method without a
    /// selection of fields.
    pub const fn new(order: &'static str, filter: &'static str, field: &'static str) -> Self {
        Self {
            order,
            filter,
            field,
            select: None,
        }
    }

    /// The walk with the method's parameter that selects fields.
    pub const fn with_select(self, select: &'static str) -> Self {
        Self {
            select: Some(select),
            ..self
        }
    }
}

/// The walk the schema describes for a method (`bitrix24::schema`), whose
/// data lives as long as the program.
impl From<&'static crate::__private::schema::KeysetPaging> for Keyset {
    fn from(keyset: &'static crate::__private::schema::KeysetPaging) -> Self {
        Self {
            order: &keyset.order,
            filter: &keyset.filter,
            field: &keyset.field,
            select: keyset.select.as_deref(),
        }
    }
}

/// The typed error of one method.
///
/// Generated for every method: one variant per documented error, a `System`
/// variant for errors any method can return, and an `Unknown` fallback that
/// keeps the code and description. A generated type describes its own errors
/// as data ([`ErrorTable`](crate::error::ErrorTable)), from which this trait
/// is implemented once for all of them; the order of classification is
/// decided here, once.
pub trait MethodError:
    std::error::Error + From<SystemError> + From<UnknownError> + Send + Sync + Sized + 'static
{
    /// The method's own error that `error` is, if it is one.
    fn own(error: &ApiError) -> Option<Self>;

    /// The `error` code: the server's, or for a documented error matched by
    /// its description the code the schema declares (empty for most).
    fn code(&self) -> &str;

    /// The `error_description`: the server's, or for a documented error
    /// matched by its description the text the schema declares.
    fn description(&self) -> &str;

    /// The error any method can return that this is, such as a rate limit
    /// or an expired token, if it is one.
    fn as_system(&self) -> Option<&SystemError>;

    /// Classifies an error answer from the server: the method's own errors
    /// first, then errors any method can return, then the unknown fallback.
    fn from_api(error: ApiError) -> Self {
        if let Some(own) = Self::own(&error) {
            return own;
        }
        match SystemError::try_from(error) {
            Ok(system) => system.into(),
            Err(error) => UnknownError::from(error).into(),
        }
    }
}
