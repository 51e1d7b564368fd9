//! Splits the `result` of a `batch` answer into one outcome per command.
//!
//! The answer holds five sections keyed by command: `result`, `result_error`,
//! `result_total`, `result_next` and `result_time`. PHP sends each as `[]`
//! when it is empty, as an array when its keys are sequential numbers, and as
//! an object otherwise; all three are accepted (array items are keyed `0`,
//! `1`, …). A command in neither `result` nor `result_error` did not run.
//! Results stay JSON here: only `BatchResults::get` knows their types.

use secrecy::SecretString;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::super::error::DecodeError;
use super::super::redact::{excerpt, redact};
use crate::Time;
use crate::error::ApiError;

/// What became of one command.
#[derive(Debug, Clone)]
pub(super) enum Outcome {
    Done {
        result: Value,
        /// `None` when the server sent no time for the command.
        time: Option<Time>,
        next: Option<u64>,
        total: Option<u64>,
    },
    /// Secrets already masked.
    Failed(ApiError),
    NotRun,
    Invalid(DecodeError),
}

/// The sections of a batch answer, each keyed by command.
struct Sections {
    result: Map<String, Value>,
    error: Map<String, Value>,
    total: Map<String, Value>,
    next: Map<String, Value>,
    time: Map<String, Value>,
}

/// The outcome of each command in `keys`, in their order.
///
/// Fails only when the answer is not shaped like a batch answer at all.
pub(super) fn split(
    answer: Value,
    keys: impl IntoIterator<Item = String>,
    secrets: &[SecretString],
) -> Result<Vec<Outcome>, DecodeError> {
    let mut sections = Sections::read(answer, secrets)?;
    Ok(keys
        .into_iter()
        .map(|key| sections.take(&key, secrets))
        .collect())
}

impl Sections {
    fn read(answer: Value, secrets: &[SecretString]) -> Result<Self, DecodeError> {
        let mut object = match answer {
            Value::Object(object) => object,
            Value::Array(items) if items.is_empty() => Map::new(),
            other => {
                let reason = "the batch result is not an object".to_owned();
                return Err(decode_error(reason, &other, secrets));
            }
        };
        let mut section = |name: &str| match object.remove(name) {
            None | Some(Value::Null) => Ok(Map::new()),
            Some(Value::Object(map)) => Ok(map),
            Some(Value::Array(items)) => Ok(items
                .into_iter()
                .enumerate()
                .map(|(index, item)| (index.to_string(), item))
                .collect()),
            Some(other) => {
                let reason =
                    format!("the batch section `{name}` is neither an object nor an array");
                Err(decode_error(reason, &other, secrets))
            }
        };
        Ok(Self {
            result: section("result")?,
            error: section("result_error")?,
            total: section("result_total")?,
            next: section("result_next")?,
            time: section("result_time")?,
        })
    }

    /// Removes the command's entries; an error wins over a result.
    fn take(&mut self, key: &str, secrets: &[SecretString]) -> Outcome {
        match take::<ApiError>(&mut self.error, key, "error", secrets) {
            Ok(Some(error)) => {
                return Outcome::Failed(ApiError::new(
                    redact(error.code(), secrets),
                    redact(error.description(), secrets),
                ));
            }
            Ok(None) => {}
            Err(invalid) => return Outcome::Invalid(invalid),
        }
        let Some(result) = self.result.remove(key) else {
            return Outcome::NotRun;
        };
        let done = || {
            Ok::<_, DecodeError>(Outcome::Done {
                time: take(&mut self.time, key, "time", secrets)?,
                next: take(&mut self.next, key, "next", secrets)?,
                total: take(&mut self.total, key, "total", secrets)?,
                result,
            })
        };
        done().unwrap_or_else(Outcome::Invalid)
    }
}

/// Removes and decodes the command's entry of one section.
fn take<T: DeserializeOwned>(
    section: &mut Map<String, Value>,
    key: &str,
    what: &str,
    secrets: &[SecretString],
) -> Result<Option<T>, DecodeError> {
    section
        .remove(key)
        .map(|value| {
            T::deserialize(&value).map_err(|error| {
                decode_error(
                    format!("the {what} of command {key} does not fit: {error}"),
                    &value,
                    secrets,
                )
            })
        })
        .transpose()
}

