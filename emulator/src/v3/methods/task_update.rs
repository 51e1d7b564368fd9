//! `tasks.task.update`: changes the writable `fields` of task `id` and answers
//! `{"result": true}`. A task the caller cannot see, or that does not exist, is
//! `ACCESSDENIED`, as documented.

use super::params::Problems;
use super::task_dto;
use super::{ApiCall, ApiError};
use crate::php::Value;

pub(super) fn run(call: &mut ApiCall<'_>) -> Result<Value, ApiError> {
    let mut problems = Problems::default();
    let id = problems.required_int(call.params, "id");
    let fields = problems.required_object(call.params, "fields");
    problems.check()?;
    // Both are there: a missing or mistyped one was a violation, reported just above.
    let (Some(id), Some(fields)) = (id, fields) else {
        return Err(ApiError::access_denied());
    };
    let mut task = u64::try_from(id)
        .ok()
        .and_then(|id| call.portal.tasks().get(id))
        .filter(|task| task_dto::visible(task, &call.user))
        .cloned()
        .ok_or_else(ApiError::access_denied)?;
    let mut problems = Problems::default();
    task_dto::apply(fields, &mut task, call.portal, false, &mut problems);
    problems.check()?;
    task.changed.clone_from(&call.now);
    if let Some(stored) = call.portal.tasks_mut().get_mut(task.id) {
        *stored = task;
    }
    Ok(Value::object([("result", Value::Bool(true))]))
}
