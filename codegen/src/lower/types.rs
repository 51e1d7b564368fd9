//! Named types: objects with fields, enums of documented values, IDs.

use std::collections::BTreeMap;

use super::naming::Member;
use super::{FIELDS, Lowering, TypeDecl, VALUES};
use crate::diagnostic::join_path;
use crate::format::{self, Each};
use crate::model::{EnumValue, Field, NamedType, TypeKind, TypeRef};

impl Lowering {
    pub(super) fn named_type(
        &mut self,
        at: &TypeRef,
        decl: &TypeDecl,
        types: &BTreeMap<TypeRef, TypeDecl>,
    ) -> NamedType {
        let file = decl.file.as_str();
        let prefix = format!("types.{}", at.name);
        let (doc, kind) = match &decl.def {
            format::TypeDef::Id { description } => (description.clone(), TypeKind::Id),
            format::TypeDef::Enum {
                description,
                extensible,
                values,
            } => {
                let values = self.enum_values(file, &prefix, values, *extensible);
                let kind = TypeKind::Enum {
                    values,
                    extensible: *extensible,
                };
                (description.clone(), kind)
            }
            format::TypeDef::Object {
                description,
                fields,
            } => {
                let fields = self.fields((file, &prefix), at.family.as_deref(), fields, types);
                (description.clone(), TypeKind::Object { fields })
            }
        };
        NamedType {
            name: at.name.clone(),
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
        let errors_before = self.diagnostics.len();
        let mut lowered: Vec<EnumValue> = Vec::new();
        let values = self.items(
            file,
            (&format!("{prefix}.values"), VALUES),
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
            let value_path = join_path(&path, "value");
            if let Some(other) = lowered.iter().find(|known| known.wire == value.value) {
                let message = format!(
                    "value {:?} is listed twice (as {})",
                    value.value, other.variant
                );
                self.error(file, value_path, message);
            } else if let Some(other) = lowered.iter().find(|known| known.variant == variant) {
                let message = format!(
                    "values {:?} and {:?} both become variant {variant}; set rust_name",
                    other.wire, value.value
                );
                self.error(file, value_path, message);
            } else if extensible && variant == "Unknown" {
                let message = "an extensible enum keeps unknown values in a variant named Unknown; set another rust_name";
                self.error(file, value_path, message);
            } else {
                lowered.push(EnumValue {
                    wire: value.value.clone(),
                    variant,
                    doc: value.description.clone(),
                });
            }
        }
        if lowered.is_empty() && self.diagnostics.len() == errors_before {
            let message = "an enum needs at least one value";
            self.error(file, format!("{prefix}.values"), message);
        }
        lowered
    }

    fn fields(
        &mut self,
        (file, prefix): (&str, &str),
        family: Option<&str>,
        fields: &Each<format::Field>,
        types: &BTreeMap<TypeRef, TypeDecl>,
    ) -> Vec<Field> {
        let mut lowered: Vec<Field> = Vec::new();
        let fields = self.items(
            file,
            (&format!("{prefix}.fields"), FIELDS),
            fields.0.iter().map(Result::as_ref),
        );
        for (path, field) in fields {
            let member = Member {
                wire: &field.name,
                rust_name: field.rust_name.as_deref(),
                ty: &field.ty,
                kind: "field",
                duplicate_note: "",
                one_or_many_allowed: false,
            };
            let known = lowered
                .iter()
                .map(|known| (known.wire.as_str(), known.rust.as_str()));
            let Some((rust, ty)) = self.member((file, &path), family, member, known, types) else {
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
}
