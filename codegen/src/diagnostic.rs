//! Errors found in schema files, each tied to a file and a JSON path.
//!
//! The loader and the lowering pass collect every problem they find instead of
//! stopping at the first, so a user fixes a schema in one round. This module
//! only stores and renders them; it knows nothing about what is being checked.

use std::fmt;

/// One problem in one schema file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, relative to the repository root (`schema/methods/x.json`).
    pub file: String,
    /// Where in the file, as a JSON path (`method.params[2].type`); empty for
    /// the file as a whole.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it, where a suggestion helps.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem at `path` in `file`.
    pub fn new(
        file: impl Into<String>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: file.into(),
            path: path.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a suggestion.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.file)?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every problem found in a set of schema files, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "error: {diagnostic}")?;
        }
        let count = self.0.len();
        write!(
            f,
            "{count} error{} in the schema; nothing was written",
            if count == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Diagnostics {}

/// Joins a JSON path prefix and a relative path (`a.b` + `[2].c` or `c`).
pub(crate) fn join_path(prefix: &str, rest: &str) -> String {
    match (prefix.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_owned(),
        (false, true) => prefix.to_owned(),
        (false, false) if rest.starts_with('[') => format!("{prefix}{rest}"),
        (false, false) => format!("{prefix}.{rest}"),
    }
}

/// Suggests the closest of `candidates` to `input`, if one is close enough.
pub(crate) fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(input, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| format!("did you mean `{candidate}`?"))
}
