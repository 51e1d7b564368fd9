//! `batch`: up to 50 typed commands sent in one HTTP call, typed results back.
//!
//! [`Batch`] collects requests of any REST 2 method ([`Batchable`]) and
//! hands out a typed [`BatchKey`] for each; [`Client::call_batch`](crate::Client::call_batch)
//! sends them as one `batch` call through the normal client path, and
//! [`BatchResults::get`] decodes each command's answer into that method's
//! result or error type. Nothing here lists methods: a method added to the
//! schema works in a batch as it is.
//!
//! # Command keys and their order
//!
//! Commands are keyed `c00`, `c01`, … `c49`. The keys are not numbers, so the
//! server always answers with objects keyed by them (sequential numeric keys
//! would turn its sections into arrays). The server runs commands in the order
//! of the `cmd` object, so the body is written by hand in insertion order, and
//! the keys are zero-padded so that their sorted order is that order too:
//! anything that re-sorts the object (`serde_json`'s default map does) still
//! keeps the commands in order.
//!
//! # Memory
//!
//! The answer is read through the same execute path as any call, but its
//! `result` is not decoded there: the body is kept as received
//! ([`RawResult`]), the sections are read as borrowed raw JSON, and each
//! command keeps only the byte range of its result. A result is decoded when
//! [`BatchResults::get`] asks for it, from those bytes, so the answer costs
//! about its body until then, whatever its size.
//!
//! This module knows the request body and the shape of the answer; it does
//! not know HTTP, credentials or retries, which the client's execute path
//! handles for the outer call. It does not wait for an inner method's
//! operating-time budget: a command whose method is blocked fails with the
//! method's `System` error, and the budgets reported by commands are recorded
//! for later calls.

mod outcome;
mod reference;
mod results;

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;
use tokio::time::Instant;

use super::envelope::RawResult;
use super::error::Error;
use super::execute::execute;
use super::handle::Inner;
use super::limits;
use super::options::CallOptions;
use super::route::Route;
use crate::error::ApiError;
use crate::{Batchable, Method, RestVersion};

pub use reference::{Binding, Field, Fits, Param, Ref};
pub use results::{BatchResults, CommandError};

/// Gives every batch its own identity, so keys cannot be used across batches.
static NEXT_BATCH: AtomicU64 = AtomicU64::new(0);

/// Commands to send together in one `batch` call.
///
/// ```no_run
/// use bitrix24::{Batch, CommandError, SonetGroupUserGet, SonetGroupUserGetError, SonetGroupUserGroups};
///
/// # async fn example(client: bitrix24::Client) -> Result<(), Box<dyn std::error::Error>> {
/// let mut batch = Batch::new();
/// let members = batch.add(SonetGroupUserGet::new(69))?;
/// let groups = batch.add(SonetGroupUserGroups::new())?;
/// let results = client.call_batch(&batch).await?;
///
/// match results.get(members) {
///     Ok(response) => println!("{} members", response.result.len()),
///     Err(CommandError::Method(SonetGroupUserGetError::GroupNotFound)) => println!("no such group"),
///     Err(other) => println!("{other}"),
/// }
/// let groups = results.get(groups)?.result;
/// # Ok(()) }
/// ```
///
/// Only REST 2 methods ([`Batchable`]) go into a batch: REST 3.0's `batch`
/// has another form, so a REST 3.0 method in this one does not compile.
///
/// ```compile_fail,E0277
/// use bitrix24::{ApiError, Batch, Method, RestVersion};
///
/// #[derive(serde::Serialize)]
/// struct TaskAdd {
///     title: String,
/// }
///
/// impl Method for TaskAdd {
///     const NAME: &'static str = "tasks.task.add";
///     const SCOPES: &'static [&'static str] = &["task"];
///     const RETRY_SAFE: bool = false;
///     const PAGED: bool = false;
///     const REST_VERSION: RestVersion = RestVersion::V3;
///     const WRITES: bool = true;
///     type Response = serde_json::Value;
///     type Error = ApiError;
/// }
///
/// let mut batch = Batch::new();
/// batch.add(TaskAdd { title: "Report".into() }); // REST 3.0: not `Batchable`
/// ```
#[derive(Debug, Clone)]
#[must_use = "a batch does nothing until it is sent with `Client::call_batch`"]
pub struct Batch {
    id: u64,
    halt: bool,
    commands: Vec<Command>,
}

