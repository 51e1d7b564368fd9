//! Property tests of the emulator's parsers over real HTTP: whatever query,
//! form or JSON body a client sends, the emulator answers with a status and
//! a JSON body the real server could send, in bounded time, and keeps
//! serving. Loopback only.

use std::time::{Duration, Instant};

use bitrix24_emulator::{Emulator, RunningEmulator};
use bitrix24_tests::json::values;
use proptest::prelude::*;
use serde_json::Value;

/// The pieces PHP's `parse_str` gives meaning to, and some it does not.
fn query() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("ID".to_owned()),
        Just("GROUP_ID".to_owned()),
        Just("USER_ID".to_owned()),
        Just("cmd".to_owned()),
        Just("halt".to_owned()),
        Just("auth".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("[]".to_owned()),
        Just("=".to_owned()),
        Just("&".to_owned()),
        Just("%5B".to_owned()),
        Just("%5D".to_owned()),
        Just("%26".to_owned()),
        Just("%".to_owned()),
        Just("+".to_owned()),
        Just("$result[c][0][ID]".to_owned()),
        Just("sonet_group.user.get?".to_owned()),
        "[0-9]{1,3}",
        "[a-zA-Z_.]{1,6}",
        "\\PC{1,3}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

struct Portal {
    emulator: RunningEmulator,
    http: reqwest::Client,
    runtime: tokio::runtime::Runtime,
}

impl Portal {
    fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let emulator = runtime
            .block_on(Emulator::builder().rate_limit(1_000_000, 100_000.0).start())
            .expect("the emulator starts on loopback");
        Self {
            emulator,
            http: reqwest::Client::new(),
            runtime,
        }
    }

    /// Sends `body` to `method`, checks the answer, and how long it took.
    fn send(&self, method: &str, content_type: &str, body: Vec<u8>) -> Duration {
        let url = format!("{}{method}", self.emulator.webhook_url());
        let started = Instant::now();
        let (status, answer) = self.runtime.block_on(async {
            let response = self
                .http
                .post(&url)
                .header("content-type", content_type)
                .body(body)
                .send()
                .await
                .expect("the emulator answers");
            let status = response.status().as_u16();
            (status, response.bytes().await.expect("a whole answer"))
        });
        let elapsed = started.elapsed();
        assert!(
            matches!(status, 200 | 400 | 401 | 403 | 404 | 500 | 503),
            "{status}"
        );
        let answer: Value = serde_json::from_slice(&answer).expect("a JSON answer");
        assert!(
            answer.get("result").is_some() || answer.get("error").is_some(),
            "{answer}"
        );
        elapsed
    }

    /// A plain call still works: the emulator kept serving.
    fn still_serves(&self) {
        self.send(
            "sonet_group.user.get",
            "application/json",
            br#"{"ID":1}"#.to_vec(),
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    #[test]
    fn any_form_body_gets_a_real_answer(body in query()) {
        let portal = Portal::start();
        let form = "application/x-www-form-urlencoded";
        prop_assert!(portal.send("sonet_group.user.get", form, body.clone().into_bytes()) < Duration::from_secs(5));
        let batch = format!("cmd[a]={body}").into_bytes();
        prop_assert!(portal.send("batch", form, batch) < Duration::from_secs(5));
        portal.still_serves();
    }

    #[test]
    fn any_json_body_gets_a_real_answer(body in values(prop_oneof![
        Just("ID".to_owned()), Just("cmd".to_owned()), Just("USER_ID".to_owned()), "[a-zA-Z_]{1,6}",
    ].boxed())) {
        let portal = Portal::start();
        let text = body.to_string().into_bytes();
        prop_assert!(portal.send("sonet_group.user.update", "application/json", text.clone()) < Duration::from_secs(5));
        prop_assert!(portal.send("batch", "application/json", text) < Duration::from_secs(5));
        portal.still_serves();
    }
}
