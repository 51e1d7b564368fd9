//! A walk over a paged method that cannot go on.
//!
//! Knows the walk's strategy and the offsets or keys it saw, never text from
//! an answer, so its message cannot carry a secret.

/// Why the pages of a method could not be walked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PagingError {
    /// Keyset paging was asked for where it cannot work: the method does not
    /// support it, or the request sorts by something else than the key.
    #[error("{method} cannot be walked by key: {reason}")]
    KeysetUnavailable {
        /// The method.
        method: &'static str,
        /// What stands in the way.
        reason: &'static str,
    },
    /// The portal's pages do not advance: a `next` offset that does not pass
    /// the page's own, or a last key that does not pass the previous one.
    /// Walking on would fetch the same page forever.
    #[error("the pages of {method} do not advance: {detail}")]
    NoProgress {
        /// The method.
        method: &'static str,
        /// The offsets or keys seen.
        detail: String,
    },
    /// A page's result holds no list of items where the method's
    /// description says it is.
    #[error("a page of {method} holds no list of items")]
    NoItems {
        /// The method.
        method: &'static str,
    },
}
