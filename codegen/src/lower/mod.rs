//! Turns parsed schema files into the validated [`Api`] model.
//!
//! This is where the files are read together. The rules live in one file
//! per family of rules:
//! - `types.rs` and `methods.rs` read each named type and method, deriving
//!   names through `naming`;
//! - `refs.rs` resolves type references within a family and the shared
//!   types, and rejects types that cannot exist (a struct that holds itself);
//! - `naming.rs` derives Rust names and checks every place generated code
//!   writes names into (crate root, each family, setters, client functions)
//!   against each other and against the names the runtime claims;
//! - `rules.rs` holds the semantic checks on answers (no closed enum, no
//!   one-or-many) and finds the objects parameters hold (input objects);
//! - `errors.rs` reads method errors and rejects entries that can never
//!   match.
//!
//! Every problem is collected; the model is returned only when there are
//! none. This module does no I/O and knows nothing about Rust syntax beyond
//! names.

mod errors;
mod methods;
mod naming;
mod paging;
mod refs;
mod rules;
mod types;

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Diagnostic, join_path};
use crate::format::{self, EachMap, ItemError};
use crate::load::Parsed;
use crate::model::{Api, Family, Method, NamedType, Operator, TypeRef};
use crate::{names, operators};

/// Lowers parsed files into the model, or returns every problem found.
///
/// When `some_files_unread` is set, definitions may be missing because their
/// file could not be parsed, so dangling references are not reported: they
/// would only repeat that file's error in every file that uses it.
pub fn lower(files: Vec<Parsed>, some_files_unread: bool) -> Result<Api, Vec<Diagnostic>> {
    let mut lowering = Lowering {
        diagnostics: Vec::new(),
        references_may_dangle: some_files_unread,
        operator_sets: BTreeMap::new(),
        legacy_empty_codes: None,
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
    /// The declared operator sets, by name.
    operator_sets: BTreeMap<String, Vec<&'static Operator>>,
    /// The codes older servers send instead of the empty code, and the file
    /// that declares them.
    legacy_empty_codes: Option<(String, Vec<String>)>,
}

/// Everything the files declare, before references are resolved.
#[derive(Default)]
struct Declarations {
    /// By where they live and their name.
    types: BTreeMap<TypeRef, TypeDecl>,
    shared_errors: BTreeMap<String, SharedErrorDecl>,
    methods: Vec<(String, format::Method)>,
}

struct TypeDecl {
    file: String,
    /// The wire name of the method whose file defines it, if any.
    home: Option<String>,
    def: format::TypeDef,
}

/// The most items one list in a schema file may hold, and what they are.
#[derive(Clone, Copy)]
struct Limit {
    max: usize,
    what: &'static str,
}

const PARAMS: Limit = Limit {
    max: 256,
    what: "parameters",
};
const FIELDS: Limit = Limit {
    max: 1024,
    what: "fields",
};
const VALUES: Limit = Limit {
    max: 1024,
    what: "enum values",
};
const ERRORS: Limit = Limit {
    max: 256,
    what: "errors",
};
const EXAMPLES: Limit = Limit {
    max: 64,
    what: "examples",
};
/// Lists of names and texts, which the checks compare pairwise.
const SCOPES: Limit = Limit {
    max: 16,
    what: "scopes",
};
const ALIASES: Limit = Limit {
    max: 16,
    what: "aliases",
};
const DESCRIPTIONS: Limit = Limit {
    max: 64,
    what: "alternative descriptions",
};
const OPERATORS: Limit = Limit {
    max: 64,
    what: "operators",
};
const LEGACY_CODES: Limit = Limit {
    max: 16,
    what: "legacy codes",
};

struct SharedErrorDecl {
    file: String,
    error: format::SharedError,
}

impl Lowering {
    fn error(&mut self, file: &str, path: impl Into<String>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(file, path, message));
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

    /// Reports a value that could not be read, at `prefix` in the file.
    fn item_error(&mut self, file: &str, prefix: &str, error: &ItemError) {
        self.error_with_hint(
            file,
            join_path(prefix, &error.path),
            error.message.clone(),
            error.hint.clone(),
        );
    }

    /// Keeps the items that parsed, each with its JSON path, and reports the
    /// others. Takes owned items (`each.0`) or borrowed ones
    /// (`each.0.iter().map(Result::as_ref)`). A list longer than `limit` is
    /// an error and is not read at all: generated code that large would not
    /// build (rustc exhausts its stack on a constructor with thousands of
    /// arguments).
    fn items<T, E: Borrow<ItemError>, I>(
        &mut self,
        file: &str,
        (prefix, limit): (&str, Limit),
        items: I,
    ) -> Vec<(String, T)>
    where
        I: IntoIterator<Item = Result<T, E>>,
        I::IntoIter: ExactSizeIterator,
    {
        let items = items.into_iter();
        if items.len() > limit.max {
            let message = format!(
                "{} {}; the generator accepts at most {}",
                items.len(),
                limit.what,
                limit.max
            );
            self.error(file, prefix, message);
            return Vec::new();
        }
        let mut kept = Vec::new();
        for (index, item) in items.enumerate() {
            let path = format!("{prefix}[{index}]");
            match item {
                Ok(value) => kept.push((path, value)),
                Err(error) => self.item_error(file, &path, error.borrow()),
            }
        }
        kept
    }

    /// Whether a plain list at `path` is within `limit`; reports it if not.
    fn within(&mut self, file: &str, path: &str, len: usize, limit: Limit) -> bool {
        if len <= limit.max {
            return true;
        }
        let message = format!(
            "{len} {}; the generator accepts at most {}",
            limit.what, limit.max
        );
        self.error(file, path, message);
        false
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
            let defines_nothing = home.is_none()
                && file.types.0.is_empty()
                && file.errors.0.is_empty()
                && file.operator_sets.0.is_empty()
                && file.legacy_empty_codes.is_none();
            if defines_nothing {
                self.error(
                    &path,
                    "",
                    "the file defines nothing: add a `method`, `types`, `errors`, `operator_sets` or `legacy_empty_codes`",
                );
            }
            for (name, prefixes) in self.entries(&path, "operator_sets", file.operator_sets) {
                self.declare_operator_set(&path, name, &prefixes);
            }
            if let Some(codes) = file.legacy_empty_codes {
                self.declare_legacy_codes(&path, codes);
            }
            let family = home.as_deref().map(names::family_module);
            for (name, def) in self.entries(&path, "types", file.types) {
                let at = TypeRef {
                    family: family.clone(),
                    name,
                };
                self.declare_type(&mut declarations, &path, at, home.clone(), def);
            }
            for (key, error) in self.entries(&path, "errors", file.errors) {
                if let Some(existing) = declarations.shared_errors.get(&key) {
                    let message = format!("error {key:?} is already defined in {}", existing.file);
                    self.error(&path, format!("errors.{key}"), message);
                } else {
                    let decl = SharedErrorDecl {
                        file: path.clone(),
                        error,
                    };
                    declarations.shared_errors.insert(key, decl);
                }
            }
            if let Some(method) = file.method {
                declarations.methods.push((path, method));
            }
        }
        declarations
    }

    fn declare_operator_set(&mut self, file: &str, name: String, prefixes: &[String]) {
        let path = format!("operator_sets.{name}");
        if !self.within(file, &path, prefixes.len(), OPERATORS) {
            return;
        }
        if self.operator_sets.contains_key(&name) {
            let message = format!("operator set {name:?} is declared twice");
            self.error(file, path, message);
            return;
        }
        let mut set: Vec<&'static Operator> = Vec::new();
        for (index, prefix) in prefixes.iter().enumerate() {
            let item = format!("{path}[{index}]");
            match operators::find(prefix) {
                Some(operator) if set.contains(&operator) => {
                    self.error(file, item, format!("operator {prefix:?} is listed twice"));
                }
                Some(operator) => set.push(operator),
                None => {
                    let known: Vec<String> = operators::KNOWN
                        .iter()
                        .map(|operator| format!("{:?}", operator.prefix))
                        .collect();
                    let message = format!(
                        "unknown operator {prefix:?}; the generator knows {}",
                        known.join(", ")
                    );
                    self.error(file, item, message);
                }
            }
        }
        if set.is_empty() && prefixes.is_empty() {
            self.error(file, path, "an operator set needs at least one operator");
        }
        self.operator_sets.insert(name, set);
    }

    fn declare_legacy_codes(&mut self, file: &str, codes: Vec<String>) {
        if !self.within(file, "legacy_empty_codes", codes.len(), LEGACY_CODES) {
            return;
        }
        if let Some((first, _)) = &self.legacy_empty_codes {
            let message = format!("the legacy empty codes are already declared in {first}");
            self.error(file, "legacy_empty_codes", message);
            return;
        }
        for (index, code) in codes.iter().enumerate() {
            if code.is_empty() || codes[..index].contains(code) {
                let message = "each legacy code is a distinct, non-empty code";
                self.error(file, format!("legacy_empty_codes[{index}]"), message);
            }
        }
        self.legacy_empty_codes = Some((file.to_owned(), codes));
    }

    fn declare_type(
        &mut self,
        declarations: &mut Declarations,
        path: &str,
        at: TypeRef,
        home: Option<String>,
        def: format::TypeDef,
    ) {
        let name = &at.name;
        let json_path = format!("types.{name}");
        if !names::is_type_name(name) {
            let message = format!("type name {name:?} is not an UpperCamelCase identifier");
            self.error(path, json_path, message);
            return;
        }
        let shared = TypeRef {
            family: None,
            name: name.clone(),
        };
        let existing = declarations
            .types
            .get(&at)
            .or_else(|| declarations.types.get(&shared));
        if let Some(existing) = existing {
            let message = format!("type {name} is already defined in {}", existing.file);
            self.error(path, json_path, message);
            return;
        }
        let decl = TypeDecl {
            file: path.to_owned(),
            home,
            def,
        };
        declarations.types.insert(at, decl);
    }

    fn build(&mut self, declarations: Declarations) -> Api {
        let Declarations {
            types,
            shared_errors,
            methods: declared_methods,
        } = declarations;
        let mut typed: BTreeMap<TypeRef, NamedType> = BTreeMap::new();
        for (at, decl) in &types {
            let lowered = self.named_type(at, decl, &types);
            typed.insert(at.clone(), lowered);
        }
        self.check_recursion(&typed, &types);

        let mut methods = Vec::new();
        // By lower-cased name and version: a name may be documented once in
        // each REST version.
        let mut seen_methods: BTreeMap<(String, Option<u32>), String> = BTreeMap::new();
        for (file, method) in &declared_methods {
            let key = (method.name.to_ascii_lowercase(), method.rest_version);
            if let Some(first) = seen_methods.get(&key) {
                let message = format!(
                    "method {} is already defined in {first} (method names are case-insensitive)",
                    method.name
                );
                self.error(file, "method.name", message);
                continue;
            }
            seen_methods.insert(key, file.clone());
        }
        // A REST 3.0 method whose name REST 2 also serves takes its names
        // with a `V3` suffix; the REST 2 one keeps the plain names.
        let in_rest2: BTreeSet<String> = declared_methods
            .iter()
            .filter(|(_, method)| method.rest_version.is_none())
            .map(|(_, method)| method.name.to_ascii_lowercase())
            .collect();
        for (file, method) in declared_methods {
            if seen_methods.get(&(method.name.to_ascii_lowercase(), method.rest_version))
                != Some(&file)
            {
                continue;
            }
            let twin = method.rest_version.is_some()
                && in_rest2.contains(&method.name.to_ascii_lowercase());
            if let Some(lowered) = self.method(&file, method, twin, &types, &typed, &shared_errors)
            {
                methods.push(lowered);
            }
        }
        methods.sort_by(|a, b| (&a.wire, a.rest_version).cmp(&(&b.wire, b.rest_version)));
        for method in &methods {
            self.check_closed_enums(method, &typed);
        }
        self.mark_input_objects(&methods, &mut typed);
        self.check_custom_fields(&typed);

        let mut shared_types = Vec::new();
        // A method's types are those of its file: twins of one name in two
        // REST versions keep theirs apart.
        let mut by_file: BTreeMap<String, Vec<NamedType>> = BTreeMap::new();
        for (at, named) in typed {
            let decl = &types[&at];
            match &decl.home {
                Some(_) => by_file.entry(decl.file.clone()).or_default().push(named),
                None => shared_types.push(named),
            }
        }
        for method in &mut methods {
            method.types = by_file.remove(&method.source).unwrap_or_default();
        }
        let families = families(methods);
        self.check_names(&families, &shared_types);
        Api {
            families,
            shared_types,
        }
    }
}

/// Groups methods, already ordered by wire name, into their families.
fn families(methods: Vec<Method>) -> Vec<Family> {
    let mut by_feature: BTreeMap<String, Family> = BTreeMap::new();
    for method in methods {
        let wire = names::family_wire(&method.wire).to_owned();
        let module = names::family_module(&wire);
        // Keyed by the feature (the module without `r#`), so raw modules sort
        // among the others.
        by_feature
            .entry(names::unraw(&module).to_owned())
            .or_insert_with(|| Family {
                feature: names::unraw(&module).to_owned(),
                client_trait: names::family_trait(&wire),
                wire,
                module,
                methods: Vec::new(),
            })
            .methods
            .push(method);
    }
    by_feature.into_values().collect()
}
