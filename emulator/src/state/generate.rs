//! Generated users and groups appended to a seed, for portals too large to write by hand
//! (benchmarks, bulk tests). Deterministic: the same seed and counts give the same records;
//! the IDs follow the seed's highest, so generated users can join any generated group and the
//! seed's own records and credentials stay as they are.
//!
//! Knows only the seed's records; the result is checked by [`Seed::validate`] like any other
//! seed, which the emulator runs at start.

use super::model::{Group, User};
use super::seed::{Seed, SeedError};

impl Seed {
    /// The most records one call to [`Seed::with_generated_users`] or
    /// [`Seed::with_generated_groups`] adds.
    pub const MAX_GENERATED: usize = 1_000_000;

    /// Appends `count` generated users. They take the IDs after the highest user ID in the
    /// seed, in order, and are named `User <ID>`: active employees, not admins, with no
    /// relations and no webhooks. With the demo seed (users 1 to 11) the first one is 12.
    ///
    /// Fails when `count` exceeds [`Seed::MAX_GENERATED`] or the IDs would pass `u64::MAX`.
    ///
    /// ```
    /// let seed = bitrix24_emulator::Seed::demo().with_generated_users(3)?;
    /// let last = seed.users.last().unwrap();
    /// assert_eq!((last.id, last.name.as_str()), (14, "User 14"));
    /// # Ok::<(), bitrix24_emulator::SeedError>(())
    /// ```
    pub fn with_generated_users(mut self, count: usize) -> Result<Seed, SeedError> {
        let first = next_id("user", self.users.iter().map(|u| u.id), count)?;
        self.users
            .extend(ids(first, count).map(|id| User::new(id, format!("User {id}"))));
        Ok(self)
    }

    /// Appends `count` generated groups. They take the IDs after the highest group ID in the
    /// seed, in order, and are named `Group <ID>`: visible, not opened, plain workgroups (no
    /// project, extranet, image or scrum master), `initiate_perms` `K`. They are owned by the
    /// seed's admin with the lowest ID (the lowest user ID if there is no admin), who gets the
    /// owner's `A` relation when the portal is built, as any owner without a relation does.
    /// With the demo seed the first one is 8, owned by user 1, the admin whose webhook
    /// [`RunningEmulator::webhook_url`](crate::RunningEmulator::webhook_url) hands out.
    ///
    /// Fails when the seed has no user to own them, when `count` exceeds
    /// [`Seed::MAX_GENERATED`] or when the IDs would pass `u64::MAX`.
    ///
    /// ```
    /// use bitrix24_emulator::Seed;
    ///
    /// let seed = Seed::demo().with_generated_users(5_000)?.with_generated_groups(10)?;
    /// let first = &seed.groups[7];
    /// assert_eq!((first.id, first.name.as_str(), first.owner), (8, "Group 8", 1));
    /// seed.validate()?;
    /// # Ok::<(), bitrix24_emulator::SeedError>(())
    /// ```
    pub fn with_generated_groups(mut self, count: usize) -> Result<Seed, SeedError> {
        let first = next_id("group", self.groups.iter().map(|g| g.id), count)?;
        if count == 0 {
            return Ok(self);
        }
        let owner = self
            .users
            .iter()
            .filter(|u| u.admin)
            .map(|u| u.id)
            .min()
            .or_else(|| self.users.iter().map(|u| u.id).min())
            .ok_or(SeedError::NoOwner)?;
        self.groups
            .extend(ids(first, count).map(|id| Group::new(id, format!("Group {id}"), owner)));
        Ok(self)
    }
}

/// `count` IDs from `first`, which [`next_id`] checked to fit.
fn ids(first: u64, count: usize) -> impl Iterator<Item = u64> {
    (0..count as u64).map(move |i| first + i)
}

