//! Which groups and users the tour works on: fixed ones from the emulator's
//! demo data, or ones the user names on a real portal.

use bitrix24::prelude::*;
use bitrix24::{Client, GroupId, UserId};

/// What the tour calls the methods with.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The group whose members are listed and changed.
    pub group: GroupId,
    /// Changes to make; `None` keeps the tour read-only.
    pub writes: Option<Writes>,
}

/// The users and groups the changing methods are called with.
#[derive(Debug, Clone)]
pub struct Writes {
    /// Invited to the group.
    pub invite: Vec<UserId>,
    /// Added to the group, then promoted and removed.
    pub add: Vec<UserId>,
    /// Passed to update and delete besides the added users (the demo passes
    /// the owner to show that it is never changed).
    pub also_change: Vec<UserId>,
    /// A group the webhook's user asks to join.
    pub join: GroupId,
}

impl Plan {
    /// The emulator's demo data: group 1 (Marketing) is closed and owned by
    /// the webhook's user 1; users 10 and 11 are in no group; user 4 is a
    /// member and user 6 has a pending request, so both are skipped; group 5
    /// (Open Space) is open, so asking to join makes user 1 a member at once.
    pub fn demo() -> Self {
        Self {
            group: GroupId::new(1),
            writes: Some(Writes {
                invite: vec![UserId::new(10), UserId::new(4)],
                add: vec![UserId::new(11), UserId::new(6)],
                also_change: vec![UserId::new(1)],
                join: GroupId::new(5),
            }),
        }
    }

    /// A real portal: the named group or the first of the caller's groups,
    /// and changes only when a user to change is named.
    pub async fn for_portal(
        client: &Client,
        group: Option<u64>,
        user: Option<u64>,
    ) -> Result<Self, String> {
        let group = match group {
            Some(id) => GroupId::new(id),
            None => {
                let groups = client
                    .sonet_group_user_groups()
                    .await
                    .map_err(|error| error.to_string())?;
                groups
                    .result
                    .first()
                    .map(|group| group.group_id)
                    .ok_or("the webhook's user belongs to no group; pass --group")?
            }
        };
        let writes = user.map(|user| Writes {
            invite: vec![UserId::new(user)],
            add: vec![UserId::new(user)],
            also_change: Vec::new(),
            join: group,
        });
        Ok(Self { group, writes })
    }

    /// Whether the tour changes the portal.
    pub fn writes(&self) -> bool {
        self.writes.is_some()
    }
}
