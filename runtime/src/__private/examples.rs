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
/// the same parameters: the same keys with the same values, numbers equal
/// by value (`2000` and `2000.0`, `5` and `"5"`). The keys of an object may come in
/// another order: a request type writes its fields in the table's order
/// and the server reads them by name. Where order matters, in a sort
/// order, the runtime's type is a list of pairs, tested to keep the
/// caller's order.
pub fn check_request_example<M: Method + DeserializeOwned>(params: &str) {
    let request: M = decode_with_path(params.as_bytes())
        .unwrap_or_else(|error| panic!("the example's parameters form a request: {error}"));
    let expected: Value = serde_json::from_str(params).expect("valid JSON");
    let encoded = request.to_json();
    if let Err(difference) = same_parameters(&encoded, &expected, &mut String::new()) {
        panic!(
            "the request encodes back to the example's parameters: {difference}\n  encoded: {encoded}\n  example: {expected}"
        );
    }
}

/// Where `encoded` and `expected` differ first, by JSON path: objects key
/// by key in any order, arrays item by item, numbers by value (also as the
/// string of their digits), everything else exactly.
fn same_parameters(encoded: &Value, expected: &Value, path: &mut String) -> Result<(), String> {
    let at = |path: &str| {
        if path.is_empty() {
            "the parameters".to_owned()
        } else {
            format!("`{path}`")
        }
    };
    match (encoded, expected) {
        (Value::Object(encoded), Value::Object(expected)) => {
            if let Some(key) = expected.keys().find(|key| !encoded.contains_key(*key)) {
                return Err(format!("{} lost `{key}`", at(path)));
            }
            if let Some(key) = encoded.keys().find(|key| !expected.contains_key(*key)) {
                return Err(format!("{} gained `{key}`", at(path)));
            }
            for (key, expected) in expected {
                let length = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                same_parameters(&encoded[key], expected, path)?;
                path.truncate(length);
            }
            Ok(())
        }
        (Value::Array(encoded), Value::Array(expected)) => {
            if encoded.len() != expected.len() {
                return Err(format!(
                    "{} has {} items instead of {}",
                    at(path),
                    encoded.len(),
                    expected.len()
                ));
            }
            for (index, (encoded, expected)) in encoded.iter().zip(expected).enumerate() {
                let length = path.len();
                path.push_str(&format!("[{index}]"));
                same_parameters(encoded, expected, path)?;
                path.truncate(length);
            }
            Ok(())
        }
        (Value::Number(encoded), Value::Number(expected)) if same_number(encoded, expected) => {
            Ok(())
        }
        // A number the documentation sends as its digits (`"54.71411"`):
        // the server casts either to the same number.
        (Value::Number(encoded), Value::String(digits))
            if digits
                .parse::<serde_json::Number>()
                .is_ok_and(|expected| same_number(encoded, &expected)) =>
        {
            Ok(())
        }
        (encoded, expected) if encoded == expected => Ok(()),
        (encoded, expected) => Err(format!("{} is {encoded} instead of {expected}", at(path))),
    }
}

/// Integers exactly; otherwise by their `f64` value: `2000` and `2000.0`
/// are one number to PHP.
fn same_number(encoded: &serde_json::Number, expected: &serde_json::Number) -> bool {
    match (encoded.as_i128(), expected.as_i128()) {
        (Some(encoded), Some(expected)) => encoded == expected,
        _ => encoded.as_f64() == expected.as_f64(),
    }
}

#[derive(Deserialize)]
#[serde(bound = "")]
struct Success<M: Method> {
    result: ResultOf<M>,
    // Some documented answers leave out `time` to show the result alone;
    // the client itself requires it of every answer.
    #[serde(default)]
    time: Option<Time>,
    #[serde(default)]
    next: Option<u64>,
    #[serde(default)]
    total: Option<u64>,
}

