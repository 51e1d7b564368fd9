//! Typed bindings for the Bitrix24 REST API, generated from a JSON schema of
//! the methods.
//!
//! Every method has a request type whose constructor takes the required
//! parameters and whose setters take the optional ones, a typed result, and a
//! typed error:
//!
//! ```
//! use bitrix24::{Method, SonetGroupUserInvite};
//!
//! let request = SonetGroupUserInvite::new(69, [1271, 1272]).message("Join the project");
//! assert_eq!(SonetGroupUserInvite::NAME, "sonet_group.user.invite");
//! assert_eq!(request.to_query(), "GROUP_ID=69&MESSAGE=Join+the+project&USER_ID[0]=1271&USER_ID[1]=1272");
//! ```
//!
//! The modules:
//! - the request, result and error types sit at the crate root; they are
//!   generated from `schema/` into `src/api/` and never edited by hand;
//! - [`Method`] and [`MethodError`] are the contract every request and error
//!   type implements;
//! - [`error`] holds the raw and system error types;
//! - [`wire`] turns Bitrix24's wire quirks (numeric strings, `Y`/`N` flags,
//!   one-or-many parameters, PHP query strings) into Rust types.

pub mod client;
pub mod error;
mod method;
pub mod wire;

// prettyplease formats the generated files; rustfmt must not reformat them.
#[rustfmt::skip]
mod api;

pub use api::*;
pub use client::{
    Call, Client, ClientBuilder, ConfigError, Error, ErrorKind, OAuthTokens, OperatingLimit,
    RateLimit, Response, RetryPolicy, TokenHook, decode_answer,
};
pub use error::{ApiError, SystemError};
pub use method::{Method, MethodError};
