//! The relation table (`b_sonet_user2group`) with the indexes handlers look rows up by: the
//! relation of a (group, user) pair, and the relations of one group or of one user, each in
//! relation-ID order (the order member lists use). Every lookup costs a logarithm or the rows
//! it returns, never a scan of the table, so large portals stay fast.
//!
//! Knows nothing about permissions or roles' meaning; it only keeps the indexes in step with
//! the rows.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::model::{InitiatedBy, Relation, Role};

#[derive(Debug, Clone)]
pub(super) struct Relations {
    /// Rows by relation ID.
    rows: BTreeMap<u64, Relation>,
    /// (group, user) → relation ID; a pair has at most one relation.
    by_pair: HashMap<(u64, u64), u64>,
    /// (group, relation ID).
    by_group: BTreeSet<(u64, u64)>,
    /// (user, relation ID).
    by_user: BTreeSet<(u64, u64)>,
    next_id: u64,
}

impl Default for Relations {
    fn default() -> Self {
        Self {
            rows: BTreeMap::new(),
            by_pair: HashMap::new(),
            by_group: BTreeSet::new(),
            by_user: BTreeSet::new(),
            next_id: 1,
        }
    }
}

impl Relations {
    /// Every relation by relation ID.
    pub(super) fn iter(&self) -> impl Iterator<Item = &Relation> {
        self.rows.values()
    }

    /// The relation between `group` and `user`, if any.
    pub(super) fn get(&self, group: u64, user: u64) -> Option<&Relation> {
        self.by_pair
            .get(&(group, user))
            .and_then(|id| self.rows.get(id))
    }

    /// The relations of `group` by relation ID.
    pub(super) fn of_group(&self, group: u64) -> impl Iterator<Item = &Relation> {
        self.rows_of(&self.by_group, group)
    }

    /// The relations of `user` by relation ID.
    pub(super) fn of_user(&self, user: u64) -> impl Iterator<Item = &Relation> {
        self.rows_of(&self.by_user, user)
    }

    fn rows_of<'a>(
        &'a self,
        index: &'a BTreeSet<(u64, u64)>,
        key: u64,
    ) -> impl Iterator<Item = &'a Relation> {
        index
            .range((key, 0)..=(key, u64::MAX))
            .filter_map(|(_, id)| self.rows.get(id))
    }

    /// Adds a relation with the next relation ID. The pair must not be related yet (handlers
    /// check, seeds are validated).
    pub(super) fn insert(&mut self, group: u64, user: u64, role: Role, initiated_by: InitiatedBy) {
        let id = self.next_id;
        self.next_id += 1;
        let previous = self.by_pair.insert((group, user), id);
        debug_assert!(
            previous.is_none(),
            "group {group} and user {user} related twice"
        );
        self.by_group.insert((group, id));
        self.by_user.insert((user, id));
        self.rows.insert(
            id,
            Relation {
                id,
                group,
                user,
                role,
                initiated_by,
            },
        );
    }

    pub(super) fn set_role(&mut self, id: u64, role: Role) {
        if let Some(row) = self.rows.get_mut(&id) {
            row.role = role;
        }
    }

    pub(super) fn remove(&mut self, id: u64) {
        if let Some(row) = self.rows.remove(&id) {
            self.by_pair.remove(&(row.group, row.user));
            self.by_group.remove(&(row.group, id));
            self.by_user.remove(&(row.user, id));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The indexes agree with a scan of the rows.
    fn assert_consistent(r: &Relations) {
        let rows: Vec<&Relation> = r.iter().collect();
        assert_eq!(r.by_pair.len(), rows.len());
        assert_eq!(r.by_group.len(), rows.len());
        assert_eq!(r.by_user.len(), rows.len());
        for row in &rows {
            assert_eq!(r.get(row.group, row.user), Some(*row));
        }
        for key in 0..6 {
            let scanned: Vec<&Relation> = rows.iter().copied().filter(|x| x.group == key).collect();
            assert_eq!(r.of_group(key).collect::<Vec<_>>(), scanned);
            let scanned: Vec<&Relation> = rows.iter().copied().filter(|x| x.user == key).collect();
            assert_eq!(r.of_user(key).collect::<Vec<_>>(), scanned);
        }
    }

    #[test]
    fn indexes_follow_inserts_role_changes_and_removals() {
        let mut r = Relations::default();
        for (group, user) in [(1, 1), (2, 1), (1, 3), (2, 2), (1, 2), (3, 5)] {
            r.insert(group, user, Role::Member, InitiatedBy::Group);
        }
        assert_consistent(&r);
        let of_one: Vec<(u64, u64)> = r.of_group(1).map(|x| (x.id, x.user)).collect();
        assert_eq!(of_one, [(1, 1), (3, 3), (5, 2)]);
        r.set_role(3, Role::Moderator);
        assert_eq!(r.get(1, 3).map(|x| x.role), Some(Role::Moderator));
        r.remove(3);
        r.remove(3);
        r.remove(99);
        assert_eq!(r.get(1, 3), None);
        assert_consistent(&r);
        // A pair can be related again after removal, with a new relation ID at the end.
        r.insert(1, 3, Role::Request, InitiatedBy::User);
        assert_eq!(r.get(1, 3).map(|x| x.id), Some(7));
        let of_one: Vec<u64> = r.of_group(1).map(|x| x.user).collect();
        assert_eq!(of_one, [1, 2, 3]);
        assert_consistent(&r);
    }
}
