//! `batch`: up to 50 commands `"method?query"` run in order with the caller's credentials,
//! results collected in the `result`/`result_error`/`result_total`/`result_next`/`result_time`
//! sections, later commands able to reference earlier results.
//!
//! Runs each command through the same dispatcher as a direct call, so scopes and the operating
//! limit apply per command; the leaky bucket has already counted the batch once.

mod reference;

use crate::auth::Principal;
use crate::engine::{Engine, Invocation};
use crate::error::RestError;
use crate::php::{Array, Value};
use crate::wire::parse_str;

/// `CRestUtil::BATCH_MAX_LENGTH`.
const MAX_COMMANDS: usize = 50;

/// The outcome of a batch: its result and whether any command ran.
pub(crate) struct BatchOutcome {
    pub(crate) result: Value,
    pub(crate) executed: bool,
}

/// Runs `batch` with `params` (keys are case-insensitive here).
pub(crate) fn run(engine: &mut Engine<'_>, principal: &Principal, params: &Array) -> BatchOutcome {
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k.to_string().eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    };
    let halt = param("halt").is_some_and(Value::truthy);
    let commands = param("cmd")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();

    let mut sections: Array = ["result", "next", "total", "time", "error"]
        .into_iter()
        .map(|name| (name, Value::Array(Array::new())))
        .collect();
    let mut executed = false;
    for (index, (key, command)) in commands.iter().enumerate() {
        let outcome = if index < MAX_COMMANDS {
            let text = command.to_php_string().unwrap_or_default();
            let (method, query) = text.split_once('?').unwrap_or((&text, ""));
            let method = method.to_ascii_lowercase();
            let params = reference::substitute(parse_str(query), &sections);
            if method == "batch" {
                Err(RestError::BATCH_METHOD_NOT_ALLOWED)
            } else {
                let Invocation {
                    outcome,
                    executed: ran,
                } = engine.call(principal, &method, params, true);
                executed |= ran;
                outcome
            }
        } else {
            Err(RestError::BATCH_LENGTH_EXCEEDED)
        };
        let mut put = |section: &str, value: Value| {
            if let Some(Value::Array(s)) = sections.get_mut(section) {
                s.insert(key.clone(), value);
            }
        };
        match outcome {
            Ok((output, time)) => {
                put("result", output.result);
                if let Some(next) = output.next {
                    put("next", Value::Int(next));
                }
                if let Some(total) = output.total {
                    put("total", Value::Int(total));
                }
                put("time", time);
            }
            Err(error) => {
                put("error", error.to_value());
                if halt {
                    break;
                }
            }
        }
    }
    let section = |name: &str| sections.get(name).cloned().unwrap_or(Value::Null);
    BatchOutcome {
        result: Value::object([
            ("result", section("result")),
            ("result_error", section("error")),
            ("result_total", section("total")),
            ("result_next", section("next")),
            ("result_time", section("time")),
        ]),
        executed,
    }
}
