//! File uploads, sent as `["name.png", "<base64>"]`.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A file to upload: a name and its content, sent as `[name, base64]`.
///
/// ```
/// use bitrix24::File;
///
/// let logo = File::new("logo.png", b"\x89PNG".to_vec());
/// assert_eq!(serde_json::to_string(&logo).unwrap(), r#"["logo.png","iVBORw=="]"#);
/// ```
///
/// `Debug` shows the name and the size, never the content.
#[derive(Clone, PartialEq, Eq)]
pub struct File {
    name: String,
    content: Vec<u8>,
}

impl File {
    /// A file named `name` (the server keeps the name and its extension)
    /// with `content`.
    pub fn new(name: impl Into<String>, content: impl Into<Vec<u8>>) -> Self {
        Self {
            name: name.into(),
            content: content.into(),
        }
    }

    /// The file name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The content.
    pub fn content(&self) -> &[u8] {
        &self.content
    }
}

impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("File")
            .field("name", &self.name)
            .field("bytes", &self.content.len())
            .finish()
    }
}

impl Serialize for File {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (&self.name, STANDARD.encode(&self.content)).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for File {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (name, encoded) = <(String, String)>::deserialize(deserializer)?;
        let content = STANDARD.decode(encoded.as_bytes()).map_err(|error| {
            D::Error::custom(format_args!("the file's content is not base64: {error}"))
        })?;
        Ok(Self { name, content })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_round_trips_and_bad_content_is_an_error() {
        let file: File = serde_json::from_str(r#"["a.txt","aGVsbG8="]"#).unwrap();
        assert_eq!((file.name(), file.content()), ("a.txt", &b"hello"[..]));
        assert_eq!(
            serde_json::to_string(&file).unwrap(),
            r#"["a.txt","aGVsbG8="]"#
        );
        assert_eq!(format!("{file:?}"), r#"File { name: "a.txt", bytes: 5 }"#);
        let error = serde_json::from_str::<File>(r#"["a.txt","%%%"]"#).unwrap_err();
        assert!(error.to_string().contains("not base64"), "{error}");
        assert!(serde_json::from_str::<File>(r#"["a.txt"]"#).is_err());
    }
}
