//! Which REST version a page documents, and where each version's files go.
//!
//! Bitrix24 serves two REST versions side by side: the original one at
//! `/rest/` (REST 2 here) and REST 3.0 at `/rest/api/`, with its own
//! parameters and answers. A few methods exist in both, each documented on
//! a page of its own (`tasks.task.get`), so a method is known by its name
//! and its version: REST 3.0 files live in a `v3/` folder beside the REST 2
//! ones, and a file's key is its path there without `.json`
//! (`tasks.task.get`, `v3/tasks.task.get`).

use crate::yfm::{self, Section};

/// A REST version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RestVersion {
    /// The original REST, called at `/rest/`.
    #[default]
    Two,
    /// REST 3.0, called at `/rest/api/`.
    Three,
}

/// The folder of REST 3.0 files, inside `imported/`, `methods/` and
/// `overrides/`.
pub const V3_FOLDER: &str = "v3";

impl RestVersion {
    /// Both versions.
    pub const ALL: [Self; 2] = [Self::Two, Self::Three];

    /// The `rest_version` a schema file states: none for REST 2, which
    /// files never name.
    pub fn number(self) -> Option<u8> {
        match self {
            Self::Two => None,
            Self::Three => Some(3),
        }
    }

    /// The folder of this version's files inside a folder of method files:
    /// none (the folder itself) for REST 2.
    pub fn folder(self) -> &'static str {
        match self {
            Self::Two => "",
            Self::Three => V3_FOLDER,
        }
    }

    /// The key of the file of method `name` in this version.
    pub fn key(self, name: &str) -> String {
        match self {
            Self::Two => name.to_owned(),
            Self::Three => format!("{V3_FOLDER}/{name}"),
        }
    }

    /// The version and method name a key stands for.
    pub fn of_key(key: &str) -> (Self, &str) {
        match key
            .strip_prefix(V3_FOLDER)
            .and_then(|rest| rest.strip_prefix('/'))
        {
            Some(name) => (Self::Three, name),
            None => (Self::Two, key),
        }
    }
}

/// The version a page documents: REST 3.0 if the note under its title says
/// the method belongs to REST 3.0, or its examples call `/rest/api/`. A
/// mention of REST 3.0 elsewhere (a link to the overview) says nothing.
pub fn of_page(sections: &[Section<'_>]) -> RestVersion {
    let noted = sections
        .iter()
        .filter(|section| section.level <= 1)
        .flat_map(|section| &section.lines)
        .any(|line| {
            line.to_ascii_lowercase()
                .contains("method belongs to rest 3")
        });
    let called = sections.iter().any(|section| {
        yfm::fences(&section.lines)
            .iter()
            .any(|fence| fence.text.contains("/rest/api/"))
    });
    if noted || called {
        RestVersion::Three
    } else {
        RestVersion::Two
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(page: &str) -> RestVersion {
        of_page(&yfm::sections(page))
    }

    const NOTE: &str = "{% note info \"\" %}\n\nThis method belongs to REST 3.0. See the [REST 3.0 overview](../rest-v3.md).\n\n{% endnote %}\n";

    #[test]
    fn the_note_under_the_title_or_a_call_at_rest_api_makes_a_page_rest_3() {
        let noted = format!("# Get Task v 3.0 tasks.task.get\n\n{NOTE}\n## Method Parameters\n");
        assert_eq!(version(&noted), RestVersion::Three);
        let called = "# Send m.a.send\n\n## Code Examples\n\n```bash\ncurl -X POST \\\nhttps://b24/rest/api/1/code/m.a.send\n```\n";
        assert_eq!(version(called), RestVersion::Three);
        let other_wording = noted.replace("This method", "The method");
        assert_eq!(version(&other_wording), RestVersion::Three);
    }

    #[test]
    fn a_link_to_rest_3_or_a_call_at_rest_leaves_a_page_rest_2() {
        let linked = "# Get Task tasks.task.get\n\nA newer version exists in [REST 3.0](../rest-v3.md), at `/rest/api/`.\n\n## Code Examples\n\n```bash\ncurl https://b24/rest/1/code/tasks.task.get\n```\n";
        assert_eq!(version(linked), RestVersion::Two);
        // A note about the section further down is about other methods.
        let below = format!("# Get Task tasks.task.get\n\n## See also\n\n{NOTE}");
        assert_eq!(version(&below), RestVersion::Two);
    }

    #[test]
    fn keys_name_the_version_folder_and_read_back() {
        assert_eq!(RestVersion::Two.key("tasks.task.get"), "tasks.task.get");
        assert_eq!(
            RestVersion::Three.key("tasks.task.get"),
            "v3/tasks.task.get"
        );
        for version in RestVersion::ALL {
            assert_eq!(RestVersion::of_key(&version.key("a.b")), (version, "a.b"));
        }
        assert_eq!(RestVersion::Three.number(), Some(3));
        assert_eq!(RestVersion::Two.number(), None);
    }
}
