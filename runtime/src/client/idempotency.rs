//! The `Idempotency-Key` of a REST 3.0 write: one per logical call, the same
//! on every attempt, so the server runs the call at most once.
//!
//! A key the caller gives is checked against the server's rule before
//! anything is sent; otherwise a random one is made. Knows nothing about
//! HTTP or retries.

use std::fmt;

use super::error::RequestError;

/// The most bytes a key may have (the server's limit).
const MAX_BYTES: usize = 255;

/// A checked key.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct IdempotencyKey(String);

impl IdempotencyKey {
    /// A new random key: a UUID version 4 in its usual text form.
    ///
    /// The key must be unique, not secret: the server keeps a key per
    /// application or webhook, user and method for a day. `fastrand`'s
    /// generator is seeded per thread from the operating system's randomness
    /// (through std's hasher keys), and 122 random bits leave no collision
    /// to fear at any rate a portal accepts.
    pub(crate) fn random() -> Self {
        let bits = fastrand::u128(..);
        // Version 4 in bits 76-79, variant `10` in bits 62-63 (RFC 9562).
        let bits = (bits & !(0xF << 76) & !(0b11 << 62)) | (0x4 << 76) | (0b10 << 62);
        let hex = format!("{bits:032x}");
        Self(format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        ))
    }

    /// The caller's key, if the server would accept it: 1 to 255 printable
    /// ASCII characters. A space at either end is refused too, because HTTP
    /// drops it from a header value and the server would see another key.
    pub(crate) fn given(text: &str) -> Result<Self, RequestError> {
        let problem = if text.is_empty() {
            Some("is empty")
        } else if text.len() > MAX_BYTES {
            Some("is longer than 255 characters")
        } else if !text.bytes().all(|byte| matches!(byte, b' '..=b'~')) {
            Some("holds a character that is not printable ASCII")
        } else if text.starts_with(' ') || text.ends_with(' ') {
            Some("starts or ends with a space")
        } else {
            None
        };
        match problem {
            Some(problem) => Err(RequestError::InvalidIdempotencyKey { problem }),
            None => Ok(Self(text.to_owned())),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Debug for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_keys_are_uuid_v4_text_and_differ() {
        let first = IdempotencyKey::random();
        let text = first.as_str();
        assert_eq!(text.len(), 36);
        let groups: Vec<&str> = text.split('-').collect();
        assert_eq!(
            groups.iter().map(|group| group.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(
            text.bytes()
                .all(|byte| byte == b'-' || byte.is_ascii_hexdigit())
        );
        assert!(groups[2].starts_with('4'), "{text}");
        assert!(
            matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
            "{text}"
        );
        assert!(IdempotencyKey::given(text).is_ok());
        assert_ne!(first, IdempotencyKey::random());
    }

    #[test]
    fn given_keys_follow_the_servers_rule() {
        for good in [
            "a",
            "order 42/#1",
            &"~".repeat(255),
            "!\"$%&'()*+,-./:;<=>?@[\\]^_`{|}",
        ] {
            assert_eq!(IdempotencyKey::given(good).unwrap().as_str(), good);
        }
        for (bad, problem) in [
            ("", "is empty"),
            (&"k".repeat(256), "is longer than 255 characters"),
            ("ключ", "holds a character that is not printable ASCII"),
            ("a\tb", "holds a character that is not printable ASCII"),
            (
                "a\r\nX-Other: 1",
                "holds a character that is not printable ASCII",
            ),
            (" a", "starts or ends with a space"),
            ("a ", "starts or ends with a space"),
        ] {
            assert_eq!(
                IdempotencyKey::given(bad),
                Err(RequestError::InvalidIdempotencyKey { problem }),
                "{bad:?}"
            );
        }
    }
}
