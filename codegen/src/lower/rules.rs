//! Semantic checks on where types may appear: what an answer may hold, and
//! what only a parameter may be; and which objects parameters hold, which
//! users therefore build.

use std::collections::{BTreeMap, BTreeSet};

use super::Lowering;
use super::naming::Namespace;
use crate::model::{Method, NamedType, Ty, TypeKind, TypeRef};

impl Lowering {
    /// `one_or_many` describes how a parameter may be sent; it has no meaning
    /// inside answers or nested types.
    pub(super) fn forbid_one_or_many(
        &mut self,
        file: &str,
        path: &str,
        ty: &Ty,
        allowed_at_top: bool,
    ) {
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

    /// A closed enum has no place for a value the server adds later, so it
    /// must never be decoded from an answer; filters and orders are requests.
    pub(super) fn check_closed_enums(
        &mut self,
        method: &Method,
        typed: &BTreeMap<TypeRef, NamedType>,
    ) {
        let mut stack = vec![&method.result];
        let mut seen = BTreeSet::new();
        while let Some(ty) = stack.pop() {
            match ty {
                Ty::Array(inner) | Ty::Map(inner) | Ty::OneOrMany(inner) => stack.push(inner),
                Ty::Primitive(_) => {}
                Ty::Named(at) => {
                    if !seen.insert(at) {
                        continue;
                    }
                    match typed.get(at).map(|t| &t.kind) {
                        Some(TypeKind::Enum {
                            extensible: false, ..
                        }) => {
                            let name = &at.name;
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
                        Some(TypeKind::Object { fields, .. }) => {
                            stack.extend(fields.iter().map(|field| &field.ty))
                        }
                        Some(TypeKind::Filter { .. } | TypeKind::Order { .. }) => {
                            let name = &at.name;
                            let message = format!(
                                "the answer contains {name}, a filter or order builder: those describe requests"
                            );
                            self.error(&method.source, "method.result.type", message);
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    /// Marks every object a parameter holds, directly or nested, as an input
    /// object, and checks the names of its setters.
    pub(super) fn mark_input_objects(
        &mut self,
        methods: &[Method],
        typed: &mut BTreeMap<TypeRef, NamedType>,
    ) {
        let mut stack: Vec<&Ty> = methods
            .iter()
            .flat_map(|method| method.params.iter().map(|param| &param.ty))
            .collect();
        let mut inputs = BTreeSet::new();
        while let Some(ty) = stack.pop() {
            match ty {
                Ty::Array(inner) | Ty::Map(inner) | Ty::OneOrMany(inner) => stack.push(inner),
                Ty::Primitive(_) => {}
                Ty::Named(at) => {
                    if let Some(TypeKind::Object { fields, .. }) = typed.get(at).map(|t| &t.kind)
                        && inputs.insert(at.clone())
                    {
                        stack.extend(fields.iter().map(|field| &field.ty));
                    }
                }
            }
        }
        for at in inputs {
            let Some(named) = typed.get_mut(&at) else {
                continue;
            };
            if let TypeKind::Object { input, .. } = &mut named.kind {
                *input = true;
            }
            let (file, name) = (named.source.clone(), named.name.clone());
            let TypeKind::Object { fields, .. } = &typed[&at].kind else {
                continue;
            };
            let mut setters = Namespace::object_setters();
            let setters_of: Vec<(usize, String)> = fields
                .iter()
                .enumerate()
                .filter(|(_, field)| field.is_option())
                .map(|(index, field)| (index, field.rust.clone()))
                .collect();
            for (index, setter) in setters_of {
                let path = format!("types.{name}.fields[{index}]");
                let what = format!("the setter of {name}.{}", crate::names::unraw(&setter));
                self.claim_builder_method(&mut setters, (&file, &path), &setter, what);
            }
        }
    }

    /// Checks that no object has a field named like the map of the fields
    /// its schema does not list.
    pub(super) fn check_custom_fields(&mut self, typed: &BTreeMap<TypeRef, NamedType>) {
        for named in typed.values() {
            let TypeKind::Object { fields, .. } = &named.kind else {
                continue;
            };
            let custom = fields
                .iter()
                .position(|field| crate::names::unraw(&field.rust) == crate::names::OBJECT_CUSTOM);
            if let Some(index) = custom {
                let name = &named.name;
                let path = format!("types.{name}.fields[{index}].name");
                let message = format!(
                    "every object's field `custom` holds the fields the schema does not list; {name}'s field needs another rust_name"
                );
                self.error(&named.source, path, message);
            }
        }
    }
}
