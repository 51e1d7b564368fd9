//! Reads a body as a Bitrix24 envelope: `{"result", "time", "next", "total"}`
//! on success, `{"error", "error_description"}` on failure.
//!
//! The body decides, not the HTTP status: statuses differ between server
//! versions, so an error body is an error whatever the status and a body with
//! `result` is a success. The result is decoded straight into the method's
//! type in one pass ([`FromBody`] for any type that decodes from JSON), or
//! left in the body undecoded, its place noted ([`RawResult`], for `batch`).
//! Knows nothing about HTTP, retries or secrets beyond masking the ones it is
//! given.

use std::fmt;
use std::ops::Range;

use secrecy::SecretString;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use super::error::{DecodeError, Error};
use super::redact::{excerpt, redact};
use super::response::Response;
use crate::error::{ApiError, ErrorField};
use crate::wire::{Decoding, Mismatch, decode_tolerantly, is_list, json_failure_path};
use crate::{Method, MethodError, Time};

/// A body, classified.
#[derive(Debug)]
pub(crate) enum Answer<T> {
    Success(Response<T>),
    Error(ApiError),
    Invalid(DecodeError),
    /// Empty, or JSON that stops before its end: the answer was cut off, so
    /// the server may well have run the method.
    Cut(DecodeError),
}

impl<T> Answer<T> {
    /// Converts the result of a success, keeping everything else.
    fn map<U>(self, convert: impl FnOnce(T) -> U) -> Answer<U> {
        match self {
            Self::Success(response) => Answer::Success(response.map(convert)),
            Self::Error(error) => Answer::Error(error),
            Self::Invalid(error) => Answer::Invalid(error),
            Self::Cut(error) => Answer::Cut(error),
        }
    }
}

/// What a call reads its answer into: `execute` hands each complete body to
/// [`read`](Self::read), which owns it from then on.
pub(crate) trait FromBody: Sized {
    /// Classifies `body`, received with HTTP `status`, reading a success's
    /// `result` as `Self` as `decoding` says.
    fn read(
        status: u16,
        body: Vec<u8>,
        secrets: &[SecretString],
        decoding: Decoding,
    ) -> Answer<Self>;
}

/// A type that decodes from JSON reads the `result` by decoding it, in the
/// same pass as the rest of the envelope; the body is dropped after it.
impl<T: DeserializeOwned> FromBody for T {
    fn read(
        status: u16,
        body: Vec<u8>,
        secrets: &[SecretString],
        decoding: Decoding,
    ) -> Answer<Self> {
        classify(status, &body, secrets, decoding)
    }
}

/// A `result` left undecoded: the body as received, and where the `result`
/// lies in it.
///
/// For answers whose parts are decoded later and one at a time (`batch`):
/// nothing is copied or decoded beyond the envelope, so holding the answer
/// costs the body and no more.
#[derive(Debug)]
pub(crate) struct RawResult {
    pub(crate) body: Vec<u8>,
    /// The byte range of the `result`'s JSON in `body`; valid UTF-8.
    pub(crate) result: Range<usize>,
}

impl FromBody for RawResult {
    fn read(status: u16, mut body: Vec<u8>, secrets: &[SecretString], _: Decoding) -> Answer<Self> {
        // A body read without a `Content-Length` grew by doubling; it is kept
        // for as long as the results are, so without the room left over.
        body.shrink_to_fit();
        // Any JSON fits a raw value: the parts are decoded later, each as its
        // command's decoding says.
        let answer = classify::<&RawValue>(status, &body, secrets, Decoding::Strict)
            .map(|raw| span(&body, raw));
        answer.map(|result| Self { body, result })
    }
}

/// Where `part`, borrowed from `body`, lies in it.
pub(crate) fn span(body: &[u8], part: &RawValue) -> Range<usize> {
    let text = part.get();
    let start = (text.as_ptr() as usize)
        .checked_sub(body.as_ptr() as usize)
        .filter(|start| start + text.len() <= body.len())
        .expect("the part is borrowed from the body");
    start..start + text.len()
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
struct Envelope<T> {
    #[serde(default = "Option::default", deserialize_with = "present")]
    result: Option<T>,
    #[serde(default)]
    time: Option<Time>,
    #[serde(default)]
    next: Option<u64>,
    #[serde(default)]
    total: Option<u64>,
    #[serde(default)]
    error: Option<ErrorField>,
    #[serde(default)]
    error_description: Option<String>,
}

/// `M`'s result, read as the method reads it ([`Method::decode_result`]).
pub(crate) struct ResultOf<M: Method>(pub(crate) M::Response);

impl<'de, M: Method> Deserialize<'de> for ResultOf<M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        M::decode_result(deserializer).map(Self)
    }
}

