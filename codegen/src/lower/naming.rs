//! Rust names: derived from wire names or taken from `rust_name`, then
//! checked in every place generated code writes names into.
//!
//! The places and what else claims names there:
//! - the crate root: the runtime's root items, the generator's own modules,
//!   every family module, the shared types, every request and error type;
//! - each family module: its method modules, request, error and type names,
//!   its trait of client functions and its traits of setters;
//! - the `types` module: the shared types;
//! - a request and a pending call: setters beside the runtime's methods on
//!   calls and the trait methods every request has;
//! - the client: client functions of every family (the prelude brings all
//!   their traits into scope at once) beside the client's own methods.
//!
//! A collision is an error at the file and JSON path of the later claim,
//! never a silent rename, so adding a method never renames an item.

use std::collections::BTreeMap;

use super::{Lowering, TypeDecl};
use crate::diagnostic::join_path;
use crate::format::TypeExpr;
use crate::model::{Family, NamedType, Ty, TypeRef};
use crate::names;

/// How one kind of Rust name is checked and derived.
struct NameRule {
    case: &'static str,
    valid: fn(&str) -> bool,
    derive: fn(&str) -> String,
}

/// A parameter or field to name and type.
pub(super) struct Member<'a> {
    pub wire: &'a str,
    pub rust_name: Option<&'a str>,
    pub ty: &'a TypeExpr,
    /// How messages call it: "parameter" or "field".
    pub kind: &'static str,
    /// Added to the message about a duplicate.
    pub duplicate_note: &'static str,
    pub one_or_many_allowed: bool,
}

/// One place names are written into, with who claimed each name first.
pub(super) struct Namespace {
    place: String,
    owners: BTreeMap<String, String>,
}

/// Who claims a name: for the message, and where to report a collision.
struct Claim<'a> {
    name: &'a str,
    what: String,
    file: &'a str,
    path: &'a str,
    /// How to resolve a collision.
    fix: &'static str,
}

const RENAME: &str = "rename one of them, or set rust_name";

impl<'a> Claim<'a> {
    /// A name derived from a method (or `rust_name`), reported at its name.
    fn of_method(name: &'a str, what: String, file: &'a str) -> Self {
        Self {
            name,
            what,
            file,
            path: "method.name",
            fix: RENAME,
        }
    }

    /// A named type, reported at its definition `path`.
    fn of_type(named: &'a NamedType, file: &'a str, path: &'a str) -> Self {
        Self {
            name: &named.name,
            what: format!("type {}", named.name),
            file,
            path,
            fix: RENAME,
        }
    }
}
const FAMILY_FIX: &str = "a family's module is the first word of its method names, which rust_name does not change; this word cannot be a family";

impl Namespace {
    /// The methods of a filter or sort-order builder.
    pub(super) fn builder() -> Self {
        Self::new(
            "the builder's methods",
            &[
                (names::BUILDER_METHODS, "the builder"),
                (names::STD_METHODS, "a standard trait or the constructor"),
            ],
        )
        .inherent()
    }

    /// The setters of an input object.
    pub(super) fn object_setters() -> Self {
        Self::new(
            "the object's setters",
            &[
                (names::OBJECT_TRAIT_ITEMS, "the runtime's object trait"),
                (&[names::OBJECT_CUSTOM], "the setter of unlisted fields"),
                (names::STD_METHODS, "a standard trait or the constructor"),
            ],
        )
        .inherent()
    }

    /// Frees the names of standard trait methods that only traits outside
    /// the prelude have: an inherent method of that name wins over them
    /// without ambiguity, and `TYPE_ID` is a field of every CRM entity.
    fn inherent(mut self) -> Self {
        for name in names::NON_PRELUDE_TRAIT_METHODS {
            self.owners.remove(*name);
        }
        self
    }

    fn new(place: impl Into<String>, reserved: &[(&[&str], &str)]) -> Self {
        let owners = reserved
            .iter()
            .flat_map(|(names, owner)| {
                names
                    .iter()
                    .map(|name| ((*name).to_owned(), (*owner).to_owned()))
            })
            .collect();
        Self {
            place: place.into(),
            owners,
        }
    }
}

