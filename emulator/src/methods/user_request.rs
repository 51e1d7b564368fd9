//! `sonet_group.user.request`: the caller asks to join. An opened group admits them at once
//! as `K`; otherwise a `Z` request initiated by the user is created.
//!
//! When the relation cannot be created (the caller already has one), the server reports the
//! application exception of `SendRequestToBeMember`, not the documented text.

use std::borrow::Cow;

use super::common::{GROUP_NOT_FOUND, group_id};
use super::{Call, Output};
use crate::error::RestError;
use crate::php::Value;
use crate::state::{InitiatedBy, Role};

pub(super) fn run(call: &mut Call<'_>) -> Result<Output, RestError> {
    let group_id = group_id(call.params)?;
    let group = call
        .portal
        .group(group_id)
        .filter(|g| call.portal.visible_to(g, &call.user, true))
        .ok_or(GROUP_NOT_FOUND)?
        .clone();
    if call.portal.relation(group.id, call.user.id).is_some() {
        return Err(RestError {
            status: 400,
            code: Cow::Borrowed("ERROR_CREATE_USER2GROUP"),
            description: Cow::Borrowed(
                "User is already a member of the group or has a pending request",
            ),
        });
    }
    let role = if group.opened {
        Role::Member
    } else {
        Role::Request
    };
    call.portal
        .add_relation(group.id, call.user.id, role, InitiatedBy::User);
    Ok(Output::new(Value::Bool(true)))
}