/// A decode error about part of a batch answer, with that part as the excerpt.
///
/// The status is 200: a batch answer reaches this point only as a successful
/// envelope, which the server sends with 200 whatever its commands did.
pub(super) fn decode_error(reason: String, part: &Value, secrets: &[SecretString]) -> DecodeError {
    let text = part.to_string();
    DecodeError::new(
        200,
        redact(&reason, secrets),
        excerpt(text.as_bytes(), secrets),
        text.len(),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn time() -> Value {
        json!({"start": 1, "finish": 2, "duration": 1, "processing": 0,
               "date_start": "2026-03-18T19:15:53+02:00", "date_finish": "2026-03-18T19:15:53+02:00"})
    }

    fn outcomes(answer: Value, keys: &[&str]) -> Vec<Outcome> {
        split(
            answer,
            keys.iter().map(|key| (*key).to_owned()),
            &[SecretString::from("topsecret")],
        )
        .expect("a batch answer")
    }

    #[test]
    fn reads_object_sections() {
        let answer = json!({
            "result": {"c00": [1], "c02": null},
            "result_error": {"c01": {"error": "", "error_description": "Socialnetwork group not found"}},
            "result_total": {"c00": 3}, "result_next": {"c00": 1},
            "result_time": {"c00": time(), "c02": time()},
        });
        let found = outcomes(answer, &["c00", "c01", "c02", "c03"]);
        let [
            Outcome::Done {
                result,
                time: Some(_),
                next: Some(1),
                total: Some(3),
            },
            Outcome::Failed(error),
            Outcome::Done {
                result: Value::Null,
                next: None,
                total: None,
                ..
            },
            Outcome::NotRun,
        ] = &found[..]
        else {
            panic!("{found:?}")
        };
        assert_eq!(result, &json!([1]));
        assert_eq!(error.description(), "Socialnetwork group not found");
    }

    #[test]
    fn reads_empty_and_array_sections() {
        let answer = json!({"result": [true, false], "result_error": [], "result_total": [],
                            "result_next": [], "result_time": [time()]});
        let found = outcomes(answer, &["0", "1", "c00"]);
        assert!(
            matches!(
                &found[..],
                [
                    Outcome::Done {
                        result: Value::Bool(true),
                        time: Some(_),
                        ..
                    },
                    Outcome::Done {
                        result: Value::Bool(false),
                        time: None,
                        ..
                    },
                    Outcome::NotRun,
                ]
            ),
            "{found:?}"
        );
        for empty in [json!([]), json!({}), json!({"result": null})] {
            assert!(matches!(&outcomes(empty, &["c00"])[..], [Outcome::NotRun]));
        }
    }

    #[test]
    fn an_error_masks_secrets_and_wins_over_a_result() {
        let answer = json!({
            "result": {"c00": 1},
            "result_error": {"c00": {"error": "insufficient_scope", "error_description": "hook topsecret"}},
        });
        let [Outcome::Failed(error)] = &outcomes(answer, &["c00"])[..] else {
            panic!("not failed")
        };
        assert_eq!(
            (error.code(), error.description()),
            ("insufficient_scope", "hook ***")
        );
    }

    #[test]
    fn misshapen_entries_are_invalid_commands_not_panics() {
        let answer = json!({
            "result": {"c00": 1, "c01": 2},
            "result_error": {"c02": "topsecret"},
            "result_next": {"c00": "many"},
            "result_time": {"c01": 5},
        });
        let found = outcomes(answer, &["c00", "c01", "c02"]);
        let [
            Outcome::Invalid(next),
            Outcome::Invalid(time),
            Outcome::Invalid(error),
        ] = &found[..]
        else {
            panic!("{found:?}")
        };
        assert!(next.reason().contains("next of command c00"), "{next}");
        assert!(time.reason().contains("time of command c01"), "{time}");
        assert_eq!(error.excerpt(), r#""***""#);
    }

    #[test]
    fn a_result_that_is_not_a_batch_answer_is_a_decode_error() {
        for answer in [json!("x"), json!([1]), json!({"result": 5})] {
            let error = split(answer, ["c00".to_owned()], &[]).unwrap_err();
            assert_eq!(error.status(), 200);
            assert!(!error.reason().is_empty());
        }
    }
}
