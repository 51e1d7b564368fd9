//! The `params` and `body` of each example as the schema file writes them.
//!
//! Generated example tests embed this JSON. Printing a parsed value again
//! would not give the same text: `-0` would become `-0.0`, `1E5` would become
//! `100000.0`, keys would be sorted, and long floats would depend on which
//! serde_json features another crate in the build enables. So the text is
//! taken from the file itself, by a second, targeted parse that keeps the raw
//! JSON of those values, and only the whitespace between tokens is removed.
//! The strict parse has already rejected the file if it is not JSON or has a
//! duplicate key; this module knows the path to the examples and nothing else
//! about the format.

use serde::Deserialize;
use serde_json::value::RawValue;

/// The minified `params` and `body` of one example, each where it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleText {
    /// The `params` object.
    pub params: Option<String>,
    /// The answer's `body`.
    pub body: Option<String>,
}

/// The texts of each example, by position in `method.examples`; `None` for
/// an example that is not an object.
pub fn example_texts(text: &str) -> Vec<Option<ExampleText>> {
    let Ok(file) = serde_json::from_str::<RawFile<'_>>(text) else {
        return Vec::new();
    };
    let examples = file
        .method
        .map(|method| method.examples)
        .unwrap_or_default();
    examples
        .into_iter()
        .map(|example| {
            let example: RawExample<'_> = serde_json::from_str(example.get()).ok()?;
            Some(ExampleText {
                params: example.params.map(|params| minify(params.get())),
                body: example.body.map(|body| minify(body.get())),
            })
        })
        .collect()
}

#[derive(Deserialize)]
struct RawFile<'a> {
    #[serde(borrow, default)]
    method: Option<RawMethod<'a>>,
}

#[derive(Deserialize)]
struct RawMethod<'a> {
    #[serde(borrow, default)]
    examples: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct RawExample<'a> {
    #[serde(borrow, default)]
    params: Option<&'a RawValue>,
    #[serde(borrow, default)]
    body: Option<&'a RawValue>,
}

/// `json` without the whitespace between tokens; strings are kept byte for byte.
fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
            in_string = c == '"';
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{ExampleText, example_texts, minify};

    fn texts(params: Option<&str>, body: Option<&str>) -> Option<ExampleText> {
        Some(ExampleText {
            params: params.map(str::to_owned),
            body: body.map(str::to_owned),
        })
    }

    #[test]
    fn only_whitespace_between_tokens_is_removed() {
        assert_eq!(
            minify("{ \"a b\" : [ 1.0 , -0 ,\n\t\"x \\\" y\\\\\" ] }"),
            r#"{"a b":[1.0,-0,"x \" y\\"]}"#
        );
    }

    #[test]
    fn each_example_is_found_by_position() {
        let text = r#"{"method": {"name": "m", "examples": [
            {"description": "d", "params": { "A" : 1e2 }, "status": 200, "body": {"result": -0}},
            {"description": "no body", "params": {"B": [ ]}},
            {"params": {}, "body": [ 1.50 ]},
            "not an object"
        ]}}"#;
        assert_eq!(
            example_texts(text),
            [
                texts(Some(r#"{"A":1e2}"#), Some(r#"{"result":-0}"#)),
                texts(Some(r#"{"B":[]}"#), None),
                texts(Some("{}"), Some("[1.50]")),
                None,
            ]
        );
    }

    #[test]
    fn a_file_without_examples_has_none() {
        assert!(example_texts(r#"{"types": {}}"#).is_empty());
        assert!(example_texts(r#"{"method": null}"#).is_empty());
        assert!(example_texts("not json").is_empty());
    }
}
