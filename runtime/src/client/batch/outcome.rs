//! Splits the `result` of a `batch` answer into one outcome per command.
//!
//! The answer holds five sections keyed by command: `result`, `result_error`,
//! `result_total`, `result_next` and `result_time`. PHP sends each as `[]`
//! when it is empty, as an array when its keys are sequential numbers, and as
//! an object otherwise; all three are accepted (array items are keyed `0`,
//! `1`, …), and so is `null`. A command in neither `result` nor
//! `result_error` did not run.
//!
//! Nothing of the answer is copied or decoded into a `serde_json::Value`:
//! the sections are read as maps of `&RawValue` borrowed from the body, each
//! command's result stays in the body as the byte range it lies in, and only
//! `BatchResults::get` decodes it, knowing its type. The small entries (an
//! error, a time, `next`, `total`) are decoded here.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Range;

use secrecy::SecretString;
use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use super::super::envelope::{span, without_position};
use super::super::error::DecodeError;
use super::super::redact::{json_excerpt, redact};
use crate::Time;
use crate::error::ApiError;

/// What became of one command.
#[derive(Debug, Clone)]
pub(super) enum Outcome {
    Done {
        /// Where the command's result lies in the body; valid UTF-8 JSON.
        result: Range<usize>,
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

/// Entries keyed by name, their JSON borrowed from the body.
type Entries<'a> = HashMap<String, &'a RawValue>;

/// The sections of a batch answer, each keyed by command.
struct Sections<'a> {
    result: Entries<'a>,
    error: Entries<'a>,
    total: Entries<'a>,
    next: Entries<'a>,
    time: Entries<'a>,
}

/// The outcome of each command in `keys`, in their order; `result` is where
/// the batch's `result` lies in `body`.
///
/// Fails only when the answer is not shaped like a batch answer at all.
pub(super) fn split(
    body: &[u8],
    result: Range<usize>,
    keys: impl IntoIterator<Item = String>,
    secrets: &[SecretString],
) -> Result<Vec<Outcome>, DecodeError> {
    let mut sections = Sections::read(&body[result], secrets)?;
    Ok(keys
        .into_iter()
        .map(|key| sections.take(body, &key, secrets))
        .collect())
}

impl<'a> Sections<'a> {
    fn read(answer: &'a [u8], secrets: &[SecretString]) -> Result<Self, DecodeError> {
        let Ok(Shaped::<false>(mut object)) = serde_json::from_slice(answer) else {
            let reason = "the batch result is not an object".to_owned();
            return Err(decode_error(reason, answer, secrets));
        };
        let mut section = |name: &str| match object.remove(name) {
            None => Ok(Entries::new()),
            Some(part) => match serde_json::from_str::<Shaped<true>>(part.get()) {
                Ok(Shaped(entries)) => Ok(entries),
                Err(_) => {
                    let reason =
                        format!("the batch section `{name}` is neither an object nor an array");
                    Err(decode_error(reason, part.get().as_bytes(), secrets))
                }
            },
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
    fn take(&mut self, body: &[u8], key: &str, secrets: &[SecretString]) -> Outcome {
        match take::<ApiError>(&mut self.error, key, "error", secrets) {
            Ok(Some(error)) => return Outcome::Failed(ApiError::from_server(error, secrets)),
            Ok(None) => {}
            Err(invalid) => return Outcome::Invalid(invalid),
        }
        let Some(result) = self.result.remove(key) else {
            return Outcome::NotRun;
        };
        let mut done = || {
            Ok::<_, DecodeError>(Outcome::Done {
                time: take(&mut self.time, key, "time", secrets)?,
                next: take(&mut self.next, key, "next", secrets)?,
                total: take(&mut self.total, key, "total", secrets)?,
                result: span(body, result),
            })
        };
        done().unwrap_or_else(Outcome::Invalid)
    }
}

/// Removes and decodes the command's entry of one section.
fn take<T: DeserializeOwned>(
    section: &mut Entries<'_>,
    key: &str,
    what: &str,
    secrets: &[SecretString],
) -> Result<Option<T>, DecodeError> {
    section
        .remove(key)
        .map(|part| {
            serde_json::from_str(part.get()).map_err(|error| {
                decode_error(
                    format!(
                        "the {what} of command {key} does not fit: {}",
                        without_position(&error)
                    ),
                    part.get().as_bytes(),
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
pub(super) fn decode_error(reason: String, part: &[u8], secrets: &[SecretString]) -> DecodeError {
    DecodeError::new(
        200,
        redact(&reason, secrets),
        json_excerpt(part, secrets),
        part.len(),
    )
}

/// A JSON object or array as entries keyed by name, array items by their
/// index. `SECTION` also takes `null`, and arrays of any length; the batch
/// `result` itself must be an object or `[]`. A key that repeats keeps its
/// last value.
struct Shaped<'a, const SECTION: bool>(Entries<'a>);

impl<'de: 'a, 'a, const SECTION: bool> Deserialize<'de> for Shaped<'a, SECTION> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ShapedVisitor::<SECTION>(PhantomData))
    }
}

struct ShapedVisitor<'a, const SECTION: bool>(PhantomData<&'a ()>);

impl<'de: 'a, 'a, const SECTION: bool> Visitor<'de> for ShapedVisitor<'a, SECTION> {
    type Value = Shaped<'a, SECTION>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(if SECTION {
            "an object, an array or null"
        } else {
            "an object or an empty array"
        })
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        if SECTION {
            Ok(Shaped(Entries::new()))
        } else {
            Err(E::invalid_type(de::Unexpected::Unit, &self))
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Self::Value, A::Error> {
        let mut entries = Entries::new();
        if !SECTION {
            return match items.next_element::<IgnoredAny>()? {
                None => Ok(Shaped(entries)),
                Some(_) => Err(de::Error::invalid_length(1, &self)),
            };
        }
        while let Some(item) = items.next_element::<&'a RawValue>()? {
            entries.insert(entries.len().to_string(), item);
        }
        Ok(Shaped(entries))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Entries::new();
        while let Some((key, value)) = map.next_entry::<String, &'a RawValue>()? {
            entries.insert(key, value);
        }
        Ok(Shaped(entries))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::client::envelope::{Answer, FromBody, RawResult};

    fn time() -> Value {
        json!({"start": 1, "finish": 2, "duration": 1, "processing": 0,
               "date_start": "2026-03-18T19:15:53+02:00", "date_finish": "2026-03-18T19:15:53+02:00"})
    }

    /// An outcome with its result read back from the body, to match on.
    #[derive(Debug)]
    enum Seen {
        Done {
            result: Value,
            time: Option<Time>,
            next: Option<u64>,
            total: Option<u64>,
        },
        Failed(ApiError),
        NotRun,
        Invalid(DecodeError),
    }

    /// The batch `result` as the server sends it: inside an envelope, so the
    /// ranges are counted from the start of the whole body.
    fn envelope(answer: &str) -> RawResult {
        let body = format!(r#"{{"result":{answer},"time":{}}}"#, time());
        match RawResult::read(200, body.into_bytes(), &[], crate::Decoding::Strict) {
            Answer::Success(response) => response.result,
            _ => panic!("not a success: {answer}"),
        }
    }

    fn split_text(answer: &str, keys: &[&str]) -> Result<Vec<Seen>, DecodeError> {
        let raw = envelope(answer);
        let found = split(
            &raw.body,
            raw.result.clone(),
            keys.iter().map(|key| (*key).to_owned()),
            &[SecretString::from("topsecret")],
        )?;
        Ok(found
            .into_iter()
            .map(|outcome| match outcome {
                Outcome::Done {
                    result,
                    time,
                    next,
                    total,
                } => Seen::Done {
                    result: serde_json::from_slice(&raw.body[result]).expect("the result's JSON"),
                    time,
                    next,
                    total,
                },
                Outcome::Failed(error) => Seen::Failed(error),
                Outcome::NotRun => Seen::NotRun,
                Outcome::Invalid(error) => Seen::Invalid(error),
            })
            .collect())
    }

    fn outcomes(answer: Value, keys: &[&str]) -> Vec<Seen> {
        split_text(&answer.to_string(), keys).expect("a batch answer")
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
            Seen::Done {
                result,
                time: Some(_),
                next: Some(1),
                total: Some(3),
            },
            Seen::Failed(error),
            Seen::Done {
                result: Value::Null,
                next: None,
                total: None,
                ..
            },
            Seen::NotRun,
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
                    Seen::Done {
                        result: Value::Bool(true),
                        time: Some(_),
                        ..
                    },
                    Seen::Done {
                        result: Value::Bool(false),
                        time: None,
                        ..
                    },
                    Seen::NotRun,
                ]
            ),
            "{found:?}"
        );
        for empty in [json!([]), json!({}), json!({"result": null})] {
            assert!(matches!(&outcomes(empty, &["c00"])[..], [Seen::NotRun]));
        }
    }

