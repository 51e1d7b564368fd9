//! Methods: their parameters, result, errors and examples, checked one
//! method at a time.

use std::collections::BTreeMap;

use super::naming::Member;
use super::{ERRORS, EXAMPLES, Lowering, PARAMS, SharedErrorDecl, TypeDecl};
use crate::diagnostic::{did_you_mean, join_path};
use crate::format::{self, Each};
use crate::model::{Example, Method, MethodError, Param, Ty, TypeRef};
use crate::names;

impl Lowering {
    pub(super) fn method(
        &mut self,
        file: &str,
        method: format::Method,
        types: &BTreeMap<TypeRef, TypeDecl>,
        shared_errors: &BTreeMap<String, SharedErrorDecl>,
    ) -> Option<Method> {
        let errors_before = self.diagnostics.len();
        let wire = method.name.clone();
        let wire = wire.as_str();
        let valid_wire = !wire.is_empty()
            && wire
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
            && wire.starts_with(|c: char| c.is_ascii_alphabetic());
        if !valid_wire {
            self.error(
                file,
                "method.name",
                format!("{wire:?} is not a method name (letters, digits, `.` and `_`)"),
            );
        }
        let expected_file = format!("{wire}.json");
        if !file.ends_with(&format!("/{expected_file}")) && file != expected_file {
            let message = format!("the file of method {wire} must be named {expected_file}");
            self.error(file, "method.name", message);
        }
        if method.scope.trim().is_empty() {
            self.error(file, "method.scope", "the scope must not be empty");
        }
        if !method.docs_url.starts_with("https://") {
            self.error(
                file,
                "method.docs_url",
                "the documentation link must start with https://",
            );
        }
        let type_name = match &method.rust_name {
            Some(name) if names::is_type_name(name) => name.clone(),
            Some(name) => {
                let message = format!("{name:?} is not an UpperCamelCase identifier");
                self.error(file, "method.rust_name", message);
                names::method_type(wire)
            }
            None => names::method_type(wire),
        };
        let module = match &method.rust_name {
            Some(name) => names::field(name),
            None => names::method_module(wire),
        };
        if !names::is_type_name(&type_name) || !names::is_identifier(&module) {
            let message = format!("cannot derive Rust names from {wire:?}");
            let hint = Some("set rust_name".to_owned());
            self.error_with_hint(file, "method.name", message, hint);
        }
        let family = names::family_module(wire);
        let params = self.params(file, &family, &method, types);
        let result_path = "method.result.type";
        let result = self.resolve((file, result_path), Some(&family), &method.result.ty, types);
        if let Some(result) = &result {
            self.forbid_one_or_many(file, result_path, result, false);
        }
        let errors = self.method_errors(file, &method.errors, shared_errors);
        let examples = self.examples(file, method.examples);
        if self.diagnostics.len() > errors_before {
            return None;
        }
        let setters_trait = params
            .iter()
            .any(|param| !param.required)
            .then(|| names::setters_trait(&type_name));
        Some(Method {
            wire: method.name.clone(),
            source: file.to_owned(),
            error_name: names::error_type(&type_name),
            type_name,
            module,
            setters_trait,
            scope: method.scope,
            summary: method.summary,
            description: method.description,
            access: method.access,
            docs_url: method.docs_url,
            retry_safe: method.retry_safe,
            paged: method.paged,
            params,
            result: result?,
            result_doc: method.result.description,
            errors,
            types: Vec::new(),
            examples,
        })
    }

