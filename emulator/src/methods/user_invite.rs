//! `sonet_group.user.invite`: creates `Z` relations initiated by the group.
//!
//! The group lookup always applies the visibility check (no admin bypass). Users are skipped
//! silently: the caller, unknown users, users with any relation, and everyone when the caller
//! lacks the group's `INITIATE_PERMS`. The result echoes the invited IDs exactly as sent.

use super::common::{GROUP_NOT_FOUND, group_id, user_ids};
use super::{Call, Output};
use crate::error::RestError;
use crate::php::Value;
use crate::state::{InitiatedBy, Role};

pub(super) fn run(call: &mut Call<'_>) -> Result<Output, RestError> {
    let group_id = group_id(call.params)?;
    let requested = user_ids(call.params)?;
    let group = call
        .portal
        .group(group_id)
        .filter(|g| call.portal.visible_to(g, &call.user, false))
        .ok_or(GROUP_NOT_FOUND)?
        .clone();
    let may_initiate = call.portal.can_initiate(&group, &call.user);

    let mut invited = Vec::new();
    for raw in requested {
        let Ok(user_id) = u64::try_from(raw.intval()) else {
            continue;
        };
        let invitable = user_id != call.user.id
            && call.portal.user(user_id).is_some()
            && call.portal.relation(group.id, user_id).is_none()
            && may_initiate;
        if invitable {
            call.portal
                .add_relation(group.id, user_id, Role::Request, InitiatedBy::Group);
            invited.push(raw);
        }
    }
    Ok(Output::new(Value::list(invited)))
}
