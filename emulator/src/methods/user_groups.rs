//! `sonet_group.user.groups`: the caller's groups where they are `A`, `E` or `K`, by relation
//! ID. No parameters, no pagination. `IS_EXTRANET` appears only for extranet groups.

use super::{Call, Output};
use crate::error::RestError;
use crate::php::Value;

pub(super) fn run(call: &mut Call<'_>) -> Result<Output, RestError> {
    let portal = &*call.portal;
    let rows = portal
        .user_relations(call.user.id)
        .filter(|r| r.role.is_member())
        .filter_map(|r| portal.group(r.group as i64).map(|g| (r, g)))
        .map(|(r, g)| {
            let image = g.image_id.map_or(String::new(), |id| {
                format!(
                    "{}/upload/resize_cache/socialnetwork/{id}/150_150_2/group.png",
                    call.site.base_url
                )
            });
            let mut row = vec![
                ("GROUP_ID", Value::id(g.id)),
                ("GROUP_NAME", Value::str(g.name.as_str())),
                ("ROLE", Value::str(r.role.letter())),
                ("GROUP_IMAGE_ID", g.image_id.map_or(Value::Null, Value::id)),
                ("GROUP_IMAGE", Value::Str(image)),
            ];
            if g.extranet {
                row.push(("IS_EXTRANET", Value::str("Y")));
            }
            Value::object(row)
        });
    Ok(Output::new(Value::list(rows)))
}
