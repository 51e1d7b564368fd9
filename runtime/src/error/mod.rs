//! Every error type of the crate, in one place.
//!
//! Error answers from a portal, before and after classification:
//! [`ApiError`] is the raw `{"error", "error_description"}` pair, with REST
//! 3's [`Violation`]s;
//! [`SystemError`] is one of the errors any method can return, with its code
//! from the table in `code.rs`; [`UnknownError`] is whatever else the server
//! said. Per-method error types are generated next to their methods, each
//! with the table of its own errors ([`ErrorTable`], [`OwnError`]) that its
//! behaviour is derived from.
//!
//! Why a call failed: [`Error`] and the small types of its variants
//! (transport, undecodable answers, redirects, token refresh, unknown
//! outcomes, the deadline, shared limits, paging), and [`ConfigError`] for a
//! client that could not be built. They are defined with the client, which
//! makes them; this module only names them.

mod api;
mod code;
mod system;
pub(crate) mod table;
mod unknown;
mod violation;

pub use api::ApiError;
pub(crate) use api::ErrorField;
pub use code::SystemErrorCode;
pub use system::{SystemError, SystemErrorCategory, SystemErrorRetry};
pub use table::{ErrorClass, ErrorTable, OwnError};
pub use unknown::UnknownError;
pub use violation::{MAX_VIOLATIONS, Violation};

pub use crate::client::error::{
    ConfigError, DeadlineExceeded, DecodeError, EXCERPT_BYTES, Error, ErrorKind, OAuthErrorCode,
    OutcomeCause, OutcomeUnknown, PagingError, RedirectError, RefreshError, RequestError,
    SharedLimitsError, TransportError, TransportErrorKind,
};
