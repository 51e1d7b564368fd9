//! `sonet_group.user.add` (admins only): adds users as `K` without an invitation.
//!
//! With the intranet module the IDs are re-read from the user table, so unknown IDs vanish,
//! the result lists DB values (numeric strings) in ID order, and users with any existing
//! relation are skipped. Adding an extranet user binds the group to the extranet site.

use super::common::{GROUP_NOT_FOUND, group_id, matched_ids, user_ids};
use super::{Call, Output};
use crate::error::RestError;
use crate::php::Value;
use crate::state::{InitiatedBy, Role, UserType};

pub(super) fn run(call: &mut Call<'_>) -> Result<Output, RestError> {
    let group_id = group_id(call.params)?;
    if !call.user.admin {
        return Err(RestError::method("No permissions to add users"));
    }
    let requested = matched_ids(&user_ids(call.params)?);
    let group_id = call.portal.group(group_id).ok_or(GROUP_NOT_FOUND)?.id;

    let mut known: Vec<u64> = requested
        .into_iter()
        .filter(|id| call.portal.user(*id).is_some())
        .collect();
    known.sort_unstable();
    known.dedup();

    let mut added = Vec::new();
    for user_id in known {
        let extranet = call
            .portal
            .user(user_id)
            .is_some_and(|u| u.user_type == UserType::Extranet);
        if extranet && let Some(group) = call.portal.group_mut(group_id) {
            group.extranet = true;
        }
        if call.portal.relation(group_id, user_id).is_none() {
            call.portal
                .add_relation(group_id, user_id, Role::Member, InitiatedBy::Group);
            added.push(Value::id(user_id));
        }
    }
    Ok(Output::new(Value::list(added)))
}
