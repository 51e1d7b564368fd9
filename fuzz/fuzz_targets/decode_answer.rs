//! Any body, as the answer to two methods: a result or a typed error, never
//! a panic.

#![no_main]

use bitrix24::{SonetGroupGet, SonetGroupUserGet, decode_answer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let _ = decode_answer::<SonetGroupUserGet>(200, body);
    let _ = decode_answer::<SonetGroupGet>(200, body);
});