impl Lowering {
    /// A variant name from an override, or derived from the wire text found
    /// at `wire_key` in the item at `path`.
    pub(super) fn variant_name(
        &mut self,
        file: &str,
        path: &str,
        rust_name: Option<&str>,
        (wire_key, wire): (&str, &str),
    ) -> Option<String> {
        let rule = NameRule {
            case: "UpperCamelCase",
            valid: names::is_type_name,
            derive: names::variant,
        };
        self.rust_name(file, path, rust_name, (wire_key, wire), &rule)
    }

    /// A field or parameter name from an override, or derived from its wire name.
    pub(super) fn field_name(
        &mut self,
        file: &str,
        path: &str,
        rust_name: Option<&str>,
        wire: &str,
    ) -> Option<String> {
        let rule = NameRule {
            case: "snake_case",
            valid: names::is_snake,
            derive: names::field,
        };
        self.rust_name(file, path, rust_name, ("name", wire), &rule)
    }

    /// A Rust name: the override if it is a plain identifier that follows
    /// `rule` (keywords are escaped as derived names are), else one derived
    /// from the wire text if that is an identifier.
    fn rust_name(
        &mut self,
        file: &str,
        path: &str,
        rust_name: Option<&str>,
        (wire_key, wire): (&str, &str),
        rule: &NameRule,
    ) -> Option<String> {
        let Some(name) = rust_name else {
            let derived = (rule.derive)(wire);
            if (rule.valid)(&derived) {
                return Some(derived);
            }
            let message = format!("cannot derive a Rust name from {wire:?}");
            let hint = Some("set rust_name".to_owned());
            self.error_with_hint(file, join_path(path, wire_key), message, hint);
            return None;
        };
        let escaped = names::escape(name);
        if names::is_plain_identifier(name) && (rule.valid)(&escaped) {
            return Some(escaped);
        }
        let message = format!("{name:?} is not a valid {} name", rule.case);
        let hint = name
            .starts_with("r#")
            .then(|| "write the name without `r#`: keywords are escaped for you".to_owned());
        self.error_with_hint(file, join_path(path, "rust_name"), message, hint);
        None
    }

