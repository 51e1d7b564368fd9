//! `tasks.task.delete`: removes task `id` (its creator or an admin may) and answers
//! `{"result": true}`. A task the caller may not delete, or that does not exist, is
//! `ACCESSDENIED`, as documented.

use super::params::Problems;
use super::task_dto;
use super::{ApiCall, ApiError};
use crate::php::Value;

pub(super) fn run(call: &mut ApiCall<'_>) -> Result<Value, ApiError> {
    let mut problems = Problems::default();
    let id = problems.required_int(call.params, "id");
    problems.check()?;
    let id = u64::try_from(id.unwrap_or_default())
        .ok()
        .filter(|id| {
            call.portal
                .tasks()
                .get(*id)
                .is_some_and(|task| task_dto::deletable(task, &call.user))
        })
        .ok_or_else(ApiError::access_denied)?;
    call.portal.tasks_mut().remove(id);
    Ok(Value::object([("result", Value::Bool(true))]))
}
