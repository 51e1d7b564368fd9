//! Turns parsed schema files into the validated [`Api`] model.
//!
//! This is where the files are read together: names are derived and checked
//! for collisions, references are resolved, and rules that span items are
//! enforced (a closed enum cannot be decoded from an answer, a type cannot
//! contain itself, a method file is named after its method). Every problem is
//! collected; the model is returned only when there are none. This module does
//! no I/O and knows nothing about Rust syntax beyond names.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::diagnostic::{Diagnostic, did_you_mean, join_path};
use crate::format::{self, Each, EachMap, ItemError, TypeExpr};
use crate::load::Parsed;
use crate::model::{
    Api, EnumValue, Example, Field, Method, MethodError, NamedType, Param, SystemError, Ty,
    TypeKind,
};
use crate::names;

/// Lowers parsed files into the model, or returns every problem found.
///
/// When `some_files_unread` is set, definitions may be missing because their
/// file could not be parsed, so dangling references are not reported: they
/// would only repeat that file's error in every file that uses it.
pub fn lower(files: Vec<Parsed>, some_files_unread: bool) -> Result<Api, Vec<Diagnostic>> {
    let mut lowering = Lowering {
        diagnostics: Vec::new(),
        references_may_dangle: some_files_unread,
    };
    let declarations = lowering.declare(files);
    let api = lowering.build(declarations);
    if lowering.diagnostics.is_empty() {
        Ok(api)
    } else {
        Err(lowering.diagnostics)
    }
}

struct Lowering {
    diagnostics: Vec<Diagnostic>,
    references_may_dangle: bool,
}

/// Everything the files declare, before references are resolved.
#[derive(Default)]
struct Declarations {
    types: BTreeMap<String, TypeDecl>,
    shared_errors: BTreeMap<String, SharedErrorDecl>,
    /// File, JSON path and definition.
    system_errors: Vec<(String, String, format::SystemError)>,
    methods: Vec<(String, format::Method)>,
}

struct TypeDecl {
    file: String,
    /// The wire name of the method whose file defines it, if any.
    home: Option<String>,
    def: format::TypeDef,
}

/// How one kind of Rust name is checked and derived.
struct NameRule {
    case: &'static str,
    valid: fn(&str) -> bool,
    derive: fn(&str) -> String,
}

/// What parameters and fields have in common.
struct Member<'a> {
    wire: &'a str,
    rust_name: Option<&'a str>,
    ty: &'a TypeExpr,
}

struct SharedErrorDecl {
    file: String,
    error: format::SharedError,
}

