//! Method errors: what each entry matches (codes and descriptions), and the
//! entries that can never match.
//!
//! The generated error type tries the entries in order, so an entry whose
//! every answer an earlier entry already takes is dead, and a description
//! two entries match for the same code is ambiguous; both are errors here,
//! located at the later entry. Descriptions compare as the runtime compares
//! them ([`Descriptions::normalized`]).

use std::collections::BTreeMap;

use super::{DESCRIPTIONS, ERRORS, Lowering, SharedErrorDecl};
use crate::diagnostic::{did_you_mean, join_path};
use crate::format::{self, Descriptions, Each};
use crate::model::MethodError;
use crate::names;

/// An entry's parts, after following a reference.
struct Parts {
    code: Option<String>,
    descriptions: Vec<String>,
    rust_name: Option<String>,
    doc: Option<String>,
}

impl Lowering {
    pub(super) fn method_errors(
        &mut self,
        file: &str,
        entries: &Each<format::ErrorEntry>,
        shared: &BTreeMap<String, SharedErrorDecl>,
    ) -> Vec<MethodError> {
        let mut lowered: Vec<MethodError> = Vec::new();
        for (path, entry) in self.items(
            file,
            ("method.errors", ERRORS),
            entries.0.iter().map(Result::as_ref),
        ) {
            let Some(parts) = self.error_parts(file, &path, entry, shared) else {
                continue;
            };
            let error = MethodError {
                variant: String::new(),
                codes: self.matching_codes(parts.code.as_deref()),
                code: parts.code,
                descriptions: parts.descriptions,
                doc: parts.doc,
            };
            let wire_key = if error.descriptions.is_empty() {
                "code"
            } else {
                "description"
            };
            let Some(variant) = self.variant_name(
                file,
                &path,
                parts.rust_name.as_deref(),
                (wire_key, error.wire_text()),
            ) else {
                continue;
            };
            let error = MethodError { variant, ..error };
            if let Some(problem) = self.error_problem(&error, &lowered) {
                self.error(file, path, problem);
            } else {
                lowered.push(error);
            }
        }
        lowered
    }

    /// The codes an entry with `code` matches: any (empty) without one; the
    /// empty code also stands for the legacy codes older servers send.
    fn matching_codes(&self, code: Option<&str>) -> Vec<String> {
        match code {
            None => Vec::new(),
            Some("") => {
                let legacy = self.legacy_empty_codes.iter().flat_map(|(_, codes)| codes);
                std::iter::once(String::new())
                    .chain(legacy.cloned())
                    .collect()
            }
            Some(code) => vec![code.to_owned()],
        }
    }

    /// Why `error` cannot follow the entries `before`, if it cannot.
    fn error_problem(&self, error: &MethodError, before: &[MethodError]) -> Option<String> {
        let variant = &error.variant;
        if names::ERROR_FALLBACK_VARIANTS.contains(&variant.as_str()) {
            return Some(format!(
                "variant name {variant} is reserved for errors every method has; set rust_name"
            ));
        }
        if before.iter().any(|known| known.variant == *variant) {
            return Some(format!(
                "two errors of this method become variant {variant}; set rust_name"
            ));
        }
        if let (Some(code), true) = (&error.code, error.descriptions.is_empty())
            && names::runtime::SYSTEM_ERROR_CODES.contains(&code.as_str())
        {
            return Some(format!(
                "{code} is the code of an error any method can return; matched on its code alone, this entry would take all of them from `System`: add the description it is recognised by"
            ));
        }
        for (index, text) in error.descriptions.iter().enumerate() {
            let twice = error.descriptions[..index]
                .iter()
                .any(|other| Descriptions::normalized(other) == Descriptions::normalized(text));
            if Descriptions::normalized(text).is_empty() || twice {
                return Some(format!(
                    "description {text:?} is empty or listed twice (descriptions compare without surrounding whitespace and a trailing period)"
                ));
            }
        }
        for known in before {
            if covers(known, error) {
                return Some(format!(
                    "this error never matches: {} (before it) already matches every answer it would",
                    known.variant
                ));
            }
            let shared = known.descriptions.iter().find(|text| {
                error
                    .descriptions
                    .iter()
                    .any(|other| Descriptions::normalized(other) == Descriptions::normalized(text))
            });
            if let (Some(text), true) = (shared, codes_overlap(known, error)) {
                return Some(format!(
                    "description {text:?} is already matched by {} for the same code; only the first entry would ever match it",
                    known.variant
                ));
            }
        }
        None
    }

    /// The code, descriptions, name override and doc of an entry, following
    /// a reference to a shared error.
    fn error_parts(
        &mut self,
        file: &str,
        path: &str,
        entry: &format::ErrorEntry,
        shared: &BTreeMap<String, SharedErrorDecl>,
    ) -> Option<Parts> {
        if let Some(key) = &entry.reference {
            if entry.code.is_some()
                || entry.description.is_some()
                || entry.rust_name.is_some()
                || entry.doc.is_some()
            {
                self.error(
                    file,
                    path,
                    "an error with `ref` takes nothing else; change the shared error instead",
                );
                return None;
            }
            let Some(decl) = shared.get(key) else {
                if !self.references_may_dangle {
                    let hint = did_you_mean(key, shared.keys().map(String::as_str));
                    let message = format!("unknown error {key:?}");
                    self.error_with_hint(file, join_path(path, "ref"), message, hint);
                }
                return None;
            };
            let error = &decl.error;
            let parts = Parts {
                code: error.code.clone(),
                descriptions: descriptions(error.description.clone()),
                rust_name: error.rust_name.clone(),
                doc: Some(error.doc.clone()),
            };
            return self.check_parts(&decl.file, &format!("errors.{key}"), parts);
        }
        let parts = Parts {
            code: entry.code.clone(),
            descriptions: descriptions(entry.description.clone()),
            rust_name: entry.rust_name.clone(),
            doc: entry.doc.clone(),
        };
        self.check_parts(file, path, parts)
    }

    fn check_parts(&mut self, file: &str, path: &str, parts: Parts) -> Option<Parts> {
        let count = parts.descriptions.len();
        if !self.within(file, &join_path(path, "description"), count, DESCRIPTIONS) {
            return None;
        }
        let message = match (&parts.code, parts.descriptions.is_empty()) {
            (None, true) => {
                "an error needs `ref`, or a `code`, a `description` or both (\"code\": \"\" for the empty code of method errors)"
            }
            (Some(code), true) if code.is_empty() => {
                "an error with the empty code needs a `description` to be recognised by"
            }
            _ => return Some(parts),
        };
        self.error(file, path, message);
        None
    }
}

fn descriptions(description: Option<format::Descriptions>) -> Vec<String> {
    description
        .map(format::Descriptions::into_vec)
        .unwrap_or_default()
}

/// Whether some code matches both entries.
fn codes_overlap(a: &MethodError, b: &MethodError) -> bool {
    a.codes.is_empty() || b.codes.is_empty() || a.codes.iter().any(|code| b.codes.contains(code))
}

/// Whether `earlier` matches every answer `later` matches.
fn covers(earlier: &MethodError, later: &MethodError) -> bool {
    let codes = earlier.codes.is_empty()
        || (!later.codes.is_empty() && later.codes.iter().all(|code| earlier.codes.contains(code)));
    let descriptions = earlier.descriptions.is_empty()
        || (!later.descriptions.is_empty()
            && later.descriptions.iter().all(|text| {
                earlier
                    .descriptions
                    .iter()
                    .any(|known| Descriptions::normalized(known) == Descriptions::normalized(text))
            }));
    codes && descriptions
}
