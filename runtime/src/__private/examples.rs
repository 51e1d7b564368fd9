//! Checks behind the tests generated from the schema's examples.
//!
//! Every generated method gets one test per documented example; the checks
//! are the same for every method, so they live here once, generic over
//! [`Method`]. They panic with a message on failure, as test helpers do; a
//! decode failure names the JSON path it happened at.

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::envelope::{ResultOf, decode_with_path};
use crate::error::{ApiError, SystemError};
use crate::{Method, MethodError, Time};

/// Documented parameters form the request, and the request encodes back to
/// the same JSON, keys in the same order.
pub fn check_request_example<M: Method + DeserializeOwned>(params: &str) {
    let request: M = decode_with_path(params.as_bytes())
        .unwrap_or_else(|error| panic!("the example's parameters form a request: {error}"));
    let expected: Value = serde_json::from_str(params).expect("valid JSON");
    assert_eq!(
        serde_json::to_string(&request.to_json()).expect("a request encodes"),
        serde_json::to_string(&expected).expect("JSON encodes"),
        "the request encodes back to the example's parameters, in order"
    );
}

#[derive(Deserialize)]
#[serde(bound = "")]
struct Success<M: Method> {
    result: ResultOf<M>,
    time: Time,
    #[serde(default)]
    next: Option<u64>,
    #[serde(default)]
    total: Option<u64>,
}

/// A documented success decodes: the result into the method's type (and
/// again after a round trip), `time`, and `next` and `total` where present.
pub fn check_answer_example<M>(body: &str)
where
    M: Method,
    M::Response: Serialize + PartialEq + Debug,
{
    let answer: Success<M> = decode_with_path(body.as_bytes())
        .unwrap_or_else(|error| panic!("the example's answer decodes: {error}"));
    let encoded = serde_json::to_value(&answer.result.0).expect("the result encodes");
    let decoded_again = M::decode_result(encoded).expect("the result decodes again");
    assert_eq!(
        decoded_again, answer.result.0,
        "the result survives a round trip"
    );
    assert!(answer.time.finish >= answer.time.start);
    if let (Some(next), Some(total)) = (answer.next, answer.total) {
        assert!(
            next < total,
            "`next` ({next}) is an offset below `total` ({total})"
        );
    }
}

/// A documented error answer is recognised: it is one of the method's own
/// errors or an error any method can return, not the unknown fallback.
pub fn check_error_example<M: Method>(body: &str)
where
    M::Error: Debug,
{
    let error: ApiError = decode_with_path(body.as_bytes())
        .unwrap_or_else(|error| panic!("the example's error decodes: {error}"));
    let own = M::Error::own(&error);
    let recognised = own.is_some() || SystemError::try_from(error.clone()).is_ok();
    assert!(
        recognised,
        "the documented error is recognised: {:?}",
        M::Error::from_api(error)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Invite, Members};

    const TIME: &str = r#"{"start":1,"finish":2,"duration":1,"processing":0,"date_start":"2026-03-18T19:15:53+02:00","date_finish":"2026-03-18T19:15:54+02:00"}"#;

    fn answer(extra: &str) -> String {
        format!(r#"{{"result":["5"],"time":{TIME}{extra}}}"#)
    }

    #[test]
    fn a_documented_page_decodes_with_next_and_total() {
        check_answer_example::<Invite>(&answer(r#","next":50,"total":120"#));
        check_answer_example::<Invite>(&answer(r#","total":120"#));
    }

    #[test]
    #[should_panic(expected = "is an offset below `total`")]
    fn next_past_total_fails() {
        check_answer_example::<Invite>(&answer(r#","next":150,"total":120"#));
    }

    #[test]
    #[should_panic(expected = "next: invalid type: string")]
    fn a_next_that_is_not_a_number_fails_naming_it() {
        check_answer_example::<Invite>(&answer(r#","next":"50""#));
    }

    #[test]
    #[should_panic(expected = "result[0].USER_ID: invalid value")]
    fn a_result_that_does_not_fit_fails_naming_its_path() {
        check_answer_example::<Members>(&format!(
            r#"{{"result":[{{"USER_ID":"x"}}],"time":{TIME}}}"#
        ));
    }
}
