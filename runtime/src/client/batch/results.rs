//! The answer to a batch: each command's outcome, decoded on demand into its
//! method's types.
//!
//! The answer's body is kept as received, and each command's result as the
//! byte range it lies in; [`BatchResults::get`], given a command's typed key,
//! decodes the result straight from those bytes with the method's own
//! decoding, so one answer can hold results of any methods and costs its body
//! and no more until they are read. Knows nothing about how the answer was
//! received.

use std::borrow::Cow;
use std::fmt;

use secrecy::SecretString;

use super::outcome::{Outcome, decode_error, split};
use super::{Batch, BatchKey, command_key};
use crate::client::envelope::{RawResult, ResultOf, decode_result, failure_path, warn_mismatches};
use crate::client::error::{DecodeError, Error};
use crate::client::redact::Masked;
use crate::client::response::Response;
use crate::wire::{Decoding, Mismatch};
use crate::{Method, MethodError, Time};

/// The answer to a [`Batch`]: one outcome per command, read with the
/// command's [`BatchKey`].
pub struct BatchResults {
    batch: u64,
    /// The body of the answer, which the commands' results point into.
    body: Vec<u8>,
    commands: Vec<(Cow<'static, str>, Outcome)>,
    time: Time,
    /// To mask secrets in errors made when a result is decoded.
    secrets: Vec<SecretString>,
    /// How the commands' results are decoded.
    decoding: Decoding,
}

/// Why a command of a batch gave no result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CommandError<E> {
    /// The portal answered the command with an error: one of the method's
    /// own, or a system error.
    ///
    /// Inside a batch, `insufficient_scope` comes with an empty description.
    #[error(transparent)]
    Method(E),
    /// The command did not run: an earlier command failed in a batch that
    /// halts on errors.
    #[error("the command did not run: an earlier command of the batch failed")]
    NotRun,
    /// The command's answer does not fit the method's types.
    #[error(transparent)]
    Decode(DecodeError),
    /// The key belongs to another batch than the one these results answer.
    #[error("the key belongs to another batch")]
    ForeignKey,
}

impl<E> CommandError<E> {
    /// The method's typed error, if the portal answered the command with one.
    pub fn method_error(&self) -> Option<&E> {
        match self {
            Self::Method(error) => Some(error),
            _ => None,
        }
    }

    /// The failure of a call of `method` this is, for commands sent on the
    /// caller's behalf (pages, bulk requests), which never halt and whose
    /// keys are their batch's: the last two variants mean an answer that
    /// does not match what was sent.
    pub(crate) fn into_call_error(self, method: &str) -> Error<E> {
        match self {
            Self::Method(error) => Error::Method(error),
            Self::Decode(error) => Error::Decode(error),
            Self::NotRun | Self::ForeignKey => Error::Decode(DecodeError::new(
                200,
                Masked::written(format!(
                    "the batch answer has no outcome of the {method} command"
                )),
                Masked::default(),
                0,
            )),
        }
    }
}

impl BatchResults {
    /// Splits the outer call's answer into the commands of `batch`.
    pub(super) fn decode(
        batch: &Batch,
        response: Response<RawResult>,
        secrets: &[SecretString],
        decoding: Decoding,
    ) -> Result<Self, DecodeError> {
        let keys = (0..batch.commands.len()).map(command_key);
        let RawResult { body, result } = response.result;
        let outcomes = split(&body, result, keys, secrets)?;
        Ok(Self {
            batch: batch.id,
            body,
            commands: batch
                .commands
                .iter()
                .map(|command| command.method.clone())
                .zip(outcomes)
                .collect(),
            time: response.time,
            secrets: secrets.to_vec(),
            decoding,
        })
    }

    /// The typed outcome of the command `key` was given for.
    ///
    /// A command without its own time (older servers send no `result_time`)
    /// gets the batch's.
    ///
    /// # Errors
    ///
    /// The method's typed error, [`CommandError::NotRun`] for a command
    /// skipped after a failure, [`CommandError::Decode`] for an answer that
    /// does not fit the method's result, and [`CommandError::ForeignKey`]
    /// for a key of another batch.
    pub fn get<M: Method>(
        &self,
        key: BatchKey<M>,
    ) -> Result<Response<M::Response>, CommandError<M::Error>> {
        match self.commands.get(key.index) {
            Some((method, _)) if key.batch == self.batch && method == M::NAME => {}
            _ => return Err(CommandError::ForeignKey),
        }
        let response = self.decode_at(
            key.index,
            |part| {
                decode_result::<ResultOf<M>>(part, self.decoding, &self.secrets)
                    .map(|(decoded, mismatches)| (decoded.0, mismatches))
            },
            M::Error::from_api,
        );
        if let Ok(response) = &response {
            warn_mismatches(M::NAME, &response.mismatches);
        }
        response
    }

