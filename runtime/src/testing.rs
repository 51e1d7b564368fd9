//! Hand-written stand-ins for generated methods, for the runtime's own unit
//! tests: the runtime cannot depend on the generated crate it serves.
//!
//! They mirror three `sonet_group.user.*` methods closely enough for the wire
//! format (names, parameters, retry safety, error matching) to be tested.

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorClass, ErrorTable, OwnError, SystemError, UnknownError};
use crate::wire::OneOrMany;
use crate::{Batchable, Id, Method};

pub(crate) enum UserMarker {}

pub(crate) type UserId = Id<UserMarker>;

/// `sonet_group.user.get`: safe to retry, one own error.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Members {
    #[serde(rename = "ID")]
    pub(crate) group: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Member {
    #[serde(rename = "USER_ID")]
    pub(crate) user_id: UserId,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MembersError {
    GroupNotFound,
    System(SystemError),
    Unknown(UnknownError),
}

/// `sonet_group.user.invite`: not safe to retry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Invite {
    #[serde(rename = "GROUP_ID")]
    pub(crate) group: u64,
    #[serde(rename = "MESSAGE", skip_serializing_if = "Option::is_none")]
    pub(crate) message: Option<String>,
    #[serde(rename = "USER_ID")]
    pub(crate) users: OneOrMany<u64>,
}

/// `sonet_group.user.groups`: no parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Groups;

impl Method for Members {
    const NAME: &'static str = "sonet_group.user.get";
    const SCOPES: &'static [&'static str] = &["sonet_group"];
    const RETRY_SAFE: bool = true;
    const PAGED: bool = false;
    type Response = Vec<Member>;
    type Error = MembersError;
}

impl Method for Invite {
    const NAME: &'static str = "sonet_group.user.invite";
    const SCOPES: &'static [&'static str] = &["sonet_group"];
    const RETRY_SAFE: bool = false;
    const PAGED: bool = false;
    type Response = Vec<UserId>;
    type Error = MembersError;
}

impl Method for Groups {
    const NAME: &'static str = "sonet_group.user.groups";
    const SCOPES: &'static [&'static str] = &["sonet_group"];
    const RETRY_SAFE: bool = true;
    const PAGED: bool = false;
    type Response = Vec<serde_json::Value>;
    type Error = ApiError;
}

impl Batchable for Members {}
impl Batchable for Invite {}
impl Batchable for Groups {}

impl ErrorTable for MembersError {
    const OWN_ERRORS: &'static [OwnError<Self>] = &[OwnError::new(
        Self::GroupNotFound,
        &[""],
        &["Socialnetwork group not found"],
    )];

    fn class(&self) -> ErrorClass<'_> {
        match self {
            Self::System(error) => ErrorClass::System(error),
            Self::Unknown(error) => ErrorClass::Unknown(error),
            Self::GroupNotFound => ErrorClass::Own(None),
        }
    }
}

crate::__error_impls!(MembersError);
