//! Removes secrets from text that may end up in errors or logs.
//!
//! Used for body excerpts and redirect locations, which a server could fill
//! with whatever the request carried. Knows only the secret strings it is
//! given, not where they came from.

use secrecy::{ExposeSecret, SecretString};

use super::error::EXCERPT_BYTES;

/// What replaces a secret.
pub(crate) const MASK: &str = "***";

/// Replaces every occurrence of each secret in `text` with [`MASK`].
pub(crate) fn redact(text: &str, secrets: &[SecretString]) -> String {
    let mut redacted = text.to_owned();
    for secret in secrets {
        let secret = secret.expose_secret();
        if !secret.is_empty() {
            redacted = redacted.replace(secret, MASK);
        }
    }
    redacted
}

/// The start of a body, at most [`EXCERPT_BYTES`] bytes, with secrets masked.
///
/// Secrets are masked before the cut, over a window long enough to hold any
/// of them, so a secret straddling the cut cannot leave a prefix behind.
pub(crate) fn excerpt(body: &[u8], secrets: &[SecretString]) -> String {
    let longest = secrets
        .iter()
        .map(|secret| secret.expose_secret().len())
        .max()
        .unwrap_or(0);
    let window = &body[..body.len().min(EXCERPT_BYTES + longest)];
    let text = redact(&String::from_utf8_lossy(window), secrets);
    let mut end = text.len().min(EXCERPT_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
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
    fn a_secret_across_the_cut_leaves_no_prefix() {
        let mut body = "x".repeat(EXCERPT_BYTES - 4);
        body.push_str("s3cr3tcode");
        let text = excerpt(body.as_bytes(), &secrets());
        assert!(!text.contains("s3cr"), "{text}");
    }
}