impl Lowering {
    fn error(&mut self, file: &str, path: impl Into<String>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(file, path, message));
    }

    /// Reports a value that could not be read, at `prefix` in the file.
    fn item_error(&mut self, file: &str, prefix: &str, error: &ItemError) {
        self.error_with_hint(
            file,
            join_path(prefix, &error.path),
            error.message.clone(),
            error.hint.clone(),
        );
    }

    fn error_with_hint(
        &mut self,
        file: &str,
        path: impl Into<String>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let diagnostic = Diagnostic::new(file, path, message);
        self.diagnostics.push(match hint {
            Some(hint) => diagnostic.with_hint(hint),
            None => diagnostic,
        });
    }

    /// Keeps the items that parsed and reports the others.
    /// Keeps the items that parsed, each with its JSON path, and reports the
    /// others. Takes owned items (`each.0`) or borrowed ones
    /// (`each.0.iter().map(Result::as_ref)`).
    fn items<T, E: Borrow<ItemError>>(
        &mut self,
        file: &str,
        prefix: &str,
        items: impl IntoIterator<Item = Result<T, E>>,
    ) -> Vec<(String, T)> {
        let mut kept = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            let path = format!("{prefix}[{index}]");
            match item {
                Ok(value) => kept.push((path, value)),
                Err(error) => self.item_error(file, &path, error.borrow()),
            }
        }
        kept
    }

    fn entries<T>(&mut self, file: &str, prefix: &str, each: EachMap<T>) -> Vec<(String, T)> {
        let mut kept = Vec::new();
        for (key, item) in each.0 {
            let item_path = format!("{prefix}.{key}");
            match item {
                Ok(value) => kept.push((key, value)),
                Err(error) => self.item_error(file, &item_path, &error),
            }
        }
        kept
    }

    fn declare(&mut self, files: Vec<Parsed>) -> Declarations {
        let mut declarations = Declarations::default();
        for Parsed { path, file } in files {
            let home = file.method.as_ref().map(|method| method.name.clone());
            if home.is_none()
                && file.types.0.is_empty()
                && file.errors.0.is_empty()
                && file.system_errors.0.is_empty()
            {
                self.error(&path, "", "the file defines nothing: add a `method`, `types`, `errors` or `system_errors`");
            }
            for (name, def) in self.entries(&path, "types", file.types) {
                if !names::is_upper_camel(&name) {
                    self.error(
                        &path,
                        format!("types.{name}"),
                        format!("type name {name:?} is not an UpperCamelCase identifier"),
                    );
                } else if let Some(existing) = declarations.types.get(&name) {
                    let message = format!("type {name} is already defined in {}", existing.file);
                    self.error(&path, format!("types.{name}"), message);
                } else {
                    declarations.types.insert(
                        name,
                        TypeDecl {
                            file: path.clone(),
                            home: home.clone(),
                            def,
                        },
                    );
                }
            }
            for (key, error) in self.entries(&path, "errors", file.errors) {
                if let Some(existing) = declarations.shared_errors.get(&key) {
                    let message = format!("error {key:?} is already defined in {}", existing.file);
                    self.error(&path, format!("errors.{key}"), message);
                } else {
                    declarations.shared_errors.insert(
                        key,
                        SharedErrorDecl {
                            file: path.clone(),
                            error,
                        },
                    );
                }
            }
            for (index, error) in self.items(&path, "system_errors", file.system_errors.0) {
                declarations
                    .system_errors
                    .push((path.clone(), index, error));
            }
            if let Some(method) = file.method {
                declarations.methods.push((path, method));
            }
        }
        declarations
    }

    fn build(&mut self, declarations: Declarations) -> Api {
        let Declarations {
            types,
            shared_errors,
            system_errors,
            methods: declared_methods,
        } = declarations;
        let system_errors = self.system_errors(&system_errors);
        let mut typed: BTreeMap<String, NamedType> = BTreeMap::new();
        for (name, decl) in &types {
            let lowered = self.named_type(name, decl, &types);
            typed.insert(name.clone(), lowered);
        }
        self.check_recursion(&typed, &types);

        let mut methods = Vec::new();
        let mut seen_methods: HashMap<String, String> = HashMap::new();
        for (file, method) in declared_methods {
            let lowered_name = method.name.to_ascii_lowercase();
            if let Some(first) = seen_methods.get(&lowered_name) {
                let message = format!(
                    "method {} is already defined in {first} (method names are case-insensitive)",
                    method.name
                );
                self.error(&file, "method.name", message);
                continue;
            }
            seen_methods.insert(lowered_name, file.clone());
            if let Some(lowered) = self.method(&file, method, &types, &shared_errors) {
                methods.push(lowered);
            }
        }
        methods.sort_by(|a, b| a.wire.cmp(&b.wire));

        for method in &methods {
            self.check_closed_enums(method, &typed);
        }
        self.check_root_names(&methods, &types);

        let mut shared_types = Vec::new();
        let mut by_home: HashMap<String, Vec<NamedType>> = HashMap::new();
        for named in typed.into_values() {
            match &types[&named.name].home {
                Some(home) => by_home.entry(home.clone()).or_default().push(named),
                None => shared_types.push(named),
            }
        }
        for method in &mut methods {
            method.types = by_home.remove(&method.wire).unwrap_or_default();
        }
        Api {
            methods,
            shared_types,
            system_errors,
        }
    }

    fn system_errors(
        &mut self,
        declared: &[(String, String, format::SystemError)],
    ) -> Vec<SystemError> {
        let mut codes: HashMap<&str, &str> = HashMap::new();
        let mut variants: HashMap<String, String> = HashMap::new();
        let mut lowered = Vec::new();
        for (file, path, error) in declared {
            if error.code.is_empty() {
                self.error(
                    file,
                    join_path(path, "code"),
                    "a system error needs a non-empty code",
                );
                continue;
            }
            if let Some(first) = codes.insert(&error.code, file) {
                self.error(
                    file,
                    join_path(path, "code"),
                    format!(
                        "system error {:?} is already defined in {first}",
                        error.code
                    ),
                );
                continue;
            }
            let Some(variant) = self.variant_name(
                file,
                path,
                error.rust_name.as_deref(),
                ("code", &error.code),
            ) else {
                continue;
            };
            if let Some(other) = variants.insert(variant.clone(), error.code.clone()) {
                let message = format!(
                    "variant {variant} of {:?} collides with system error {other:?}; set rust_name",
                    error.code
                );
                self.error(file, join_path(path, "code"), message);
                continue;
            }
            lowered.push(SystemError {
                code: error.code.clone(),
                variant,
                description: error.description.clone(),
                status: error.status,
                category: error.category,
                retry: error.retry,
                doc: error.doc.clone(),
            });
        }
        lowered
    }

    /// A variant name from an override, or derived from the wire text found
    /// at `wire_key` in the item at `path`.
    fn variant_name(
        &mut self,
        file: &str,
        path: &str,
        rust_name: Option<&str>,
        (wire_key, wire): (&str, &str),
    ) -> Option<String> {
        let name = NameRule {
            case: "UpperCamelCase",
            valid: names::is_upper_camel,
            derive: names::variant,
        };
        self.rust_name(file, path, rust_name, (wire_key, wire), &name)
    }

    /// A field or parameter name from an override, or derived from its wire name.
    fn field_name(
        &mut self,
        file: &str,
        path: &str,
        rust_name: Option<&str>,
        wire: &str,
    ) -> Option<String> {
        let name = NameRule {
            case: "snake_case",
            valid: names::is_snake,
            derive: names::field,
        };
        self.rust_name(
            file,
            path,
            rust_name.map(names::escape).as_deref(),
            ("name", wire),
            &name,
        )
    }

    /// A Rust name: the override if it follows `rule`, else one derived from
    /// the wire text if that is an identifier.
    fn rust_name(
        &mut self,
        file: &str,
        path: &str,
        rust_name: Option<&str>,
        (wire_key, wire): (&str, &str),
        rule: &NameRule,
    ) -> Option<String> {
        match rust_name {
            Some(name) if (rule.valid)(name) => Some(name.to_owned()),
            Some(name) => {
                let message = format!("{:?} is not a {} identifier", names::unraw(name), rule.case);
                self.error(file, join_path(path, "rust_name"), message);
                None
            }
            None => {
                let derived = (rule.derive)(wire);
                if names::is_identifier(&derived) {
                    return Some(derived);
                }
                let message = format!("cannot derive a Rust name from {wire:?}");
                let hint = Some("set rust_name".to_owned());
                self.error_with_hint(file, join_path(path, wire_key), message, hint);
                None
            }
        }
    }

    fn resolve(
        &mut self,
        file: &str,
        path: &str,
        expr: &TypeExpr,
        types: &BTreeMap<String, TypeDecl>,
    ) -> Option<Ty> {
        Some(match expr {
            TypeExpr::Primitive(primitive) => Ty::Primitive(*primitive),
            TypeExpr::Ref(name) => {
                if !types.contains_key(name) {
                    if !self.references_may_dangle {
                        let hint = did_you_mean(name, types.keys().map(String::as_str));
                        let message = format!("unknown type {name:?}");
                        self.error_with_hint(file, join_path(path, "ref"), message, hint);
                    }
                    return None;
                }
                Ty::Named(name.clone())
            }
            TypeExpr::Array(inner) => Ty::Array(Box::new(self.resolve(
                file,
                &join_path(path, "array"),
                inner,
                types,
            )?)),
            TypeExpr::Map(inner) => Ty::Map(Box::new(self.resolve(
                file,
                &join_path(path, "map"),
                inner,
                types,
            )?)),
            TypeExpr::OneOrMany(inner) => Ty::OneOrMany(Box::new(self.resolve(
                file,
                &join_path(path, "one_or_many"),
                inner,
                types,
            )?)),
        })
    }

    /// `one_or_many` describes how a parameter may be sent; it has no meaning
    /// inside answers or nested types.
    fn forbid_one_or_many(&mut self, file: &str, path: &str, ty: &Ty, allowed_at_top: bool) {
        let nested = match ty {
            Ty::OneOrMany(inner) if allowed_at_top => Some(inner.as_ref()),
            Ty::OneOrMany(_) => {
                let message = "one_or_many is only allowed as the whole type of a parameter";
                self.error(file, path, message);
                None
            }
            Ty::Array(inner) | Ty::Map(inner) => Some(inner.as_ref()),
            Ty::Primitive(_) | Ty::Named(_) => None,
        };
        if let Some(inner) = nested {
            self.forbid_one_or_many(file, path, inner, false);
        }
    }

    fn named_type(
        &mut self,
        name: &str,
        decl: &TypeDecl,
        types: &BTreeMap<String, TypeDecl>,
    ) -> NamedType {
        let file = decl.file.as_str();
        let prefix = format!("types.{name}");
        let (doc, kind) = match &decl.def {
            format::TypeDef::Id { description } => (description.clone(), TypeKind::Id),
            format::TypeDef::Enum {
                description,
                extensible,
                values,
            } => {
                let values = self.enum_values(file, &prefix, values, *extensible);
                (
                    description.clone(),
                    TypeKind::Enum {
                        values,
                        extensible: *extensible,
                    },
                )
            }
            format::TypeDef::Object {
                description,
                fields,
            } => {
                let fields = self.fields(file, &prefix, fields, types);
                (description.clone(), TypeKind::Object { fields })
            }
        };
        NamedType {
            name: name.to_owned(),
            source: decl.file.clone(),
            doc,
            kind,
        }
    }

    fn enum_values(
        &mut self,
        file: &str,
        prefix: &str,
        values: &Each<format::EnumValue>,
        extensible: bool,
    ) -> Vec<EnumValue> {
        let mut lowered: Vec<EnumValue> = Vec::new();
        let values = self.items(
            file,
            &format!("{prefix}.values"),
            values.0.iter().map(Result::as_ref),
        );
        for (path, value) in values {
            let Some(variant) = self.variant_name(
                file,
                &path,
                value.rust_name.as_deref(),
                ("value", &value.value),
            ) else {
                continue;
            };
            if let Some(other) = lowered.iter().find(|known| known.wire == value.value) {
                self.error(
                    file,
                    join_path(&path, "value"),
                    format!(
                        "value {:?} is listed twice (as {})",
                        value.value, other.variant
                    ),
                );
            } else if let Some(other) = lowered.iter().find(|known| known.variant == variant) {
                let message = format!(
                    "values {:?} and {:?} both become variant {variant}; set rust_name",
                    other.wire, value.value
                );
                self.error(file, join_path(&path, "value"), message);
            } else if extensible && variant == "Unknown" {
                let message = "an extensible enum keeps unknown values in a variant named Unknown; set another rust_name";
                self.error(file, join_path(&path, "value"), message);
            } else {
                lowered.push(EnumValue {
                    wire: value.value.clone(),
                    variant,
                    doc: value.description.clone(),
                });
            }
        }
        if lowered.is_empty()
            && self
                .diagnostics
                .iter()
                .all(|d| d.file != file || !d.path.starts_with(prefix))
        {
            self.error(
                file,
                format!("{prefix}.values"),
                "an enum needs at least one value",
            );
        }
        lowered
    }

    fn fields(
        &mut self,
        file: &str,
        prefix: &str,
        fields: &Each<format::Field>,
        types: &BTreeMap<String, TypeDecl>,
    ) -> Vec<Field> {
        let mut lowered: Vec<Field> = Vec::new();
        let fields = self.items(
            file,
            &format!("{prefix}.fields"),
            fields.0.iter().map(Result::as_ref),
        );
        for (path, field) in fields {
            let member = Member {
                wire: &field.name,
                rust_name: field.rust_name.as_deref(),
                ty: &field.ty,
            };
            let known = lowered
                .iter()
                .map(|known| (known.wire.as_str(), known.rust.as_str()));
            let Some((rust, ty)) =
                self.member(file, &path, member, ("field", ""), known, types, false)
            else {
                continue;
            };
            lowered.push(Field {
                wire: field.name.clone(),
                rust,
                ty,
                optional: field.optional,
                nullable: field.nullable,
                doc: field.description.clone(),
            });
        }
        lowered
    }

    /// Names and types a parameter or field, and checks it against the ones
    /// before it: `kind` is how messages call it, with a note for duplicates.
    #[allow(clippy::too_many_arguments)]
    fn member<'a>(
        &mut self,
        file: &str,
        path: &str,
        member: Member<'_>,
        (kind, duplicate_note): (&str, &str),
        mut known: impl Iterator<Item = (&'a str, &'a str)>,
        types: &BTreeMap<String, TypeDecl>,
        one_or_many_allowed: bool,
    ) -> Option<(String, Ty)> {
        let rust = self.field_name(file, path, member.rust_name, member.wire);
        let type_path = join_path(path, "type");
        let ty = self.resolve(file, &type_path, member.ty, types);
        let (rust, ty) = (rust?, ty?);
        self.forbid_one_or_many(file, &type_path, &ty, one_or_many_allowed);
        let name_path = join_path(path, "name");
        match known.find(|(wire, known_rust)| *wire == member.wire || *known_rust == rust) {
            Some((wire, _)) if wire == member.wire => {
                let message = format!("{kind} {wire:?} is listed twice{duplicate_note}");
                self.error(file, name_path, message);
                None
            }
            Some((wire, _)) => {
                let message = format!(
                    "{kind}s {wire:?} and {:?} both become `{}`; set rust_name",
                    member.wire,
                    names::unraw(&rust)
                );
                self.error(file, name_path, message);
                None
            }
            None => Some((rust, ty)),
        }
    }

    /// A struct that holds itself without a list or map in between has no
    /// finite size in Rust.
    fn check_recursion(
        &mut self,
        typed: &BTreeMap<String, NamedType>,
        types: &BTreeMap<String, TypeDecl>,
    ) {
        for (name, named) in typed {
            let mut stack = vec![name.as_str()];
            let mut seen = BTreeSet::new();
            while let Some(current) = stack.pop() {
                let Some(TypeKind::Object { fields }) = typed.get(current).map(|t| &t.kind) else {
                    continue;
                };
                for field in fields {
                    if let Ty::Named(target) = &field.ty {
                        if target == name {
                            let message = format!(
                                "type {name} contains itself through {current}.{}; wrap it in an array or map",
                                field.wire
                            );
                            self.error(&types[name].file, format!("types.{name}"), message);
                            return;
                        }
                        if seen.insert(target.as_str()) {
                            stack.push(target);
                        }
                    }
                }
            }
            let _ = named;
        }
    }

    fn method(
        &mut self,
        file: &str,
        method: format::Method,
        types: &BTreeMap<String, TypeDecl>,
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
            Some(name) if names::is_upper_camel(name) => name.clone(),
            Some(name) => {
                self.error(
                    file,
                    "method.rust_name",
                    format!("{name:?} is not an UpperCamelCase identifier"),
                );
                names::method_type(wire)
            }
            None => names::method_type(wire),
        };
        let module = match &method.rust_name {
            Some(name) => names::field(name),
            None => names::method_module(wire),
        };
        let params = self.params(file, &method, types);
        let result_path = "method.result.type";
        let result = self.resolve(file, result_path, &method.result.ty, types);
        if let Some(result) = &result {
            self.forbid_one_or_many(file, result_path, result, false);
        }
        let errors = self.method_errors(file, &method.errors, shared_errors);
        let examples = self.examples(file, method.examples);
        if self.diagnostics.len() > errors_before {
            return None;
        }
        Some(Method {
            wire: method.name.clone(),
            source: file.to_owned(),
            error_name: format!("{type_name}Error"),
            type_name,
            module,
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
        method: &format::Method,
        types: &BTreeMap<String, TypeDecl>,
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
            "method.params",
            method.params.0.iter().map(Result::as_ref),
        );
        for (path, param) in params {
            let member = Member {
                wire: &param.name,
                rust_name: param.rust_name.as_deref(),
                ty: &param.ty,
            };
            let note = if method.paged {
                " (paged methods get `start` automatically)"
            } else {
                ""
            };
            let known = lowered
                .iter()
                .map(|known| (known.wire.as_str(), known.rust.as_str()));
            let Some((rust, ty)) =
                self.member(file, &path, member, ("parameter", note), known, types, true)
            else {
                continue;
            };
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
        for (path, entry) in self.items(file, "method.errors", entries.0.iter().map(Result::as_ref))
        {
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
            if variant == "System" || variant == "Unknown" {
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
        for (path, example) in self.items(file, "method.examples", examples.0) {
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

    /// A closed enum has no place for a value the server adds later, so it
    /// must never be decoded from an answer.
    fn check_closed_enums(&mut self, method: &Method, typed: &BTreeMap<String, NamedType>) {
        let mut stack = vec![&method.result];
        let mut seen = BTreeSet::new();
        while let Some(ty) = stack.pop() {
            match ty {
                Ty::Array(inner) | Ty::Map(inner) | Ty::OneOrMany(inner) => stack.push(inner),
                Ty::Primitive(_) => {}
                Ty::Named(name) => {
                    if !seen.insert(name.clone()) {
                        continue;
                    }
                    match typed.get(name).map(|t| &t.kind) {
                        Some(TypeKind::Enum {
                            extensible: false, ..
                        }) => {
                            let message = format!(
                                "the answer contains enum {name}, which is not extensible; a value the server adds later would fail to decode"
                            );
                            let hint = format!(
                                "set \"extensible\": true on {name}, or use another enum in answers"
                            );
                            self.error_with_hint(
                                &method.source,
                                "method.result.type",
                                message,
                                Some(hint),
                            );
                        }
                        Some(TypeKind::Object { fields }) => {
                            stack.extend(fields.iter().map(|field| &field.ty))
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    /// Request, error and named types all live at the crate root, beside the
    /// hand-written API.
    fn check_root_names(&mut self, methods: &[Method], types: &BTreeMap<String, TypeDecl>) {
        let mut owners: BTreeMap<String, String> = names::RESERVED_TYPE_NAMES
            .iter()
            .map(|name| {
                (
                    (*name).to_owned(),
                    "the crate's hand-written API".to_owned(),
                )
            })
            .collect();
        let mut modules: BTreeMap<&str, &str> = BTreeMap::new();
        let mut claims: Vec<(String, &str, String)> = Vec::new();
        for method in methods {
            if let Some(other) = modules.insert(&method.module, &method.wire) {
                let message = format!(
                    "methods {other} and {} both become module {}; set rust_name",
                    method.wire, method.module
                );
                self.error(&method.source, "method.name", message);
            }
            claims.push((
                method.type_name.clone(),
                &method.source,
                format!("the request of {}", method.wire),
            ));
            claims.push((
                method.error_name.clone(),
                &method.source,
                format!("the error of {}", method.wire),
            ));
        }
        for (name, decl) in types {
            claims.push((name.clone(), &decl.file, format!("type {name}")));
        }
        for (name, file, owner) in claims {
            if let Some(first) = owners.get(&name) {
                let message = format!("{owner} is named {name}, which {first} already uses");
                self.error_with_hint(
                    file,
                    "",
                    message,
                    Some("rename one of them, or set rust_name".to_owned()),
                );
            } else {
                owners.insert(name, format!("{owner} ({file})"));
            }
        }
    }
}