    /// Names and types a parameter or field, and checks it against the ones
    /// before it.
    pub(super) fn member<'a>(
        &mut self,
        (file, path): (&str, &str),
        family: Option<&str>,
        member: Member<'_>,
        mut known: impl Iterator<Item = (&'a str, &'a str)>,
        types: &BTreeMap<TypeRef, TypeDecl>,
    ) -> Option<(String, Ty)> {
        let rust = self.field_name(file, path, member.rust_name, member.wire);
        let type_path = join_path(path, "type");
        let ty = self.resolve((file, &type_path), family, member.ty, types);
        let (rust, ty) = (rust?, ty?);
        self.forbid_one_or_many(file, &type_path, &ty, member.one_or_many_allowed);
        let name_path = join_path(path, "name");
        let kind = member.kind;
        match known.find(|(wire, known_rust)| *wire == member.wire || *known_rust == rust) {
            Some((wire, _)) if wire == member.wire => {
                let message = format!("{kind} {wire:?} is listed twice{}", member.duplicate_note);
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

    /// A setter is a method of the request and of a pending call, so it must
    /// not take a name those already have.
    pub(super) fn check_setter_name(&mut self, file: &str, path: &str, setter: &str) {
        let bare = names::unraw(setter);
        if let Some(owner) = names::setter_owner(bare) {
            let message = format!(
                "the setter of this optional parameter would be named `{bare}`, which {owner} already uses"
            );
            let hint = Some("set rust_name".to_owned());
            self.error_with_hint(file, join_path(path, "name"), message, hint);
        }
    }

    /// Checks every place generated names are written into.
    pub(super) fn check_names(&mut self, families: &[Family], shared_types: &[NamedType]) {
        let mut root = Namespace::new(
            "the crate root",
            &[
                (names::runtime::ROOT_ITEMS, "the runtime"),
                (names::GENERATED_ROOT_MODULES, "the generator"),
                (names::RESERVED_MODULE_NAMES, "Rust"),
            ],
        );
        let mut shared =
            Namespace::new("module types", &[(names::MARKERS_MODULE, "the generator")]);
        for named in shared_types {
            let path = format!("types.{}", named.name);
            let claim = Claim::of_type(named, &named.source, &path);
            self.claim(&mut root, &claim);
            self.claim(&mut shared, &claim);
        }
        let mut client = Namespace::new(
            "the client's methods",
            &[
                (names::runtime::CLIENT_METHODS, "Client"),
                (names::runtime::CLIENT_HANDLE_ITEMS, "Client"),
                (names::STD_METHODS, "a standard trait"),
            ],
        );
        for family in families {
            self.check_family(family, &mut root, &mut client);
        }
    }

    fn check_family(&mut self, family: &Family, root: &mut Namespace, client: &mut Namespace) {
        let place = format!("module {}", names::unraw(&family.module));
        let mut module = Namespace::new(
            place,
            &[
                (names::MARKERS_MODULE, "the generator"),
                (names::RESERVED_MODULE_NAMES, "Rust"),
            ],
        );
        let Some(first) = family.methods.first() else {
            return;
        };
        let what = format!("the module of family {}", family.wire);
        let mut family_module = Claim::of_method(&family.module, what, &first.source);
        family_module.fix = FAMILY_FIX;
        self.claim(root, &family_module);
        let what = format!("the client functions of family {}", family.wire);
        let client_trait = Claim::of_method(&family.client_trait, what, &first.source);
        self.claim(&mut module, &client_trait);
        for method in &family.methods {
            let file = method.source.as_str();
            let family_wire = names::family_wire(&method.wire);
            if family_wire != family.wire {
                let message = format!(
                    "families {:?} (of {}) and {family_wire:?} both become module {}; method names must agree on the case of their first word",
                    family.wire,
                    first.wire,
                    names::unraw(&family.module)
                );
                self.error(file, "method.name", message);
            }
            let wire = &method.wire;
            let module_name = format!("the module of {wire}");
            self.claim(
                &mut module,
                &Claim::of_method(&method.module, module_name, file),
            );
            for (name, what) in [
                (&method.type_name, format!("the request of {wire}")),
                (&method.error_name, format!("the error of {wire}")),
            ] {
                let claim = Claim::of_method(name, what, file);
                self.claim(root, &claim);
                self.claim(&mut module, &claim);
            }
            if let Some(params) = &method.params_struct {
                let what = format!("the parameter keys of {wire}");
                self.claim(&mut module, &Claim::of_method(params, what, file));
            }
            if let Some(setters) = &method.setters_trait {
                let what = format!("the setters of {wire}");
                self.claim(&mut module, &Claim::of_method(setters, what, file));
            }
            let what = format!("the client function of {wire}");
            let function = names::unraw(method.client_fn());
            self.claim(client, &Claim::of_method(function, what, file));
            for named in &method.types {
                let path = format!("types.{}", named.name);
                self.claim(&mut module, &Claim::of_type(named, file, &path));
            }
        }
    }

    /// Claims the method `name` of a builder or input object, for the item
    /// at `path`.
    pub(super) fn claim_builder_method(
        &mut self,
        namespace: &mut Namespace,
        (file, path): (&str, &str),
        name: &str,
        what: String,
    ) {
        let path = join_path(path, "name");
        let claim = Claim {
            name,
            what,
            file,
            path: &path,
            fix: "set rust_name",
        };
        self.claim(namespace, &claim);
    }

    fn claim(&mut self, namespace: &mut Namespace, claim: &Claim<'_>) {
        let name = names::unraw(claim.name);
        if let Some(first) = namespace.owners.get(name) {
            let message = format!(
                "{} is named {name}, which {first} already uses in {}",
                claim.what, namespace.place
            );
            let hint = Some(claim.fix.to_owned());
            self.error_with_hint(claim.file, claim.path, message, hint);
        } else {
            let owner = format!("{} ({})", claim.what, claim.file);
            namespace.owners.insert(name.to_owned(), owner);
        }
    }
}
