//! Methods: their parameters, result, errors and examples, checked one
//! method at a time.

use std::collections::BTreeMap;

use super::naming::Member;
use super::{ALIASES, EXAMPLES, Lowering, PARAMS, SCOPES, SharedErrorDecl, TypeDecl};
use crate::diagnostic::join_path;
use crate::format::{self, Each};
use crate::model::{Answer, Example, Method, NamedType, Param, RestVersion, Ty, TypeRef};
use crate::names;

impl Lowering {
    pub(super) fn method(
        &mut self,
        file: &str,
        method: format::Method,
        twin: bool,
        types: &BTreeMap<TypeRef, TypeDecl>,
        typed: &BTreeMap<TypeRef, NamedType>,
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
        let scopes_fit = self.within(file, "method.scopes", method.scopes.len(), SCOPES);
        if method.scopes.is_empty() {
            self.error(file, "method.scopes", "a method needs at least one scope");
        }
        for (index, scope) in method.scopes.iter().enumerate().filter(|_| scopes_fit) {
            if scope.trim().is_empty() || method.scopes[..index].contains(scope) {
                let message = "each scope is a distinct, non-empty name";
                self.error(file, format!("method.scopes[{index}]"), message);
            }
        }
        if !method.docs_url.starts_with("https://") {
            self.error(
                file,
                "method.docs_url",
                "the documentation link must start with https://",
            );
        }
        let rest_version = self.rest_version(file, &method);
        let type_name = match &method.rust_name {
            Some(name) if names::is_type_name(name) => name.clone(),
            Some(name) => {
                let message = format!("{name:?} is not an UpperCamelCase identifier");
                self.error(file, "method.rust_name", message);
                names::method_type(wire, twin)
            }
            None => names::method_type(wire, twin),
        };
        let module = match &method.rust_name {
            Some(name) => names::field(name),
            None => names::method_module(wire, twin),
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
        let paging = result
            .as_ref()
            .and_then(|result| self.paging(file, &method, result, &params, (types, typed)));
        let errors = self.method_errors(file, &method.errors, shared_errors);
        let examples = self.examples(file, method.examples);
        if self.diagnostics.len() > errors_before {
            return None;
        }
        let setters_trait = params
            .iter()
            .any(|param| !param.required)
            .then(|| names::setters_trait(&type_name));
        let params_struct = params
            .iter()
            .any(|param| !param.page_start)
            .then(|| names::params_struct(&type_name));
        Some(Method {
            wire: method.name.clone(),
            source: file.to_owned(),
            error_name: names::error_type(&type_name),
            type_name,
            module,
            setters_trait,
            params_struct,
            scopes: method.scopes,
            summary: method.summary,
            description: method.description,
            access: method.access,
            docs_url: method.docs_url,
            retry_safe: method.retry_safe,
            rest_version,
            writes: method.writes,
            paging,
            params,
            result: result?,
            result_doc: method.result.description,
            errors,
            types: Vec::new(),
            examples,
        })
    }

    /// The version a method declares, checked with what depends on it:
    /// only REST 3.0 methods write with a key, and none pages with `start`.
    fn rest_version(&mut self, file: &str, method: &format::Method) -> RestVersion {
        let version = match method.rest_version {
            None => RestVersion::V2,
            Some(3) => RestVersion::V3,
            Some(other) => {
                let message = format!(
                    "REST version {other} does not exist: write 3 for REST 3.0, nothing for REST 2"
                );
                self.error(file, "method.rest_version", message);
                RestVersion::V2
            }
        };
        if method.writes && version == RestVersion::V2 {
            let message = "only REST 3.0 methods declare writes: REST 2 ignores Idempotency-Key";
            self.error(file, "method.writes", message);
        }
        if method.paged && version == RestVersion::V3 {
            let message = "REST 3.0 lists do not page with start, next and total";
            self.error(file, "method.paged", message);
        }
        version
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
                aliases: Vec::new(),
                page_start: true,
                doc: "The offset of the first row to return: pass the `next` of the previous page \
                      (`None` for the first)."
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
            // Kept even when an alias is bad, so later parameters are checked
            // against its aliases too.
            self.check_aliases(file, &path, param, &lowered);
            lowered.push(Param {
                wire: param.name.clone(),
                rust,
                ty,
                required: param.required,
                aliases: param.aliases.clone(),
                page_start: false,
                doc: param.description.clone(),
            });
        }
        // `start` comes first above so that a declared `start` is reported
        // as a duplicate; it is sent last, after the method's own parameters.
        if method.paged {
            lowered.rotate_left(1);
        }
        lowered
    }

    /// An alias is another wire name of the same parameter: it may be no
    /// parameter's name or alias, this one's included.
    fn check_aliases(&mut self, file: &str, path: &str, param: &format::Param, before: &[Param]) {
        if !self.within(
            file,
            &join_path(path, "aliases"),
            param.aliases.len(),
            ALIASES,
        ) {
            return;
        }
        for (index, alias) in param.aliases.iter().enumerate() {
            let taken = alias == &param.name
                || param.aliases[..index].contains(alias)
                || before
                    .iter()
                    .any(|other| other.wire == *alias || other.aliases.contains(alias));
            if alias.is_empty() || taken {
                let message = format!(
                    "alias {alias:?} is empty, or already the name or an alias of a parameter"
                );
                self.error(file, format!("{path}.aliases[{index}]"), message);
            }
        }
        let claimed = before
            .iter()
            .find(|other| other.aliases.contains(&param.name));
        if let Some(other) = claimed {
            let message = format!("{:?} is already an alias of {:?}", param.name, other.wire);
            self.error(file, join_path(path, "name"), message);
        }
    }

    fn examples(&mut self, file: &str, examples: Each<format::Example>) -> Vec<Example> {
        let mut lowered = Vec::new();
        for (path, example) in self.items(file, ("method.examples", EXAMPLES), examples.0) {
            let answer = match (example.status, example.body, example.body_json) {
                (Some(status), Some(body), Some(body_json)) => {
                    let answer = Answer {
                        status,
                        body,
                        body_json,
                    };
                    let key = if answer.is_success() {
                        "result"
                    } else {
                        "error"
                    };
                    let fits =
                        answer.body.get(key).is_some() && (status == 200) == answer.is_success();
                    if !fits {
                        let message = format!(
                            "an answer with status {status} needs a body with {:?}",
                            if status == 200 { "result" } else { "error" }
                        );
                        self.error(file, join_path(&path, "body"), message);
                        continue;
                    }
                    Some(answer)
                }
                (None, None, _) => None,
                _ => {
                    let message = "an answer needs both `status` and `body`";
                    self.error(file, path, message);
                    continue;
                }
            };
            if answer.is_none() && example.params_json.is_none() {
                let message = "an example needs `params`, an answer (`status` and `body`), or both";
                self.error(file, path, message);
                continue;
            }
            let disagrees = example.disagrees.filter(|reason| {
                let one_line = !reason.trim().is_empty() && !reason.contains(['\n', '\r']);
                if !one_line {
                    let message = "`disagrees` is one line saying why the example fails";
                    self.error(file, join_path(&path, "disagrees"), message);
                }
                one_line
            });
            lowered.push(Example {
                description: example.description,
                params_json: example.params_json,
                answer,
                disagrees,
            });
        }
        lowered
    }
}
