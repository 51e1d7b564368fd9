//! The task as REST 3.0 shows and takes it (`TaskDto`): its field names, `select` with related
//! users, the fields a write may set, and who may see or change a task.

use super::super::error::{ApiError, Violation};
use super::params::Problems;
use crate::php::{Array, Value};
use crate::state::{Portal, Task, TaskPriority, TaskStatus, User};

/// The fields this portal keeps, which are also the basic set returned without `select`.
const FIELDS: &[&str] = &[
    "id",
    "title",
    "description",
    "creatorId",
    "responsibleId",
    "status",
    "priority",
    "created",
    "changed",
];

/// Related users `select` can reach with a dot (`responsible.name`).
const RELATIONS: &[&str] = &["creator", "responsible"];

/// The `UserDto` fields this portal keeps.
const USER_FIELDS: &[&str] = &["id", "name"];

/// Fields a write never sets: the portal assigns them.
const READ_ONLY: &[&str] = &["id", "created", "changed"];

/// What `select` asks for.
#[derive(Debug)]
pub(super) struct Select {
    own: Vec<&'static str>,
    related: Vec<(&'static str, Vec<&'static str>)>,
}

impl Select {
    /// The basic set, no related objects.
    pub(super) fn basic() -> Self {
        Self {
            own: FIELDS.to_vec(),
            related: Vec::new(),
        }
    }

    /// Reads `select`. Unknown fields of the task are left out silently, as the server does;
    /// an unknown related object or field of one is an error. With only related fields
    /// selected, the basic set comes with them.
    pub(super) fn parse(params: &Array) -> Result<Self, ApiError> {
        let Some(select) = params.get("select").filter(|v| !matches!(v, Value::Null)) else {
            return Ok(Self::basic());
        };
        let names: Option<Vec<&str>> = select
            .as_array()
            .map(|a| a.values().map(Value::as_str).collect())
            .unwrap_or_default();
        let Some(names) = names else {
            return Err(ApiError::validation(vec![Violation::wrong_type(
                "select", "array",
            )]));
        };
        let mut own = Vec::new();
        let mut related: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
        for name in names {
            let Some((relation, field)) = name.split_once('.') else {
                if let Some(field) = known(FIELDS, name)
                    && !own.contains(&field)
                {
                    own.push(field);
                }
                continue;
            };
            let relation = known(RELATIONS, relation)
                .ok_or_else(|| ApiError::unknown_property(relation, "TaskDto"))?;
            let field = known(USER_FIELDS, field)
                .ok_or_else(|| ApiError::unknown_property(field, "UserDto"))?;
            match related.iter_mut().find(|(r, _)| *r == relation) {
                Some((_, fields)) if !fields.contains(&field) => fields.push(field),
                Some(_) => {}
                None => related.push((relation, vec![field])),
            }
        }
        if own.is_empty() && !related.is_empty() {
            own = FIELDS.to_vec();
        }
        Ok(Self { own, related })
    }
}

/// The table's own `&'static` spelling of `name`, if it is there.
fn known(table: &[&'static str], name: &str) -> Option<&'static str> {
    table.iter().copied().find(|f| *f == name)
}

/// The task as an `item`, with the selected fields in the order asked.
pub(super) fn render(portal: &Portal, task: &Task, select: &Select) -> Value {
    let mut pairs: Vec<(&'static str, Value)> = select
        .own
        .iter()
        .map(|name| (*name, field(task, name)))
        .collect();
    for (relation, fields) in &select.related {
        let id = if *relation == "creator" {
            task.creator
        } else {
            task.responsible
        };
        let user = portal.user(id);
        let object = fields.iter().map(|name| {
            let value = match (*name, user) {
                ("id", _) => number(id),
                ("name", Some(u)) => Value::str(u.name.as_str()),
                _ => Value::Null,
            };
            (*name, value)
        });
        pairs.push((relation, Value::object(object)));
    }
    Value::object(pairs)
}

fn field(task: &Task, name: &str) -> Value {
    match name {
        "id" => number(task.id),
        "title" => Value::str(task.title.as_str()),
        "description" => Value::str(task.description.as_str()),
        "creatorId" => number(task.creator),
        "responsibleId" => number(task.responsible),
        "status" => Value::str(task.status.name()),
        "priority" => Value::str(task.priority.name()),
        "created" => Value::str(task.created.as_str()),
        "changed" => Value::str(task.changed.as_str()),
        _ => Value::Null,
    }
}

/// An ID as a JSON number (REST 3.0 sends integers, REST 2 numeric strings). IDs past
/// `i64::MAX` exist only in odd seeds; they go out as JSON reads them back.
fn number(id: u64) -> Value {
    i64::try_from(id).map_or(Value::Float(id as f64), Value::Int)
}

/// Who may see and edit a task: admins, its creator and its assignee.
pub(super) fn visible(task: &Task, user: &User) -> bool {
    user.admin || task.creator == user.id || task.responsible == user.id
}

/// Who may delete a task: admins and its creator.
pub(super) fn deletable(task: &Task, user: &User) -> bool {
    user.admin || task.creator == user.id
}

/// Applies the writable `fields` to `task`, collecting every problem. `creating` allows
/// `creatorId`, which an update may not change. Fields the task does not have are ignored.
pub(super) fn apply(
    fields: &Array,
    task: &mut Task,
    portal: &Portal,
    creating: bool,
    problems: &mut Problems,
) {
    for name in READ_ONLY
        .iter()
        .chain((!creating).then_some(&"creatorId"))
        .filter(|name| fields.get(name).is_some())
    {
        problems.push(Violation::new(
            name,
            format!(
                "In DTO `TaskDto`, the field `{name}` requires the presence of the `Editable` attribute for such a request"
            ),
        ));
    }
    if let Some(title) = problems.string(fields, "title") {
        if title.trim().is_empty() {
            problems.push(Violation::required("title"));
        } else {
            task.title = title.to_owned();
        }
    }
    if let Some(description) = problems.string(fields, "description") {
        description.clone_into(&mut task.description);
    }
    if let Some(id) = problems.int(fields, "responsibleId") {
        match active_user(portal, id) {
            Some(id) => task.responsible = id,
            None => problems.push(Violation::new(
                "responsibleId",
                "User specified in the \"Executor\" field not found",
            )),
        }
    }
    if creating && let Some(id) = problems.int(fields, "creatorId") {
        match active_user(portal, id) {
            Some(id) => task.creator = id,
            // The documentation lists this violation with an empty message.
            None => problems.push(Violation::new("creatorId", "")),
        }
    }
    if let Some(name) = problems.string(fields, "status") {
        match TaskStatus::parse(name) {
            Some(status) => task.status = status,
            None => problems.push(Violation::wrong_type("status", "TaskStatus")),
        }
    }
    if let Some(name) = problems.string(fields, "priority") {
        match TaskPriority::parse(name) {
            Some(priority) => task.priority = priority,
            None => problems.push(Violation::wrong_type("priority", "TaskPriority")),
        }
    }
}

fn active_user(portal: &Portal, id: i64) -> Option<u64> {
    let id = u64::try_from(id).ok()?;
    portal.user(id).filter(|u| u.active).map(|u| u.id)
}
