//! The REST 3.0 methods this portal knows, one file each, and their registry: name, scope and
//! whether the method writes (only writes honour `Idempotency-Key`).
//!
//! Handlers see the caller, the decoded body and the portal and return what goes under
//! `result`; they know nothing about authentication, keys, limits or HTTP. These names are
//! not REST 2 methods here: `/rest/` and REST 2 `batch` never reach this registry.

mod params;
mod task_add;
mod task_delete;
mod task_dto;
mod task_get;
mod task_update;

use super::error::ApiError;
use crate::php::{Array, Value};
use crate::state::{Portal, User};

/// One method invocation.
pub(crate) struct ApiCall<'a> {
    pub(crate) portal: &'a mut Portal,
    /// The authenticated user.
    pub(crate) user: User,
    /// The body without `auth`.
    pub(crate) params: &'a Array,
    /// The time of the call as the portal writes dates, for `created` and `changed`.
    pub(crate) now: String,
}

pub(crate) type Handler = fn(&mut ApiCall<'_>) -> Result<Value, ApiError>;

/// A registered method.
pub(crate) struct ApiMethod {
    pub(crate) name: &'static str,
    pub(crate) scope: &'static str,
    /// Creates, changes or deletes data: `Idempotency-Key` applies.
    pub(crate) writes: bool,
    pub(crate) handler: Handler,
}

static METHODS: &[ApiMethod] = &[
    ApiMethod {
        name: "tasks.task.add",
        scope: "tasks",
        writes: true,
        handler: task_add::run,
    },
    ApiMethod {
        name: "tasks.task.get",
        scope: "tasks",
        writes: false,
        handler: task_get::run,
    },
    ApiMethod {
        name: "tasks.task.update",
        scope: "tasks",
        writes: true,
        handler: task_update::run,
    },
    ApiMethod {
        name: "tasks.task.delete",
        scope: "tasks",
        writes: true,
        handler: task_delete::run,
    },
];

/// Finds a method by its lower-cased name.
pub(crate) fn find(name: &str) -> Option<&'static ApiMethod> {
    METHODS.iter().find(|m| m.name == name)
}
