//! `sonet_group.user.update` (admins only): sets role `E` or `K` on existing relations.
//!
//! `ROLE` must be exactly the string `E` or `K`. The owner's relation and relations already at
//! that role are skipped; pending (`Z`) and banned (`T`) relations are changed like any other.
//! Non-members are ignored. Results are relation user IDs in relation order.

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
    let role = match call.params.get("ROLE").and_then(Value::as_str) {
        Some("E") => Role::Moderator,
        Some("K") => Role::Member,
        _ => return Err(RestError::method("Incorrect role code")),
    };
    let targets: HashSet<u64> = matched_ids(&user_ids(call.params)?).into_iter().collect();
    let group_id = call.portal.group(group_id).ok_or(GROUP_NOT_FOUND)?.id;

    let changed: Vec<(u64, u64)> = call
        .portal
        .group_relations(group_id)
        .filter(|r| targets.contains(&r.user))
        .filter(|r| r.role != role && r.role != Role::Owner)
        .map(|r| (r.id, r.user))
        .collect();
    for (relation_id, _) in &changed {
        call.portal.set_role(*relation_id, role);
    }
    Ok(Output::new(Value::list(
        changed.into_iter().map(|(_, user)| Value::id(user)),
    )))
}