/// One encoded command.
#[derive(Debug, Clone)]
pub(crate) struct Command {
    method: Cow<'static, str>,
    /// `method?query`, as the server parses it.
    text: String,
    retry_safe: bool,
    /// The REST version of the method; a bulk run sends only REST 2's.
    version: RestVersion,
}

impl Command {
    /// The command that sends `query` to `M`.
    fn new<M: Batchable>(query: String) -> Self {
        Self::named(Cow::Borrowed(M::NAME), M::RETRY_SAFE, query)
    }

    /// The command that sends `query` to the REST 2 method called `method`.
    pub(crate) fn named(method: Cow<'static, str>, retry_safe: bool, query: String) -> Self {
        let text = if query.is_empty() {
            method.clone().into_owned()
        } else {
            format!("{method}?{query}")
        };
        Self {
            method,
            text,
            retry_safe,
            version: RestVersion::V2,
        }
    }

    /// The command of a method served by `version`, which a raw request
    /// says: one of REST 3.0 is refused rather than sent.
    pub(crate) fn on(self, version: RestVersion) -> Self {
        Self { version, ..self }
    }

    /// The command that sends `request`.
    pub(crate) fn of<M: Batchable>(request: &M) -> Self {
        Self::new::<M>(request.to_query())
    }

    pub(crate) fn method(&self) -> &str {
        &self.method
    }

    pub(crate) fn retry_safe(&self) -> bool {
        self.retry_safe
    }

    pub(crate) fn version(&self) -> RestVersion {
        self.version
    }
}

impl Batch {
    /// The most commands one batch may hold (`CRestUtil::BATCH_MAX_LENGTH`).
    pub const MAX_COMMANDS: usize = 50;

    /// An empty batch that runs every command whatever the others do.
    pub fn new() -> Self {
        Self {
            id: NEXT_BATCH.fetch_add(1, Ordering::Relaxed),
            halt: false,
            commands: Vec::new(),
        }
    }

    /// Whether the server stops at the first failing command (default `false`).
    ///
    /// The commands after it are then reported as [`CommandError::NotRun`].
    pub fn halt_on_error(mut self, halt: bool) -> Self {
        self.halt = halt;
        self
    }

    /// Adds a command; its result is read with the returned key.
    ///
    /// # Errors
    ///
    /// [`BatchFull`], holding the request, when the batch already has
    /// [`MAX_COMMANDS`](Self::MAX_COMMANDS) commands.
    pub fn add<M: Batchable>(&mut self, request: M) -> Result<BatchKey<M>, BatchFull<M>> {
        if self.commands.len() >= Self::MAX_COMMANDS {
            return Err(BatchFull { request });
        }
        Ok(self.push(request.to_query()))
    }

    /// Adds a command whose parameters named in `bindings` take values from
    /// the results of earlier commands of this batch, which the portal
    /// substitutes before it runs the command.
    ///
    /// ```no_run
    /// use bitrix24::sonet_group::GroupMember;
    /// use bitrix24::{AssignableRole, Batch, SonetGroupUserGet, SonetGroupUserUpdate};
    ///
    /// # async fn example(client: bitrix24::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let mut batch = Batch::new();
    /// let members = batch.add(SonetGroupUserGet::new(69))?;
    /// let first = members.result().at(0).field(GroupMember::USER_ID);
    /// // The request's own `USER_ID` (0) is replaced by the first member's.
    /// let promoted = batch.add_bound(
    ///     SonetGroupUserUpdate::new(69, 0, AssignableRole::Moderator),
    ///     [SonetGroupUserUpdate::PARAMS.user_id.to(first)],
    /// )?;
    /// let results = client.call_batch(&batch).await?;
    /// println!("{:?}", results.get(promoted)?.result);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`BindError`], holding the request, when the batch is full or a
    /// binding refers to another batch.
    pub fn add_bound<M: Batchable>(
        &mut self,
        request: M,
        bindings: impl IntoIterator<Item = Binding<M>>,
    ) -> Result<BatchKey<M>, BindError<M>> {
        let mut params = request.to_json();
        for binding in bindings {
            if binding.batch != self.id {
                return Err(BindError::ForeignReference(request));
            }
            if let Value::Object(params) = &mut params {
                params.insert(binding.wire.to_owned(), Value::String(binding.path));
            }
        }
        self.add_params(&params).ok_or(BindError::Full(request))
    }