/// A documented success decodes: the result into the method's type (and
/// again after a round trip), and `time`, `next` and `total` where present.
pub fn check_answer_example<M>(body: &str)
where
    M: Method,
    M::Response: Serialize + PartialEq + Debug,
{
    let answer: Success<M> = decode_with_path(body.as_bytes())
        .unwrap_or_else(|error| panic!("the example's answer decodes: {error}"));
    // Encoded as the requests are and decoded from text as the answer was,
    // so the check adds no other encoder or decoder of the method's types.
    let encoded = serde_json::to_value(&answer.result.0).expect("the result encodes");
    let text = serde_json::to_vec(&encoded).expect("JSON encodes");
    let ResultOf(decoded_again) = decode_with_path::<ResultOf<M>>(&text)
        .unwrap_or_else(|error| panic!("the result decodes again: {error}"));
    assert_eq!(
        decoded_again, answer.result.0,
        "the result survives a round trip"
    );
    if let Some(time) = answer.time {
        assert!(
            time.finish >= time.start,
            "`time` finishes before it starts"
        );
    }
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

    fn difference(encoded: &str, expected: &str) -> Result<(), String> {
        same_parameters(
            &serde_json::from_str(encoded).unwrap(),
            &serde_json::from_str(expected).unwrap(),
            &mut String::new(),
        )
    }

    #[test]
    fn parameters_are_the_same_whatever_the_order_of_an_objects_keys() {
        assert_eq!(
            difference(r#"{"ID":5}"#, r#"{"ID":"5"}"#),
            Ok(()),
            "digits of the integer"
        );
        assert_eq!(
            difference(r#"{"gps":54.71411}"#, r#"{"gps":"54.71411"}"#),
            Ok(()),
            "digits of the number"
        );
        assert!(difference(r#"{"gps":54.71411}"#, r#"{"gps":"54.7141"}"#).is_err());
        assert!(difference(r#"{"gps":54.7}"#, r#"{"gps":" 54.7"}"#).is_err());
        assert_eq!(
            difference(
                r#"{"fields":{"productId":1,"price":2000.0},"id":[1,2]}"#,
                r#"{"id":[1,2],"fields":{"price":2000,"productId":1}}"#
            ),
            Ok(())
        );
    }

    #[test]
    fn a_different_value_lost_key_or_item_order_is_named_by_its_path() {
        assert_eq!(
            difference(r#"{"fields":{"ID":5}}"#, r#"{"fields":{"ID":"6"}}"#),
            Err(r#"`fields.ID` is 5 instead of "6""#.to_owned())
        );
        assert_eq!(
            difference(r#"{"fields":{"ID":"5"}}"#, r#"{"fields":{"ID":5}}"#),
            Err(r#"`fields.ID` is "5" instead of 5"#.to_owned()),
            "a string where the documentation sends a number is not the same"
        );
        assert_eq!(
            difference(r#"{"ID":5}"#, r#"{"ID":"5.5"}"#),
            Err(r#"`ID` is 5 instead of "5.5""#.to_owned())
        );
        assert_eq!(
            difference(r#"{"fields":{}}"#, r#"{"fields":{"NAME":"x"}}"#),
            Err("`fields` lost `NAME`".to_owned())
        );
        assert_eq!(
            difference(r#"{"id":1,"extra":true}"#, r#"{"id":1}"#),
            Err("the parameters gained `extra`".to_owned())
        );
        assert_eq!(
            difference(
                r#"{"order":[["ID","asc"],["NAME","desc"]]}"#,
                r#"{"order":[["NAME","desc"],["ID","asc"]]}"#
            ),
            Err(r#"`order[0][0]` is "ID" instead of "NAME""#.to_owned())
        );
        assert_eq!(
            difference(r#"{"id":1.5}"#, r#"{"id":1}"#),
            Err("`id` is 1.5 instead of 1".to_owned())
        );
        assert_eq!(
            difference(r#"{"id":9007199254740993}"#, r#"{"id":9007199254740992}"#),
            Err("`id` is 9007199254740993 instead of 9007199254740992".to_owned()),
            "integers are compared exactly, not as f64"
        );
    }

    #[test]
    fn a_documented_answer_without_time_is_checked_for_its_result() {
        check_answer_example::<Invite>(r#"{"result":["5"]}"#);
    }

    #[test]
    #[should_panic(expected = "`time` finishes before it starts")]
    fn a_documented_time_is_still_checked() {
        check_answer_example::<Invite>(
            r#"{"result":["5"],"time":{"start":2,"finish":1,"duration":1,"date_start":"2026-03-18T19:15:53+02:00","date_finish":"2026-03-18T19:15:54+02:00"}}"#,
        );
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
