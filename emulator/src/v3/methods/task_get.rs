//! `tasks.task.get`: one task by `id`, with `select` choosing fields and related users.

use super::params::Problems;
use super::task_dto::{self, Select};
use super::{ApiCall, ApiError};
use crate::php::Value;

pub(super) fn run(call: &mut ApiCall<'_>) -> Result<Value, ApiError> {
    let mut problems = Problems::default();
    let id = problems.required_int(call.params, "id");
    problems.check()?;
    let id = id.unwrap_or_default();
    let select = Select::parse(call.params)?;
    let task = u64::try_from(id)
        .ok()
        .and_then(|id| call.portal.tasks().get(id))
        .ok_or_else(|| ApiError::not_found(id))?;
    if !task_dto::visible(task, &call.user) {
        return Err(ApiError::access_denied());
    }
    let item = task_dto::render(call.portal, task, &select);
    Ok(Value::object([("item", item)]))
}