    fn params(
        &mut self,
        file: &str,
        family: &str,
        method: &format::Method,
        types: &BTreeMap<TypeRef, TypeDecl>,
    ) -> Vec<Param> {
        let mut lowered: Vec<Param> = Vec::new();
        if method.paged {
            lowered.push(Param {
                wire: "start".to_owned(),
                rust: "start".to_owned(),
                ty: Ty::Primitive(format::Primitive::Integer),
                required: false,
                doc:
                    "The offset of the first row to return: pass the `next` of the previous page. \
                      `-1` skips counting `total`, which is faster."
                        .to_owned(),
            });
        }
        let params = self.items(
            file,
            ("method.params", PARAMS),
            method.params.0.iter().map(Result::as_ref),
        );
        for (path, param) in params {
            let member = Member {
                wire: &param.name,
                rust_name: param.rust_name.as_deref(),
                ty: &param.ty,
                kind: "parameter",
                duplicate_note: if method.paged {
                    " (paged methods get `start` automatically)"
                } else {
                    ""
                },
                one_or_many_allowed: true,
            };
            let known = lowered
                .iter()
                .map(|known| (known.wire.as_str(), known.rust.as_str()));
            let Some((rust, ty)) = self.member((file, &path), Some(family), member, known, types)
            else {
                continue;
            };
            if !param.required {
                self.check_setter_name(file, &path, &rust);
            }
            lowered.push(Param {
                wire: param.name.clone(),
                rust,
                ty,
                required: param.required,
                doc: param.description.clone(),
            });
        }
        lowered
    }

    fn method_errors(
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
            let Some((code, description, rust_name, doc)) =
                self.error_parts(file, &path, entry, shared)
            else {
                continue;
            };
            let wire_key = if description.is_some() {
                "description"
            } else {
                "code"
            };
            let wire_text = description.clone().unwrap_or_else(|| code.clone());
            let Some(variant) =
                self.variant_name(file, &path, rust_name.as_deref(), (wire_key, &wire_text))
            else {
                continue;
            };
            if names::ERROR_FALLBACK_VARIANTS.contains(&variant.as_str()) {
                let message = format!(
                    "variant name {variant} is reserved for errors every method has; set rust_name"
                );
                self.error(file, path, message);
            } else if lowered.iter().any(|known| known.variant == variant) {
                self.error(
                    file,
                    path,
                    format!("two errors of this method become variant {variant}; set rust_name"),
                );
            } else if lowered
                .iter()
                .any(|known| known.code == code && known.description == description)
            {
                self.error(file, path, format!("error {wire_text:?} is listed twice"));
            } else {
                lowered.push(MethodError {
                    variant,
                    code,
                    description,
                    doc,
                });
            }
        }
        lowered
    }

    /// The code, description, name override and doc of an error entry,
    /// following a reference to a shared error.
    #[allow(clippy::type_complexity)]
    fn error_parts(
        &mut self,
        file: &str,
        path: &str,
        entry: &format::ErrorEntry,
        shared: &BTreeMap<String, SharedErrorDecl>,
    ) -> Option<(String, Option<String>, Option<String>, Option<String>)> {
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
            return Some((
                error.code.clone(),
                error.description.clone(),
                error.rust_name.clone(),
                Some(error.doc.clone()),
            ));
        }
        let Some(code) = &entry.code else {
            let message =
                "an error needs `ref`, or a `code` (\"\" for the empty code of method errors)";
            self.error(file, path, message);
            return None;
        };
        if code.is_empty() && entry.description.is_none() {
            self.error(
                file,
                path,
                "an error with the empty code needs a `description` to be recognised by",
            );
            return None;
        }
        Some((
            code.clone(),
            entry.description.clone(),
            entry.rust_name.clone(),
            entry.doc.clone(),
        ))
    }

    fn examples(&mut self, file: &str, examples: Each<format::Example>) -> Vec<Example> {
        let mut lowered = Vec::new();
        for (path, example) in self.items(file, ("method.examples", EXAMPLES), examples.0) {
            let key = if example.status == 200 {
                "result"
            } else {
                "error"
            };
            if example.body.get(key).is_none() {
                let message = format!(
                    "an example with status {} needs a body with {key:?}",
                    example.status
                );
                self.error(file, join_path(&path, "body"), message);
                continue;
            }
            lowered.push(Example {
                description: example.description,
                params: serde_json::Value::Object(example.params),
                params_json: example.params_json,
                status: example.status,
                body: example.body,
                body_json: example.body_json,
            });
        }
        lowered
    }
}
