//! `user.current`: the authenticated user, reduced to the fields this portal models.

use super::{Call, Output};
use crate::error::RestError;
use crate::php::Value;
use crate::state::UserType;

pub(super) fn run(call: &mut Call<'_>) -> Result<Output, RestError> {
    let user = &call.user;
    let user_type = match user.user_type {
        UserType::Employee => "employee",
        UserType::Extranet => "extranet",
    };
    Ok(Output::new(Value::object([
        ("ID", Value::id(user.id)),
        ("ACTIVE", Value::Bool(user.active)),
        ("NAME", Value::str(user.name.as_str())),
        ("USER_TYPE", Value::str(user_type)),
        ("IS_ADMIN", Value::Bool(user.admin)),
    ])))
}
