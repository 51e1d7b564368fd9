//! The record of documented examples the generated types cannot follow:
//! for each method, the examples (numbered from 1, as their tests are) and
//! why each fails, in one line.
//!
//! `cargo xtask import-docs --verify` writes it from the failing example
//! tests, and every import marks those examples `disagrees`, so that their
//! tests are compiled and skipped with the reason. This module knows nothing
//! about where the record is kept or how the failures were found.

use std::collections::BTreeMap;

/// The largest record read, in bytes: thousands of one-line reasons.
pub const MAX_RECORD_BYTES: usize = 4 * 1024 * 1024;

/// The longest reason kept, in characters; a longer one is cut.
pub const MAX_REASON_CHARS: usize = 240;

/// The examples that disagree with the generated types, by method name and
/// example number (from 1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Disagreements(BTreeMap<String, BTreeMap<usize, String>>);

impl Disagreements {
    /// Reads the record's JSON: an object of methods, each an object of
    /// example numbers with their reasons.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.len() > MAX_RECORD_BYTES {
            return Err(format!(
                "the record is {} bytes, more than the {MAX_RECORD_BYTES} it may have",
                text.len()
            ));
        }
        let raw: BTreeMap<String, BTreeMap<String, String>> = serde_json::from_str(text)
            .map_err(|error| format!("not a record of disagreeing examples: {error}"))?;
        let mut record = Self::default();
        for (method, examples) in raw {
            for (number, reason) in examples {
                let parsed = number
                    .parse::<usize>()
                    .ok()
                    .filter(|number| *number >= 1)
                    .ok_or_else(|| {
                        format!("{method}: {number:?} is not an example number (1 or more)")
                    })?;
                record.insert(&method, parsed, &reason);
            }
        }
        Ok(record)
    }

    /// The record as JSON, in a stable order, ending in a newline.
    pub fn to_json(&self) -> String {
        let shown: BTreeMap<&str, BTreeMap<String, &str>> = self
            .0
            .iter()
            .map(|(method, examples)| {
                let examples = examples
                    .iter()
                    .map(|(number, reason)| (number.to_string(), reason.as_str()))
                    .collect();
                (method.as_str(), examples)
            })
            .collect();
        let mut text = serde_json::to_string_pretty(&shown).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Records that example `number` of `method` fails, and why: the first
    /// line of `reason`, trimmed, cut to [`MAX_REASON_CHARS`].
    pub fn insert(&mut self, method: &str, number: usize, reason: &str) {
        let line = reason.lines().next().unwrap_or_default().trim();
        let mut reason: String = line.chars().take(MAX_REASON_CHARS).collect();
        if reason.is_empty() {
            reason = "the example fails".to_owned();
        } else if reason.len() < line.len() {
            reason.push('…');
        }
        self.0
            .entry(method.to_owned())
            .or_default()
            .insert(number, reason);
    }

    /// Why example `number` (from 1) of `method` fails, if it does.
    pub fn reason(&self, method: &str, number: usize) -> Option<&str> {
        self.0.get(method)?.get(&number).map(String::as_str)
    }

    /// Every method with a disagreeing example, with its examples.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &BTreeMap<usize, String>)> {
        self.0
            .iter()
            .map(|(method, examples)| (method.as_str(), examples))
    }

    /// How many examples disagree.
    pub fn len(&self) -> usize {
        self.0.values().map(BTreeMap::len).sum()
    }

    /// Whether no example disagrees.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_as_written() {
        let mut record = Disagreements::default();
        record.insert("crm.deal.add", 2, "result: invalid type\nmore lines");
        record.insert("crm.deal.add", 10, "");
        record.insert("a.b", 1, &"x".repeat(MAX_REASON_CHARS + 5));
        let text = record.to_json();
        assert_eq!(Disagreements::parse(&text).unwrap(), record);
        assert_eq!(
            record.reason("crm.deal.add", 2),
            Some("result: invalid type")
        );
        assert_eq!(record.reason("crm.deal.add", 10), Some("the example fails"));
        assert_eq!(
            record.reason("a.b", 1).map(|reason| reason.chars().count()),
            Some(MAX_REASON_CHARS + 1)
        );
        assert_eq!(record.reason("crm.deal.add", 1), None);
        assert_eq!(record.len(), 3);
        assert_eq!(Disagreements::parse(&text).unwrap().to_json(), text);
    }

    #[test]
    fn a_bad_record_is_refused_with_the_reason() {
        for (text, expected) in [
            ("[]", "not a record"),
            (r#"{"m": {"0": "x"}}"#, "not an example number"),
            (r#"{"m": {"one": "x"}}"#, "not an example number"),
            (r#"{"m": {"1": 5}}"#, "not a record"),
        ] {
            let error = Disagreements::parse(text).unwrap_err();
            assert!(error.contains(expected), "{text}: {error}");
        }
        let huge = " ".repeat(MAX_RECORD_BYTES + 1);
        assert!(
            Disagreements::parse(&huge)
                .unwrap_err()
                .contains("more than")
        );
    }
}
