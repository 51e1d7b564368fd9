//! Error answers from a Bitrix24 portal, before and after classification.
//!
//! [`ApiError`] is the raw `{"error", "error_description"}` pair;
//! [`SystemError`] is one of the errors any method can return, with its code
//! from the table in `code.rs`; [`UnknownError`] is whatever else the server
//! said. Per-method error types are generated next to their methods. This
//! module knows nothing about HTTP.

mod api;
mod code;
mod system;
mod unknown;

pub use api::ApiError;
pub use code::SystemErrorCode;
pub use system::{SystemError, SystemErrorCategory, SystemErrorRetry};
pub use unknown::UnknownError;
