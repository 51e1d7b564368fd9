//! Paging: where a paged method's list is, and whether it can be walked by
//! key. Checked against the lowered types, since both live in the result's
//! and the parameters' types.

use std::collections::BTreeMap;

use super::{Lowering, TypeDecl};
use crate::format;
use crate::model::{Keyset, NamedType, Paging, Param, Ty, TypeKind, TypeRef};

impl Lowering {
    /// The paging of a method; `None` when it does not page. Problems are
    /// reported (then also `None`).
    pub(super) fn paging(
        &mut self,
        file: &str,
        method: &format::Method,
        result: &Ty,
        params: &[Param],
        (decls, typed): (&BTreeMap<TypeRef, TypeDecl>, &BTreeMap<TypeRef, NamedType>),
    ) -> Option<Paging> {
        let declared = method.paging.as_ref();
        if !method.paged {
            if declared.is_some() {
                self.error(file, "method.paging", "`paging` needs `\"paged\": true`");
            }
            return None;
        }
        let items = declared.and_then(|paging| paging.items.as_deref());
        let (item, items_field) = match (items, result) {
            (None, Ty::Array(item)) => ((**item).clone(), None),
            (None, _) => {
                let message = "the result of a paged method is a list, or an object whose list \
                               field `paging.items` names";
                self.error(file, "method.result.type", message);
                return None;
            }
            (Some(items), _) => {
                let field = object_fields(result, typed)
                    .and_then(|fields| fields.iter().find(|field| field.wire == items));
                match field {
                    Some(field) if !field.is_option() => match &field.ty {
                        Ty::Array(item) => ((**item).clone(), Some(field.rust.clone())),
                        _ => {
                            let message =
                                format!("the field `{items}` of the result is not a list");
                            self.error(file, "method.paging.items", message);
                            return None;
                        }
                    },
                    Some(_) => {
                        let message = format!(
                            "the field `{items}` of the result must be present in every answer"
                        );
                        self.error(file, "method.paging.items", message);
                        return None;
                    }
                    None => {
                        let message = format!("the result is not an object with a field `{items}`");
                        self.error(file, "method.paging.items", message);
                        return None;
                    }
                }
            }
        };
        let keyset = match declared.and_then(|paging| paging.keyset.as_deref()) {
            None => None,
            Some(key) => match keyset(key, &item, params, (decls, typed)) {
                Ok(keyset) => Some(keyset),
                Err(message) => {
                    self.error(file, "method.paging.keyset", message);
                    return None;
                }
            },
        };
        Some(Paging {
            item,
            items_wire: items_field.as_ref().and(items.map(str::to_owned)),
            items_field,
            keyset,
        })
    }
}

/// The fields of `ty` if it is an object.
fn object_fields<'a>(
    ty: &Ty,
    typed: &'a BTreeMap<TypeRef, NamedType>,
) -> Option<&'a [crate::model::Field]> {
    let Ty::Named(at) = ty else { return None };
    match &typed.get(at)?.kind {
        TypeKind::Object { fields, .. } => Some(fields),
        _ => None,
    }
}

/// The first parameter whose named type `pick` accepts, with what it picked.
fn param_of<'a, T>(
    params: &'a [Param],
    typed: &'a BTreeMap<TypeRef, NamedType>,
    pick: impl Fn(&'a TypeKind) -> Option<T>,
) -> Option<(&'a Param, T)> {
    params.iter().find_map(|param| match &param.ty {
        Ty::Named(at) => pick(&typed.get(at)?.kind).map(|picked| (param, picked)),
        _ => None,
    })
}

fn keyset(
    key: &str,
    item: &Ty,
    params: &[Param],
    (decls, typed): (&BTreeMap<TypeRef, TypeDecl>, &BTreeMap<TypeRef, NamedType>),
) -> Result<Keyset, String> {
    let field = object_fields(item, typed)
        .and_then(|fields| fields.iter().find(|field| field.wire == key))
        .ok_or_else(|| format!("the items are not objects with a field `{key}`"))?;
    let id = match &field.ty {
        Ty::Named(at)
            if typed
                .get(at)
                .is_some_and(|named| matches!(named.kind, TypeKind::Id)) =>
        {
            true
        }
        Ty::Primitive(format::Primitive::Integer) => false,
        _ => return Err(format!("the key `{key}` is neither an ID nor an integer")),
    };
    let (order, order_fields) = param_of(params, typed, |kind| match kind {
        TypeKind::Order { fields } => Some(fields),
        _ => None,
    })
    .ok_or("the method has no sort-order parameter to sort by the key")?;
    if !order_fields.iter().any(|field| field.wire == key) {
        return Err(format!("the sort order has no field `{key}`"));
    }
    let (filter, filter_fields) = param_of(params, typed, |kind| match kind {
        TypeKind::Filter { fields } => Some(fields),
        _ => None,
    })
    .ok_or("the method has no filter parameter to filter past the last key")?;
    let compares = filter_fields.iter().any(|field| {
        field.wire == key
            && [">", "<"]
                .iter()
                .all(|prefix| field.operators.iter().any(|op| op.prefix == *prefix))
    });
    if !compares {
        return Err(format!(
            "the filter has no field `{key}` with the operators `>` and `<`"
        ));
    }
    // A selection is a list of a select type, which the model keeps as an enum.
    let select = params.iter().find(|param| match &param.ty {
        Ty::Array(inner) => match &**inner {
            Ty::Named(at) => decls
                .get(at)
                .is_some_and(|decl| matches!(decl.def, format::TypeDef::Select { .. })),
            _ => false,
        },
        _ => false,
    });
    Ok(Keyset {
        order: order.wire.clone(),
        filter: filter.wire.clone(),
        field: key.to_owned(),
        select: select.map(|param| param.wire.clone()),
        item_field: field.rust.clone(),
        item_field_optional: field.is_option(),
        id,
    })
}
