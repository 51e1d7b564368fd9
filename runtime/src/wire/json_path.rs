//! The JSON path of a decode failure, found from where serde_json stopped.
//!
//! A decode failure is described with the path of the value that did not fit
//! (`result.tasks[1].accomplicesData: invalid type ...`). Tracking the path
//! while decoding (serde_path_to_error) means a second decoder for every type
//! of the API, compiled into every program that decodes answers. serde_json
//! already reports the line and column it stopped at, which is at or just
//! after the culprit value, so the path is read off the text instead: one
//! scan of the JSON up to there, knowing nothing about the types.
//!
//! The scan assumes the text is JSON up to that point, which it is: serde_json
//! stopped there for a reason of the type, not of the syntax (a syntax error
//! is described by its position alone); it reads any bytes without failing.

use std::ops::Range;

/// The path, in the form `result.items[3].ID`, of the value a decode of
/// `text` failed at with `error`; empty for the top level, and for a
/// failure of the syntax, which its position describes.
pub(crate) fn failure_path(text: &[u8], error: &serde_json::Error) -> String {
    if error.line() == 0 || error.is_syntax() || error.is_eof() {
        return String::new();
    }
    let Some(stop) = offset(text, error.line(), error.column()) else {
        return String::new();
    };
    let mut scan = Scan::default();
    for (index, &byte) in text[..stop].iter().enumerate() {
        scan.step(index, byte);
    }
    scan.path(text)
}

/// The byte offset serde_json's 1-based `line` and byte `column` point at:
/// the first byte it had not read, or one past the byte it peeked at.
fn offset(text: &[u8], line: usize, column: usize) -> Option<usize> {
    let line_start = if line == 1 {
        0
    } else {
        text.iter()
            .enumerate()
            .filter(|(_, byte)| **byte == b'\n')
            .nth(line - 2)
            .map(|(index, _)| index + 1)?
    };
    let offset = line_start.checked_add(column)?;
    (offset <= text.len()).then_some(offset)
}

/// One open object or list on the way to the stopping point.
enum Frame {
    Object {
        /// Where the key of the value being read or just read is in the
        /// text, between its quotes.
        key: Option<Range<usize>>,
        /// The next string is a key.
        expecting_key: bool,
    },
    List {
        /// The index of the item being read or just read.
        index: usize,
        /// An item has started.
        started: bool,
    },
}

/// A JSON tokenizer that keeps only what the path needs.
#[derive(Default)]
struct Scan {
    frames: Vec<Frame>,
    /// Inside a string: where it starts, if it is a key.
    key_start: Option<usize>,
    in_string: bool,
    escaped: bool,
}

impl Scan {
    fn step(&mut self, index: usize, byte: u8) {
        if self.in_string {
            self.string_byte(index, byte);
            return;
        }
        match byte {
            b'{' | b'[' | b'"' => {
                self.start_value();
                match byte {
                    b'{' => self.frames.push(Frame::Object {
                        key: None,
                        expecting_key: true,
                    }),
                    b'[' => self.frames.push(Frame::List {
                        index: 0,
                        started: false,
                    }),
                    _ => {
                        self.in_string = true;
                        self.key_start = self.expecting_key().then_some(index + 1);
                    }
                }
            }
            b'}' | b']' => {
                self.frames.pop();
            }
            // Past a comma, no entry or item has begun: a failure there is
            // the container's own (serde_json reads the comma of an object
            // or list that fails before its end).
            b',' => match self.frames.last_mut() {
                Some(Frame::Object { key, expecting_key }) => {
                    *key = None;
                    *expecting_key = true;
                }
                Some(Frame::List { index, started }) => {
                    *index += 1;
                    *started = false;
                }
                None => {}
            },
            b':' => {}
            byte if byte.is_ascii_whitespace() => {}
            _ => self.start_value(),
        }
    }

    /// Whether the string starting now is an object's key.
    fn expecting_key(&self) -> bool {
        matches!(
            self.frames.last(),
            Some(Frame::Object {
                expecting_key: true,
                ..
            })
        )
    }

    /// A value starts: in a list, that makes its current item begun.
    fn start_value(&mut self) {
        if let Some(Frame::List { started, .. }) = self.frames.last_mut() {
            *started = true;
        }
    }

    fn string_byte(&mut self, index: usize, byte: u8) {
        if self.escaped {
            self.escaped = false;
        } else if byte == b'\\' {
            self.escaped = true;
        } else if byte == b'"' {
            self.in_string = false;
            if let Some(start) = self.key_start.take()
                && let Some(Frame::Object { key, expecting_key }) = self.frames.last_mut()
            {
                *key = Some(start..index);
                *expecting_key = false;
            }
        }
    }

    /// The path to where the scan stopped; without the innermost step when
    /// the failure is of the innermost container itself.
    fn path(mut self, text: &[u8]) -> String {
        // A key being read when the scan stopped is not yet on the path.
        if self.key_start.is_some()
            && let Some(Frame::Object { key, .. }) = self.frames.last_mut()
        {
            *key = None;
        }
        let mut path = String::new();
        for frame in &self.frames {
            match frame {
                Frame::Object { key: Some(key), .. } => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(&decode_key(&text[key.clone()]));
                }
                Frame::List {
                    index,
                    started: true,
                } => path.push_str(&format!("[{index}]")),
                _ => break,
            }
        }
        path
    }
}

