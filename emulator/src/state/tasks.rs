//! The task table served by the REST 3.0 `tasks.task.*` methods: the task record, its status
//! and priority, and the store that hands out IDs. Knows nothing about permissions or the wire
//! format of a task.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A task's status, as REST 3.0 names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// `pending`: waiting for execution (a new task).
    #[default]
    Pending,
    /// `in_progress`.
    InProgress,
    /// `supposedly_completed`: awaiting the creator's control.
    SupposedlyCompleted,
    /// `completed`.
    Completed,
    /// `deferred`.
    Deferred,
    /// `declined`.
    Declined,
}

/// A task's priority, as REST 3.0 names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TaskPriority {
    /// `high`.
    High,
    /// `average`, the default.
    #[default]
    Average,
    /// `low`.
    Low,
}

/// The wire names of an enum that serialises as plain strings: the one table both ways.
macro_rules! wire_names {
    ($t:ty { $($variant:ident = $name:literal),+ $(,)? }) => {
        impl $t {
            /// The name used on the wire.
            pub fn name(self) -> &'static str {
                match self { $(Self::$variant => $name),+ }
            }

            /// The value named `name` on the wire.
            pub(crate) fn parse(name: &str) -> Option<Self> {
                match name { $($name => Some(Self::$variant),)+ _ => None }
            }
        }
    };
}

wire_names!(TaskStatus {
    Pending = "pending",
    InProgress = "in_progress",
    SupposedlyCompleted = "supposedly_completed",
    Completed = "completed",
    Deferred = "deferred",
    Declined = "declined",
});

wire_names!(TaskPriority {
    High = "high",
    Average = "average",
    Low = "low",
});

/// A task. In a seed the dates are not written: seeded tasks are created when the portal
/// starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// Task ID.
    pub id: u64,
    /// `title`.
    pub title: String,
    /// `description`.
    #[serde(default)]
    pub description: String,
    /// `creatorId`.
    pub creator: u64,
    /// `responsibleId`.
    pub responsible: u64,
    /// `status`.
    #[serde(default)]
    pub status: TaskStatus,
    /// `priority`.
    #[serde(default)]
    pub priority: TaskPriority,
    /// `created`, as the portal writes dates (`2025-12-11T12:25:33+03:00`).
    #[serde(skip_deserializing)]
    pub created: String,
    /// `changed`, likewise.
    #[serde(skip_deserializing)]
    pub changed: String,
}

impl Task {
    /// A pending task of average priority without a description, created and assigned as
    /// given.
    pub fn new(id: u64, title: impl Into<String>, creator: u64, responsible: u64) -> Self {
        Self {
            id,
            title: title.into(),
            description: String::new(),
            creator,
            responsible,
            status: TaskStatus::default(),
            priority: TaskPriority::default(),
            created: String::new(),
            changed: String::new(),
        }
    }
}

/// Tasks by ID. IDs are never reused: a new task gets one past the highest ever stored, as an
/// auto-increment column does.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tasks {
    rows: BTreeMap<u64, Task>,
    last_id: u64,
}

impl Tasks {
    pub(crate) fn get(&self, id: u64) -> Option<&Task> {
        self.rows.get(&id)
    }

    pub(crate) fn get_mut(&mut self, id: u64) -> Option<&mut Task> {
        self.rows.get_mut(&id)
    }

    /// Tasks by ascending ID.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Task> {
        self.rows.values()
    }

    /// Stores a seeded task under its own ID.
    pub(super) fn insert(&mut self, task: Task) {
        self.last_id = self.last_id.max(task.id);
        self.rows.insert(task.id, task);
    }

    /// Stores `task` under the next ID and returns it; `None` when the IDs are used up.
    pub(crate) fn add(&mut self, mut task: Task) -> Option<&Task> {
        let id = self.last_id.checked_add(1)?;
        self.last_id = id;
        task.id = id;
        Some(self.rows.entry(id).or_insert(task))
    }

    pub(crate) fn remove(&mut self, id: u64) -> Option<Task> {
        self.rows.remove(&id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_never_reused() {
        let mut tasks = Tasks::default();
        tasks.insert(Task::new(5, "seeded", 1, 1));
        assert_eq!(tasks.add(Task::new(0, "a", 1, 1)).map(|t| t.id), Some(6));
        tasks.remove(6);
        assert_eq!(tasks.add(Task::new(0, "b", 1, 1)).map(|t| t.id), Some(7));
        tasks.insert(Task::new(u64::MAX, "last", 1, 1));
        assert!(tasks.add(Task::new(0, "c", 1, 1)).is_none());
    }

    #[test]
    fn wire_names_round_trip() {
        for status in [TaskStatus::Pending, TaskStatus::SupposedlyCompleted] {
            assert_eq!(TaskStatus::parse(status.name()), Some(status));
            assert_eq!(
                serde_json::to_value(status).unwrap(),
                serde_json::json!(status.name())
            );
        }
        assert_eq!(TaskPriority::parse("high"), Some(TaskPriority::High));
        assert_eq!(TaskPriority::parse("HIGH"), None);
    }
}
