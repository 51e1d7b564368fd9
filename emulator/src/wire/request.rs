//! URL forms and body encodings of `/rest/...` requests.
//!
//! Knows the two URL shapes (webhook and application) and how PHP merges query string and body;
//! does not check any credential.

use crate::php::{Array, Value};

use super::parse_str;

/// Which URL form a request used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// `/rest/USER_ID/CODE/METHOD`.
    Webhook { user_id: String, code: String },
    /// `/rest/METHOD` with a token.
    App,
}

/// Credentials as presented, before any lookup.
#[derive(Clone, Debug)]
pub(crate) enum Credentials {
    Webhook { user_id: String, code: String },
    Token(String),
    Missing,
}

impl Credentials {
    /// The secret part as presented: the webhook code or the token.
    pub(crate) fn secret(&self) -> Option<&str> {
        match self {
            Credentials::Webhook { code, .. } => Some(code),
            Credentials::Token(token) => Some(token),
            Credentials::Missing => None,
        }
    }
}

/// A decoded REST call.
#[derive(Debug)]
pub(crate) struct RestRequest {
    /// Lower-cased method name: method names are case-insensitive.
    pub(crate) method: String,
    pub(crate) credentials: Credentials,
    /// Parameters with the authentication keys removed; keys stay case-sensitive.
    pub(crate) params: Array,
}

/// Splits the path after `/rest/` into the URL form and the method name. A trailing slash and a
/// `.json` suffix are accepted as the real router does.
pub(super) fn parse_path(rest_path: &str) -> (Target, String) {
    let trimmed = rest_path.trim_matches('/');
    let parts: Vec<&str> = trimmed.split('/').collect();
    let (target, method) = match parts.as_slice() {
        [user_id, code, method] => (
            Target::Webhook {
                user_id: (*user_id).to_owned(),
                code: (*code).to_owned(),
            },
            *method,
        ),
        [method] => (Target::App, *method),
        _ => (Target::App, ""),
    };
    let lower = method.to_ascii_lowercase();
    let method = lower.strip_suffix(".json").unwrap_or(&lower).to_owned();
    (target, method)
}

/// Decodes query string and body (the body wins, `array_replace`), then extracts credentials:
/// the webhook path first, else `Authorization: Bearer`, else `auth`, else `access_token`.
pub(crate) fn decode(
    rest_path: &str,
    query: Option<&str>,
    content_type: Option<&str>,
    authorization: Option<&str>,
    body: &[u8],
) -> RestRequest {
    let (target, method) = parse_path(rest_path);
    let mut params = query.map(parse_str).unwrap_or_default();
    params.replace_with(decode_body(content_type, body));

    let auth_param = params.remove("auth");
    let access_token_param = params.remove("access_token");
    let credentials = match target {
        Target::Webhook { user_id, code } => Credentials::Webhook { user_id, code },
        Target::App => bearer(authorization)
            .map(str::to_owned)
            .or_else(|| auth_param.as_ref().and_then(token_text))
            .or_else(|| access_token_param.as_ref().and_then(token_text))
            .map_or(Credentials::Missing, Credentials::Token),
    };
    RestRequest {
        method,
        credentials,
        params,
    }
}

pub(super) fn token_text(v: &Value) -> Option<String> {
    v.to_php_string().filter(|s| !s.is_empty())
}

pub(super) fn bearer(header: Option<&str>) -> Option<&str> {
    let header = header?.trim();
    let (scheme, token) = header.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim())
}

/// JSON only with `Content-Type: application/json` (parameters after `;` ignored); invalid or
/// non-array JSON becomes an empty array. Any other body is parsed as a query string.
fn decode_body(content_type: Option<&str>, body: &[u8]) -> Array {
    if body.is_empty() {
        return Array::new();
    }
    if is_json(content_type) {
        json_params(body).unwrap_or_default()
    } else {
        parse_str(&String::from_utf8_lossy(body))
    }
}

/// Whether the content type is `application/json`, parameters after `;` aside.
pub(super) fn is_json(content_type: Option<&str>) -> bool {
    content_type
        .and_then(|ct| ct.split(';').next())
        .map(str::trim)
        .is_some_and(|mime| mime.eq_ignore_ascii_case("application/json"))
}

/// A JSON object or array as parameters; `None` for anything else or invalid JSON.
pub(super) fn json_params(body: &[u8]) -> Option<Array> {
    // serde_json refuses nesting past 128 levels (its recursion limit, which stays on), so a
    // deeply nested body is invalid JSON here. PHP's `json_decode` allows 512 levels; the
    // reference documents only the invalid-JSON rule.
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(a)) => Some(a),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_forms() {
        let r = decode("1/abc/SONET_GROUP.User.Get.json/", None, None, None, b"");
        assert_eq!(r.method, "sonet_group.user.get");
        assert!(
            matches!(r.credentials, Credentials::Webhook { ref user_id, ref code } if user_id == "1" && code == "abc")
        );
        let r = decode("batch", Some("auth=tok"), None, None, b"");
        assert!(matches!(r.credentials, Credentials::Token(ref t) if t == "tok"));
        assert!(r.params.get("auth").is_none());
        assert_eq!(decode("a/b", None, None, None, b"").method, "");
    }

    #[test]
    fn bearer_wins_over_parameters() {
        let r = decode("m", Some("auth=param"), None, Some("Bearer head"), b"");
        assert!(matches!(r.credentials, Credentials::Token(ref t) if t == "head"));
        let r = decode("m", Some("access_token=x"), None, None, b"");
        assert!(matches!(r.credentials, Credentials::Token(ref t) if t == "x"));
        assert!(matches!(
            decode("m", None, None, None, b"").credentials,
            Credentials::Missing
        ));
    }

    #[test]
    fn body_wins_and_invalid_json_is_empty() {
        let r = decode(
            "m",
            Some("ID=1&X=q"),
            Some("application/json; charset=utf-8"),
            None,
            br#"{"ID":2}"#,
        );
        assert_eq!(r.params.get("ID"), Some(&Value::Int(2)));
        assert_eq!(r.params.get("X"), Some(&Value::str("q")));
        let r = decode("m", None, Some("application/json"), None, b"{nope");
        assert!(r.params.is_empty());
        let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        let r = decode(
            "m",
            Some("ID=1"),
            Some("application/json"),
            None,
            deep.as_bytes(),
        );
        assert_eq!(r.params.get("ID"), Some(&Value::str("1")));
        assert_eq!(r.params.len(), 1);
        let deep = format!(
            r#"{{"ID":2,"x":{}1{}}}"#,
            "{\"a\":".repeat(200),
            "}".repeat(200)
        );
        let r = decode("m", None, Some("application/json"), None, deep.as_bytes());
        assert!(r.params.is_empty());
        let r = decode("m", None, Some("text/plain"), None, b"ID=3");
        assert_eq!(r.params.get("ID"), Some(&Value::str("3")));
    }
}