    /// The outcome of the command at `index` with its result as JSON, for
    /// commands sent without a type ([`RawRequest`](crate::client::RawRequest)).
    pub(crate) fn raw(
        &self,
        index: usize,
    ) -> Result<Response<serde_json::Value>, CommandError<crate::error::ApiError>> {
        self.decode_at(
            index,
            |part| serde_json::from_slice(part).map(|value| (value, Vec::new())),
            |error| error,
        )
    }

    /// The outcome of the command at `index`, its result read by `decode`
    /// (a failure to read it named by its JSON path), its error by
    /// `from_api`.
    fn decode_at<T, E>(
        &self,
        index: usize,
        decode: impl FnOnce(&[u8]) -> Result<(T, Vec<Mismatch>), serde_json::Error>,
        from_api: impl FnOnce(crate::error::ApiError) -> E,
    ) -> Result<Response<T>, CommandError<E>> {
        let Some((method, outcome)) = self.commands.get(index) else {
            return Err(CommandError::ForeignKey);
        };
        match outcome {
            Outcome::Done {
                result,
                time,
                next,
                total,
            } => {
                let part = &self.body[result.clone()];
                match decode(part) {
                    Ok((result, mismatches)) => Ok(Response {
                        result,
                        time: time.as_ref().unwrap_or(&self.time).clone(),
                        next: *next,
                        total: *total,
                        mismatches,
                        replayed: false,
                        idempotency_key: None,
                    }),
                    Err(error) => Err(CommandError::Decode(decode_error(
                        format!(
                            "the result of command {} ({method}) does not fit: {}",
                            command_key(index),
                            failure_path(part, &error),
                        ),
                        part,
                        &self.secrets,
                    ))),
                }
            }
            Outcome::Failed(error) => Err(CommandError::Method(from_api(error.clone()))),
            Outcome::NotRun => Err(CommandError::NotRun),
            Outcome::Invalid(error) => Err(CommandError::Decode(error.clone())),
        }
    }

    /// The error the portal answered the command at `index` with, if any.
    pub(crate) fn failure(&self, index: usize) -> Option<&crate::error::ApiError> {
        match self.commands.get(index) {
            Some((_, Outcome::Failed(error))) => Some(error),
            _ => None,
        }
    }

    /// Whether the command at `index` succeeded.
    pub(crate) fn succeeded(&self, index: usize) -> bool {
        matches!(self.commands.get(index), Some((_, Outcome::Done { .. })))
    }

    /// Timing of the batch call itself.
    pub fn time(&self) -> &Time {
        &self.time
    }

    /// How many commands the batch held.
    pub fn len(&self) -> usize {
        self.commands.len()
    }

    /// Whether the batch held no command.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }

    /// The method and time of each command that reported its own time.
    pub(super) fn own_times(&self) -> impl Iterator<Item = (&str, &Time)> {
        self.commands
            .iter()
            .filter_map(|(method, outcome)| match outcome {
                Outcome::Done {
                    time: Some(time), ..
                } => Some((method.as_ref(), time)),
                _ => None,
            })
    }
}

