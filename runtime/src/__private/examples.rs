//! Checks behind the tests generated from the schema's examples.
//!
//! Every generated method gets one test per documented example; the checks
//! are the same for every method, so they live here once, generic over
//! [`Method`]. They panic with a message on failure, as test helpers do.

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ApiError, SystemError};
use crate::{Method, MethodError, Time};

/// A documented success: the parameters form the request and encode back to
/// the same JSON, the result decodes and survives a round trip, and the
/// `time` object decodes.
pub fn check_success_example<M>(params: &str, body: &str)
where
    M: Method + DeserializeOwned,
    M::Response: Serialize + PartialEq + Debug,
{
    let request: M = serde_json::from_str(params).expect("the example's parameters form a request");
    let params: Value = serde_json::from_str(params).expect("valid JSON");
    assert_eq!(
        request.to_json(),
        params,
        "the request encodes back to the example's parameters"
    );

    let body: Value = serde_json::from_str(body).expect("valid JSON");
    let result: M::Response =
        serde_json::from_value(body["result"].clone()).expect("the example's result decodes");
    let encoded = serde_json::to_value(&result).expect("the result encodes");
    let decoded_again: M::Response =
        serde_json::from_value(encoded).expect("the result decodes again");
    assert_eq!(decoded_again, result, "the result survives a round trip");

    let time: Time =
        serde_json::from_value(body["time"].clone()).expect("the example's time decodes");
    assert!(time.finish >= time.start);
}

/// A documented error answer is recognised: it is one of the method's own
/// errors or an error any method can return, not the unknown fallback.
pub fn check_error_example<M: Method>(body: &str)
where
    M::Error: Debug,
{
    let error: ApiError = serde_json::from_str(body).expect("the example's error decodes");
    let own = M::Error::own(&error);
    let recognised = own.is_some() || SystemError::try_from(error.clone()).is_ok();
    assert!(
        recognised,
        "the documented error is recognised: {:?}",
        M::Error::from_api(error)
    );
}