    /// Adds a command of `M` whose parameters are already JSON, as
    /// [`Method::to_json`] gives them; `None` when the batch is full.
    pub(crate) fn add_params<M: Batchable>(&mut self, params: &Value) -> Option<BatchKey<M>> {
        (self.commands.len() < Self::MAX_COMMANDS)
            .then(|| self.push(crate::wire::to_php_query(params)))
    }

    /// Appends a command of `M` with its parameters as a PHP query; the
    /// caller has checked there is room.
    fn push<M: Batchable>(&mut self, query: String) -> BatchKey<M> {
        let key = BatchKey::at(self, self.commands.len());
        self.commands.push(Command::new::<M>(query));
        key
    }

    /// Appends an encoded command; `false` when the batch is full.
    pub(crate) fn push_command(&mut self, command: Command) -> bool {
        let room = self.commands.len() < Self::MAX_COMMANDS;
        if room {
            self.commands.push(command);
        }
        room
    }

    /// How many commands the batch holds.
    pub fn len(&self) -> usize {
        self.commands.len()
    }

    /// Whether the batch holds no command.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }

    /// Whether sending the batch twice is harmless: only if every command is.
    pub fn retry_safe(&self) -> bool {
        self.commands.iter().all(|command| command.retry_safe)
    }

    /// The JSON body: `{"halt":0,"cmd":{"c00":"method?query",…}}`, commands in
    /// the order they were added.
    fn body(&self) -> Vec<u8> {
        let commands: Vec<String> = self
            .commands
            .iter()
            .enumerate()
            .map(|(index, command)| {
                // `Value`'s `Display` writes the string as JSON, escapes included.
                format!(
                    "{}:{}",
                    Value::from(command_key(index)),
                    Value::from(command.text.as_str())
                )
            })
            .collect();
        format!(
            r#"{{"halt":{},"cmd":{{{}}}}}"#,
            u8::from(self.halt),
            commands.join(",")
        )
        .into_bytes()
    }
}

impl Default for Batch {
    fn default() -> Self {
        Self::new()
    }
}

/// The `cmd` key of the command at `index`.
pub(crate) fn command_key(index: usize) -> String {
    format!("c{index:02}")
}

/// The typed handle of one command in a [`Batch`], to read its result with
/// [`BatchResults::get`].
pub struct BatchKey<M> {
    batch: u64,
    index: usize,
    // `fn() -> M` keeps the key `Send`, `Sync` and `Copy` whatever `M` is.
    method: PhantomData<fn() -> M>,
}

impl<M> BatchKey<M> {
    /// The key of the command at `index` of `batch`.
    pub(crate) fn at(batch: &Batch, index: usize) -> Self {
        Self {
            batch: batch.id,
            index,
            method: PhantomData,
        }
    }
}

impl<M> Clone for BatchKey<M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M> Copy for BatchKey<M> {}

impl<M: Method> fmt::Debug for BatchKey<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchKey")
            .field("method", &M::NAME)
            .field("key", &command_key(self.index))
            .finish()
    }
}

/// A batch already holds [`Batch::MAX_COMMANDS`] commands; the request that
/// did not fit is handed back.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("a batch holds at most {} commands", Batch::MAX_COMMANDS)]
pub struct BatchFull<M> {
    request: M,
}

/// A request that [`Batch::add_bound`] did not add, handed back.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BindError<M> {
    /// The batch already holds [`Batch::MAX_COMMANDS`] commands.
    #[error("a batch holds at most {} commands", Batch::MAX_COMMANDS)]
    Full(M),
    /// A binding refers to a command of another batch.
    #[error("a reference points into another batch")]
    ForeignReference(M),
}

impl<M> BindError<M> {
    /// The request that was not added.
    pub fn into_request(self) -> M {
        match self {
            Self::Full(request) | Self::ForeignReference(request) => request,
        }
    }
}

impl<M> BatchFull<M> {
    /// The request that was not added, for the next batch.
    pub fn into_request(self) -> M {
        self.request
    }
}