/// Shows each command's outcome, a result as the byte range it lies in, and
/// not the body: it may be hundreds of megabytes.
impl fmt::Debug for BatchResults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchResults")
            .field("commands", &self.commands)
            .field("body_len", &self.body.len())
            .field("time", &self.time)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::client::envelope::{Answer, FromBody};
    use crate::error::SystemErrorCategory;
    use crate::testing::{Groups, Invite, Members, MembersError, UserId};

    fn time(start: u64) -> Value {
        json!({"start": start, "finish": start, "duration": 0, "processing": 0,
               "date_start": "2026-03-18T19:15:53+02:00", "date_finish": "2026-03-18T19:15:53+02:00"})
    }

    /// The answer to the batch call as the client reads it, from its body.
    fn answer(result: Value) -> Response<RawResult> {
        let body = json!({"result": result, "time": time(1)}).to_string();
        match RawResult::read(200, body.into_bytes(), &[], crate::Decoding::Strict) {
            Answer::Success(response) => response,
            _ => panic!("not a success"),
        }
    }

    struct Keys {
        batch: Batch,
        get: BatchKey<Members>,
        invite: BatchKey<Invite>,
        groups: BatchKey<Groups>,
    }

    fn keys() -> Keys {
        let mut batch = Batch::new();
        let get = batch.add(Members { group: 69 }).unwrap();
        let invite = batch
            .add(Invite {
                group: 69,
                message: None,
                users: 5.into(),
            })
            .unwrap();
        let groups = batch.add(Groups).unwrap();
        Keys {
            batch,
            get,
            invite,
            groups,
        }
    }

    fn decode(batch: &Batch, result: Value) -> BatchResults {
        BatchResults::decode(
            batch,
            answer(result),
            &[SecretString::from("topsecret")],
            Decoding::Tolerant,
        )
        .expect("a batch answer")
    }

    #[test]
    fn decodes_successes_with_their_own_envelopes() {
        let keys = keys();
        let results = decode(
            &keys.batch,
            json!({
                "result": {"c00": [{"USER_ID": "7", "ROLE": "A"}], "c01": [5], "c02": []},
                "result_error": [], "result_total": {"c02": 0}, "result_next": [],
                "result_time": {"c00": time(10), "c01": time(11)},
            }),
        );
        let members = results.get(keys.get).unwrap();
        assert_eq!(members.result[0].user_id, UserId::new(7));
        assert_eq!(members.time.start, 10.0);
        assert_eq!(results.get(keys.invite).unwrap().result, [UserId::new(5)]);
        let groups = results.get(keys.groups).unwrap();
        assert_eq!(groups.total, Some(0));
        assert_eq!(groups.time, *results.time(), "no own time: the batch's");
        let own: Vec<&str> = results.own_times().map(|(method, _)| method).collect();
        assert_eq!(own, ["sonet_group.user.get", "sonet_group.user.invite"]);
        assert_eq!(results.len(), 3);
    }

    #[test]
    fn a_result_that_does_not_fit_names_the_command_and_the_json_path() {
        let keys = keys();
        let results = decode(
            &keys.batch,
            json!({
                "result": {"c00": [{"USER_ID": "7"}, {"USER_ID": "seven"}]},
                "result_error": [], "result_total": [], "result_next": [], "result_time": [],
            }),
        );
        let Err(CommandError::Decode(error)) = results.get(keys.get) else {
            panic!("not a decode error")
        };
        assert!(
            error.reason().starts_with(
                "the result of command c00 (sonet_group.user.get) does not fit: [1].USER_ID: invalid value"
            ),
            "{}",
            error.reason()
        );
        assert!(!error.reason().contains(" at line "), "{}", error.reason());
    }

    #[test]
    fn types_each_failure_and_reports_skipped_commands() {
        let keys = keys();
        let results = decode(
            &keys.batch,
            json!({
                "result": [],
                "result_error": {
                    "c00": {"error": "", "error_description": "Socialnetwork group not found"},
                    "c01": {"error": "insufficient_scope", "error_description": ""},
                },
                "result_total": [], "result_next": [], "result_time": [],
            }),
        );
        assert_eq!(
            results.get(keys.get).unwrap_err(),
            CommandError::Method(MembersError::GroupNotFound)
        );
        let Err(CommandError::Method(MembersError::System(system))) = results.get(keys.invite)
        else {
            panic!("not a system error")
        };
        assert_eq!(system.category(), SystemErrorCategory::Scope);
        let not_run = results.get(keys.groups).unwrap_err();
        assert_eq!(not_run, CommandError::NotRun);
        assert!(not_run.method_error().is_none());
        assert!(not_run.to_string().contains("did not run"));
    }

    #[test]
    fn a_result_of_the_wrong_shape_is_a_decode_error_with_secrets_masked() {
        let keys = keys();
        let results = decode(&keys.batch, json!({"result": {"c00": "topsecret"}}));
        let Err(CommandError::Decode(error)) = results.get(keys.get) else {
            panic!("decoded")
        };
        assert!(
            error.reason().contains("c00 (sonet_group.user.get)"),
            "{error}"
        );
        assert_eq!(error.excerpt(), r#""***""#);
    }

    #[test]
    fn keys_of_another_batch_are_refused() {
        let keys = keys();
        let results = decode(&keys.batch, json!({"result": {"c00": []}}));
        let other = self::keys();
        assert_eq!(results.get(other.get), Err(CommandError::ForeignKey));
        let mut diverged = keys.batch.clone();
        let mut first = keys.batch;
        first.add(Groups).unwrap();
        let appended = diverged.add(Members { group: 1 }).unwrap();
        let results = decode(&first, json!({"result": {"c03": []}}));
        assert_eq!(results.get(appended), Err(CommandError::ForeignKey));
        assert!(format!("{results:?}").starts_with("BatchResults { commands: ["));
    }
}
