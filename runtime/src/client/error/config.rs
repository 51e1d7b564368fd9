//! Invalid client configuration, found when the client is built.
//!
//! Messages name what is wrong and the expected shape, and never echo a
//! secret such as the webhook code.

/// The client could not be built from the given settings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A URL could not be parsed.
    #[error("the {what} is not a valid URL ({reason})")]
    InvalidUrl {
        /// Which URL.
        what: &'static str,
        /// The parser's reason, which never contains the URL.
        reason: String,
    },
    /// A URL uses plain `http` where `https` is required.
    #[error(
        "the {what} must use https; plain http is allowed only for loopback addresses \
         (127.0.0.0/8, ::1, localhost) and only with `allow_http_loopback(true)`"
    )]
    InsecureUrl {
        /// Which URL.
        what: &'static str,
    },
    /// A URL has parts it must not have, or lacks parts it needs.
    #[error("the {what} {problem}")]
    UrlShape {
        /// Which URL.
        what: &'static str,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// A limit or timeout is zero or out of range.
    #[error("invalid setting `{setting}`: {problem}")]
    InvalidSetting {
        /// The builder option.
        setting: &'static str,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The HTTP client could not be created.
    #[error("the HTTP client could not be created: {0}")]
    HttpClient(String),
}
