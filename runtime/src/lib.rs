//! The hand-written runtime behind the generated [`bitrix24`] crate.
//!
//! Use the `bitrix24` crate: it re-exports everything here at its root next
//! to the generated request, result and error types of every method, and its
//! documentation shows how to call a portal. This crate holds what is the
//! same for every method:
//!
//! - [`client`]: the asynchronous HTTP client ([`Client`], [`ClientBuilder`],
//!   [`Call`], [`Batch`], [`Response`], [`Error`]) with webhook and OAuth
//!   credentials, the portal's rate and operating-time limits, and retries
//!   that never send a call twice unless that is safe;
//! - [`error`]: the raw error answer ([`ApiError`]), the errors any method
//!   can return ([`SystemError`], [`SystemErrorCode`]), and the table of its
//!   own errors each generated method error is described by
//!   ([`ErrorTable`](error::ErrorTable));
//! - [`wire`]: Bitrix24's wire quirks (numeric strings, flags in four forms,
//!   `""` for unset values, PHP's `[]` for empty maps, one-or-many
//!   parameters, file uploads, ordered filters and sort orders, PHP query
//!   strings) as Rust types;
//! - the protocol types every answer has ([`Time`]) and the traits every
//!   generated type implements ([`Method`], [`MethodError`]), with [`Id`],
//!   the one implementation of every kind of numeric identifier.
//!
//! Generated code reaches this crate only through one hidden module, the
//! contract between the two; it lists what generated code may name and every
//! name this crate claims in the places generated code writes into.
//!
//! [`bitrix24`]: https://docs.rs/bitrix24

#[cfg(feature = "blocking")]
pub mod blocking;
pub mod client;
pub mod error;
mod id;
mod method;
#[cfg(test)]
mod testing;
mod time;
pub mod wire;

#[doc(hidden)]
pub mod __private;

pub use client::{
    Batch, BatchFull, BatchKey, BatchResults, BindError, Binding, Bulk, BulkAnswer, BulkCommand,
    BulkProgress, BulkRequest, Call, Client, ClientBuilder, CommandError, ConfigError, Error,
    ErrorKind, Field, Fits, Items, OAuthTokens, OperatingLimit, Page, Pages, Paging, PagingError,
    Param, RateLimit, RawList, RawPages, RawRequest, Ref, Response, RetryPolicy, TokenStore,
    TokenStoreError, TokenStoreFuture, decode_answer,
};
pub use error::{ApiError, SystemError, SystemErrorCode};
pub use id::Id;
pub use method::{Batchable, Keyset, Method, MethodError, Paged, RestVersion};
pub use time::Time;
pub use wire::{CustomFields, Decoding, Direction, File, Mismatch};

/// The HTTP client crate, for [`ClientBuilder::http_client`] (the version
/// this crate is built with).
pub use reqwest;

/// The date and time types of answers ([`Time::date_start`], the dates of
/// generated result types), to build them in tests without a dependency of
/// your own.
pub use chrono;

/// The secret types tokens are held in ([`OAuthTokens::access_token`] is a
/// `secrecy::SecretString`), to store them without a dependency of your own.
pub use secrecy;
