//! `tasks.task.add`: creates a task from `fields` (`title`, `creatorId` and `responsibleId`
//! required) and answers `{"item": …}` with the basic field set.

use super::params::Problems;
use super::task_dto::{self, Select};
use super::{ApiCall, ApiError};
use crate::php::Value;
use crate::state::Task;
use crate::v3::error::Violation;

pub(super) fn run(call: &mut ApiCall<'_>) -> Result<Value, ApiError> {
    let mut problems = Problems::default();
    let mut task = Task::new(0, "", 0, 0);
    if let Some(fields) = problems.required_object(call.params, "fields") {
        for name in ["title", "creatorId", "responsibleId"] {
            if matches!(fields.get(name), None | Some(Value::Null)) {
                problems.push(Violation::required(name));
            }
        }
        task_dto::apply(fields, &mut task, call.portal, true, &mut problems);
    }
    problems.check()?;
    task.created.clone_from(&call.now);
    task.changed.clone_from(&call.now);
    let task = call.portal.tasks_mut().add(task).cloned().ok_or_else(|| {
        // Only a seed holding the task ID u64::MAX gets here.
        ApiError::validation(vec![Violation::new("id", "No task IDs are left")])
    })?;
    let item = task_dto::render(call.portal, &task, &Select::basic());
    Ok(Value::object([("item", item)]))
}
