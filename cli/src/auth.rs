//! `b24 auth`: adds, lists and removes profiles, and picks the default
//! one. What it prints of a profile is its name, its portal's host and its
//! kind; never a secret.

use std::path::PathBuf;

use clap::ArgMatches;
use serde_json::json;

use crate::profiles::{self, Hidden, Profile};
use crate::{Outcome, connect, output, usage};

/// Runs `b24 auth add|list|remove|default`.
pub fn run(matches: &ArgMatches) -> Outcome {
    let result = match matches.subcommand() {
        Some(("add", sub)) => add(sub),
        Some(("list", _)) => return list(),
        Some(("remove", sub)) => remove(name(sub)),
        Some(("default", sub)) => make_default(name(sub)),
        _ => Err("name what to do: add, list, remove or default".to_owned()),
    };
    match result {
        Ok(said) => {
            eprintln!("{said}");
            Outcome::Success
        }
        Err(message) => usage(&message),
    }
}

fn name(matches: &ArgMatches) -> &str {
    matches
        .get_one::<String>("name")
        .map(String::as_str)
        .unwrap_or_default()
}

/// A profile's name: letters, digits, `-`, `_` and `.`, so it is one word
/// in a shell and a file name.
fn check_name(name: &str) -> Result<(), String> {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.starts_with('.')
    {
        Ok(())
    } else {
        Err(format!(
            "{name:?} is no profile name: use letters, digits, '-', '_' and '.'"
        ))
    }
}

/// Where an OAuth profile keeps its refreshed tokens unless told: beside
/// the profiles, so a refresh never loses the refresh token.
fn own_token_file(name: &str) -> Result<PathBuf, String> {
    Ok(profiles::folder()?.join(format!("{name}.tokens.json")))
}

fn add(matches: &ArgMatches) -> Result<String, String> {
    let name = name(matches);
    check_name(name)?;
    let text = |id: &str| matches.get_one::<String>(id).cloned();
    let mut profile = Profile {
        webhook: text("webhook").map(Hidden),
        ..Profile::oauth(|flag, _| text(flag))
    };
    match (&profile.webhook, &profile.portal_url) {
        (Some(_), Some(_)) => {
            return Err(
                "a profile is a webhook or an OAuth portal, not both: give --webhook or --portal-url (check B24_WEBHOOK_URL and B24_PORTAL_URL)"
                    .to_owned(),
            );
        }
        (None, None) => {
            return Err("give --webhook URL, or --portal-url URL and --access-token".to_owned());
        }
        (Some(_), None) => {
            if profile.access_token.is_some()
                || profile.refresh_token.is_some()
                || profile.client_secret.is_some()
                || profile.token_file.is_some()
            {
                return Err("a webhook profile takes no OAuth values: give --webhook alone (check the B24_ variables)".to_owned());
            }
        }
        (None, Some(_)) => {
            if profile.access_token.is_none() {
                return Err("an OAuth profile needs --access-token".to_owned());
            }
            if profile.token_file.is_none() {
                profile.token_file = Some(own_token_file(name)?);
            }
        }
    }
    // Checked as a call would check it (the address's shape, https): what
    // is saved can be used.
    check(&profile)?;
    let mut config = profiles::load()?;
    if config.profiles.contains_key(name) {
        return Err(format!(
            "there is a profile {name:?} already: `b24 auth remove {name}` first"
        ));
    }
    let host = profile.host();
    config.profiles.insert(name.to_owned(), profile);
    let default = config.default.is_none();
    if default {
        config.default = Some(name.to_owned());
    }
    profiles::save(&config)?;
    Ok(format!(
        "added {name} ({host}){}",
        if default { ", the default profile" } else { "" }
    ))
}

/// Builds the profile's client, which checks its addresses; nothing is
/// sent.
fn check(profile: &Profile) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start: {error}"))?;
    runtime
        .block_on(connect::client(profile))
        .map(drop)
        .map_err(|connect::NoPortal(message)| message)
}

fn list() -> Outcome {
    let config = match profiles::load() {
        Ok(config) => config,
        Err(message) => return usage(&message),
    };
    if config.profiles.is_empty() {
        eprintln!("no profiles: `b24 auth add NAME --webhook URL` adds one");
        return Outcome::Success;
    }
    let rows: Vec<_> = config
        .profiles
        .iter()
        .map(|(name, profile)| {
            let default = config.default.as_deref() == Some(name.as_str());
            json!({
                "NAME": name,
                "PORTAL": profile.host(),
                "KIND": profile.kind(),
                "DEFAULT": if default { "*" } else { "" },
            })
        })
        .collect();
    crate::run::write_out(|out| output::table(out, &rows, None))
}

fn remove(name: &str) -> Result<String, String> {
    let mut config = profiles::load()?;
    let Some(profile) = config.profiles.remove(name) else {
        return Err(format!("no profile {name:?}; `b24 auth list` shows them"));
    };
    let was_default = config.default.as_deref() == Some(name);
    if was_default {
        config.default = None;
    }
    profiles::save(&config)?;
    // The token file kept for it beside the profiles goes too; one the
    // user named is theirs.
    let own = own_token_file(name)?;
    if profile.token_file.as_ref() == Some(&own) {
        let _ = std::fs::remove_file(own);
    }
    Ok(if was_default {
        format!("removed {name}, the default profile: `b24 auth default NAME` picks another")
    } else {
        format!("removed {name}")
    })
}

fn make_default(name: &str) -> Result<String, String> {
    let mut config = profiles::load()?;
    if !config.profiles.contains_key(name) {
        return Err(format!("no profile {name:?}; `b24 auth list` shows them"));
    }
    config.default = Some(name.to_owned());
    profiles::save(&config)?;
    Ok(format!("{name} is the default profile"))
}
