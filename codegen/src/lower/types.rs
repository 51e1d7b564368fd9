//! Named types: objects with fields, enums of documented values, IDs, and
//! the filter, order and select types of list methods.

use std::collections::BTreeMap;

use super::naming::{Member, Namespace};
use super::{FIELDS, Lowering, TypeDecl, VALUES};
use crate::diagnostic::{did_you_mean, join_path};
use crate::format::{self, Each, Primitive};
use crate::model::{
    EnumValue, Field, FilterField, NamedType, Operator, OrderField, Ty, TypeKind, TypeRef,
};
use crate::names;

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
                numeric,
                values,
            } => {
                if *numeric {
                    self.check_numeric_values(file, &prefix, values);
                }
                let values = self.enum_values(file, &prefix, values, *extensible);
                let kind = TypeKind::Enum {
                    values,
                    extensible: *extensible,
                    numeric: *numeric,
                };
                (description.clone(), kind)
            }
            format::TypeDef::Object {
                description,
                fields,
            } => {
                let fields = self.fields((file, &prefix), at.family.as_deref(), fields, types);
                let kind = TypeKind::Object {
                    fields,
                    input: false,
                };
                (description.clone(), kind)
            }
            format::TypeDef::Filter {
                description,
                operators,
                fields,
            } => {
                let fields = self.filter_fields(
                    (file, &prefix),
                    at.family.as_deref(),
                    operators,
                    fields,
                    types,
                );
                (description.clone(), TypeKind::Filter { fields })
            }
            format::TypeDef::Order {
                description,
                fields,
            } => {
                let fields = self.order_fields(file, &prefix, fields);
                (description.clone(), TypeKind::Order { fields })
            }
            format::TypeDef::Select {
                description,
                fields,
                masks,
            } => {
                let values = self.select_values(file, &prefix, fields, masks);
                let kind = TypeKind::Enum {
                    values,
                    extensible: true,
                    numeric: false,
                };
                (description.clone(), kind)
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
                or_empty: field.or_empty,
                doc: field.description.clone(),
            });
        }
        lowered
    }

    /// Integer-valued enums are sent as numbers, so each value must be one.
    fn check_numeric_values(&mut self, file: &str, prefix: &str, values: &Each<format::EnumValue>) {
        for (index, value) in values.0.iter().enumerate() {
            let Ok(value) = value else {
                continue;
            };
            if value.value.parse::<i64>().is_err() {
                let message = format!(
                    "value {:?} of a numeric enum is not an integer",
                    value.value
                );
                self.error(file, format!("{prefix}.values[{index}].value"), message);
            }
        }
    }

    fn filter_fields(
        &mut self,
        (file, prefix): (&str, &str),
        family: Option<&str>,
        default_set: &str,
        fields: &Each<format::FilterField>,
        types: &BTreeMap<TypeRef, TypeDecl>,
    ) -> Vec<FilterField> {
        let default_operators =
            self.operator_set(file, &format!("{prefix}.operators"), default_set);
        let mut lowered: Vec<FilterField> = Vec::new();
        let mut methods = Namespace::builder();
        let fields = self.items(
            file,
            (&format!("{prefix}.fields"), FIELDS),
            fields.0.iter().map(Result::as_ref),
        );
        for (path, field) in fields {
            let type_path = join_path(&path, "type");
            let ty = self.resolve((file, &type_path), family, &field.ty, types);
            let rust = self.builder_base(file, &path, field.rust_name.as_deref(), &field.name);
            let operators = match &field.operators {
                Some(set) => self.operator_set(file, &join_path(&path, "operators"), set),
                None => default_operators.clone(),
            };
            let (Some(ty), Some(rust), Some(operators)) = (ty, rust, operators) else {
                continue;
            };
            if !self.is_scalar(&ty, types) {
                let message = "a filter field's type must be a scalar: a primitive other than json and file, an ID or an enum";
                self.error(file, type_path, message);
                continue;
            }
            if lowered.iter().any(|known| known.wire == field.name) {
                let message = format!("field {:?} is listed twice", field.name);
                self.error(file, join_path(&path, "name"), message);
                continue;
            }
            let lowered_field = FilterField {
                wire: field.name.clone(),
                rust,
                ty,
                operators,
                doc: field.description.clone(),
            };
            for operator in &lowered_field.operators {
                let method = lowered_field.method(operator);
                let what = format!("the filter method for {}{}", operator.prefix, field.name);
                self.claim_builder_method(&mut methods, (file, &path), &method, what);
            }
            lowered.push(lowered_field);
        }
        lowered
    }

    fn order_fields(
        &mut self,
        file: &str,
        prefix: &str,
        fields: &Each<format::ListField>,
    ) -> Vec<OrderField> {
        let mut lowered: Vec<OrderField> = Vec::new();
        let mut methods = Namespace::builder();
        let fields = self.items(
            file,
            (&format!("{prefix}.fields"), FIELDS),
            fields.0.iter().map(Result::as_ref),
        );
        for (path, field) in fields {
            let Some(base) =
                self.builder_base(file, &path, field.rust_name.as_deref(), &field.name)
            else {
                continue;
            };
            if lowered.iter().any(|known| known.wire == field.name) {
                let message = format!("field {:?} is listed twice", field.name);
                self.error(file, join_path(&path, "name"), message);
                continue;
            }
            let rust = names::escape(&base);
            let what = format!("the sort method for {}", field.name);
            self.claim_builder_method(&mut methods, (file, &path), &rust, what);
            lowered.push(OrderField {
                wire: field.name.clone(),
                rust,
            });
        }
        lowered
    }

    /// A select type is an extensible enum of its fields and masks: any
    /// other text, such as a custom field, is kept as `Unknown`.
    fn select_values(
        &mut self,
        file: &str,
        prefix: &str,
        fields: &Each<format::ListField>,
        masks: &Each<format::EnumValue>,
    ) -> Vec<EnumValue> {
        // Each value with its path and the key its wire text is at.
        let fields = self.items(
            file,
            (&format!("{prefix}.fields"), FIELDS),
            fields.0.iter().map(Result::as_ref),
        );
        let fields = fields.into_iter().map(|(path, field)| {
            let value = format::EnumValue {
                value: field.name.clone(),
                rust_name: field.rust_name.clone(),
                description: format!("The `{}` field.", field.name),
            };
            (path, "name", value)
        });
        let masks = self.items(
            file,
            (&format!("{prefix}.masks"), VALUES),
            masks.0.iter().map(Result::as_ref),
        );
        let masks = masks.into_iter().map(|(path, mask)| {
            let value = format::EnumValue {
                value: mask.value.clone(),
                rust_name: mask.rust_name.clone(),
                description: mask.description.clone(),
            };
            (path, "value", value)
        });
        let values: Vec<(String, &str, format::EnumValue)> = fields.chain(masks).collect();
        let mut lowered: Vec<EnumValue> = Vec::new();
        for (path, wire_key, value) in &values {
            let wire_key = *wire_key;
            let Some(variant) = self.variant_name(
                file,
                path,
                value.rust_name.as_deref(),
                (wire_key, &value.value),
            ) else {
                continue;
            };
            let clash = lowered
                .iter()
                .find(|known| known.wire == value.value || known.variant == variant);
            if let Some(other) = clash {
                let message = format!(
                    "{:?} and {:?} both become variant {}; set rust_name",
                    other.wire, value.value, other.variant
                );
                self.error(file, join_path(path, wire_key), message);
            } else if variant == "Unknown" {
                let message = "a select type keeps other fields in a variant named Unknown; set another rust_name";
                self.error(file, join_path(path, wire_key), message);
            } else {
                lowered.push(EnumValue {
                    wire: value.value.clone(),
                    variant,
                    doc: value.description.clone(),
                });
            }
        }
        if values.is_empty() {
            self.error(
                file,
                format!("{prefix}.fields"),
                "a select type needs at least one field",
            );
        }
        lowered
    }

    /// The `snake_case` base of a builder method, unescaped.
    fn builder_base(
        &mut self,
        file: &str,
        path: &str,
        rust_name: Option<&str>,
        wire: &str,
    ) -> Option<String> {
        self.field_name(file, path, rust_name, wire)
            .map(|name| names::unraw(&name).to_owned())
    }

    /// The operators of the set named `name`.
    fn operator_set(
        &mut self,
        file: &str,
        path: &str,
        name: &str,
    ) -> Option<Vec<&'static Operator>> {
        if let Some(set) = self.operator_sets.get(name) {
            return Some(set.clone());
        }
        if !self.references_may_dangle {
            let hint = did_you_mean(name, self.operator_sets.keys().map(String::as_str));
            let message = format!("unknown operator set {name:?}; declare it in `operator_sets`");
            self.error_with_hint(file, path, message, hint);
        }
        None
    }

    /// Whether a filter can compare values of `ty`: no lists, maps, objects,
    /// JSON or files.
    fn is_scalar(&self, ty: &Ty, types: &BTreeMap<TypeRef, TypeDecl>) -> bool {
        match ty {
            Ty::Primitive(Primitive::Json | Primitive::File) => false,
            Ty::Primitive(_) => true,
            Ty::Named(at) => matches!(
                types.get(at).map(|decl| &decl.def),
                Some(format::TypeDef::Id { .. } | format::TypeDef::Enum { .. })
            ),
            Ty::Array(_) | Ty::Map(_) | Ty::OneOrMany(_) => false,
        }
    }
}
