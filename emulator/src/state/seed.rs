//! The seed: the portal's initial users, groups, relations and credentials, loaded from JSON and
//! validated. Knows nothing about serving requests.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::model::{Group, InitiatedBy, Role, User};
use super::tasks::Task;
use crate::secret::Secret;

/// The demo portal shipped with the crate.
const DEMO_SEED: &str = include_str!("demo.json");

/// A relation as written in a seed; IDs are assigned in file order.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedRelation {
    /// Group ID.
    pub group: u64,
    /// User ID.
    pub user: u64,
    /// Role letter.
    pub role: Role,
    /// `U` or `G`; defaults to `U`.
    #[serde(default)]
    pub initiated_by: InitiatedBy,
}

/// An incoming webhook: `/rest/USER/CODE/`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedWebhook {
    /// The user the webhook acts as.
    pub user: u64,
    /// The secret code in the URL.
    pub code: Secret,
    /// Granted scopes, e.g. `sonet_group`.
    pub scopes: Vec<String>,
}

/// The OAuth application installed on the portal, with its current token pair.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedOAuth {
    /// `client_id`.
    pub client_id: String,
    /// `client_secret`.
    pub client_secret: Secret,
    /// The user the tokens act as.
    pub user: u64,
    /// The initial access token.
    pub access_token: Secret,
    /// The initial refresh token.
    pub refresh_token: Secret,
    /// Granted scopes.
    pub scopes: Vec<String>,
}

/// The initial state of a portal.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Users.
    pub users: Vec<User>,
    /// Groups.
    pub groups: Vec<Group>,
    /// Relations; a group owner without a relation gets its `A` relation automatically.
    #[serde(default)]
    pub relations: Vec<SeedRelation>,
    /// Tasks (REST 3.0 `tasks.task.*`).
    #[serde(default)]
    pub tasks: Vec<Task>,
    /// Incoming webhooks.
    #[serde(default)]
    pub webhooks: Vec<SeedWebhook>,
    /// The OAuth application, if any.
    #[serde(default)]
    pub oauth: Option<SeedOAuth>,
}

/// Why a seed was rejected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SeedError {
    /// The file could not be read.
    #[error("cannot read seed file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The JSON does not match the seed format.
    #[error("seed is not valid: {0}")]
    Json(#[from] serde_json::Error),
    /// An ID is zero.
    #[error("{kind} ID must be positive")]
    ZeroId {
        /// `user`, `group` or `task`.
        kind: &'static str,
    },
    /// Two records share an ID.
    #[error("duplicate {kind} ID {id}")]
    DuplicateId {
        /// `user`, `group` or `task`.
        kind: &'static str,
        /// The ID.
        id: u64,
    },
    /// A reference names a user that does not exist.
    #[error("{context} refers to unknown user {id}")]
    UnknownUser {
        /// Where the reference is.
        context: String,
        /// The missing ID.
        id: u64,
    },
    /// A reference names a group that does not exist.
    #[error("{context} refers to unknown group {id}")]
    UnknownGroup {
        /// Where the reference is.
        context: String,
        /// The missing ID.
        id: u64,
    },
    /// A user has two relations to one group.
    #[error("user {user} has more than one relation to group {group}")]
    DuplicateRelation {
        /// Group ID.
        group: u64,
        /// User ID.
        user: u64,
    },
    /// Role `A` and `OWNER_ID` disagree.
    #[error("group {group}: user {user} {problem}")]
    Owner {
        /// Group ID.
        group: u64,
        /// User ID.
        user: u64,
        /// What is wrong.
        problem: &'static str,
    },
    /// `initiate_perms` is not `A`, `E` or `K`.
    #[error("group {group}: initiate_perms must be A, E or K")]
    InitiatePerms {
        /// Group ID.
        group: u64,
    },
    /// Generated groups need an owner and the seed has no users.
    #[error("generated groups need an owner, but the seed has no users")]
    NoOwner,
    /// More generated records were asked for than [`Seed::MAX_GENERATED`].
    #[error("cannot generate {count} {kind}s: at most {max} at a time", max = Seed::MAX_GENERATED)]
    TooManyGenerated {
        /// `user` or `group`.
        kind: &'static str,
        /// The count asked for.
        count: usize,
    },
    /// The generated IDs would pass `u64::MAX`.
    #[error("no {kind} IDs left after {highest}")]
    IdsExhausted {
        /// `user` or `group`.
        kind: &'static str,
        /// The seed's highest ID of that kind.
        highest: u64,
    },
    /// A credential is empty or contains characters that cannot appear in a URL path.
    #[error("{context}: {what} must be non-empty letters and digits")]
    BadCredential {
        /// Which record.
        context: String,
        /// Which field.
        what: &'static str,
    },
}

