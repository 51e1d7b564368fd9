//! Property tests of the client's answer decoding: whatever bytes a server
//! sends, and however a documented answer is mutated, `decode_answer` gives
//! a result or a typed error in bounded time, never a panic, and never
//! quotes more of the body than its excerpt allows.

use std::time::{Duration, Instant};

use bitrix24::error::EXCERPT_BYTES;
use bitrix24::{Error, SonetGroupGet, SonetGroupUserGet, decode_answer};
use proptest::prelude::*;
use serde_json::Value;

const MEMBERS: &str = r#"{"result":[{"USER_ID":"1269","ROLE":"A"},{"USER_ID":"1271","ROLE":"E"}],"total":2,"next":50,"time":{"start":1773850553,"finish":1773850553.261059,"duration":0.261059045791626,"processing":0,"date_start":"2026-03-18T19:15:53+02:00","date_finish":"2026-03-18T19:15:53+02:00","operating_reset_at":1773851153,"operating":0}}"#;

/// Decodes `body` as two methods' answers; a decode error's excerpt is
/// bounded.
fn decode(status: u16, body: &[u8]) -> Duration {
    let started = Instant::now();
    if let Err(Error::Decode(error)) = decode_answer::<SonetGroupUserGet>(status, body) {
        assert!(
            error.excerpt().len() <= EXCERPT_BYTES * 4 + 8,
            "{}",
            error.excerpt().len()
        );
    }
    let _ = decode_answer::<SonetGroupGet>(status, body);
    started.elapsed()
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(
            |number| serde_json::Number::from_f64(number).map_or(Value::Null, Value::Number)
        ),
        "[A-Z0-9a-z_ :+.-]{0,24}".prop_map(Value::String),
        Just(Value::String("NaN".to_owned())),
        Just(Value::String("1e400".to_owned())),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("result".to_owned()),
                    Just("time".to_owned()),
                    Just("error".to_owned()),
                    Just("error_description".to_owned()),
                    Just("next".to_owned()),
                    Just("total".to_owned()),
                    Just("USER_ID".to_owned()),
                    Just("ROLE".to_owned()),
                    "[a-z_]{1,8}",
                ],
                inner,
                0..6,
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Every JSON pointer into `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => map
            .iter()
            .for_each(|(key, item)| pointers(item, format!("{at}/{key}"), out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(index, item)| pointers(item, format!("{at}/{index}"), out)),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_bytes_decode_to_a_result_or_an_error(
        status in prop_oneof![Just(200u16), Just(400u16), Just(401u16), Just(503u16), any::<u16>()],
        body in prop::collection::vec(any::<u8>(), 0..600),
    ) {
        prop_assert!(decode(status, &body) < Duration::from_secs(2));
    }

    #[test]
    fn any_json_decodes_to_a_result_or_an_error(body in json()) {
        prop_assert!(decode(200, body.to_string().as_bytes()) < Duration::from_secs(2));
    }

    #[test]
    fn a_documented_answer_with_one_value_replaced_or_cut_decodes_or_fails(
        pick in any::<prop::sample::Index>(),
        replacement in json(),
        cut in any::<prop::sample::Index>(),
        cutting in any::<bool>(),
    ) {
        let mut answer: Value = serde_json::from_str(MEMBERS).unwrap();
        let mut all = Vec::new();
        pointers(&answer, String::new(), &mut all);
        let pointer = pick.get(&all).clone();
        match answer.pointer_mut(&pointer) {
            Some(slot) if !pointer.is_empty() => *slot = replacement,
            _ => answer = replacement,
        }
        let mut body = answer.to_string().into_bytes();
        if cutting && !body.is_empty() {
            body.truncate(cut.index(body.len()));
        }
        prop_assert!(decode(200, &body) < Duration::from_secs(2));
    }

    #[test]
    fn deeply_nested_answers_are_errors_not_stack_overflows(depth in 100usize..20_000) {
        let body = format!(r#"{{"result":{}{}}}"#, "[".repeat(depth), "]".repeat(depth));
        prop_assert!(decode(200, body.as_bytes()) < Duration::from_secs(2));
    }
}
