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
//! # Calling a portal
//!
//! A [`Client`] sends requests to one portal. Build it from an incoming
//! webhook URL (or OAuth tokens, below), then call a method and await it:
//!
//! ```no_run
//! use bitrix24::{ClientBuilder, SonetGroupUserGet};
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let client = ClientBuilder::webhook("https://example.bitrix24.com/rest/1/abc123/").build()?;
//! let members = client.call(SonetGroupUserGet::new(69)).await?.result;
//! let invite = client
//!     .prepare(bitrix24::SonetGroupUserInvite::new(69, [1271, 1272]))
//!     .map(|request| request.message("Join the project"));
//! let invited = invite.await?.result;
//! # Ok(()) }
//! ```
//!
//! An OAuth application gives the portal's REST address, its tokens, and its
//! client ID and secret so that an expired token is refreshed (once, however
//! many calls notice it at the same time); the hook receives every new pair
//! to store:
//!
//! ```no_run
//! use bitrix24::{ClientBuilder, OAuthTokens};
//!
//! # fn example() -> Result<(), bitrix24::ConfigError> {
//! let client = ClientBuilder::oauth(
//!     "https://example.bitrix24.com/rest/",
//!     OAuthTokens::new("access token", "refresh token"),
//! )
//! .oauth_app("app.0123456789abcd.12345678", "client secret")
//! .on_token_refresh(|tokens: &OAuthTokens| {
//!     // Store tokens.access_token() and tokens.refresh_token().
//! })
//! .build()?;
//! # Ok(()) }
//! ```
//!
//! # Handling errors
//!
//! A call fails with an [`Error`] whose [`kind`](Error::kind) says what went
//! wrong. [`Error::Method`] holds the method's own typed error, whose `System`
//! variant covers errors any method can return:
//!
//! ```no_run
//! use bitrix24::{Error, SonetGroupUserGet, SonetGroupUserGetError};
//! use bitrix24::error::SystemErrorCategory;
//!
//! # async fn example(client: bitrix24::Client) {
//! match client.call(SonetGroupUserGet::new(69)).await {
//!     Ok(response) => println!("{} members", response.result.len()),
//!     Err(Error::Method(SonetGroupUserGetError::GroupNotFound)) => println!("no such group"),
//!     Err(Error::Method(SonetGroupUserGetError::System(system)))
//!         if system.category() == SystemErrorCategory::Scope =>
//!     {
//!         println!("the webhook lacks the sonet_group scope")
//!     }
//!     Err(Error::OutcomeUnknown(unknown)) => println!("check the portal: {unknown}"),
//!     Err(other) => println!("{other}"),
//! }
//! # }
//! ```
//!
//! The client waits on its own for the portal's limits and retries where that
//! is safe: a client-side leaky bucket ([`RateLimit`]), the per-method
//! operating-time budget ([`OperatingLimit`]), and retries decided by the
//! error code ([`RetryPolicy`]). A failure that leaves the effect unknown
//! (a lost connection, a timeout, a server failure) is retried only for
//! methods that are safe to send twice; for the others, such as invitations,
//! the caller gets [`Error::OutcomeUnknown`]. Webhook codes, tokens and the
//! client secret never appear in errors, logs or `Debug` output.
//!
//! # Many calls at once
//!
//! A [`Batch`] sends up to 50 requests of any methods in one HTTP call. Each
//! [`add`](Batch::add) returns a typed key that reads that command's own
//! result or error from the answer:
//!
//! ```no_run
//! use bitrix24::{Batch, SonetGroupUserGet, SonetGroupUserGroups};
//!
//! # async fn example(client: bitrix24::Client) -> Result<(), Box<dyn std::error::Error>> {
//! let mut batch = Batch::new().halt_on_error(false);
//! let members = batch.add(SonetGroupUserGet::new(69))?;
//! let groups = batch.add(SonetGroupUserGroups::new())?;
//! let results = client.call_batch(&batch).await?;
//! let members = results.get(members)?.result;
//! let groups = results.get(groups)?.result;
//! # Ok(()) }
//! ```
//!
//! The modules:
//! - the request, result and error types sit at the crate root; they are
//!   generated from `schema/` into `src/api/` and never edited by hand;
//! - [`Method`] and [`MethodError`] are the contract every request and error
//!   type implements;
//! - [`client`] sends requests: [`Client`], [`ClientBuilder`], [`Call`],
//!   [`Batch`], [`Response`], [`Error`];
//! - [`error`] holds the raw and system error types;
//! - [`wire`] turns Bitrix24's wire quirks (numeric strings, `Y`/`N` flags,
//!   one-or-many parameters, PHP query strings) into Rust types.

pub mod client;
pub mod error;
#[cfg(test)]
mod examples;
mod method;
pub mod wire;

// prettyplease formats the generated files; rustfmt must not reformat them.
#[rustfmt::skip]
mod api;

pub use api::*;
pub use client::{
    Batch, BatchFull, BatchKey, BatchResults, Call, Client, ClientBuilder, CommandError,
    ConfigError, Error, ErrorKind, OAuthTokens, OperatingLimit, RateLimit, Response, RetryPolicy,
    TokenHook, decode_answer,
};
pub use error::{ApiError, SystemError};
pub use method::{Method, MethodError};
