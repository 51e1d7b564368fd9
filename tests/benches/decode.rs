//! Decoding a `sonet_group.user.get` answer with 100,000 members: the
//! client's decode path against plain `serde_json` into hand-written structs
//! of the same shape (numeric-string IDs to `u64`, `time` to numbers and
//! strings).
//!
//! Two baselines differ in the role. The equivalent one keeps the role as a
//! `String`, because the generated `MemberRole` must keep roles it does not
//! know. The closed one decodes into a three-variant enum that rejects
//! unknown roles; it is one byte per member where the lossless enum is 24,
//! the likely cause of the difference between the two.

use std::fmt;
use std::hint::black_box;

use bitrix24::{SonetGroupUserGet, decode_answer};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

const MEMBERS: usize = 100_000;

/// The answer; with `extra`, each member also carries a key the schema does
/// not list, which the client keeps in the member's custom fields.
fn body(extra: bool) -> Vec<u8> {
    let roles = ["A", "E", "K"];
    let extra = if extra { r#","UF_X":"1""# } else { "" };
    let members: Vec<String> = (0..MEMBERS)
        .map(|index| {
            format!(
                r#"{{"USER_ID":"{}","ROLE":"{}"{extra}}}"#,
                1000 + index,
                roles[index % 3]
            )
        })
        .collect();
    format!(
        r#"{{"result":[{}],"time":{{"start":1773850553,"finish":1773850553.261059,"duration":0.261059045791626,"processing":0,"date_start":"2026-03-18T19:15:53+02:00","date_finish":"2026-03-18T19:15:53+02:00","operating_reset_at":1773851153,"operating":0}}}}"#,
        members.join(",")
    )
    .into_bytes()
}

#[derive(Deserialize)]
#[allow(dead_code)] // Fields are decoded to be measured, not read.
struct HandEnvelope<Role> {
    result: Vec<HandMember<Role>>,
    time: HandTime,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandMember<Role> {
    #[serde(rename = "USER_ID", deserialize_with = "numeric_string")]
    user_id: u64,
    #[serde(rename = "ROLE")]
    role: Role,
}

#[derive(Deserialize)]
enum HandRole {
    A,
    E,
    K,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandTime {
    start: f64,
    finish: f64,
    duration: f64,
    #[serde(default)]
    processing: Option<f64>,
    date_start: String,
    date_finish: String,
    operating_reset_at: Option<i64>,
    operating: Option<f64>,
}

fn numeric_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    struct Numeric;
    impl Visitor<'_> for Numeric {
        type Value = u64;
        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a numeric string")
        }
        fn visit_str<E: de::Error>(self, value: &str) -> Result<u64, E> {
            value.parse().map_err(E::custom)
        }
        fn visit_u64<E: de::Error>(self, value: u64) -> Result<u64, E> {
            Ok(value)
        }
    }
    deserializer.deserialize_any(Numeric)
}

fn decode(c: &mut Criterion) {
    let with_extra = body(true);
    let body = body(false);
    let mut group = c.benchmark_group("decode_100k_members");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("client_decode_answer", |b| {
        b.iter(|| {
            let response =
                decode_answer::<SonetGroupUserGet>(200, black_box(&body)).expect("decodes");
            assert_eq!(response.result.len(), MEMBERS);
            response
        });
    });
    group.bench_function("client_decode_answer_keeping_an_unlisted_key", |b| {
        b.iter(|| {
            let response =
                decode_answer::<SonetGroupUserGet>(200, black_box(&with_extra)).expect("decodes");
            assert_eq!(response.result[0].custom.len(), 1);
            response
        });
    });
    group.bench_function("serde_json_hand_written", |b| {
        b.iter(|| {
            let envelope: HandEnvelope<String> =
                serde_json::from_slice(black_box(&body)).expect("decodes");
            assert_eq!(envelope.result.len(), MEMBERS);
            envelope
        });
    });
    group.bench_function("serde_json_hand_written_closed_role", |b| {
        b.iter(|| {
            let envelope: HandEnvelope<HandRole> =
                serde_json::from_slice(black_box(&body)).expect("decodes");
            assert_eq!(envelope.result.len(), MEMBERS);
            envelope
        });
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
