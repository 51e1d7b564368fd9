//! What the client's execute path needs to know of the method a call goes
//! to: its wire name, its REST version (which decides the address), and
//! whether it may be sent twice.
//!
//! Typed calls take it from their [`Method`]; raw calls from what the caller
//! says. Knows nothing about HTTP or credentials.

use crate::{Method, RestVersion};

/// The method of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Route<'a> {
    /// The wire name.
    pub(crate) method: &'a str,
    /// Which REST version serves it.
    pub(crate) version: RestVersion,
    /// Whether sending it again after an ambiguous failure is harmless.
    pub(crate) retry_safe: bool,
    /// Whether it creates, changes or deletes data (REST 3.0 only).
    pub(crate) writes: bool,
}

impl Route<'static> {
    /// The route of a typed method.
    pub(crate) fn of<M: Method>() -> Self {
        Self {
            method: M::NAME,
            version: M::REST_VERSION,
            retry_safe: M::RETRY_SAFE,
            writes: M::WRITES,
        }
    }
}

impl<'a> Route<'a> {
    /// A REST 2 method by wire name.
    pub(crate) fn rest2(method: &'a str, retry_safe: bool) -> Self {
        Self {
            method,
            version: RestVersion::V2,
            retry_safe,
            writes: false,
        }
    }

    /// Whether the call carries an `Idempotency-Key`: a REST 3.0 write. The
    /// server ignores the header elsewhere, and a read needs none.
    pub(crate) fn idempotent(&self) -> bool {
        self.version == RestVersion::V3 && self.writes
    }
}
