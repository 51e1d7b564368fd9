//! `sonet_group.user.get`: active members (`A`, `E`, `K`) of a group, by relation ID.
//!
//! Takes the group as `ID`, unlike every other `.user.*` method. Admins bypass the visibility
//! check; nobody gets pagination.

use super::common::{GROUP_NOT_FOUND, int_param};
use super::{Call, Output};
use crate::error::RestError;
use crate::php::Value;

pub(super) fn run(call: &mut Call<'_>) -> Result<Output, RestError> {
    let id = int_param(call.params, "ID");
    if id <= 0 {
        return Err(RestError::method("Wrong socialnetwork group ID"));
    }
    let portal = &*call.portal;
    let group = portal
        .group(id)
        .filter(|g| call.user.admin || portal.visible_to(g, &call.user, true))
        .ok_or(GROUP_NOT_FOUND)?;
    let rows = portal
        .group_relations(group.id)
        .filter(|r| r.role.is_member())
        .filter(|r| portal.user(r.user).is_some_and(|u| u.active))
        .map(|r| {
            Value::object([
                ("USER_ID", Value::id(r.user)),
                ("ROLE", Value::str(r.role.letter())),
            ])
        });
    Ok(Output::new(Value::list(rows)))
}