    #[test]
    fn results_are_the_exact_text_of_the_body_whatever_its_layout() {
        // Spaces, line breaks, an escaped key and a key that repeats (the
        // last one counts, as in a JSON object read into a map).
        let answer = "{ \"result\" : {\n \"c\\u0030\\u0030\" : [ 1 , \"\\u00e9\" ] ,\n \"c01\": 1, \"c01\": {\"a\" :2} },\n\"result_total\":{ \"c00\" : 2 } }";
        let raw = envelope(answer);
        let found = split(
            &raw.body,
            raw.result.clone(),
            ["c00".to_owned(), "c01".to_owned()],
            &[],
        )
        .unwrap();
        let [
            Outcome::Done {
                result: first,
                total: Some(2),
                ..
            },
            Outcome::Done { result: second, .. },
        ] = &found[..]
        else {
            panic!("{found:?}")
        };
        assert_eq!(&raw.body[first.clone()], "[ 1 , \"\\u00e9\" ]".as_bytes());
        assert_eq!(&raw.body[second.clone()], br#"{"a" :2}"#);
    }

    #[test]
    fn an_error_masks_secrets_and_wins_over_a_result() {
        let answer = json!({
            "result": {"c00": 1},
            "result_error": {"c00": {"error": "insufficient_scope", "error_description": "hook topsecret"}},
        });
        let [Seen::Failed(error)] = &outcomes(answer, &["c00"])[..] else {
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
            Seen::Invalid(next),
            Seen::Invalid(time),
            Seen::Invalid(error),
        ] = &found[..]
        else {
            panic!("{found:?}")
        };
        assert!(next.reason().contains("next of command c00"), "{next}");
        assert!(time.reason().contains("time of command c01"), "{time}");
        assert_eq!(error.excerpt(), r#""***""#);
        assert!(
            !next.reason().contains("column"),
            "no position within the part: {next}"
        );
    }

    #[test]
    fn a_result_that_is_not_a_batch_answer_is_a_decode_error() {
        for answer in [
            json!("x"),
            json!([1]),
            json!(null),
            json!({"result": 5}),
            json!({"result_time": "topsecret"}),
        ] {
            let error = split_text(&answer.to_string(), &["c00"]).unwrap_err();
            assert_eq!(error.status(), 200);
            assert!(!error.reason().is_empty());
            assert!(!error.excerpt().contains("topsecret"), "{error}");
        }
    }

    #[test]
    fn excerpts_resolve_escapes_before_masking() {
        let answer = r#"{"result":{"c00":1},"result_error":{"c00":"https:\/\/x\/\u0074opsecret"}}"#;
        let [Seen::Invalid(error)] = &split_text(answer, &["c00"]).unwrap()[..] else {
            panic!("not invalid")
        };
        assert_eq!(error.excerpt(), r#""https://x/***""#);
        assert_eq!(error.body_len(), r#""https:\/\/x\/\u0074opsecret""#.len());
    }
}
