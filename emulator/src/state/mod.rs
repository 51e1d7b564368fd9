//! The live portal: users, groups, relations, tasks and webhooks, with the permission rules the
//! handlers rely on. Knows nothing about HTTP, tokens or limits.

mod generate;
mod model;
mod relations;
mod seed;
mod tasks;

use std::collections::BTreeMap;
use std::ops::Bound;

use serde::Serialize;

pub use model::{Group, InitiatedBy, Relation, Role, User, UserType};
pub use seed::{Seed, SeedError, SeedOAuth, SeedRelation, SeedWebhook};
pub use tasks::{Task, TaskPriority, TaskStatus};

pub(crate) use tasks::Tasks;

use relations::Relations;

use crate::secret::Secret;

/// An incoming webhook as stored by the portal.
#[derive(Debug, Clone)]
pub(crate) struct Webhook {
    /// Position in the webhook table; the operating limit is kept per webhook.
    pub(crate) id: usize,
    pub(crate) user: u64,
    pub(crate) code: Secret,
    pub(crate) scopes: Vec<String>,
}

/// A webhook as shown in snapshots: without its code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WebhookInfo {
    /// Webhook number.
    pub id: usize,
    /// The user it acts as.
    pub user: u64,
    /// Granted scopes.
    pub scopes: Vec<String>,
}

/// A copy of the portal state for inspection by tests.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortalSnapshot {
    /// Users by ascending ID.
    pub users: Vec<User>,
    /// Groups by ascending ID.
    pub groups: Vec<Group>,
    /// Relations by ascending relation ID.
    pub relations: Vec<Relation>,
    /// Tasks by ascending ID.
    pub tasks: Vec<Task>,
    /// Webhooks, codes omitted.
    pub webhooks: Vec<WebhookInfo>,
}

impl PortalSnapshot {
    /// The role of `user` in `group`, if related.
    pub fn role(&self, group: u64, user: u64) -> Option<Role> {
        self.relations
            .iter()
            .find(|r| r.group == group && r.user == user)
            .map(|r| r.role)
    }

    /// The relations of one group, by relation ID.
    pub fn members(&self, group: u64) -> Vec<&Relation> {
        self.relations.iter().filter(|r| r.group == group).collect()
    }

    /// The task with this ID, if it exists.
    pub fn task(&self, id: u64) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }
}

/// The portal's data.
#[derive(Debug, Clone)]
pub(crate) struct Portal {
    users: BTreeMap<u64, User>,
    groups: BTreeMap<u64, Group>,
    relations: Relations,
    tasks: Tasks,
    webhooks: Vec<Webhook>,
}

impl Portal {
    /// Builds the portal from a validated seed; owners without a relation get role `A`, and
    /// seeded tasks are created and changed at `started` (a date as the portal writes it).
    pub(crate) fn from_seed(seed: &Seed, started: &str) -> Result<Portal, SeedError> {
        seed.validate()?;
        let mut portal = Portal {
            users: seed.users.iter().map(|u| (u.id, u.clone())).collect(),
            groups: seed.groups.iter().map(|g| (g.id, g.clone())).collect(),
            relations: Relations::default(),
            tasks: Tasks::default(),
            webhooks: Vec::new(),
        };
        for task in &seed.tasks {
            portal.tasks.insert(Task {
                created: started.to_owned(),
                changed: started.to_owned(),
                ..task.clone()
            });
        }
        for r in &seed.relations {
            portal.add_relation(r.group, r.user, r.role, r.initiated_by);
        }
        for g in &seed.groups {
            if portal.relation(g.id, g.owner).is_none() {
                portal.add_relation(g.id, g.owner, Role::Owner, InitiatedBy::User);
            }
        }
        for w in &seed.webhooks {
            portal.add_webhook(w.user, w.code.clone(), w.scopes.clone());
        }
        Ok(portal)
    }

    pub(crate) fn user(&self, id: u64) -> Option<&User> {
        self.users.get(&id)
    }

    /// Users by ascending ID.
    pub(crate) fn users(&self) -> impl Iterator<Item = &User> {
        self.users.values()
    }

    /// Looks a group up by a PHP-cast ID.
    pub(crate) fn group(&self, id: i64) -> Option<&Group> {
        u64::try_from(id).ok().and_then(|id| self.groups.get(&id))
    }

    /// Groups by ascending ID from `lowest` on.
    pub(crate) fn groups_from(
        &self,
        lowest: Bound<u64>,
    ) -> impl DoubleEndedIterator<Item = &Group> {
        self.groups
            .range((lowest, Bound::Unbounded))
            .map(|(_, g)| g)
    }

