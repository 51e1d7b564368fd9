//! REST 3.0 requests (`/rest/api/…`): the same two URL forms as REST 2, a JSON-only body,
//! the token in `Authorization: Bearer` or the body's `auth`, and the `Idempotency-Key`
//! header. The query string is never read.
//!
//! Decoding never fails: what is wrong with the body or the key is recorded for the pipeline
//! to answer, after it has authenticated the caller and found the method.

use crate::php::Array;
use crate::v3::idempotency::valid_key;

use super::request::{Credentials, Target, bearer, is_json, json_params, parse_path, token_text};

/// The `Idempotency-Key` header as sent.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum KeyHeader {
    Absent,
    Valid(String),
    /// Empty, longer than 255, not printable ASCII, or sent more than once.
    Invalid,
}

/// A decoded REST 3.0 call.
#[derive(Debug)]
pub(crate) struct ApiRequest {
    /// Lower-cased method name.
    pub(crate) method: String,
    pub(crate) credentials: Credentials,
    /// The body's parameters without `auth`; `None` when the body is not a JSON object or
    /// array, was not sent as JSON, or was not read whole.
    pub(crate) params: Option<Array>,
    pub(crate) key: KeyHeader,
}

/// Decodes a request to `/rest/api/{api_path}`. `body` is `None` when it was not read whole
/// (too long, or too slow); `keys` are the values of every `Idempotency-Key` header.
pub(crate) fn decode(
    api_path: &str,
    content_type: Option<&str>,
    authorization: Option<&str>,
    keys: &[&[u8]],
    body: Option<&[u8]>,
) -> ApiRequest {
    let (target, method) = parse_path(api_path);
    // No body is no parameters, whatever the content type: parameterless methods may be
    // called with GET.
    let mut params = match body {
        Some([]) => Some(Array::new()),
        Some(bytes) if is_json(content_type) => json_params(bytes),
        _ => None,
    };
    let auth = params.as_mut().and_then(|p| p.remove("auth"));
    let credentials = match target {
        Target::Webhook { user_id, code } => Credentials::Webhook { user_id, code },
        Target::App => bearer(authorization)
            .map(str::to_owned)
            .or_else(|| auth.as_ref().and_then(token_text))
            .map_or(Credentials::Missing, Credentials::Token),
    };
    let key = match keys {
        [] => KeyHeader::Absent,
        [key] if valid_key(key) => KeyHeader::Valid(String::from_utf8_lossy(key).into_owned()),
        _ => KeyHeader::Invalid,
    };
    ApiRequest {
        method,
        credentials,
        params,
        key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::php::Value;

    const JSON: Option<&str> = Some("application/json");

    #[test]
    fn url_forms_and_credentials() {
        let r = decode(
            "1/abc/Tasks.Task.Get",
            JSON,
            None,
            &[],
            Some(br#"{"id":1}"#),
        );
        assert_eq!(r.method, "tasks.task.get");
        assert!(matches!(r.credentials, Credentials::Webhook { ref code, .. } if code == "abc"));
        let r = decode(
            "tasks.task.get",
            JSON,
            None,
            &[],
            Some(br#"{"id":1,"auth":"tok"}"#),
        );
        assert!(matches!(r.credentials, Credentials::Token(ref t) if t == "tok"));
        let params = r.params.unwrap();
        assert_eq!((params.len(), params.get("id")), (1, Some(&Value::Int(1))));
        let r = decode(
            "m",
            JSON,
            Some("Bearer head"),
            &[],
            Some(br#"{"auth":"body"}"#),
        );
        assert!(matches!(r.credentials, Credentials::Token(ref t) if t == "head"));
        let r = decode("m", None, None, &[], Some(b""));
        assert!(matches!(r.credentials, Credentials::Missing));
        assert_eq!(r.params.map(|p| p.len()), Some(0));
    }

    #[test]
    fn json_only() {
        let form = Some("application/x-www-form-urlencoded");
        assert!(decode("m", form, None, &[], Some(b"id=1")).params.is_none());
        assert!(decode("m", None, None, &[], Some(b"{}")).params.is_none());
        assert!(
            decode("m", JSON, None, &[], Some(b"{nope"))
                .params
                .is_none()
        );
        assert!(
            decode("m", JSON, None, &[], Some(b"\"text\""))
                .params
                .is_none()
        );
        assert!(decode("m", JSON, None, &[], None).params.is_none());
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(
            decode("m", JSON, None, &[], Some(deep.as_bytes()))
                .params
                .is_none()
        );
        let charset = Some("application/json; charset=utf-8");
        assert!(
            decode("m", charset, None, &[], Some(b"{}"))
                .params
                .is_some()
        );
    }

    #[test]
    fn keys() {
        let key = |keys: &[&[u8]]| decode("m", None, None, keys, Some(b"")).key;
        assert_eq!(key(&[]), KeyHeader::Absent);
        assert_eq!(key(&[b"k-1"]), KeyHeader::Valid("k-1".into()));
        assert_eq!(key(&[b""]), KeyHeader::Invalid);
        assert_eq!(key(&[b"k", b"k"]), KeyHeader::Invalid);
        assert_eq!(key(&[b"caf\xc3\xa9"]), KeyHeader::Invalid);
    }
}
