//! Decoding of incoming REST requests: URL forms, body encodings and PHP query syntax.
//!
//! This layer turns bytes into a [`RestRequest`]; it does not know about users, credentials or
//! methods, and never fails: malformed input decodes to whatever PHP would have made of it.

mod query;
mod request;

pub(crate) use query::{MAX_NESTING, parse_str};
pub(crate) use request::{Credentials, RestRequest, decode};
