//! Profiles: named portals kept in `config.toml` in the user's
//! configuration folder (`$XDG_CONFIG_HOME/b24`, `~/.config/b24`, or the
//! platform's equivalent; `B24_CONFIG_DIR` names another folder), added,
//! listed and removed by `b24 auth`, and picked by `--profile NAME`
//! (`B24_PROFILE`) or else the default one.
//!
//! The file holds secrets: it is written readable by its owner alone, and
//! refused when others may read it. No secret from here reaches any output
//! or `Debug`: what is shown of a profile is its portal's host.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::secret_file;

/// The largest profiles file read, in bytes.
const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Where the profiles are, and what they are.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The profile used when none is named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// The profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// A portal and how to reach it: a webhook, or an OAuth application's
/// tokens. The same fields come from the environment (`B24_WEBHOOK_URL`,
/// `B24_PORTAL_URL` and its variables) when no profile is used.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The webhook URL, whose code is a password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<Hidden>,
    /// The portal's REST address, for OAuth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub portal_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<Hidden>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Hidden>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Hidden>,
    /// The OAuth server's token address, when not the usual one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth_server: Option<String>,
    /// Where refreshed tokens are kept, and read from next time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_file: Option<PathBuf>,
}

/// A secret's text: shown as `***` by `Debug`, so a profile printed while
/// debugging shows none.
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Hidden(pub String);

impl fmt::Debug for Hidden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl Profile {
    /// An OAuth portal, each value from `value` given its flag in `b24 auth
    /// add` and its environment variable.
    pub fn oauth(value: impl Fn(&str, &str) -> Option<String>) -> Self {
        Self {
            webhook: None,
            portal_url: value("portal-url", "B24_PORTAL_URL"),
            access_token: value("access-token", "B24_ACCESS_TOKEN").map(Hidden),
            refresh_token: value("refresh-token", "B24_REFRESH_TOKEN").map(Hidden),
            client_id: value("client-id", "B24_CLIENT_ID"),
            client_secret: value("client-secret", "B24_CLIENT_SECRET").map(Hidden),
            oauth_server: value("oauth-server", "B24_OAUTH_SERVER"),
            token_file: value("token-file", "B24_TOKEN_FILE").map(PathBuf::from),
        }
    }

    /// The portal's host, the only part of a profile ever shown.
    pub fn host(&self) -> String {
        let url = match (&self.webhook, &self.portal_url) {
            (Some(Hidden(url)), _) | (None, Some(url)) => url.as_str(),
            (None, None) => "",
        };
        let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        let authority = after_scheme.split('/').next().unwrap_or_default();
        // User information before an `@` may be a password.
        authority.rsplit('@').next().unwrap_or_default().to_owned()
    }

    /// `webhook` or `oauth`.
    pub fn kind(&self) -> &'static str {
        if self.webhook.is_some() {
            "webhook"
        } else {
            "oauth"
        }
    }
}

/// The folder of the profiles: `B24_CONFIG_DIR`, else `b24` in the
/// platform's configuration folder.
pub fn folder() -> Result<PathBuf, String> {
    match std::env::var_os("B24_CONFIG_DIR").filter(|value| !value.is_empty()) {
        Some(folder) => Ok(PathBuf::from(folder)),
        None => dirs::config_dir()
            .map(|folder| folder.join("b24"))
            .ok_or_else(|| "no configuration folder is known here: set B24_CONFIG_DIR".to_owned()),
    }
}

/// The profiles file.
pub fn path() -> Result<PathBuf, String> {
    Ok(folder()?.join("config.toml"))
}

/// The profiles, none when there is no file yet. A malformed file is an
/// error naming the file and the line.
pub fn load() -> Result<Config, String> {
    let path = path()?;
    let Some(text) = secret_file::read(&path, MAX_CONFIG_BYTES)? else {
        return Ok(Config::default());
    };
    let config: Config = toml::from_str(&text).map_err(|error| {
        let line = error
            .span()
            .map(|span| text[..span.start].matches('\n').count() + 1);
        let place = match line {
            Some(line) => format!("{}:{line}", path.display()),
            None => path.display().to_string(),
        };
        format!("{place}: {}", without_values(error.message()))
    })?;
    if let Some(default) = &config.default
        && !config.profiles.contains_key(default)
    {
        return Err(format!(
            "{}: the default profile {default:?} is not among the profiles",
            path.display()
        ));
    }
    Ok(config)
}

/// A parser's message with every quoted value replaced by `"***"`: a value
/// of the wrong type is quoted in it, and may be a secret.
fn without_values(message: &str) -> String {
    let mut parts = message.split('"');
    let mut shown = parts.next().unwrap_or_default().to_owned();
    for (n, part) in parts.enumerate() {
        shown.push('"');
        shown.push_str(if n % 2 == 0 { "***" } else { part });
    }
    shown.trim_end().to_owned()
}

/// Writes the profiles, creating their folder.
pub fn save(config: &Config) -> Result<(), String> {
    let path = path()?;
    let text =
        toml::to_string(config).map_err(|error| format!("cannot write the profiles: {error}"))?;
    if let Some(folder) = path.parent() {
        secret_file::create_folder(folder)
            .map_err(|error| format!("cannot create {}: {error}", folder.display()))?;
    }
    secret_file::write(&path, text.as_bytes())
        .map_err(|error| format!("cannot write {}: {error}", path.display()))
}

/// The profile named `name`, else the default one, else none (when no
/// profile is named and there is no default).
pub fn pick(name: Option<&str>) -> Result<Option<Profile>, String> {
    let mut config = load()?;
    let Some(name) = name.map(str::to_owned).or(config.default.take()) else {
        return Ok(None);
    };
    match config.profiles.remove(&name) {
        Some(profile) => Ok(Some(profile)),
        None => Err(format!(
            "no profile {name:?}; `b24 auth list` shows them, `b24 auth add {name} --webhook URL` adds it"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::{Hidden, Profile, without_values};

    #[test]
    fn a_profile_shows_its_host_and_no_secret() {
        let profile = Profile {
            webhook: Some(Hidden(
                "https://user:pw@p.bitrix24.com/rest/1/s3cr3t/".to_owned(),
            )),
            access_token: Some(Hidden("t0ken".to_owned())),
            ..Profile::default()
        };
        assert_eq!(profile.host(), "p.bitrix24.com");
        let debug = format!("{profile:?}");
        assert!(
            !debug.contains("s3cr3t") && !debug.contains("t0ken"),
            "{debug}"
        );
    }

    #[test]
    fn quoted_values_leave_a_parser_message() {
        assert_eq!(
            without_values("invalid type: string \"s3cr3t\", expected a map\n"),
            "invalid type: string \"***\", expected a map"
        );
        assert_eq!(
            without_values("unknown field `webhok`"),
            "unknown field `webhok`"
        );
    }
}