/// Sends `batch` through the client's execute path and decodes the answer.
pub(crate) async fn send(
    inner: &Inner,
    batch: &Batch,
    options: CallOptions,
) -> Result<BatchResults, Error<ApiError>> {
    // The body is kept as received: the commands' results are decoded from
    // it one at a time, never all at once into `Value`s.
    let decoding = options.decoding.unwrap_or(inner.decoding);
    let route = Route::rest2("batch", batch.retry_safe());
    let response = execute::<RawResult, ApiError>(inner, route, batch.body(), options).await?;
    let results = BatchResults::decode(batch, response, &inner.auth.secrets(), decoding)
        .map_err(Error::Decode)?;
    let received = Instant::now();
    for (method, time) in results.own_times() {
        limits::record(inner, method, time, received);
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Groups, Invite, Members};

    fn body(batch: &Batch) -> String {
        String::from_utf8(batch.body()).expect("the body is UTF-8")
    }

    #[test]
    fn encodes_commands_as_method_and_php_query() {
        let mut batch = Batch::new();
        batch.add(Members { group: 69 }).unwrap();
        batch
            .add(Invite {
                group: 69,
                message: Some("Join \"us\"".to_owned()),
                users: [1271, 1272].into(),
            })
            .unwrap();
        batch.add(Groups).unwrap();
        assert_eq!(
            body(&batch),
            r#"{"halt":0,"cmd":{"c00":"sonet_group.user.get?ID=69","c01":"sonet_group.user.invite?GROUP_ID=69&MESSAGE=Join+%22us%22&USER_ID[0]=1271&USER_ID[1]=1272","c02":"sonet_group.user.groups"}}"#
        );
        let halting = batch.halt_on_error(true);
        assert!(body(&halting).starts_with(r#"{"halt":1,"cmd":{"c00":"#));
    }

    #[test]
    fn keeps_insertion_order_past_ten_commands_even_when_sorted() {
        let mut batch = Batch::new();
        for group in 0..12 {
            batch.add(Members { group: group + 1 }).unwrap();
        }
        let expected: Vec<String> = (1..=12)
            .map(|group| format!("sonet_group.user.get?ID={group}"))
            .collect();
        let parsed: Value = serde_json::from_slice(&batch.body()).unwrap();
        let sorted: Vec<&str> = parsed["cmd"]
            .as_object()
            .unwrap()
            .values()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(sorted, expected, "the parsed map, whatever its order rule");
        let text = body(&batch);
        let positions: Vec<usize> = expected
            .iter()
            .map(|command| text.find(&format!("\"{command}\"")).unwrap())
            .collect();
        assert!(positions.is_sorted(), "the body as sent: {text}");
        assert!(text.contains(r#""c09":"sonet_group.user.get?ID=10","c10":"#));
    }

    #[test]
    fn refuses_a_fifty_first_command_and_hands_it_back() {
        let mut batch = Batch::new();
        for group in 1..=50 {
            batch.add(Members { group }).unwrap();
        }
        assert_eq!(batch.len(), Batch::MAX_COMMANDS);
        let full = batch.add(Members { group: 51 }).unwrap_err();
        assert_eq!(full.to_string(), "a batch holds at most 50 commands");
        assert_eq!(full.into_request(), Members { group: 51 });
        assert_eq!(batch.len(), 50);
        assert!(body(&batch).ends_with(r#""c49":"sonet_group.user.get?ID=50"}}"#));
    }

    #[test]
    fn is_retry_safe_only_if_every_command_is() {
        let mut batch = Batch::new();
        assert!(batch.is_empty() && batch.retry_safe());
        batch.add(Members { group: 1 }).unwrap();
        assert!(batch.retry_safe());
        batch
            .add(Invite {
                group: 1,
                message: None,
                users: 2.into(),
            })
            .unwrap();
        assert!(!batch.retry_safe());
    }

    #[test]
    fn keys_show_method_and_command_key() {
        let mut batch = Batch::new();
        batch.add(Groups).unwrap();
        let key = batch.add(Members { group: 1 }).unwrap();
        assert_eq!(
            format!("{key:?}"),
            r#"BatchKey { method: "sonet_group.user.get", key: "c01" }"#
        );
    }
}