impl Seed {
    /// The demo portal: an admin webhook user in several groups with members of every role,
    /// inactive and extranet users, pending requests, open, closed and hidden groups.
    pub fn demo() -> Seed {
        Self::from_json(DEMO_SEED).expect("the embedded demo seed is valid")
    }

    /// Parses and validates a seed.
    pub fn from_json(json: &str) -> Result<Seed, SeedError> {
        let seed: Seed = serde_json::from_str(json)?;
        seed.validate()?;
        Ok(seed)
    }

    /// Reads, parses and validates a seed file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Seed, SeedError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| SeedError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_json(&text)
    }

    /// Checks IDs, references, ownership and credentials. Runs in time linear in the size of
    /// the seed (up to logarithms), so generated portals validate quickly.
    pub fn validate(&self) -> Result<(), SeedError> {
        let users = unique_ids("user", self.users.iter().map(|u| u.id))?;
        unique_ids("group", self.groups.iter().map(|g| g.id))?;
        let groups: HashMap<u64, &Group> = self.groups.iter().map(|g| (g.id, g)).collect();
        let user_exists = |context: String, id: u64| {
            if users.contains(&id) {
                Ok(())
            } else {
                Err(SeedError::UnknownUser { context, id })
            }
        };
        for g in &self.groups {
            user_exists(format!("group {} owner", g.id), g.owner)?;
            if let Some(sm) = g.scrum_master {
                user_exists(format!("group {} scrum_master", g.id), sm)?;
            }
            if !matches!(
                g.initiate_perms,
                Role::Owner | Role::Moderator | Role::Member
            ) {
                return Err(SeedError::InitiatePerms { group: g.id });
            }
        }
        let mut pairs = HashSet::with_capacity(self.relations.len());
        for (i, r) in self.relations.iter().enumerate() {
            let context = format!("relation #{}", i + 1);
            let Some(group) = groups.get(&r.group) else {
                return Err(SeedError::UnknownGroup {
                    context,
                    id: r.group,
                });
            };
            user_exists(context, r.user)?;
            if !pairs.insert((r.group, r.user)) {
                return Err(SeedError::DuplicateRelation {
                    group: r.group,
                    user: r.user,
                });
            }
            let owner_problem = match (r.role == Role::Owner, group.owner == r.user) {
                (true, false) => Some("has role A but is not the group's owner"),
                (false, true) => Some("is the group's owner and must have role A"),
                _ => None,
            };
            if let Some(problem) = owner_problem {
                return Err(SeedError::Owner {
                    group: r.group,
                    user: r.user,
                    problem,
                });
            }
        }
        unique_ids("task", self.tasks.iter().map(|t| t.id))?;
        for t in &self.tasks {
            user_exists(format!("task {} creator", t.id), t.creator)?;
            user_exists(format!("task {} responsible", t.id), t.responsible)?;
        }
        for (i, w) in self.webhooks.iter().enumerate() {
            let context = format!("webhook #{}", i + 1);
            check_credential(&context, "code", w.code.expose())?;
            user_exists(context, w.user)?;
        }
        if let Some(app) = &self.oauth {
            let context = "oauth".to_owned();
            check_credential(&context, "client_id", &app.client_id)?;
            check_credential(&context, "client_secret", app.client_secret.expose())?;
            check_credential(&context, "access_token", app.access_token.expose())?;
            check_credential(&context, "refresh_token", app.refresh_token.expose())?;
            user_exists(context, app.user)?;
        }
        Ok(())
    }
}