    /// Adds `group` with its owner's `A` relation; `false` (and nothing
    /// changes) when the ID is taken or the owner is not a user.
    pub(crate) fn add_group(&mut self, group: Group) -> bool {
        if self.groups.contains_key(&group.id) || !self.users.contains_key(&group.owner) {
            return false;
        }
        let (id, owner) = (group.id, group.owner);
        self.groups.insert(id, group);
        self.add_relation(id, owner, Role::Owner, InitiatedBy::User);
        true
    }

    /// Removes the group `id` with every relation to it; `false` when there
    /// is no such group.
    pub(crate) fn remove_group(&mut self, id: u64) -> bool {
        if self.groups.remove(&id).is_none() {
            return false;
        }
        let relations: Vec<u64> = self.relations.of_group(id).map(|r| r.id).collect();
        for relation in relations {
            self.relations.remove(relation);
        }
        true
    }

    pub(crate) fn group_mut(&mut self, id: u64) -> Option<&mut Group> {
        self.groups.get_mut(&id)
    }

    /// The relations of `group` by relation ID.
    pub(crate) fn group_relations(&self, group: u64) -> impl Iterator<Item = &Relation> {
        self.relations.of_group(group)
    }

    /// The relations of `user` by relation ID.
    pub(crate) fn user_relations(&self, user: u64) -> impl Iterator<Item = &Relation> {
        self.relations.of_user(user)
    }

    /// `NUMBER_OF_MEMBERS`: the group's `A`, `E` and `K` relations.
    pub(crate) fn member_count(&self, group: u64) -> usize {
        self.group_relations(group)
            .filter(|r| r.role.is_member())
            .count()
    }

    pub(crate) fn relation(&self, group: u64, user: u64) -> Option<&Relation> {
        self.relations.get(group, user)
    }

    /// Relates `user` to `group`; the pair must not be related yet.
    pub(crate) fn add_relation(&mut self, group: u64, user: u64, role: Role, by: InitiatedBy) {
        self.relations.insert(group, user, role, by);
    }

    pub(crate) fn set_role(&mut self, relation_id: u64, role: Role) {
        self.relations.set_role(relation_id, role);
    }

    pub(crate) fn remove_relation(&mut self, relation_id: u64) {
        self.relations.remove(relation_id);
    }

    /// `CHECK_PERMISSIONS`: a group is visible when it is `VISIBLE` or the user is a member.
    /// Extranet users additionally see only extranet groups (the extranet `SITE_ID` filter).
    pub(crate) fn visible_to(&self, group: &Group, user: &User, site_filter: bool) -> bool {
        let site_ok = !site_filter || user.user_type != UserType::Extranet || group.extranet;
        // The relation is looked up only when visibility does not decide: a listing of a large
        // portal checks every group.
        site_ok
            && (group.visible
                || self
                    .relation(group.id, user.id)
                    .is_some_and(|r| r.role.is_member()))
    }

    /// `SendRequestToJoinGroup`'s `INITIATE_PERMS` rule: portal admins always may invite.
    pub(crate) fn can_initiate(&self, group: &Group, user: &User) -> bool {
        let role = self.relation(group.id, user.id).map(|r| r.role);
        user.admin
            || match (group.initiate_perms, role) {
                (Role::Owner, Some(_)) => group.owner == user.id,
                (Role::Moderator, Some(r)) => matches!(r, Role::Owner | Role::Moderator),
                (Role::Member, Some(r)) => r.is_member(),
                _ => false,
            }
    }

    pub(crate) fn tasks(&self) -> &Tasks {
        &self.tasks
    }

    pub(crate) fn tasks_mut(&mut self) -> &mut Tasks {
        &mut self.tasks
    }

    pub(crate) fn webhooks(&self) -> &[Webhook] {
        &self.webhooks
    }

    pub(crate) fn add_webhook(&mut self, user: u64, code: Secret, scopes: Vec<String>) -> usize {
        let id = self.webhooks.len() + 1;
        self.webhooks.push(Webhook {
            id,
            user,
            code,
            scopes,
        });
        id
    }

    pub(crate) fn snapshot(&self) -> PortalSnapshot {
        PortalSnapshot {
            users: self.users.values().cloned().collect(),
            groups: self.groups.values().cloned().collect(),
            relations: self.relations.iter().cloned().collect(),
            tasks: self.tasks.iter().cloned().collect(),
            webhooks: self
                .webhooks
                .iter()
                .map(|w| WebhookInfo {
                    id: w.id,
                    user: w.user,
                    scopes: w.scopes.clone(),
                })
                .collect(),
        }
    }
}
