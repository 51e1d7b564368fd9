//! Type references: `{"ref": "Name"}` resolved to where the type lives, and
//! the shapes that cannot exist in Rust.
//!
//! A method's file sees the types of its own family first, then the shared
//! types; a shared file sees only shared types, so shared code never depends
//! on a family that may be disabled.

use std::collections::{BTreeMap, BTreeSet};

use super::{Lowering, TypeDecl};
use crate::diagnostic::{did_you_mean, join_path};
use crate::format::TypeExpr;
use crate::model::{NamedType, Ty, TypeKind, TypeRef};

impl Lowering {
    /// The type `expr` names, seen from `family` (`None` for shared files).
    pub(super) fn resolve(
        &mut self,
        (file, path): (&str, &str),
        family: Option<&str>,
        expr: &TypeExpr,
        types: &BTreeMap<TypeRef, TypeDecl>,
    ) -> Option<Ty> {
        let inner = |lowering: &mut Self, key: &str, inner: &TypeExpr| {
            lowering
                .resolve((file, &join_path(path, key)), family, inner, types)
                .map(Box::new)
        };
        Some(match expr {
            TypeExpr::Primitive(primitive) => Ty::Primitive(*primitive),
            TypeExpr::Ref(name) => Ty::Named(self.find(file, path, family, name, types)?),
            TypeExpr::Array(of) => Ty::Array(inner(self, "array", of)?),
            TypeExpr::Map(of) => Ty::Map(inner(self, "map", of)?),
            TypeExpr::OneOrMany(of) => Ty::OneOrMany(inner(self, "one_or_many", of)?),
        })
    }

    fn find(
        &mut self,
        file: &str,
        path: &str,
        family: Option<&str>,
        name: &str,
        types: &BTreeMap<TypeRef, TypeDecl>,
    ) -> Option<TypeRef> {
        let candidates = [family, None].map(|family| TypeRef {
            family: family.map(str::to_owned),
            name: name.to_owned(),
        });
        if let Some(found) = candidates.into_iter().find(|at| types.contains_key(at)) {
            return Some(found);
        }
        if !self.references_may_dangle {
            let visible = types
                .keys()
                .filter(|at| at.family.is_none() || at.family.as_deref() == family)
                .map(|at| at.name.as_str());
            let hint = did_you_mean(name, visible);
            let elsewhere = types.keys().find(|at| at.name == name);
            let message = match elsewhere.and_then(|at| at.family.as_deref()) {
                Some(other) => format!(
                    "unknown type {name:?}: it is defined in family {other}, which this file cannot see"
                ),
                None => format!("unknown type {name:?}"),
            };
            self.error_with_hint(file, join_path(path, "ref"), message, hint);
        }
        None
    }

    /// A struct that holds itself without a list or map in between has no
    /// finite size in Rust.
    pub(super) fn check_recursion(
        &mut self,
        typed: &BTreeMap<TypeRef, NamedType>,
        types: &BTreeMap<TypeRef, TypeDecl>,
    ) {
        for start in typed.keys() {
            let mut stack = vec![start];
            let mut seen = BTreeSet::new();
            'search: while let Some(current) = stack.pop() {
                let Some(TypeKind::Object { fields, .. }) = typed.get(current).map(|t| &t.kind)
                else {
                    continue;
                };
                for field in fields {
                    let Ty::Named(target) = &field.ty else {
                        continue;
                    };
                    if target == start {
                        let message = format!(
                            "type {} contains itself through {}.{}; wrap it in an array or map",
                            start.name, current.name, field.wire
                        );
                        let file = types[start].file.clone();
                        self.error(&file, format!("types.{}", start.name), message);
                        break 'search;
                    }
                    if seen.insert(target) {
                        stack.push(target);
                    }
                }
            }
        }
    }
}