/// The IDs as a set, or the first zero or repeated one.
fn unique_ids(
    kind: &'static str,
    ids: impl Iterator<Item = u64>,
) -> Result<HashSet<u64>, SeedError> {
    let mut seen = HashSet::new();
    for id in ids {
        if id == 0 {
            return Err(SeedError::ZeroId { kind });
        }
        if !seen.insert(id) {
            return Err(SeedError::DuplicateId { kind, id });
        }
    }
    Ok(seen)
}

fn check_credential(context: &str, what: &'static str, value: &str) -> Result<(), SeedError> {
    let valid = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-');
    if valid {
        Ok(())
    } else {
        Err(SeedError::BadCredential {
            context: context.to_owned(),
            what,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"users":[{"id":1,"name":"A"}],"groups":[{"id":1,"name":"G","opened":true,"visible":true,"owner":1}]}"#;

    #[test]
    fn demo_seed_is_valid() {
        let seed = Seed::demo();
        assert!(seed.users.iter().any(|u| u.admin));
        assert!(!seed.webhooks.is_empty());
    }

    #[test]
    fn minimal_seed_parses() {
        assert_eq!(
            Seed::from_json(MINIMAL).unwrap().groups[0].initiate_perms,
            Role::Member
        );
    }

    fn error_of(json: &str) -> String {
        Seed::from_json(json).unwrap_err().to_string()
    }

    /// MINIMAL with one more top-level field.
    fn with(extra: &str) -> String {
        format!("{},{extra}}}", &MINIMAL[..MINIMAL.len() - 1])
    }

    #[test]
    fn errors_are_clear() {
        assert!(error_of("{").starts_with("seed is not valid: EOF"));
        assert!(error_of(&with(r#""bogus":1"#)).contains("unknown field `bogus`"));
        let dup = MINIMAL.replace(
            r#"{"id":1,"name":"A"}"#,
            r#"{"id":1,"name":"A"},{"id":1,"name":"B"}"#,
        );
        assert_eq!(error_of(&dup), "duplicate user ID 1");
        let owner = MINIMAL.replace(r#""owner":1"#, r#""owner":9"#);
        assert_eq!(error_of(&owner), "group 1 owner refers to unknown user 9");
        let rel = with(r#""relations":[{"group":2,"user":1,"role":"K"}]"#);
        assert_eq!(error_of(&rel), "relation #1 refers to unknown group 2");
        let rel = with(r#""relations":[{"group":1,"user":1,"role":"K"}]"#);
        assert_eq!(
            error_of(&rel),
            "group 1: user 1 is the group's owner and must have role A"
        );
        let rel = with(r#""relations":[{"group":1,"user":1,"role":"X"}]"#);
        assert!(error_of(&rel).contains("unknown variant `X`"));
        let hook = with(r#""webhooks":[{"user":1,"code":"a/b","scopes":[]}]"#);
        assert_eq!(
            error_of(&hook),
            "webhook #1: code must be non-empty letters and digits"
        );
    }

    #[test]
    fn debug_hides_credentials() {
        let text = format!("{:?}", Seed::demo());
        for w in Seed::demo().webhooks {
            assert!(!text.contains(w.code.expose()));
        }
        let app = Seed::demo().oauth.unwrap();
        assert!(!text.contains(app.client_secret.expose()));
        assert!(!text.contains(app.refresh_token.expose()));
    }
}
