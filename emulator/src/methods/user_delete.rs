//! `sonet_group.user.delete` (admins only): removes relations of any role except the owner's
//! and the scrum master's, so it also cancels requests and bans. Non-members are ignored.
//!
//! The permission error reuses the text of `.update`, as the server does.

use std::collections::HashSet;

use super::common::{GROUP_NOT_FOUND, NO_UPDATE_PERMISSION, group_id, matched_ids, user_ids};
use super::{Call, Output};
use crate::error::RestError;
use crate::php::Value;
use crate::state::Role;

pub(super) fn run(call: &mut Call<'_>) -> Result<Output, RestError> {
    let group_id = group_id(call.params)?;
    if !call.user.admin {
        return Err(NO_UPDATE_PERMISSION);
    }
    let targets: HashSet<u64> = matched_ids(&user_ids(call.params)?).into_iter().collect();
    let group = call.portal.group(group_id).ok_or(GROUP_NOT_FOUND)?;
    let (group_id, scrum_master) = (group.id, group.scrum_master);

    let removed: Vec<(u64, u64)> = call
        .portal
        .group_relations(group_id)
        .filter(|r| targets.contains(&r.user))
        .filter(|r| r.role != Role::Owner && Some(r.user) != scrum_master)
        .map(|r| (r.id, r.user))
        .collect();
    for (relation_id, _) in &removed {
        call.portal.remove_relation(*relation_id);
    }
    Ok(Output::new(Value::list(
        removed.into_iter().map(|(_, user)| Value::id(user)),
    )))
}
