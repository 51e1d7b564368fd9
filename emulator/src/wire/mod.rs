//! Decoding of incoming REST requests: URL forms, body encodings and PHP query syntax, for
//! REST 2 (`/rest/…`) and REST 3.0 (`/rest/api/…`).
//!
//! This layer turns bytes into a [`RestRequest`] or an [`ApiRequest`]; it does not know about
//! users, credentials or methods, and never fails: malformed input decodes to whatever PHP
//! would have made of it, or, for REST 3.0, is marked for the pipeline to refuse.

mod api;
mod query;
mod request;

pub(crate) use api::{ApiRequest, KeyHeader, decode as decode_api};
pub(crate) use query::{MAX_NESTING, parse_str};
pub(crate) use request::{Credentials, RestRequest, decode};
