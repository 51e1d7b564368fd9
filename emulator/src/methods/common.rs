//! Parameter checks and error texts shared by the `sonet_group.user.*` handlers.

use crate::error::RestError;
use crate::php::{Array, Value};

pub(super) const WRONG_GROUP_ID: RestError = RestError::method("Wrong group ID");
pub(super) const WRONG_USER_IDS: RestError = RestError::method("Wrong user IDs");
pub(super) const GROUP_NOT_FOUND: RestError = RestError::method("Socialnetwork group not found");
pub(super) const NO_UPDATE_PERMISSION: RestError =
    RestError::method("No permissions to update users role");

/// `(int)$arFields[key]`, with a missing key reading as 0.
pub(super) fn int_param(params: &Array, key: &str) -> i64 {
    params.get(key).map_or(0, Value::intval)
}

/// `GROUP_ID` must cast to a positive integer.
pub(super) fn group_id(params: &Array) -> Result<i64, RestError> {
    let id = int_param(params, "GROUP_ID");
    if id > 0 { Ok(id) } else { Err(WRONG_GROUP_ID) }
}

/// `USER_ID`: a non-empty array (elements unchecked) or a scalar casting to a positive integer,
/// which is wrapped into a one-element list. Values are returned as sent.
pub(super) fn user_ids(params: &Array) -> Result<Vec<Value>, RestError> {
    match params.get("USER_ID") {
        Some(Value::Array(list)) if !list.is_empty() => Ok(list.values().cloned().collect()),
        Some(scalar @ (Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Str(_)))
            if scalar.intval() > 0 =>
        {
            Ok(vec![scalar.clone()])
        }
        _ => Err(WRONG_USER_IDS),
    }
}

/// The integer IDs an SQL `IN (…)` over the raw values would match.
pub(super) fn matched_ids(values: &[Value]) -> Vec<u64> {
    values
        .iter()
        .filter_map(|v| u64::try_from(v.intval()).ok())
        .collect()
}
