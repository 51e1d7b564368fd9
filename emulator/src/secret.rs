//! A string that never shows itself in `Debug` output: webhook codes, tokens, client secrets.

use std::fmt;

use serde::{Deserialize, Deserializer};

/// A secret string. `Debug` prints `"***"`; read the value explicitly with [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A fresh random secret of 32 lowercase letters and digits, the shape the real server uses.
    pub(crate) fn random(rng: &mut fastrand::Rng) -> Self {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        Self(
            (0..32)
                .map(|_| char::from(ALPHABET[rng.usize(..ALPHABET.len())]))
                .collect(),
        )
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "\"***\"");
        assert_eq!(s.expose(), "hunter2");
        let r = Secret::random(&mut fastrand::Rng::with_seed(1));
        assert_eq!(r.expose().len(), 32);
    }
}