/// A key as the text it stands for: its escapes decoded, or as written if
/// they cannot be.
fn decode_key(raw: &[u8]) -> String {
    let quoted = [b"\"".as_slice(), raw, b"\""].concat();
    serde_json::from_slice::<String>(&quoted)
        .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use serde::de::DeserializeOwned;

    use super::*;
    use crate::wire::LenientInt;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        #[serde(rename = "ID")]
        id: i64,
        #[serde(rename = "TAGS", default)]
        tags: Vec<String>,
        #[serde(rename = "MAP", default)]
        map: BTreeMap<String, String>,
        #[serde(
            rename = "COUNT",
            default,
            with = "serde_with::As::<Option<LenientInt>>"
        )]
        count: Option<i64>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Strict {
        a: i64,
        pair: Option<(i64, i64)>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Answer {
        result: BTreeMap<String, Vec<Item>>,
        strict: Option<Strict>,
        object: Option<ObjectOnly>,
    }

    /// An object that fails as a whole on a list, after reading its first
    /// item, as the generated objects do on anything but PHP's `[]`.
    #[derive(Debug)]
    struct ObjectOnly;

    impl<'de> Deserialize<'de> for ObjectOnly {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Visitor;
            impl<'de> serde::de::Visitor<'de> for Visitor {
                type Value = ObjectOnly;
                fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    formatter.write_str("an object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<ObjectOnly, A::Error> {
                    while map
                        .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                        .is_some()
                    {}
                    Ok(ObjectOnly)
                }
                fn visit_seq<A: serde::de::SeqAccess<'de>>(
                    self,
                    mut seq: A,
                ) -> Result<ObjectOnly, A::Error> {
                    seq.next_element::<serde::de::IgnoredAny>()?;
                    Err(serde::de::Error::invalid_type(
                        serde::de::Unexpected::Seq,
                        &self,
                    ))
                }
            }
            deserializer.deserialize_any(Visitor)
        }
    }

    /// The path serde_path_to_error finds by tracking the decode, and the
    /// one read off the text, for a body that fails.
    fn both<T: DeserializeOwned + std::fmt::Debug>(text: &str) -> (String, String) {
        let error = serde_json::from_str::<T>(text).expect_err("fails");
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let tracked = serde_path_to_error::deserialize::<_, T>(&mut deserializer)
            .expect_err("fails")
            .path()
            .to_string();
        let tracked = if tracked == "." {
            String::new()
        } else {
            tracked
        };
        (failure_path(text.as_bytes(), &error), tracked)
    }

    #[test]
    fn the_path_read_off_the_text_is_the_one_a_tracking_decode_finds() {
        let cases = [
            r#"{"result":{"a":[{"ID":1},{"ID":"x"}]}}"#,
            r#"{"result":{"a":[{"ID":1},{"ID":[1,2]}]}}"#,
            r#"{"result":{"a":[{"ID":1},{"ID":{"x":1}}]}}"#,
            r#"{"result":{"a":[{"ID":1,"TAGS":["a",2]}]}}"#,
            r#"{"result":{"a":[{"ID":1,"MAP":{"k":"v","l":3}}]}}"#,
            r#"{"result":{"a":[{"ID":1,"COUNT":"many"}]}}"#,
            r#"{"result":{"a":[{"ID":1,"COUNT":1.5, "TAGS":[]}]}}"#,
            r#"{"result":{"a":[{"ID":1},{"TAGS":[]}]}}"#,
            r#"{"result":{"a":[{"ID":1}],"b":[{"ID":2},7]}}"#,
            r#"{"result":{"a":{"ID":1}}}"#,
            r#"{"result":[]}"#,
            r#"{"result":{},"strict":{"a":1,"b":2}}"#,
            r#"{"result":{},"strict":{"a":1,"pair":[1]}}"#,
            r#"{"result":{},"strict":{"pair":[1,2]}}"#,
            r#"{"result":{"k\"e\\y \u00e9":[{"ID":true}]}}"#,
            "{\n  \"result\": {\n    \"é\": [\n      {\"ID\": 1},\n      {\"ID\": null}\n    ]\n  }\n}",
            r#"{"result":{"a":[{"ID":1,"TAGS":"x","ID":2}]}}"#,
            "[1]",
            "7",
            r#"{"result":{},"object":["ID","NAME"]}"#,
            r#"{"result":{},"object":[["ID"],"NAME"]}"#,
            r#"{"result":{"a":[{"ID":1},{"ID":2,"TAGS":[],"COUNT":"x"}]}}"#,
        ];
        let differing: Vec<_> = cases
            .iter()
            .map(|case| (case, both::<Answer>(case)))
            .filter(|(_, (scanned, tracked))| scanned != tracked)
            .collect();
        assert!(differing.is_empty(), "{differing:#?}");
    }

    #[test]
    fn a_failure_of_the_syntax_has_no_path() {
        for case in [
            r#"{"result":{"a":[{"ID":1},"#,
            r#"{"result":{"a":[{"ID":1} {"ID":2}]}}"#,
            r#"{"result":{},"strict":{"a":1,"pair":[1,2,3]}}"#,
        ] {
            let error = serde_json::from_str::<Answer>(case).expect_err("fails");
            assert_eq!(failure_path(case.as_bytes(), &error), "", "{case}");
        }
    }
}
