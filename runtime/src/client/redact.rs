//! Removes secrets from text that may end up in errors or logs.
//!
//! Text from an answer, a URL or an error of another crate reaches an error
//! or a log only as [`Masked`], which only the masking functions here make:
//! an error type that stores `Masked` cannot be given text that was not
//! masked. Knows only the secret strings it is given, not where they came
//! from.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::error::EXCERPT_BYTES;

/// What replaces a secret.
pub(crate) const MASK: &str = "***";

/// Text with every known secret replaced by [`MASK`].
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Masked(String);

impl Masked {
    /// Text written by this crate, which holds no secret.
    pub(crate) fn fixed(text: &'static str) -> Self {
        Self(text.to_owned())
    }

    /// Text this crate formatted from values that hold no secret (numbers,
    /// durations, method names), never from an answer, a URL or another
    /// crate's error.
    pub(crate) fn written(text: String) -> Self {
        Self(text)
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn into_string(self) -> String {
        self.0
    }
}

// Reading masked text is always fine; only making it is restricted.
impl std::ops::Deref for Masked {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<&str> for Masked {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl fmt::Debug for Masked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Masked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Replaces every occurrence of each secret in `text` with [`MASK`].
pub(crate) fn redact(text: &str, secrets: &[SecretString]) -> Masked {
    let mut redacted = text.to_owned();
    for secret in secrets {
        let secret = secret.expose_secret();
        if !secret.is_empty() {
            redacted = redacted.replace(secret, MASK);
        }
    }
    Masked(redacted)
}

/// The start of a body, at most [`EXCERPT_BYTES`] bytes, with secrets masked.
///
/// Secrets are masked before the cut, over a window long enough to hold any
/// of them, so a secret straddling the cut cannot leave a prefix behind.
pub(crate) fn excerpt(body: &[u8], secrets: &[SecretString]) -> Masked {
    let window = &body[..body.len().min(window(secrets))];
    let Masked(mut text) = redact(&String::from_utf8_lossy(window), secrets);
    let mut end = text.len().min(EXCERPT_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    Masked(text)
}

/// How many bytes of text an excerpt masks before it cuts.
fn window(secrets: &[SecretString]) -> usize {
    let longest = secrets
        .iter()
        .map(|secret| secret.expose_secret().len())
        .max()
        .unwrap_or(0);
    EXCERPT_BYTES + longest
}

/// The excerpt of a valid JSON `part`, written compactly with its escapes
/// resolved, as `serde_json` writes the value it holds.
///
/// A secret the server wrote with escapes (`\/`, `\u0074`) is then masked
/// like any other. Only the start of `part` is read: the writing stops once
/// the excerpt's window is full, so a large part costs no more than a small
/// one. Text that is not JSON is excerpted as it is.
pub(crate) fn json_excerpt(part: &[u8], secrets: &[SecretString]) -> Masked {
    let mut text = String::new();
    let limit = window(secrets);
    let written = Compact {
        out: &mut text,
        limit,
    }
    .deserialize(&mut serde_json::Deserializer::from_slice(part));
    if written.is_err() && text.len() <= limit {
        // Not JSON after all: stopped by a syntax error, not by the limit.
        return excerpt(part, secrets);
    }
    excerpt(text.as_bytes(), secrets)
}

/// Writes the JSON value it is given into `out`, compactly, until `out`
/// holds more than `limit` bytes; then stops the parser with an error.
struct Compact<'w> {
    out: &'w mut String,
    limit: usize,
}

impl Compact<'_> {
    fn push<E: de::Error>(&mut self, text: &str) -> Result<(), E> {
        self.out.push_str(text);
        self.check()
    }

    fn check<E: de::Error>(&self) -> Result<(), E> {
        if self.out.len() > self.limit {
            Err(E::custom("the excerpt is full"))
        } else {
            Ok(())
        }
    }

    /// A JSON string, escaped as `serde_json` escapes it.
    fn string<E: de::Error>(&mut self, value: &str) -> Result<(), E> {
        self.out.push('"');
        for character in value.chars() {
            match character {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                '\u{8}' => self.out.push_str("\\b"),
                '\u{c}' => self.out.push_str("\\f"),
                control if u32::from(control) < 0x20 => {
                    self.out.push_str(&format!("\\u{:04x}", u32::from(control)));
                }
                other => self.out.push(other),
            }
            self.check()?;
        }
        self.push("\"")
    }

