//! The schema data of the generated crates, embedded in each as JSON and
//! parsed the first time something reads it, and the catalog the `bitrix24`
//! crate's `schema` module answers from.
//!
//! The data costs nothing until it is read: a crate holds it as one string,
//! and a program that never asks parses nothing. Parsed, it stays for the
//! life of the process, so everything handed out is `'static`.

use std::fmt;
use std::sync::OnceLock;

use super::schema::{CrateData, Method, NamedType, RestVersion};

/// One generated crate's [`CrateData`]: the JSON the generator wrote into
/// it, parsed on first use.
pub struct EmbeddedSchema {
    /// The crate's module in the `bitrix24` crate (`crm`, `main_`,
    /// `types`): the first part of the paths that name its types.
    module: &'static str,
    /// The family whose methods it holds (`crm`, `main`), the first word
    /// of their wire names; `None` for the shared types.
    family: Option<&'static str>,
    json: &'static str,
    parsed: OnceLock<CrateData>,
}

impl EmbeddedSchema {
    /// The data of a family's crate, whose module in the `bitrix24` crate
    /// is `module`, written as `json`.
    pub const fn family(module: &'static str, family: &'static str, json: &'static str) -> Self {
        Self {
            module,
            family: Some(family),
            json,
            parsed: OnceLock::new(),
        }
    }

    /// The data of the shared types' crate, whose module in the `bitrix24`
    /// crate is `module`, written as `json`.
    pub const fn shared(module: &'static str, json: &'static str) -> Self {
        Self {
            module,
            family: None,
            json,
            parsed: OnceLock::new(),
        }
    }

    /// The parsed data, its types ordered by name so that they are found
    /// by a binary search.
    ///
    /// # Panics
    ///
    /// If the JSON is not the format's: the generator wrote it from the
    /// same types, so that is a bug in the generator, which a test of every
    /// crate's data catches before a release.
    fn data(&self) -> &CrateData {
        self.parsed.get_or_init(|| {
            let mut data: CrateData = serde_json::from_str(self.json).unwrap_or_else(|error| {
                panic!(
                    "the schema data of the `{}` module does not parse (a bug in the generator): {error}",
                    self.module
                )
            });
            data.types.sort_unstable_by(|a, b| a.name.cmp(&b.name));
            data
        })
    }

    /// The crate's type called `name`.
    fn named_type(&self, name: &str) -> Option<&NamedType> {
        let types = &self.data().types;
        types
            .binary_search_by(|named| named.name.as_str().cmp(name))
            .ok()
            .map(|index| &types[index])
    }
}

/// Shows which crate it is and whether it was read, not the megabytes of
/// JSON.
impl fmt::Debug for EmbeddedSchema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmbeddedSchema")
            .field("module", &self.module)
            .field("family", &self.family)
            .field("parsed", &self.parsed.get().is_some())
            .finish_non_exhaustive()
    }
}

/// The schema data of a set of generated crates: the shared types' and
/// every enabled family's.
#[derive(Debug)]
pub struct SchemaCatalog {
    crates: &'static [&'static EmbeddedSchema],
}

