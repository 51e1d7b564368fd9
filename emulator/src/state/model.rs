//! The portal's records: users, workgroups, memberships. Plain data shared by seeds, the live
//! state and snapshots; no behaviour beyond role letters.

use serde::{Deserialize, Serialize};

/// A membership role (`UserToGroupTable::ROLE_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// `A`: the owner, exactly one per group.
    #[serde(rename = "A")]
    Owner,
    /// `E`: moderator.
    #[serde(rename = "E")]
    Moderator,
    /// `K`: member.
    #[serde(rename = "K")]
    Member,
    /// `T`: banned.
    #[serde(rename = "T")]
    Banned,
    /// `Z`: pending request or invitation.
    #[serde(rename = "Z")]
    Request,
}

impl Role {
    /// The role letter used on the wire.
    pub fn letter(self) -> &'static str {
        match self {
            Role::Owner => "A",
            Role::Moderator => "E",
            Role::Member => "K",
            Role::Banned => "T",
            Role::Request => "Z",
        }
    }

    /// `A`, `E` and `K` are members; the server filters them with `<=ROLE = K`.
    pub fn is_member(self) -> bool {
        matches!(self, Role::Owner | Role::Moderator | Role::Member)
    }
}

/// Who started a relation (`INITIATED_BY_TYPE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum InitiatedBy {
    /// `U`: the user asked to join.
    #[serde(rename = "U")]
    #[default]
    User,
    /// `G`: the group invited or added the user.
    #[serde(rename = "G")]
    Group,
}

/// Intranet user type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum UserType {
    /// A regular employee.
    #[default]
    Employee,
    /// An extranet (external) user, limited to extranet groups.
    Extranet,
}

fn yes() -> bool {
    true
}

fn member_role() -> Role {
    Role::Member
}

/// A portal user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// User ID.
    pub id: u64,
    /// Display name.
    pub name: String,
    /// Inactive users are hidden from member lists and cannot authenticate.
    #[serde(default = "yes")]
    pub active: bool,
    /// Employee or extranet.
    #[serde(default, rename = "type")]
    pub user_type: UserType,
    /// Portal administrator.
    #[serde(default)]
    pub admin: bool,
}

impl User {
    /// An active employee who is not an administrator.
    pub fn new(id: u64, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            active: true,
            user_type: UserType::Employee,
            admin: false,
        }
    }
}

/// A workgroup or project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Group ID.
    pub id: u64,
    /// Name.
    pub name: String,
    /// `OPENED`: anyone may join without approval.
    pub opened: bool,
    /// `VISIBLE`: listed for non-members.
    pub visible: bool,
    /// `OWNER_ID`; the owner holds the only `A` relation.
    pub owner: u64,
    /// `INITIATE_PERMS`: who may invite (`A` owner, `E` moderators, `K` all members).
    #[serde(default = "member_role")]
    pub initiate_perms: Role,
    /// Bound to the extranet site.
    #[serde(default)]
    pub extranet: bool,
    /// `IMAGE_ID` of the group picture.
    #[serde(default)]
    pub image_id: Option<u64>,
    /// Scrum master, who cannot be removed with `sonet_group.user.delete`.
    #[serde(default)]
    pub scrum_master: Option<u64>,
    /// Project rather than plain workgroup.
    #[serde(default)]
    pub project: bool,
}

impl Group {
    /// A visible workgroup that needs an invitation to join, owned by
    /// `owner`, whose members may invite others.
    pub fn new(id: u64, name: impl Into<String>, owner: u64) -> Self {
        Self {
            id,
            name: name.into(),
            opened: false,
            visible: true,
            owner,
            initiate_perms: Role::Member,
            extranet: false,
            image_id: None,
            scrum_master: None,
            project: false,
        }
    }
}

/// A membership relation (`b_sonet_user2group` row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    /// Relation ID; member lists are ordered by it.
    pub id: u64,
    /// Group ID.
    pub group: u64,
    /// User ID.
    pub user: u64,
    /// Role.
    pub role: Role,
    /// Who initiated it.
    pub initiated_by: InitiatedBy,
}