/// Decodes `body` as `T` strictly (PHP's empty values read as absent); a
/// failure names the JSON path it happened at
/// (`result.tasks[0].accomplicesData: invalid type ...`), read off where
/// the decode stopped ([`json_failure_path`]).
pub(crate) fn decode_with_path<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, String> {
    tolerate(body, || false, Decoding::Strict, &[])
        .map(|(decoded, _)| decoded)
        .map_err(|error| with_path(body, &error))
}

/// `error`, a failure to decode `body`, with its JSON path and position.
fn with_path(body: &[u8], error: &serde_json::Error) -> String {
    describe(&json_failure_path(body, error), error)
}

/// Describes why `part`, a part of a body, does not decode: `plain`, the
/// failure, with its JSON path inside `part`.
///
/// serde_json's line and column are left out: they count from the start of
/// the part, not of the body, and the path already says where.
pub(crate) fn failure_path(part: &[u8], plain: &serde_json::Error) -> String {
    describe(&json_failure_path(part, plain), &without_position(plain))
}

/// Decodes `part`, the JSON of a result (a whole answer's or a batch
/// command's), as `T`: tolerantly if the plain decode fails (see
/// [`tolerate`]), with the values that did not fit, their reasons masked of
/// `secrets`. The error is the plain decode's.
pub(crate) fn decode_result<'a, T: Deserialize<'a>>(
    part: &'a [u8],
    decoding: Decoding,
    secrets: &[SecretString],
) -> Result<(T, Vec<Mismatch>), serde_json::Error> {
    tolerate(
        part,
        || std::str::from_utf8(part).is_ok_and(is_list),
        decoding,
        secrets,
    )
}

/// Decodes `text` as `T`, and if that fails, again in tolerant mode, whose
/// result a strict `decoding` takes only without a mismatch (PHP's empty
/// values being none); the mismatches' paths start at the result inside
/// `text`, which `result_is_list` tells apart.
fn tolerate<'a, T: Deserialize<'a>>(
    text: &'a [u8],
    result_is_list: impl FnOnce() -> bool,
    decoding: Decoding,
    secrets: &[SecretString],
) -> Result<(T, Vec<Mismatch>), serde_json::Error> {
    let plain = match serde_json::from_slice(text) {
        Ok(decoded) => return Ok((decoded, Vec::new())),
        Err(plain) => plain,
    };
    // Strict too: PHP's empty values, which only the tolerant decode reads
    // as absent, are no mismatch.
    match decode_tolerantly("result", result_is_list(), || serde_json::from_slice(text)) {
        (Ok(decoded), mismatches) if decoding == Decoding::Tolerant || mismatches.is_empty() => {
            let masked = mismatches
                .into_iter()
                .map(|mismatch| mismatch.map_reason(|reason| redact(reason, secrets).into_string()))
                .collect();
            Ok((decoded, masked))
        }
        _ => Err(plain),
    }
}

/// The `result` of an envelope, undecoded, to find where mismatches are.
#[derive(Deserialize)]
struct ResultText<'a> {
    #[serde(borrow, default)]
    result: Option<&'a RawValue>,
}

/// Logs each mismatch of an answer to `method` as a warning, once per
/// method and path (list items counted as one) for the life of the process.
pub(crate) fn warn_mismatches(method: &str, mismatches: &[Mismatch]) {
    for mismatch in mismatches {
        if super::mismatch_log::first(method, mismatch.path()) {
            tracing::warn!(
                method,
                path = mismatch.path(),
                reason = mismatch.reason(),
                "a value of the answer does not fit its type; the field reads as absent and the value is kept in the object's custom fields"
            );
        }
    }
}

/// serde_json's message without the ` at line L column C` it adds to a
/// failure in text it read.
pub(crate) fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    if error.line() == 0 {
        return text;
    }
    let position = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&position) {
        Some(message) => message.to_owned(),
        None => text,
    }
}

/// A decode failure with its path, if it has one.
pub(crate) fn describe(path: &str, error: &dyn fmt::Display) -> String {
    if path.is_empty() || path == "." {
        error.to_string()
    } else {
        format!("{path}: {error}")
    }
}

/// Only the error fields, for an error body whose other fields do not fit `T`.
#[derive(Deserialize)]
struct ErrorOnly {
    error: ErrorField,
    #[serde(default)]
    error_description: Option<String>,
}

