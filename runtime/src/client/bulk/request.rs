//! What [`Client::bulk`](crate::Client::bulk) can send: any request, or an
//! enum of several, through [`BulkRequest`].
//!
//! Every REST 2 method ([`Batchable`]) is a [`BulkRequest`] whose outcome is
//! what a call of it gives; REST 3.0 methods are not, as a `batch` cannot
//! carry them. Mixing methods takes an enum of the requests and an impl that
//! forwards to them:
//!
//! ```
//! use bitrix24::{BulkAnswer, BulkCommand, BulkRequest, Error, Response};
//! use bitrix24::{SonetGroupUserAdd, SonetGroupUserAddError, SonetGroupUserDelete, SonetGroupUserDeleteError};
//! use bitrix24::types::UserId;
//!
//! enum Change {
//!     Add(SonetGroupUserAdd),
//!     Remove(SonetGroupUserDelete),
//! }
//!
//! enum Changed {
//!     Added(Result<Response<Vec<UserId>>, Error<SonetGroupUserAddError>>),
//!     Removed(Result<Response<Vec<UserId>>, Error<SonetGroupUserDeleteError>>),
//! }
//!
//! impl BulkRequest for Change {
//!     type Output = Changed;
//!
//!     fn command(&self) -> BulkCommand {
//!         match self {
//!             Change::Add(request) => BulkCommand::of(request),
//!             Change::Remove(request) => BulkCommand::of(request),
//!         }
//!     }
//!
//!     fn read(&self, answer: BulkAnswer<'_>) -> Changed {
//!         match self {
//!             Change::Add(_) => Changed::Added(answer.decode::<SonetGroupUserAdd>()),
//!             Change::Remove(_) => Changed::Removed(answer.decode::<SonetGroupUserDelete>()),
//!         }
//!     }
//! }
//! ```
//!
//! Knows how one command is encoded and its answer read, not how batches are
//! sent.

use std::fmt;

use super::super::batch::{Batch, BatchKey, BatchResults, Command};
use super::super::error::Error;
use super::super::response::Response;
use crate::error::ApiError;
use crate::{Batchable, Method, MethodError};

/// A request [`Client::bulk`](crate::Client::bulk) can send.
pub trait BulkRequest: Send + 'static {
    /// What one request gives: for a [`Method`], the result or error of a
    /// call of it.
    type Output: Send + 'static;

    /// The command that sends the request.
    fn command(&self) -> BulkCommand;

    /// Reads the request's answer.
    fn read(&self, answer: BulkAnswer<'_>) -> Self::Output;
}

impl<M> BulkRequest for M
where
    M: Batchable + Send + 'static,
    M::Response: Send + 'static,
{
    type Output = Result<Response<M::Response>, Error<M::Error>>;

    fn command(&self) -> BulkCommand {
        BulkCommand::of(self)
    }

    fn read(&self, answer: BulkAnswer<'_>) -> Self::Output {
        answer.decode::<M>()
    }
}

/// One request, encoded as a command of a `batch`.
#[derive(Clone)]
pub struct BulkCommand(pub(crate) Command);

impl BulkCommand {
    /// The command that sends `request`.
    pub fn of<M: Batchable>(request: &M) -> Self {
        Self(Command::of(request))
    }
}

impl fmt::Debug for BulkCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BulkCommand")
            .field("method", &self.0.method())
            .field("retry_safe", &self.0.retry_safe())
            .finish_non_exhaustive()
    }
}

/// The answer to one request of a bulk run, to read with
/// [`decode`](Self::decode).
#[derive(Debug)]
pub struct BulkAnswer<'a>(Answer<'a>);

#[derive(Debug)]
enum Answer<'a> {
    /// The command's own part of a batch answer.
    Command {
        batch: &'a Batch,
        results: &'a BatchResults,
        position: usize,
    },
    /// The batch that held the command failed as a whole.
    Failed(&'a Error<ApiError>),
}

impl<'a> BulkAnswer<'a> {
    pub(super) fn command(batch: &'a Batch, results: &'a BatchResults, position: usize) -> Self {
        Self(Answer::Command {
            batch,
            results,
            position,
        })
    }

    pub(super) fn failed(error: &'a Error<ApiError>) -> Self {
        Self(Answer::Failed(error))
    }

    /// Whether the request succeeded.
    pub fn is_success(&self) -> bool {
        match &self.0 {
            Answer::Command {
                results, position, ..
            } => results.succeeded(*position),
            Answer::Failed(_) => false,
        }
    }

    /// The request's outcome, typed by its method: what a call of it gives.
    ///
    /// An answer read as another method than the request's is a
    /// [`Error::Decode`].
    pub fn decode<M: Method>(self) -> Result<Response<M::Response>, Error<M::Error>> {
        match self.0 {
            Answer::Command {
                batch,
                results,
                position,
            } => results
                .get(BatchKey::<M>::at(batch, position))
                .map_err(|error| error.into_call_error(M::NAME)),
            Answer::Failed(error) => Err(error.clone().map_method(M::Error::from_api)),
        }
    }

    /// The outcome of a request sent without a type, its result as JSON.
    pub(crate) fn raw(self, method: &str) -> Result<Response<serde_json::Value>, Error<ApiError>> {
        match self.0 {
            Answer::Command {
                results, position, ..
            } => results
                .raw(position)
                .map_err(|error| error.into_call_error(method)),
            Answer::Failed(error) => Err(error.clone()),
        }
    }
}