/// The first of `count` fresh IDs after the highest of `ids`.
fn next_id(
    kind: &'static str,
    ids: impl Iterator<Item = u64>,
    count: usize,
) -> Result<u64, SeedError> {
    if count > Seed::MAX_GENERATED {
        return Err(SeedError::TooManyGenerated { kind, count });
    }
    let highest = ids.max().unwrap_or(0);
    // `count` is at most a million, so only a seed with IDs near `u64::MAX` runs out.
    match highest.checked_add(count as u64) {
        Some(_) => Ok(highest.saturating_add(1)),
        None => Err(SeedError::IdsExhausted { kind, highest }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Portal, Role};

    #[test]
    fn ids_and_names_follow_the_seed() {
        let demo = Seed::demo();
        let seed = Seed::demo()
            .with_generated_users(3)
            .unwrap()
            .with_generated_groups(2)
            .unwrap();
        assert_eq!(seed.users[..demo.users.len()], demo.users[..]);
        let users: Vec<(u64, &str)> = seed.users[demo.users.len()..]
            .iter()
            .map(|u| (u.id, u.name.as_str()))
            .collect();
        assert_eq!(users, [(12, "User 12"), (13, "User 13"), (14, "User 14")]);
        let groups: Vec<(u64, &str, u64)> = seed.groups[demo.groups.len()..]
            .iter()
            .map(|g| (g.id, g.name.as_str(), g.owner))
            .collect();
        assert_eq!(groups, [(8, "Group 8", 1), (9, "Group 9", 1)]);
        assert!(seed.users[11..].iter().all(|u| u.active && !u.admin));
        assert!(seed.groups[7..].iter().all(|g| g.visible && !g.opened));
        // Credentials are the demo's.
        assert_eq!(seed.webhooks, demo.webhooks);
        assert_eq!(seed.oauth, demo.oauth);
        assert_eq!(seed.relations, demo.relations);
    }

    #[test]
    fn generation_is_deterministic_and_chains() {
        let make = || {
            Seed::demo()
                .with_generated_groups(4)
                .and_then(|s| s.with_generated_users(4))
                .and_then(|s| s.with_generated_users(2))
                .unwrap()
        };
        assert_eq!(make(), make());
        let ids: Vec<u64> = make().users[11..].iter().map(|u| u.id).collect();
        assert_eq!(ids, [12, 13, 14, 15, 16, 17]);
    }

    #[test]
    fn the_owner_is_the_lowest_admin_or_the_lowest_user() {
        let seed = |json: &str| Seed::from_json(json).unwrap();
        let two_admins = seed(
            r#"{"users":[{"id":9,"name":"A"},{"id":7,"name":"B","admin":true},{"id":5,"name":"C","admin":true}],"groups":[]}"#,
        );
        let groups = two_admins.with_generated_groups(1).unwrap().groups;
        assert_eq!((groups[0].id, groups[0].owner), (1, 5));
        let no_admin = seed(r#"{"users":[{"id":9,"name":"A"},{"id":4,"name":"B"}],"groups":[]}"#);
        assert_eq!(
            no_admin.with_generated_groups(1).unwrap().groups[0].owner,
            4
        );
    }

    #[test]
    fn generated_portals_are_valid_and_owners_get_their_relation() {
        let seed = Seed::demo()
            .with_generated_users(200)
            .unwrap()
            .with_generated_groups(100)
            .unwrap();
        seed.validate().unwrap();
        let portal = Portal::from_seed(&seed, "").unwrap();
        let snapshot = portal.snapshot();
        assert_eq!(snapshot.users.len(), 211);
        assert_eq!(snapshot.groups.len(), 107);
        assert_eq!(snapshot.relations.len(), seed.relations.len() + 100);
        for id in 8..108 {
            assert_eq!(snapshot.role(id, 1), Some(Role::Owner), "group {id}");
            assert_eq!(snapshot.members(id).len(), 1, "group {id}");
        }
        assert!(
            snapshot
                .relations
                .iter()
                .all(|r| r.user <= 11 && r.group <= 107)
        );
    }

    #[test]
    fn impossible_requests_are_errors() {
        let empty = Seed::from_json(r#"{"users":[],"groups":[]}"#).unwrap();
        assert_eq!(
            empty
                .clone()
                .with_generated_groups(1)
                .unwrap_err()
                .to_string(),
            "generated groups need an owner, but the seed has no users"
        );
        assert!(
            empty
                .clone()
                .with_generated_groups(0)
                .unwrap()
                .groups
                .is_empty()
        );
        assert_eq!(
            empty
                .with_generated_users(Seed::MAX_GENERATED + 1)
                .unwrap_err()
                .to_string(),
            "cannot generate 1000001 users: at most 1000000 at a time"
        );
        let near_the_end = Seed::from_json(&format!(
            r#"{{"users":[{{"id":{},"name":"A"}}],"groups":[]}}"#,
            u64::MAX - 1
        ))
        .unwrap();
        assert!(near_the_end.clone().with_generated_users(1).is_ok());
        assert_eq!(
            near_the_end
                .with_generated_users(2)
                .unwrap_err()
                .to_string(),
            format!("no user IDs left after {}", u64::MAX - 1)
        );
    }
}
