//! Shared helpers: start a portal on an ephemeral loopback port and call it over real HTTP.

#![allow(dead_code)]

use bitrix24_emulator::{Emulator, EmulatorBuilder, RunningEmulator};
use serde_json::Value;

pub struct Portal {
    pub emu: RunningEmulator,
    pub http: reqwest::Client,
}

pub async fn start() -> Portal {
    start_with(Emulator::builder()).await
}

pub async fn start_with(builder: EmulatorBuilder) -> Portal {
    let emu = builder.start().await.expect("emulator starts");
    Portal {
        emu,
        http: reqwest::Client::new(),
    }
}

/// Status and parsed JSON body.
pub async fn read(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    (status, body)
}

impl Portal {
    /// POSTs a JSON body to `method` through the admin webhook.
    pub async fn call(&self, method: &str, params: Value) -> (u16, Value) {
        self.call_at(&self.emu.webhook_url(), method, params).await
    }

    /// POSTs a JSON body to `method` under a webhook URL.
    pub async fn call_at(&self, hook: &str, method: &str, params: Value) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{hook}{method}"))
            .json(&params)
            .send()
            .await
            .expect("request");
        read(response).await
    }

    /// POSTs a form body (`application/x-www-form-urlencoded`).
    pub async fn form(&self, method: &str, body: &str) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}{method}", self.emu.webhook_url()))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body.to_owned())
            .send()
            .await
            .expect("request");
        read(response).await
    }

    /// GETs a full URL.
    pub async fn get(&self, url: &str) -> (u16, Value) {
        read(self.http.get(url).send().await.expect("request")).await
    }

    /// The webhook of a demo user.
    pub fn hook(&self, user: u64) -> String {
        self.emu.webhook_url_for(user).expect("demo webhook")
    }
}

/// A REST 3.0 answer: status, the `Idempotency-Key` and `Idempotent-Replayed` headers, body.
#[derive(Debug)]
pub struct ApiAnswer {
    pub status: u16,
    pub key: Option<String>,
    pub replayed: bool,
    pub body: Value,
}

impl ApiAnswer {
    pub async fn read(response: reqwest::Response) -> Self {
        let header = |name| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        let key = header("idempotency-key");
        let replayed = match header("idempotent-replayed").as_deref() {
            None => false,
            Some("true") => true,
            Some(other) => panic!("Idempotent-Replayed: {other}"),
        };
        let (status, body) = read(response).await;
        Self {
            status,
            key,
            replayed,
            body,
        }
    }

    /// The `result` of a success, asserting HTTP 200 and a `time` object.
    pub fn result(&self) -> &Value {
        assert_eq!(self.status, 200, "{}", self.body);
        assert!(self.body["time"].is_object(), "{}", self.body);
        &self.body["result"]
    }

    /// The `error` object of a REST 3.0 error with this status, asserting there is no
    /// `result`.
    pub fn error(&self, status: u16) -> &Value {
        assert_eq!(self.status, status, "{}", self.body);
        assert!(self.body.get("result").is_none(), "{}", self.body);
        &self.body["error"]
    }
}

impl Portal {
    /// POSTs a JSON body to a REST 3.0 `method` under `base` (a `…/rest/api/…/` URL), with
    /// an `Idempotency-Key` if given.
    pub async fn api_at(
        &self,
        base: &str,
        method: &str,
        body: &Value,
        key: Option<&str>,
    ) -> ApiAnswer {
        let mut request = self.http.post(format!("{base}{method}")).json(body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        ApiAnswer::read(request.send().await.expect("request")).await
    }

    /// [`Portal::api_at`] through the admin webhook.
    pub async fn api(&self, method: &str, body: Value, key: Option<&str>) -> ApiAnswer {
        self.api_at(&self.emu.api_url(), method, &body, key).await
    }
}

/// The `error_description` of a method error, asserting HTTP 400, `"error": ""` and no `time`.
pub fn method_error(answer: (u16, Value)) -> String {
    let (status, body) = answer;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "", "{body}");
    assert!(body.get("time").is_none(), "{body}");
    body["error_description"]
        .as_str()
        .expect("description")
        .to_owned()
}

/// The `result` of a success, asserting HTTP 200 and a `time` object.
pub fn result(answer: (u16, Value)) -> Value {
    let (status, body) = answer;
    assert_eq!(status, 200, "{body}");
    assert!(body["time"].is_object(), "{body}");
    body["result"].clone()
}

/// `[{"USER_ID": "1", "ROLE": "A"}, …]` as (id, role) pairs.
pub fn members(result: &Value) -> Vec<(String, String)> {
    result
        .as_array()
        .expect("list")
        .iter()
        .map(|m| {
            (
                m["USER_ID"].as_str().unwrap().to_owned(),
                m["ROLE"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}
