//! The names the runtime claims (`__private::reserved`) are exactly the
//! names its sources declare: the generator trusts these lists to keep
//! generated names from colliding with the runtime's, so they must not drift.
//!
//! Rust has no reflection, so the sources are read with `syn`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use bitrix24_runtime::__private::reserved;
use syn::{ImplItem, Item, TraitItem, UseTree, Visibility};

fn source(relative: &str) -> syn::File {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(relative);
    let text = std::fs::read_to_string(&path).expect("a runtime source file");
    syn::parse_file(&text).expect("the runtime's source parses")
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

fn is_pub(visibility: &Visibility) -> bool {
    matches!(visibility, Visibility::Public(_))
}

fn use_names(tree: &UseTree, out: &mut BTreeSet<String>) {
    match tree {
        UseTree::Path(path) => use_names(&path.tree, out),
        UseTree::Name(name) => {
            out.insert(name.ident.to_string());
        }
        UseTree::Rename(rename) => {
            out.insert(rename.rename.to_string());
        }
        UseTree::Group(group) => group.items.iter().for_each(|tree| use_names(tree, out)),
        UseTree::Glob(_) => panic!("the runtime's root must not glob-export: list each item"),
    }
}

#[test]
fn root_items_are_what_lib_rs_exports() {
    let mut declared = BTreeSet::new();
    for item in source("lib.rs").items {
        match item {
            Item::Mod(module) if is_pub(&module.vis) => {
                declared.insert(module.ident.to_string());
            }
            Item::Use(import) if is_pub(&import.vis) => use_names(&import.tree, &mut declared),
            Item::Struct(item) if is_pub(&item.vis) => {
                declared.insert(item.ident.to_string());
            }
            Item::Enum(item) if is_pub(&item.vis) => {
                declared.insert(item.ident.to_string());
            }
            Item::Fn(item) if is_pub(&item.vis) => {
                declared.insert(item.sig.ident.to_string());
            }
            Item::Trait(item) if is_pub(&item.vis) => {
                declared.insert(item.ident.to_string());
            }
            _ => {}
        }
    }
    declared.extend(exported_macros());
    assert_eq!(declared, set(reserved::ROOT_ITEMS));
}

/// The `#[macro_export]` macros of every file: Rust puts them at the root,
/// whichever module defines them.
fn exported_macros() -> BTreeSet<String> {
    let mut macros = BTreeSet::new();
    for file in rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src")) {
        let text = std::fs::read_to_string(&file).expect("readable");
        let syntax = syn::parse_file(&text).expect("parses");
        for item in syntax.items {
            if let Item::Macro(item) = item
                && item
                    .attrs
                    .iter()
                    .any(|attr| attr.path().is_ident("macro_export"))
                && let Some(name) = item.ident
            {
                macros.insert(name.to_string());
            }
        }
    }
    macros
}

/// Every `pub fn` in inherent `impl` blocks of `type_name`, in every file of
/// the runtime.
fn inherent_methods(type_name: &str) -> BTreeSet<String> {
    let mut methods = BTreeSet::new();
    for file in rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src")) {
        let text = std::fs::read_to_string(&file).expect("readable");
        let syntax = syn::parse_file(&text).expect("parses");
        for item in syntax.items {
            let Item::Impl(block) = item else { continue };
            let syn::Type::Path(path) = block.self_ty.as_ref() else {
                continue;
            };
            let named = path
                .path
                .segments
                .last()
                .is_some_and(|segment| segment.ident == type_name);
            if block.trait_.is_some() || !named {
                continue;
            }
            for member in block.items {
                if let ImplItem::Fn(function) = member
                    && is_pub(&function.vis)
                {
                    methods.insert(function.sig.ident.to_string());
                }
            }
        }
    }
    methods
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files
}

fn trait_items(file: &str, trait_name: &str) -> BTreeSet<String> {
    let found = source(file).items.into_iter().find_map(|item| match item {
        Item::Trait(item) if item.ident == trait_name => Some(item),
        _ => None,
    });
    let found = found.unwrap_or_else(|| panic!("trait {trait_name} is in {file}"));
    found
        .items
        .into_iter()
        .filter_map(|item| match item {
            TraitItem::Const(item) => Some(item.ident.to_string()),
            TraitItem::Fn(item) => Some(item.sig.ident.to_string()),
            TraitItem::Type(item) => Some(item.ident.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn call_and_client_methods_are_what_their_impls_declare() {
    assert_eq!(inherent_methods("Call"), set(reserved::CALL_METHODS));
    assert_eq!(inherent_methods("Client"), set(reserved::CLIENT_METHODS));
}

#[test]
fn trait_items_are_what_the_traits_declare() {
    let mut request = trait_items("method.rs", "Method");
    request.extend(trait_items("__private/handle.rs", "HasRequest"));
    assert_eq!(request, set(reserved::REQUEST_TRAIT_ITEMS));
    assert_eq!(
        trait_items("__private/handle.rs", "ClientHandle"),
        set(reserved::CLIENT_HANDLE_ITEMS)
    );
}

#[test]
fn system_error_codes_are_the_runtimes() {
    let declared: Vec<&str> = bitrix24_runtime::SystemErrorCode::ALL
        .iter()
        .map(|code| code.as_str())
        .collect();
    assert_eq!(declared, reserved::SYSTEM_ERROR_CODES);
}
