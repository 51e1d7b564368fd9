//! REST 3.0 methods and answers for the client's tests: a write and a read
//! defined by hand (no generated crate needed), and REST 3.0's error object.

use bitrix24::{ApiError, Method, RestVersion};
use serde_json::{Value, json};

use super::Reply;

/// A REST 3.0 write, not safe to send twice on its own.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TaskAdd {
    pub fields: Value,
}

impl Method for TaskAdd {
    const NAME: &'static str = "tasks.task.add";
    const SCOPES: &'static [&'static str] = &["task"];
    const RETRY_SAFE: bool = false;
    const PAGED: bool = false;
    const REST_VERSION: RestVersion = RestVersion::V3;
    const WRITES: bool = true;
    type Response = Value;
    type Error = ApiError;
}

/// A REST 3.0 read.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TaskGet {
    pub id: u64,
}

impl Method for TaskGet {
    const NAME: &'static str = "tasks.task.get";
    const SCOPES: &'static [&'static str] = &["task"];
    const RETRY_SAFE: bool = true;
    const PAGED: bool = false;
    const REST_VERSION: RestVersion = RestVersion::V3;
    type Response = Value;
    type Error = ApiError;
}

/// A task with a title.
pub fn task_add() -> TaskAdd {
    TaskAdd {
        fields: json!({"title": "Prepare a report"}),
    }
}

/// A REST 3.0 error object.
pub fn v3_error(status: u16, code: &str, message: &str, validation: Value) -> Reply {
    Reply::Json(
        status,
        json!({"error": {"code": code, "message": message, "validation": validation}}).to_string(),
    )
}
