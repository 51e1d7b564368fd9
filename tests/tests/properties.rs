//! Property tests of the client's answer decoding: whatever bytes a server
//! sends, and however a documented answer is mutated, `decode_answer` gives
//! a result or a typed error in bounded time, never a panic, and never
//! quotes more of the body than its excerpt allows.

use std::time::{Duration, Instant};

use bitrix24::error::EXCERPT_BYTES;
use bitrix24::{Error, SonetGroupGet, SonetGroupUserGet, decode_answer};
use bitrix24_tests::json::{pointers, replaced, values};
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

/// Keys of answers: the envelope's, the members', and others.
fn keys() -> BoxedStrategy<String> {
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
    ]
    .boxed()
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
    fn any_json_decodes_to_a_result_or_an_error(body in values(keys())) {
        prop_assert!(decode(200, body.to_string().as_bytes()) < Duration::from_secs(2));
    }

    #[test]
    fn a_documented_answer_with_one_value_replaced_or_cut_decodes_or_fails(
        pick in any::<prop::sample::Index>(),
        replacement in values(keys()),
        cut in any::<prop::sample::Index>(),
        cutting in any::<bool>(),
    ) {
        let answer: Value = serde_json::from_str(MEMBERS).unwrap();
        let pointer = pick.get(&pointers(&answer)).clone();
        let mut body = replaced(answer, &pointer, replacement).to_string().into_bytes();
        if cutting && !body.is_empty() {
            body.truncate(cut.index(body.len()));
        }
        prop_assert!(decode(200, &body) < Duration::from_secs(2));
    }
}

/// A `result` nested `depth` arrays deep.
fn nested(depth: usize) -> String {
    format!(r#"{{"result":{}{}}}"#, "[".repeat(depth), "]".repeat(depth))
}

proptest! {
    // Every depth takes the same path; a few dozen of them, plus the
    // extremes below, cover it at a fraction of the cost of 512.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn deeply_nested_answers_are_errors_not_stack_overflows(depth in 100usize..20_000) {
        prop_assert!(decode(200, nested(depth).as_bytes()) < Duration::from_secs(2));
    }
}

#[test]
fn the_nesting_limit_and_far_beyond_it_are_errors() {
    for depth in [127, 128, 129, 20_000, 200_000] {
        assert!(decode(200, nested(depth).as_bytes()) < Duration::from_secs(2));
        assert!(
            decode_answer::<SonetGroupUserGet>(200, nested(depth).as_bytes()).is_err(),
            "{depth}"
        );
    }
}