impl SchemaCatalog {
    /// The catalog of `crates`.
    pub const fn new(crates: &'static [&'static EmbeddedSchema]) -> Self {
        Self { crates }
    }

    /// Every method, crate by crate and then by wire name.
    pub fn methods(&self) -> impl Iterator<Item = &'static Method> + use<> {
        let crates = self.crates;
        crates
            .iter()
            .flat_map(|embedded| embedded.data().methods.iter())
    }

    /// The method whose wire name is `name`, read from its family's crate
    /// alone (a command line calls one method: it need not parse them all):
    /// the REST 2 one where both versions serve the name, as its names in
    /// Rust are the plain ones.
    pub fn method(&self, name: &str) -> Option<&'static Method> {
        self.method_in(name, RestVersion::V2)
            .or_else(|| self.method_in(name, RestVersion::V3))
    }

    /// The method whose wire name is `name` in one REST version.
    pub fn method_in(&self, name: &str, version: RestVersion) -> Option<&'static Method> {
        let family = name.split_once('.').map_or(name, |(family, _)| family);
        let crates = self.crates;
        crates
            .iter()
            .find(|embedded| embedded.family == Some(family))?
            .data()
            .methods
            .iter()
            .find(|method| method.name == name && method.rest_version == version)
    }

    /// The type at `path` ([`Ty::Named`](super::schema::Ty::Named)): its
    /// module, `::`, and its name.
    pub fn named_type(&self, path: &str) -> Option<&'static NamedType> {
        let (module, name) = path.split_once("::")?;
        self.crates
            .iter()
            .find(|embedded| embedded.module == module)?
            .named_type(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::__private::schema::{Kind, Ty};

    static SHARED: EmbeddedSchema = EmbeddedSchema::shared(
        "types",
        r#"{"types":[{"name":"UserId","doc":"A user.","kind":"id"}]}"#,
    );
    static FAMILY: EmbeddedSchema = EmbeddedSchema::family(
        "note_",
        "note",
        r#"{"methods":[{"name":"note.get","family":"note","summary":"Reads a note.","access":"Anyone.","scopes":["note"],"docs_url":"https://example.com","retry_safe":true,"params":[{"name":"id","ty":{"named":"note_::NoteId"},"required":true,"doc":"The note."}],"result":{"named":"note_::Note"}},
                      {"name":"note.get","family":"note","summary":"Reads a note, in REST 3.0.","access":"Anyone.","scopes":["note"],"docs_url":"https://example.com","retry_safe":true,"rest_version":"3","result":{"primitive":"json"}},
                      {"name":"note.add","family":"note","summary":"Adds a note.","access":"Anyone.","scopes":["note"],"docs_url":"https://example.com","rest_version":"3","writes":true,"result":{"primitive":"json"}}],
            "types":[{"name":"Note","doc":"A note.","kind":{"object":{"fields":[{"name":"AUTHOR","ty":{"named":"types::UserId"},"doc":"Who wrote it."},{"name":"REPLIES","ty":{"array":{"named":"note_::Note"}},"optional":true,"doc":"The answers."}]}}},
                     {"name":"NoteId","doc":"A note's ID.","kind":"id"}]}"#,
    );
    static CATALOG: SchemaCatalog = SchemaCatalog::new(&[&SHARED, &FAMILY]);

    #[test]
    fn methods_and_types_are_found_across_crates_by_their_paths() {
        let method = CATALOG.method("note.get").expect("the method is listed");
        assert_eq!(CATALOG.methods().count(), 3);
        assert_eq!(method.rest_version, RestVersion::V2, "REST 2 first");
        assert!(method.retry_safe);
        assert_eq!(method.param("id").map(|param| param.required), Some(true));
        let Ty::Named(path) = &method.result else {
            panic!("the result is named: {:?}", method.result);
        };
        let note = CATALOG.named_type(path).expect("the result's type is held");
        let Kind::Object { fields } = &note.kind else {
            panic!("a note is an object: {:?}", note.kind);
        };
        let Ty::Named(author) = &fields[0].ty else {
            panic!("the author is named: {:?}", fields[0].ty);
        };
        assert_eq!(
            CATALOG.named_type(author).map(|named| &named.kind),
            Some(&Kind::Id)
        );
        // A type that holds itself is named like any other.
        assert_eq!(
            fields[1].ty,
            Ty::Array(Box::new(Ty::Named("note_::Note".to_owned())))
        );
        assert!(!fields[0].optional && fields[1].optional);
        assert!(CATALOG.method("note.missing").is_none());
        assert!(CATALOG.method("other.get").is_none());
        for missing in ["note_::Missing", "note::Note", "types::Note", "Note"] {
            assert!(CATALOG.named_type(missing).is_none(), "{missing}");
        }
    }

    #[test]
    fn a_name_is_found_in_each_version_that_serves_it() {
        let v3 = CATALOG.method_in("note.get", RestVersion::V3);
        assert_eq!(
            v3.map(|method| method.summary.as_str()),
            Some("Reads a note, in REST 3.0.")
        );
        assert!(!v3.is_some_and(|method| method.writes));
        // A name only REST 3.0 serves is found without naming the version.
        let add = CATALOG
            .method("note.add")
            .expect("the REST 3.0 method is listed");
        assert!(add.writes && add.rest_version == RestVersion::V3);
        assert!(CATALOG.method_in("note.add", RestVersion::V2).is_none());
    }

    #[test]
    fn debug_output_names_the_crate_without_its_data() {
        let shown = format!("{SHARED:?}");
        assert!(shown.contains("\"types\""), "{shown}");
        assert!(!shown.contains("UserId"), "{shown}");
    }

    #[test]
    #[should_panic(expected = "the schema data of the `broken` module does not parse")]
    fn data_that_does_not_parse_names_its_module() {
        static BROKEN: EmbeddedSchema = EmbeddedSchema::shared("broken", r#"{"methods":[{}]}"#);
        BROKEN.data();
    }
}