    fn nested(&mut self) -> Compact<'_> {
        Compact {
            out: self.out,
            limit: self.limit,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Compact<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Compact<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(mut self, value: bool) -> Result<(), E> {
        self.push(if value { "true" } else { "false" })
    }

    fn visit_i64<E: de::Error>(mut self, value: i64) -> Result<(), E> {
        self.push(&serde_json::Number::from(value).to_string())
    }

    fn visit_u64<E: de::Error>(mut self, value: u64) -> Result<(), E> {
        self.push(&serde_json::Number::from(value).to_string())
    }

    fn visit_f64<E: de::Error>(mut self, value: f64) -> Result<(), E> {
        // JSON has no infinite numbers: `serde_json` writes `null` for them.
        let number = serde_json::Number::from_f64(value);
        self.push(&number.map_or_else(|| "null".to_owned(), |number| number.to_string()))
    }

    fn visit_str<E: de::Error>(mut self, value: &str) -> Result<(), E> {
        self.string(value)
    }

    fn visit_unit<E: de::Error>(mut self) -> Result<(), E> {
        self.push("null")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut items: A) -> Result<(), A::Error> {
        self.push("[")?;
        let mut first = true;
        loop {
            if !first {
                self.out.push(',');
            }
            if items.next_element_seed(self.nested())?.is_none() {
                if !first {
                    self.out.pop();
                }
                break;
            }
            first = false;
        }
        self.push("]")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut entries: A) -> Result<(), A::Error> {
        self.push("{")?;
        let mut first = true;
        loop {
            if !first {
                self.out.push(',');
            }
            if entries.next_key_seed(self.nested())?.is_none() {
                if !first {
                    self.out.pop();
                }
                break;
            }
            self.push(":")?;
            entries.next_value_seed(self.nested())?;
            first = false;
        }
        self.push("}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets() -> Vec<SecretString> {
        vec![SecretString::from("s3cr3tcode")]
    }

    #[test]
    fn masks_every_occurrence() {
        assert_eq!(
            redact("a s3cr3tcode b s3cr3tcode", &secrets()),
            "a *** b ***"
        );
    }

    #[test]
    fn excerpt_is_bounded_and_cut_on_a_char_boundary() {
        let body = "é".repeat(1000);
        let text = excerpt(body.as_bytes(), &secrets());
        assert!(text.len() <= EXCERPT_BYTES);
        assert!(text.len() >= EXCERPT_BYTES - 1);
    }

    #[test]
    fn json_excerpts_are_written_as_serde_json_writes_the_value() {
        let part = r#" { "a" : [1, -2, 2.50, 1e300, 18446744073709551616, true, null, "x\"\u0001y"],
                        "b" : {}, "c": [ ] } "#;
        let value: serde_json::Value = serde_json::from_str(part).unwrap();
        assert_eq!(
            json_excerpt(part.as_bytes(), &[]).as_str(),
            value.to_string()
        );
        assert_eq!(json_excerpt(b"<html>", &[]), "<html>");
    }

    #[test]
    fn json_excerpts_mask_secrets_written_with_escapes() {
        let part = br#"{"url":"https:\/\/x\/rest\/1\/s3cr3tcode\/","code":"\u0073\u0033cr3tcode"}"#;
        assert_eq!(
            json_excerpt(part, &secrets()),
            r#"{"url":"https://x/rest/1/***/","code":"***"}"#
        );
    }

    #[test]
    fn json_excerpts_read_only_what_they_show() {
        let long = format!("[{}]", vec!["\"s3cr3tcode\""; 100_000].join(","));
        let text = json_excerpt(long.as_bytes(), &secrets());
        assert!(text.len() <= EXCERPT_BYTES && text.starts_with(r#"["***","***""#));
        assert!(!text.contains("s3cr"), "{text}");
        let broken = format!("{}]", &long[..EXCERPT_BYTES * 4]);
        assert_eq!(json_excerpt(broken.as_bytes(), &secrets()), text);
    }

    #[test]
    fn a_secret_across_the_cut_leaves_no_prefix() {
        let mut body = "x".repeat(EXCERPT_BYTES - 4);
        body.push_str("s3cr3tcode");
        let text = excerpt(body.as_bytes(), &secrets());
        assert!(!text.contains("s3cr"), "{text}");
    }
}
