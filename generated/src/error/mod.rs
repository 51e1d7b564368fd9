//! Error answers from a Bitrix24 portal, before and after classification.
//!
//! [`ApiError`] is the raw `{"error", "error_description"}` pair; [`SystemError`]
//! is one of the errors any method can return, whose codes come from
//! `schema/shared/errors.json`. Per-method error types are generated next to
//! their methods. This module knows nothing about HTTP.

mod api;
mod system;

pub use api::ApiError;
pub use system::{SystemError, SystemErrorCategory, SystemErrorRetry};
