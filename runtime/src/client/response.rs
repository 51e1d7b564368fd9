//! A successful answer: the decoded result with the envelope around it.
//!
//! Knows nothing about how the answer was received.

use crate::Time;
use crate::wire::Mismatch;

/// A successful answer to a call.
///
/// `next` and `total` are present only for paged methods (`Method::PAGED`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Response<T> {
    /// The decoded `result`.
    pub result: T,
    /// Timing of the call, including the method's operating-time budget.
    pub time: Time,
    /// The `start` offset of the next page, when there is one.
    pub next: Option<u64>,
    /// How many items the list holds in all, when the method counts them.
    pub total: Option<u64>,
    /// The values that did not fit their types and were kept aside (see
    /// [`Decoding`](crate::Decoding)); empty when the answer fit.
    pub mismatches: Vec<Mismatch>,
    /// Whether the server answered a REST 3.0 write with the answer it
    /// stored for an earlier call with the same `Idempotency-Key`
    /// (`Idempotent-Replayed: true`) instead of running it again.
    pub replayed: bool,
    /// The `Idempotency-Key` the call was sent with: a REST 3.0 write's;
    /// `None` for every other call.
    pub idempotency_key: Option<String>,
}

impl<T> Response<T> {
    /// An answer with `result` and `time`, for tests and examples; `next`,
    /// `total` and the key are `None`, nothing is replayed (every field is
    /// public).
    ///
    /// ```
    /// use bitrix24::sonet_group::GroupMember;
    /// use bitrix24::{MemberRole, Response, Time, chrono};
    ///
    /// let at = chrono::DateTime::parse_from_rfc3339("2026-03-18T19:15:53+02:00").unwrap();
    /// let mut page = Response::new(vec![GroupMember::new(1, MemberRole::Owner)], Time::new(at, at));
    /// page.total = Some(1);
    /// assert_eq!(page.result[0].role, MemberRole::Owner);
    /// ```
    pub fn new(result: T, time: Time) -> Self {
        Self {
            result,
            time,
            next: None,
            total: None,
            mismatches: Vec::new(),
            replayed: false,
            idempotency_key: None,
        }
    }

    /// The decoded result, dropping the envelope.
    pub fn into_result(self) -> T {
        self.result
    }

    /// The decoded result.
    pub fn result(&self) -> &T {
        &self.result
    }

    /// Timing of the call.
    pub fn time(&self) -> &Time {
        &self.time
    }

    /// The `start` offset of the next page, when there is one.
    pub fn next(&self) -> Option<u64> {
        self.next
    }

    /// How many items the list holds in all, when the method counts them.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// The values of the answer that did not fit their types: each field
    /// reads as absent, and its value is kept in the custom fields of the
    /// object that holds it. Empty when the whole answer fit (and always
    /// with [`Decoding::Strict`](crate::Decoding::Strict), which fails the
    /// call instead).
    pub fn mismatches(&self) -> &[Mismatch] {
        &self.mismatches
    }

    /// Whether the server gave the stored answer of an earlier call with the
    /// same `Idempotency-Key` rather than running the method again.
    pub fn replayed(&self) -> bool {
        self.replayed
    }

    /// The `Idempotency-Key` the call was sent with, for a REST 3.0 write.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }

    /// Converts the result, keeping the envelope.
    pub fn map<U>(self, convert: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            result: convert(self.result),
            time: self.time,
            next: self.next,
            total: self.total,
            mismatches: self.mismatches,
            replayed: self.replayed,
            idempotency_key: self.idempotency_key,
        }
    }
}