/// Decodes a present `result`, `null` included, as `T`; absence stays `None`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// Classifies a body received with HTTP `status`.
///
/// `T` may borrow from the body (`&RawValue`, for [`RawResult`]).
pub(crate) fn classify<'a, T: Deserialize<'a>>(
    status: u16,
    body: &'a [u8],
    secrets: &[SecretString],
    decoding: Decoding,
) -> Answer<T> {
    let decode_error = |reason: String| {
        DecodeError::new(
            status,
            redact(&reason, secrets),
            excerpt(body, secrets),
            body.len(),
        )
    };
    let invalid = |reason: String| Answer::Invalid(decode_error(reason));
    let result_is_list = || {
        serde_json::from_slice::<ResultText<'_>>(body)
            .ok()
            .and_then(|text| text.result)
            .is_some_and(|raw| is_list(raw.get()))
    };
    let decoded = tolerate::<Envelope<T>>(body, result_is_list, decoding, secrets)
        .map_err(|plain| with_path(body, &plain));
    match decoded {
        Ok((
            Envelope {
                error: Some(error),
                error_description,
                ..
            },
            _,
        )) => api_error(error, error_description, secrets),
        Ok((
            Envelope {
                result: Some(result),
                time: Some(time),
                next,
                total,
                ..
            },
            mismatches,
        )) => Answer::Success(Response {
            result,
            time,
            next,
            total,
            mismatches,
            // Set by `execute`, which knows the request and its headers.
            replayed: false,
            idempotency_key: None,
        }),
        Ok((
            Envelope {
                result: Some(_), ..
            },
            _,
        )) => invalid("a result without the `time` object".to_owned()),
        Ok(_) => invalid("neither `result` nor `error`".to_owned()),
        Err(error) => match serde_json::from_slice::<ErrorOnly>(body) {
            Ok(only) => api_error(only.error, only.error_description, secrets),
            Err(_) if body.is_empty() => Answer::Cut(decode_error("the body is empty".to_owned())),
            Err(_) if stops_early(body) => Answer::Cut(decode_error(error)),
            Err(_) => invalid(error),
        },
    }
}

/// An error answer with secrets masked: a server may echo the request in its description.
fn api_error<T>(
    error: ErrorField,
    error_description: Option<String>,
    secrets: &[SecretString],
) -> Answer<T> {
    let error = error.into_api_error(error_description);
    Answer::Error(ApiError::from_server(error, secrets))
}

/// Decodes a complete answer to `M` as the client does: a success, the
/// method's typed error, or a decode error.
///
/// The client calls this for every answer; it is public for decoding answers
/// that arrived some other way, such as recorded fixtures.
///
/// ```
/// use bitrix24::{SonetGroupUserGet, SonetGroupUserGetError, decode_answer};
///
/// let body = br#"{"error":"","error_description":"Socialnetwork group not found"}"#;
/// let error = decode_answer::<SonetGroupUserGet>(400, body).unwrap_err();
/// assert!(matches!(error.method_error(), Some(SonetGroupUserGetError::GroupNotFound)));
/// ```
pub fn decode_answer<M: Method>(
    status: u16,
    body: &[u8],
) -> Result<Response<M::Response>, Error<M::Error>> {
    match classify::<ResultOf<M>>(status, body, &[], Decoding::Tolerant) {
        Answer::Success(response) => {
            warn_mismatches(M::NAME, &response.mismatches);
            Ok(response.map(|result| result.0))
        }
        Answer::Error(error) => Err(Error::Method(M::Error::from_api(error))),
        Answer::Invalid(error) | Answer::Cut(error) => Err(Error::Decode(error)),
    }
}

