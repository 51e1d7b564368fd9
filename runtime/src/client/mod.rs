//! The asynchronous HTTP client: credentials, limits, retries, errors.
//!
//! [`Client`] sends the generated request types to a portal. The pieces, one
//! per file: `builder` (configuration), `handle` and `call` (the client and a
//! prepared call), `batch` (many typed commands in one call), `execute` (one
//! call from limits to answer), `route` (a call's method, REST version and
//! retry rule), `idempotency` (the key of a REST 3.0 write), `verdict`
//! (which failures are retried), `retry`, `rate_limit` and `operating` (the
//! client's own waits), `shared`
//! (the limits shared with other processes, in Redis) and `limits` (which of
//! them decide before each attempt), `auth` (webhook and OAuth
//! credentials), `transport` (HTTP), `envelope` (reading answers), `redact`
//! and `endpoint` (keeping secrets out of messages), and `error`.

mod auth;
mod batch;
mod builder;
mod bulk;
mod call;
mod endpoint;
pub(crate) mod envelope;
pub(crate) mod error;
mod execute;
mod handle;
mod idempotency;
mod limits;
mod mismatch_log;
mod operating;
mod options;
mod paging;
mod rate_limit;
mod raw;
pub(crate) mod redact;
mod response;
mod retry;
mod route;
#[cfg(feature = "redis")]
mod shared;
mod transport;
mod verdict;

pub use auth::{OAuthTokens, TokenStore, TokenStoreError, TokenStoreFuture};
pub use batch::{
    Batch, BatchFull, BatchKey, BatchResults, BindError, Binding, CommandError, Field, Fits, Param,
    Ref,
};
pub use builder::{ClientBuilder, DEFAULT_OAUTH_SERVER, OAuthApp, Webhook};
pub use bulk::{Bulk, BulkAnswer, BulkCommand, BulkProgress, BulkRequest};
pub use call::{Call, CallFuture};
pub use envelope::decode_answer;
pub use error::{ConfigError, Error, ErrorKind, PagingError};
pub use handle::Client;
pub use operating::OperatingLimit;
pub use paging::{Items, Page, Pages, Paging, RawList, RawPages};
pub use rate_limit::RateLimit;
pub use raw::RawRequest;
pub use response::Response;
pub use retry::RetryPolicy;
#[cfg(feature = "redis")]
pub use shared::{SharedLimits, Unavailable};
