//! The REST methods this portal knows, one file each, and the registry that maps a lower-cased
//! method name to its scope and handler.
//!
//! Handlers see the caller, the decoded parameters and the portal; they know nothing about
//! authentication, limits, envelopes or HTTP. `batch` is not here: it calls back into the
//! dispatcher and lives in its own module.

mod common;
mod group_get;
mod user_add;
mod user_current;
mod user_delete;
mod user_get;
mod user_groups;
mod user_invite;
mod user_request;
mod user_update;

use crate::error::RestError;
use crate::php::{Array, Value};
use crate::state::{Portal, User};

/// Facts about the portal that are not part of its data.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    /// Base URL, for image links.
    pub(crate) base_url: String,
    /// `date('c')` of the portal's start, used as every group's creation date.
    pub(crate) created: String,
}

/// One method invocation.
pub(crate) struct Call<'a> {
    pub(crate) portal: &'a mut Portal,
    /// The authenticated user.
    pub(crate) user: User,
    /// Parameters without `auth` and `start`.
    pub(crate) params: &'a Array,
    /// The `start` offset of list methods (`IRestService` strips it from the parameters).
    pub(crate) start: i64,
    pub(crate) site: &'a Site,
}

/// What a handler returns: the result and, for list methods, `next`/`total`.
#[derive(Debug)]
pub(crate) struct Output {
    pub(crate) result: Value,
    pub(crate) next: Option<i64>,
    pub(crate) total: Option<i64>,
}

impl Output {
    pub(crate) fn new(result: Value) -> Self {
        Self {
            result,
            next: None,
            total: None,
        }
    }
}

pub(crate) type Handler = fn(&mut Call<'_>) -> Result<Output, RestError>;

/// A registered method.
pub(crate) struct Method {
    pub(crate) name: &'static str,
    pub(crate) scope: &'static str,
    pub(crate) handler: Handler,
}

const SONET: &str = "sonet_group";

static METHODS: &[Method] = &[
    Method {
        name: "sonet_group.user.get",
        scope: SONET,
        handler: user_get::run,
    },
    Method {
        name: "sonet_group.user.invite",
        scope: SONET,
        handler: user_invite::run,
    },
    Method {
        name: "sonet_group.user.request",
        scope: SONET,
        handler: user_request::run,
    },
    Method {
        name: "sonet_group.user.add",
        scope: SONET,
        handler: user_add::run,
    },
    Method {
        name: "sonet_group.user.update",
        scope: SONET,
        handler: user_update::run,
    },
    Method {
        name: "sonet_group.user.delete",
        scope: SONET,
        handler: user_delete::run,
    },
    Method {
        name: "sonet_group.user.groups",
        scope: SONET,
        handler: user_groups::run,
    },
    Method {
        name: "sonet_group.get",
        scope: SONET,
        handler: group_get::run,
    },
    Method {
        name: "user.current",
        scope: "user",
        handler: user_current::run,
    },
];

/// Finds a method by its lower-cased name.
pub(crate) fn find(name: &str) -> Option<&'static Method> {
    METHODS.iter().find(|m| m.name == name)
}
