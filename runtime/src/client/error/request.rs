//! A call refused before anything was sent, because of what the caller asked.
//!
//! Messages name the rule that was broken and never echo the rejected value.

/// A call the client refused to send; nothing reached the portal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// The `Idempotency-Key` the caller set is not one the server accepts.
    #[error(
        "the Idempotency-Key {problem}: it must be 1 to 255 printable ASCII characters, without a space at either end"
    )]
    InvalidIdempotencyKey {
        /// What is wrong with it.
        problem: &'static str,
    },
    /// A REST 3.0 method was given to REST 2's `batch`, which cannot carry it.
    #[error("{method} is a REST 3.0 method, which a `batch` cannot carry; call it on its own")]
    NotBatchable {
        /// The method's wire name.
        method: String,
    },
}