/// Whether the body is JSON that ends before it is complete, whatever the
/// types inside it: the parser runs out of input, or fails on the very last
/// byte (a number cut after its `e` is "invalid", not "EOF", to serde_json).
fn stops_early(body: &[u8]) -> bool {
    let Err(error) = serde_json::from_slice::<serde::de::IgnoredAny>(body) else {
        return false;
    };
    let lines = body.split(|byte| *byte == b'\n');
    let last_line_len = lines.clone().next_back().map_or(0, <[u8]>::len);
    let at_end = error.line() == lines.count() && error.column() >= last_line_len;
    error.classify() == serde_json::error::Category::Eof || at_end
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    const TIME: &str = r#"{"start":1773850553,"finish":1773850553.261059,"duration":0.26,"processing":0,"date_start":"2026-03-18T19:15:53+02:00","date_finish":"2026-03-18T19:15:53+02:00"}"#;

    fn classify_value(status: u16, body: &str) -> Answer<Value> {
        classify(
            status,
            body.as_bytes(),
            &[SecretString::from("topsecret")],
            Decoding::Tolerant,
        )
    }

    #[test]
    fn an_error_body_is_an_error_whatever_the_status() {
        for status in [200, 400, 401, 503] {
            let answer = classify_value(
                status,
                r#"{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}"#,
            );
            assert!(
                matches!(answer, Answer::Error(error) if error.code() == "QUERY_LIMIT_EXCEEDED")
            );
        }
    }

    #[test]
    fn numeric_codes_and_rest_3_error_objects_are_errors_with_secrets_masked() {
        let answer = classify_value(
            400,
            r#"{"error":422,"error_description":"Invalid date period"}"#,
        );
        assert!(matches!(answer, Answer::Error(error) if error.code() == "422"));
        let answer = classify_value(
            400,
            r#"{"error":{"code":"topsecret","message":"token topsecret is invalid","validation":[]}}"#,
        );
        let Answer::Error(error) = answer else {
            panic!("not an error")
        };
        assert_eq!(error.to_string(), "***: token *** is invalid");
    }

    #[test]
    fn rest_3_validation_entries_are_kept_with_secrets_masked() {
        let answer = classify_value(
            400,
            r#"{"error":{"code":"BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION","message":"Error validating request object","validation":[{"message":"Required field `id` is not specified","field":"id"},{"field":"topsecret.x","message":"auth=top\u0073ecret is wrong"}]}}"#,
        );
        let Answer::Error(error) = answer else {
            panic!("not an error")
        };
        let entries: Vec<(&str, &str)> = error
            .validation()
            .iter()
            .map(|entry| (entry.field(), entry.message()))
            .collect();
        assert_eq!(
            entries,
            [
                ("id", "Required field `id` is not specified"),
                ("***.x", "auth=*** is wrong")
            ]
        );
        assert!(!format!("{error:?} {error}").contains("topsecret"));
    }

    #[test]
    fn a_result_is_a_success_whatever_the_status() {
        let body = format!(r#"{{"result":null,"time":{TIME},"total":3,"next":2,"extra":1}}"#);
        let Answer::Success(response) = classify_value(500, &body) else {
            panic!("not a success")
        };
        assert_eq!(response.result, Value::Null);
        assert_eq!((response.next, response.total), (Some(2), Some(3)));
    }

    #[test]
    fn an_error_with_an_unfitting_result_is_still_an_error() {
        let answer: Answer<Vec<u64>> = classify(
            400,
            br#"{"result":"x","error":"ERROR_CORE","error_description":"d"}"#,
            &[],
            Decoding::Tolerant,
        );
        assert!(matches!(answer, Answer::Error(_)));
    }

    #[test]
    fn a_result_that_does_not_fit_names_the_json_path() {
        #[derive(Debug, Deserialize)]
        struct Task {
            #[allow(dead_code)]
            #[serde(rename = "accomplicesData")]
            accomplices: std::collections::BTreeMap<String, String>,
        }
        #[derive(Debug, Deserialize)]
        struct Tasks {
            #[allow(dead_code)]
            tasks: Vec<Task>,
        }
        let body = format!(
            r#"{{"result":{{"tasks":[{{"accomplicesData":{{}}}},{{"accomplicesData":7}}]}},"time":{TIME}}}"#
        );
        let Answer::Invalid(error) = classify::<Tasks>(200, body.as_bytes(), &[], Decoding::Strict)
        else {
            panic!("not invalid")
        };
        assert!(
            error
                .reason()
                .starts_with("result.tasks[1].accomplicesData: invalid type: integer `7`"),
            "{}",
            error.reason()
        );
    }

    #[test]
    fn html_and_non_envelope_bodies_are_invalid() {
        for body in ["<html><body>502 Bad Gateway</body></html>", "{}", "[1,2]"] {
            let Answer::Invalid(error) = classify_value(502, body) else {
                panic!("not invalid: {body:?}")
            };
            assert_eq!(error.status(), 502);
            assert!(!error.reason().is_empty());
        }
    }

    #[test]
    fn empty_and_truncated_bodies_were_cut_off() {
        for body in [
            "",
            r#"{"result":[1,2"#,
            r#"{"result":{"ID":"1"#,
            r#"{"result":1,"time":{"a":8.1e"#,
        ] {
            let Answer::Cut(error) = classify_value(200, body) else {
                panic!("not cut: {body:?}")
            };
            assert_eq!(error.status(), 200);
            assert!(!error.reason().is_empty());
        }
    }

    #[test]
    fn excerpts_mask_secrets() {
        let Answer::Invalid(error) = classify_value(200, "<p>token topsecret</p>") else {
            panic!("accepted")
        };
        assert_eq!(error.excerpt(), "<p>token ***</p>");
    }
}
