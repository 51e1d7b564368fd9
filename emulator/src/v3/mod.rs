//! REST 3.0, served at `/rest/api/…`: its error shape, the `Idempotency-Key` store and the
//! methods that exist only there. The request pipeline that ties them together is
//! `engine::api`, the decoding of requests `wire::api`.

mod error;
pub(crate) mod idempotency;
mod methods;

pub(crate) use error::ApiError;
pub(crate) use methods::{ApiCall, find};
