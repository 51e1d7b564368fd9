//! The methods as data (`bitrix24::schema`, feature `schema`): each crate
//! embeds what the generator wrote, so a file that does not parse, a method
//! left out or a type named but not held is a bug in the generator, found
//! here rather than by a user of the command line.

use std::collections::BTreeSet;

use bitrix24::schema::{self, Kind, Ty};
use bitrix24::{Keyset, RawList};

/// The schema the `bitrix24` crate is generated from.
fn model() -> bitrix24_codegen::model::Api {
    let layout = bitrix24_codegen::layout::CRATE;
    let sources = bitrix24_codegen::read_sources(&bitrix24_tests::repo_root(), layout.schema)
        .unwrap_or_else(|error| panic!("{error}"));
    bitrix24_codegen::model(&sources).unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn every_method_of_the_schema_is_described_in_order() {
    let api = model();
    let expected: Vec<(&str, &str)> = api
        .families
        .iter()
        .flat_map(|family| {
            family
                .methods
                .iter()
                .map(|method| (family.wire.as_str(), method.wire.as_str()))
        })
        .collect();
    let described: Vec<(&str, &str)> = schema::methods()
        .map(|method| (method.family.as_str(), method.name.as_str()))
        .collect();
    assert_eq!(described, expected);
    for (_, name) in expected {
        let found = schema::method(name).map(|method| method.name.as_str());
        assert_eq!(found, Some(name));
    }
    assert!(schema::method("no.such.method").is_none());
}

#[test]
fn every_type_of_the_schema_is_described_under_its_path() {
    let api = model();
    let shared = api
        .shared_types
        .iter()
        .map(|named| (format!("types::{}", named.name), named));
    let own = api.families.iter().flat_map(|family| {
        family
            .methods
            .iter()
            .flat_map(|method| &method.types)
            .map(|named| (format!("{}::{}", family.feature, named.name), named))
    });
    let mut count = 0;
    for (path, named) in shared.chain(own) {
        let described =
            schema::named_type(&path).unwrap_or_else(|| panic!("{path} is not described"));
        assert_eq!(described.name, named.name, "{path}");
        assert_eq!(described.doc, named.doc, "{path}");
        count += 1;
    }
    assert!(count > 1000, "only {count} types");
    for missing in [
        "types::NoSuchType",
        "crm::NoSuchType",
        "nowhere::Deal",
        "Deal",
        "",
    ] {
        assert!(schema::named_type(missing).is_none(), "{missing}");
    }
}

#[test]
fn every_type_the_data_names_is_described() {
    let mut named = BTreeSet::new();
    let mut pending: Vec<&Ty> = schema::methods()
        .flat_map(|method| {
            std::iter::once(&method.result).chain(method.params.iter().map(|param| &param.ty))
        })
        .collect();
    while let Some(ty) = pending.pop() {
        match ty {
            Ty::Primitive(_) => {}
            Ty::Array(inner) | Ty::Map(inner) | Ty::OneOrMany(inner) => pending.push(inner),
            Ty::Named(path) => {
                if !named.insert(path.as_str()) {
                    continue;
                }
                let described = schema::named_type(path)
                    .unwrap_or_else(|| panic!("{path} is named but not described"));
                assert!(path.ends_with(&format!("::{}", described.name)), "{path}");
                match &described.kind {
                    Kind::Object { fields } => pending.extend(fields.iter().map(|field| &field.ty)),
                    Kind::Filter { fields } => pending.extend(fields.iter().map(|field| &field.ty)),
                    Kind::Enum { .. } | Kind::Id | Kind::Order { .. } => {}
                }
            }
        }
    }
    assert!(named.len() > 1000, "only {} types reached", named.len());
}

#[test]
fn a_raw_list_of_a_described_method_walks_as_its_schema_says() {
    let method = schema::method("crm.item.list").expect("crm.item.list is described");
    let params = serde_json::json!({"entityTypeId": 2});
    assert_eq!(
        RawList::of(method, params.clone()),
        RawList::new("crm.item.list", params)
            .items("items")
            .keyset(Keyset::new("order", "filter", "id").with_select("select"))
    );
    let method = schema::method("sonet_group.get").expect("sonet_group.get is described");
    assert_eq!(
        RawList::of(method, serde_json::Value::Null),
        RawList::new("sonet_group.get", serde_json::Value::Null)
            .keyset(Keyset::new("ORDER", "FILTER", "ID"))
    );
}
