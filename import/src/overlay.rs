//! Hand corrections of imported schema files, which survive re-import.
//!
//! Where a page is wrong or incomplete, a person writes an override: a JSON
//! merge patch (RFC 7396, the `json-patch` crate's `merge`) over the file
//! the importer writes for that method. Keys of the patch replace or add to
//! the imported ones, objects merge key by key, `null` removes a key, and an
//! array replaces the imported array whole (errors, examples, parameters).
//! The importer applies it after every import, so a correction is written
//! once. This module knows nothing about where overrides are kept.

use serde_json::Value;

/// The largest override read, in bytes: a correction is a few lines, so
/// anything near this is a mistake.
pub const MAX_OVERRIDE_BYTES: usize = 1024 * 1024;

/// `imported`, a file the importer wrote, with `patch` merged into it, in
/// the importer's layout (pretty JSON, keys in order, new keys last).
///
/// The patch must be a JSON object no larger than [`MAX_OVERRIDE_BYTES`];
/// whether the result is a valid schema file is the generator's to say.
pub fn apply(imported: &str, patch: &str) -> Result<String, String> {
    if patch.len() > MAX_OVERRIDE_BYTES {
        return Err(format!(
            "the override is {} bytes, more than the {MAX_OVERRIDE_BYTES} an override may have",
            patch.len()
        ));
    }
    let patch: Value = serde_json::from_str(patch)
        .map_err(|error| format!("the override is not JSON: {error}"))?;
    if !patch.is_object() {
        return Err(
            "the override is not a JSON object (a merge patch over the imported file)".into(),
        );
    }
    let mut document: Value = serde_json::from_str(imported)
        .map_err(|error| format!("the imported file is not JSON: {error}"))?;
    json_patch::merge(&mut document, &patch);
    let mut text = serde_json::to_string_pretty(&document)
        .map_err(|error| format!("the merged file does not encode: {error}"))?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const IMPORTED: &str = r#"{
  "format_version": 2,
  "method": {
    "name": "crm.deal.get",
    "retry_safe": false,
    "description": "Gets a deal.",
    "errors": [{"code": "A"}]
  }
}
"#;

    #[test]
    fn an_override_merges_replaces_and_removes_keeping_the_order() {
        let patch = r#"{"method": {"retry_safe": true, "description": null, "errors": [], "since": "24.0"}}"#;
        let merged = apply(IMPORTED, patch).unwrap();
        assert_eq!(
            merged,
            r#"{
  "format_version": 2,
  "method": {
    "name": "crm.deal.get",
    "retry_safe": true,
    "errors": [],
    "since": "24.0"
  }
}
"#
        );
        // An empty patch changes nothing but the layout.
        let again = apply(&merged, "{}").unwrap();
        assert_eq!(again, merged);
    }

    #[test]
    fn a_bad_override_is_an_error_that_says_why() {
        assert!(apply(IMPORTED, "{").unwrap_err().contains("not JSON"));
        assert!(
            apply(IMPORTED, "[1]")
                .unwrap_err()
                .contains("not a JSON object")
        );
        let huge = format!("{{\"a\":\"{}\"}}", "x".repeat(MAX_OVERRIDE_BYTES));
        assert!(apply(IMPORTED, &huge).unwrap_err().contains("bytes"));
    }
}
