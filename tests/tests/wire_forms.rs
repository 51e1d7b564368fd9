//! Every wire form of format 2, decoded from real documented answers: the
//! `fixture.wire_forms` schema copies each value from a page of the official
//! documentation (named in its examples), and this test reads those
//! answers through the generated types and checks what they decode to.
//! The generated example tests check that the answers decode; this checks
//! the values.

use std::path::Path;

use bitrix24_fixtures::fixture::{FixtureDiscountType, FixtureTaskPriority, FixtureWireValues};
use bitrix24_fixtures::{FixtureWireForms, decode_answer};
use chrono::{Datelike, Timelike};

/// Every documented answer in the fixture, in file order: its `result` as
/// the page writes it, and as decoded.
fn documented() -> Vec<(serde_json::Value, FixtureWireValues)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../codegen/tests/fixtures/fixture.wire_forms.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("the fixture")).expect("JSON");
    schema["method"]["examples"]
        .as_array()
        .expect("examples")
        .iter()
        .map(|example| {
            let body = serde_json::to_vec(&example["body"]).expect("a body");
            let decoded = decode_answer::<FixtureWireForms>(200, &body)
                .unwrap_or_else(|error| panic!("{}: {error}", example["description"]))
                .result;
            (example["body"]["result"].clone(), decoded)
        })
        .collect()
}

/// The decoded results alone.
fn documented_answers() -> Vec<FixtureWireValues> {
    documented()
        .into_iter()
        .map(|(_, decoded)| decoded)
        .collect()
}

/// The first answer that has the field `pick` reads.
fn find<T>(answers: &[FixtureWireValues], pick: impl Fn(&FixtureWireValues) -> Option<T>) -> T {
    answers
        .iter()
        .find_map(pick)
        .expect("some answer has the field")
}

#[test]
fn flags_in_every_form_decode_to_bool() {
    let answers = documented_answers();
    assert!(find(&answers, |a| a.active)); // true
    assert!(find(&answers, |a| a.is_online)); // "Y"
    assert!(!find(&answers, |a| a.deleted)); // "0"
    assert!(find(&answers, |a| a.call_status)); // 1
}

#[test]
fn dates_times_and_timestamps_decode_in_each_form() {
    let answers = documented_answers();
    let local = find(&answers, |a| a.last_activity_date); // "2024-07-23 08:08:50"
    assert_eq!((local.year(), local.hour(), local.second()), (2024, 8, 50));
    let login = find(&answers, |a| a.last_login); // with offset
    assert_eq!(login.to_rfc3339(), "2024-07-23T08:07:26+00:00");
    let date = find(&answers, |a| a.date_reserve_end);
    assert_eq!(date.to_string(), "2024-12-26");
    let from_string = find(&answers, |a| a.date_from_ts_utc); // "1733932740"
    assert_eq!(from_string.timestamp(), 1_733_932_740);
    let from_number = find(&answers, |a| a.date_create); // 1774078200
    assert_eq!(from_number.timestamp(), 1_774_078_200);
}

#[test]
fn empty_strings_are_absent_values() {
    let mut checked = 0;
    for (raw, decoded) in documented() {
        let pairs = [
            ("PERSONAL_BIRTHDAY", decoded.personal_birthday.is_none()),
            ("DELETED_AT", decoded.deleted_at.is_none()),
            ("recurringId", decoded.recurring_id.is_none()),
            ("lockedBy", decoded.locked_by.is_none()),
            ("mark", decoded.mark.is_none()),
        ];
        for (key, absent) in pairs {
            if raw.get(key).is_some() {
                assert_eq!(raw[key], "", "{key} is an empty string on its page");
                assert!(absent, "{key}: \"\" decodes to None");
                checked += 1;
            }
        }
    }
    // A date, a datetime, a number, an ID and an enum.
    assert_eq!(checked, 5);
}

#[test]
fn php_arrays_maps_numeric_enums_and_ids() {
    let answers = documented_answers();
    let task = answers
        .iter()
        .find(|a| a.auditors_data.is_some())
        .expect("a task");
    assert!(task.accomplices_data.as_ref().expect("present").is_empty()); // []
    let auditors = task.auditors_data.as_ref().expect("present");
    assert_eq!(auditors.keys().collect::<Vec<_>>(), ["13", "103"]);
    assert_eq!(task.priority, Some(FixtureTaskPriority::High)); // "2"
    let discount = find(&answers, |a| a.discount_type_id.clone()); // 2
    assert_eq!(discount, FixtureDiscountType::Percentage);
    assert_eq!(find(&answers, |a| a.id).get(), 3); // "3"
    assert_eq!(find(&answers, |a| a.product_id).get(), 450); // 450
}
