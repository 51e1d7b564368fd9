//! `cargo xtask import-docs --from DOCS [--into DIR]`: imports the official
//! documentation with `bitrix24-import`, checks every imported file with the
//! generator (alone with the shared schema files, as `cargo xtask codegen`
//! would read it), writes the files that pass with a report of what was
//! imported, skipped and refused, by cause: into `schema/imported/` with
//! the report in `schema/IMPORT.md`, or into `DIR` with `DIR/IMPORT.md`.
//! REST 3.0 methods go into the `v3/` folder of each folder named here
//! (`bitrix24_import::version`), so a method of both versions has a file in
//! each; a file is known by its key, its path there without `.json`.
//!
//! The hand-written files of `schema/methods/` are never overwritten: the
//! report lists how the imported version of each differs. Hand corrections
//! of imported files live in `schema/overrides/<key>.json`, merge patches
//! applied to every import (`bitrix24_import::overlay`); one that matches no
//! imported method, or does not apply, stops the import before anything is
//! written. The examples recorded in `schema/disagreements.json` (written by
//! `--verify`, `verify.rs`) are marked as disagreeing with the types.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use bitrix24_codegen::Source;
use bitrix24_import::{Disagreements, RestVersion};

/// What one run found, by file key.
struct Outcome {
    written: BTreeMap<String, String>,
    refused: BTreeMap<String, Vec<String>>,
    /// The first refusal of each cause in full: the file's JSON path and message.
    first_refusal: BTreeMap<String, String>,
    hand_written: Vec<(String, usize)>,
    /// The files a hand correction was applied to.
    overridden: Vec<String>,
}

/// The folder of hand corrections, relative to the workspace root.
pub const OVERRIDES: &str = "schema/overrides";

/// Where imported files go by default, relative to the workspace root; the
/// generator reads them with `schema/methods/`.
pub use bitrix24_codegen::layout::IMPORTED;

/// The report of the default import, relative to the workspace root.
const REPORT: &str = "schema/IMPORT.md";

/// The record of examples the generated types cannot follow, relative to
/// the workspace root.
pub const DISAGREEMENTS: &str = "schema/disagreements.json";

/// Where an import writes: the schema files' folder and the report.
#[derive(Debug, Clone)]
pub struct Destination {
    pub files: PathBuf,
    pub report: PathBuf,
}

impl Destination {
    /// `schema/imported/` and `schema/IMPORT.md` under `root`.
    pub fn default_in(root: &Path) -> Self {
        Self {
            files: root.join(IMPORTED),
            report: root.join(REPORT),
        }
    }

    /// `into/` with its report inside.
    pub fn folder(into: &Path) -> Self {
        Self {
            files: into.to_path_buf(),
            report: into.join("IMPORT.md"),
        }
    }
}

/// Reads the record of disagreeing examples; none if there is no record.
pub fn read_disagreements(root: &Path) -> Result<Disagreements, String> {
    let path = root.join(DISAGREEMENTS);
    match std::fs::metadata(&path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Disagreements::default());
        }
        Err(error) => return Err(format!("{DISAGREEMENTS}: {error}")),
        Ok(meta) if meta.len() > bitrix24_import::disagreements::MAX_RECORD_BYTES as u64 => {
            return Err(format!("{DISAGREEMENTS}: larger than the record may be"));
        }
        Ok(_) => {}
    }
    let text =
        std::fs::read_to_string(&path).map_err(|error| format!("{DISAGREEMENTS}: {error}"))?;
    Disagreements::parse(&text).map_err(|error| format!("{DISAGREEMENTS}: {error}"))
}

/// Imports `from` into `destination`, marking the examples `disagreements`
/// records; returns a one-line summary.
pub fn run(
    root: &Path,
    from: &Path,
    destination: &Destination,
    disagreements: &Disagreements,
) -> Result<String, String> {
    let docs = bitrix24_import::read(from).map_err(|error| error.to_string())?;
    let import = bitrix24_import::import(&docs, disagreements);
    let shared = bitrix24_codegen::read_sources(root, &["schema/shared"])
        .map_err(|error| error.to_string())?;
    let mut outcome = Outcome {
        written: BTreeMap::new(),
        refused: BTreeMap::new(),
        first_refusal: BTreeMap::new(),
        hand_written: Vec::new(),
        overridden: Vec::new(),
    };
    let mut overrides = read_overrides(&root.join(OVERRIDES))?;
    // Method names are case-insensitive: a hand-written file of any case
    // wins over the import of its version.
    let hand_written: BTreeMap<String, PathBuf> = method_files(&root.join("schema/methods"))?
        .into_iter()
        .map(|(key, path)| (key.to_ascii_lowercase(), path))
        .collect();
    for (name, text) in &import.files {
        let own = hand_written.get(&name.to_ascii_lowercase());
        if let Some(existing) = own.and_then(|path| std::fs::read_to_string(path).ok()) {
            let differing = existing
                .lines()
                .zip(text.lines())
                .filter(|(a, b)| a != b)
                .count()
                + existing.lines().count().abs_diff(text.lines().count());
            outcome.hand_written.push((name.clone(), differing));
            continue;
        }
        let text = match overrides.remove(&name.to_ascii_lowercase()) {
            Some((file, patch)) => {
                outcome.overridden.push(name.clone());
                &bitrix24_import::overlay::apply(text, &patch)
                    .map_err(|error| format!("{OVERRIDES}/{file}: {error}"))?
            }
            None => text,
        };
        let mut sources = shared.clone();
        sources.push(Source {
            path: format!("{IMPORTED}/{name}.json"),
            text: text.clone(),
        });
        match bitrix24_codegen::model(&sources) {
            Ok(_) => {
                outcome.written.insert(name.clone(), text.clone());
            }
            Err(diagnostics) => {
                let Some(first) = diagnostics.0.first() else {
                    continue;
                };
                let cause = cause(&first.message);
                let full = format!("`{}` at `{}`: {}", name, first.path, first.message);
                outcome.first_refusal.entry(cause.clone()).or_insert(full);
                outcome.refused.entry(cause).or_default().push(name.clone());
            }
        }
    }
    if let Some((file, _)) = overrides.into_values().next() {
        return Err(format!(
            "{OVERRIDES}/{file}: no imported method has this name (a hand-written method is corrected in schema/methods/ itself)"
        ));
    }
    prepare(destination)?;
    for (key, text) in &outcome.written {
        let path = destination.files.join(format!("{key}.json"));
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)
                .map_err(|error| format!("cannot create {}: {error}", folder.display()))?;
        }
        std::fs::write(&path, text)
            .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    }
    let report = report(&import, &outcome, disagreements);
    std::fs::write(&destination.report, &report).map_err(|error| error.to_string())?;
    Ok(format!(
        "{} pages, {} methods imported, {} pass the generator's checks and were written to {}",
        import.pages,
        import.files.len(),
        outcome.written.len(),
        destination.files.display()
    ))
}

/// The `*.json` files of `folder` (REST 2) and of its `v3/` folder (REST
/// 3.0), by key, with their paths; none where a folder does not exist.
fn method_files(folder: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let mut found = Vec::new();
    for version in RestVersion::ALL {
        let at = folder.join(version.folder());
        let entries = match std::fs::read_dir(&at) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(format!("cannot list {}: {error}", at.display())),
        };
        for entry in entries {
            let entry = entry.map_err(|error| format!("cannot list {}: {error}", at.display()))?;
            let file = entry.file_name().to_string_lossy().into_owned();
            if let Some(name) = file.strip_suffix(".json") {
                found.push((version.key(name), entry.path()));
            }
        }
    }
    Ok(found)
}

/// The hand corrections in `folder`, by lowercase key, with their file
/// names (the key with `.json`); none if the folder does not exist.
fn read_overrides(folder: &Path) -> Result<BTreeMap<String, (String, String)>, String> {
    let mut overrides = BTreeMap::new();
    for (key, path) in method_files(folder)? {
        let file = format!("{key}.json");
        let too_big = std::fs::metadata(&path)
            .map_err(|error| format!("{OVERRIDES}/{file}: {error}"))?
            .len()
            > bitrix24_import::overlay::MAX_OVERRIDE_BYTES as u64;
        if too_big {
            return Err(format!(
                "{OVERRIDES}/{file}: larger than an override may be"
            ));
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|error| format!("{OVERRIDES}/{file}: {error}"))?;
        // Method names are case-insensitive: two spellings of one name
        // would leave which one applies to the order of the listing.
        if let Some((other, _)) = overrides.insert(key.to_ascii_lowercase(), (file.clone(), text)) {
            return Err(format!(
                "{OVERRIDES}/{file}: {OVERRIDES}/{other} corrects the same method; keep one"
            ));
        }
    }
    Ok(overrides)
}

/// Makes the destination ready for a fresh import: a new folder, an empty
/// one, or one an earlier import wrote (its report exists), whose schema
/// files (its own and its `v3/` folder's) are removed so that none is left
/// from pages that are gone. Any other folder is refused, so hand-written
/// files are never touched.
fn prepare(destination: &Destination) -> Result<(), String> {
    let into = &destination.files;
    let shown = into.display();
    std::fs::create_dir_all(into).map_err(|error| format!("cannot create {shown}: {error}"))?;
    let entries: Vec<PathBuf> = std::fs::read_dir(into)
        .map_err(|error| format!("cannot list {shown}: {error}"))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    if !entries.is_empty() && !destination.report.is_file() {
        return Err(format!(
            "{shown} is neither empty nor an earlier import ({} is missing): choose another folder",
            destination.report.display()
        ));
    }
    for (_, path) in method_files(into)? {
        std::fs::remove_file(&path)
            .map_err(|error| format!("cannot remove {}: {error}", path.display()))?;
    }
    Ok(())
}

/// A diagnostic's message without the names in it, so messages of one
/// cause group together.
fn cause(message: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for c in message.chars() {
        match c {
            '`' | '"' => {
                if !quoted {
                    out.push_str("`…`");
                }
                quoted = !quoted;
            }
            _ if !quoted => out.push(c),
            _ => {}
        }
    }
    out
}

fn report(
    import: &bitrix24_import::Import,
    outcome: &Outcome,
    disagreements: &Disagreements,
) -> String {
    // A method generates when it is written or hand-written (and then kept),
    // and passes every example when none is recorded as disagreeing.
    let generates = |name: &str| {
        outcome.written.contains_key(name)
            || outcome
                .hand_written
                .iter()
                .any(|(hand_written, _)| hand_written == name)
    };
    let passing =
        |name: &str| generates(name) && disagreements.iter().all(|(method, _)| method != name);
    let every_example = import.files.keys().filter(|name| passing(name)).count();
    let method_pages = import.method_pages();
    let mut text = String::from(
        "# Import of the official documentation\n\nWritten by `cargo xtask import-docs`. Every file written compiles: CI builds\nand lints each family's crate, and runs its example tests.\n\n",
    );
    let _ = writeln!(text, "| | count |\n|---|---:|");
    let _ = writeln!(text, "| pages read | {} |", import.pages);
    let _ = writeln!(text, "| method pages | {method_pages} |");
    let _ = writeln!(text, "| method pages imported | {} |", import.files.len());
    let twins = import.twins();
    let _ = writeln!(
        text,
        "| of which REST 3.0 methods (`v3/`) | {} |",
        import.rest3()
    );
    let _ = writeln!(
        text,
        "| methods imported in both versions | {} |",
        twins.len()
    );
    let _ = writeln!(
        text,
        "| documented answers imported as examples | {} |",
        import.examples
    );
    let _ = writeln!(
        text,
        "| pass the generator's checks | {} |",
        outcome.written.len()
    );
    let _ = writeln!(
        text,
        "| refused by the generator | {} |",
        outcome.refused.values().map(Vec::len).sum::<usize>()
    );
    let _ = writeln!(
        text,
        "| hand-written, kept | {} |",
        outcome.hand_written.len()
    );
    let _ = writeln!(
        text,
        "| corrected by hand (`{OVERRIDES}/`) | {} |",
        outcome.overridden.len()
    );
    let _ = writeln!(
        text,
        "| examples the generated types cannot follow (`{DISAGREEMENTS}`) | {} |",
        disagreements.len()
    );
    let _ = writeln!(
        text,
        "| **method pages whose methods generate, compile and pass every example** | **{every_example}** |"
    );
    let _ = writeln!(
        text,
        "\nOf the {method_pages} method pages, {every_example} ({}) import into schema files that\ngenerate, compile and pass every example they document.",
        percent(every_example, method_pages)
    );
    let _ = writeln!(text, "\n## Pages skipped, by reason\n");
    for (reason, pages) in &import.skipped {
        let _ = writeln!(text, "- {reason}: {}", pages.len());
    }
    let _ = writeln!(
        text,
        "\n## Methods documented in both versions\n\nA page of each, and a file of each: `<name>.json` for REST 2 and\n`v3/<name>.json` for REST 3.0.\n"
    );
    if twins.is_empty() {
        let _ = writeln!(text, "None.");
    }
    for name in &twins {
        let _ = writeln!(text, "- `{name}`");
    }
    let _ = writeln!(
        text,
        "\n## Imported methods the generator refuses, by cause\n"
    );
    if outcome.refused.is_empty() {
        let _ = writeln!(text, "None.");
    }
    let mut causes: Vec<_> = outcome.refused.iter().collect();
    causes.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    for (cause, names) in causes {
        let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
        let _ = writeln!(
            text,
            "- {} × {cause} (e.g. {})",
            names.len(),
            shown.join(", ")
        );
        if let Some(first) = outcome.first_refusal.get(cause) {
            let _ = writeln!(text, "  - first: {first}");
        }
    }
    disagreement_causes(&mut text, disagreements);
    let _ = writeln!(
        text,
        "\n## Hand-written files kept, and how many lines the import differs in\n"
    );
    for (name, lines) in &outcome.hand_written {
        let _ = writeln!(text, "- `{name}`: {lines}");
    }
    let mut families: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for name in import.files.keys() {
        let (_, wire) = RestVersion::of_key(name);
        let family = wire.split('.').next().unwrap_or(wire);
        let entry = families.entry(family).or_default();
        entry.0 += 1;
        if generates(name) {
            entry.1 += 1;
        }
        if passing(name) {
            entry.2 += 1;
        }
    }
    let _ = writeln!(
        text,
        "\n## By family\n\nMethods imported, generating and compiling (imported and passing the\ngenerator's checks, or written by hand), and passing every example as well.\n\n| family | imported | generate and compile | pass every example |\n|---|---:|---:|---:|"
    );
    for (family, (imported, pass, every)) in families {
        let _ = writeln!(text, "| `{family}` | {imported} | {pass} | {every} |");
    }
    text
}

/// The examples the types cannot follow, grouped by the cause their reasons
/// share.
fn disagreement_causes(text: &mut String, disagreements: &Disagreements) {
    let _ = writeln!(
        text,
        "\n## Examples the generated types cannot follow, by cause\n\nThe documentation disagrees with itself: the page's tables, which the types\nfollow, and its example. Their tests are compiled and skipped with the reason\n(`cargo test -- --ignored` runs them); a hand correction in `{OVERRIDES}/`\nfixes a page.\n"
    );
    if disagreements.is_empty() {
        let _ = writeln!(text, "None.");
        return;
    }
    let mut causes: BTreeMap<String, Vec<(&str, usize, &str)>> = BTreeMap::new();
    for (method, examples) in disagreements.iter() {
        for (number, reason) in examples {
            causes
                .entry(failure_cause(reason))
                .or_default()
                .push((method, *number, reason));
        }
    }
    let mut causes: Vec<_> = causes.into_iter().collect();
    causes.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    for (cause, examples) in causes {
        let shown: Vec<String> = examples
            .iter()
            .take(3)
            .map(|(method, number, _)| format!("{method} #{number}"))
            .collect();
        let _ = writeln!(
            text,
            "- {} × {cause} (e.g. {})",
            examples.len(),
            shown.join(", ")
        );
        if let [(method, number, reason), ..] = examples.as_slice() {
            let _ = writeln!(text, "  - first: `{method}` #{number}: {reason}");
        }
    }
}

/// A failing example's reason without what varies between examples of one
/// cause: where in the JSON it failed, the values, and the text position.
/// `the example's answer decodes: result[0].ID: invalid type: string "x",
/// expected i64 at line 1 column 9` -> `the example's answer decodes: …:
/// invalid type: string `…`, expected i64`.
fn failure_cause(reason: &str) -> String {
    let mut reason = reason.trim();
    if let Some((before, position)) = reason.rsplit_once(" at line ")
        && position.split(" column ").all(|n| n.parse::<u64>().is_ok())
    {
        reason = before;
    }
    let (stage, detail) = reason.split_once(": ").unwrap_or(("", reason));
    // A path into the JSON has no spaces: `result.items[1].id`.
    let detail = match detail.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') => format!("…: {rest}"),
        _ => detail.to_owned(),
    };
    cause(&format!("{stage}: {detail}"))
}

/// `part` of `whole` as a percentage with one decimal.
fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "–".to_owned();
    }
    let tenths = (part * 1000 + whole / 2) / whole;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    /// A workspace with the real shared types, no hand-written methods,
    /// and the given hand corrections.
    fn workspace(overrides: &[(&str, &str)]) -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        std::fs::create_dir_all(root.path().join("schema/methods")).unwrap();
        std::fs::create_dir_all(root.path().join("schema/shared")).unwrap();
        for entry in std::fs::read_dir(real.join("schema/shared")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(
                entry.path(),
                root.path().join("schema/shared").join(entry.file_name()),
            )
            .unwrap();
        }
        std::fs::create_dir_all(root.path().join(OVERRIDES)).unwrap();
        for (file, text) in overrides {
            std::fs::write(root.path().join(OVERRIDES).join(file), text).unwrap();
        }
        root
    }

    /// Imports the fixture pages into `into`, with no disagreements.
    fn import_into(root: &Path, into: &Path) -> Result<String, String> {
        run(
            root,
            &docs(),
            &Destination::folder(into),
            &Disagreements::default(),
        )
    }

    fn docs() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../import/tests/fixtures/docs")
    }

    #[test]
    fn hand_corrections_survive_every_import() {
        let root = workspace(&[(
            "crm.deal.list.json",
            r#"{"method": {"retry_safe": false, "description": "Corrected by hand."}}"#,
        )]);
        let into = root.path().join("imported");
        for _ in 0..2 {
            import_into(root.path(), &into).unwrap();
            let file = std::fs::read_to_string(into.join("crm.deal.list.json")).unwrap();
            let file: serde_json::Value = serde_json::from_str(&file).unwrap();
            assert_eq!(file["method"]["description"], "Corrected by hand.");
            assert_eq!(file["method"]["retry_safe"], false);
            assert_eq!(file["method"]["name"], "crm.deal.list");
        }
        let report = std::fs::read_to_string(into.join("IMPORT.md")).unwrap();
        assert!(
            report.contains("| corrected by hand (`schema/overrides/`) | 1 |"),
            "{report}"
        );
        assert!(
            report.contains("## Imported methods the generator refuses, by cause\n\nNone.\n"),
            "{report}"
        );
    }

    #[test]
    fn a_correction_that_matches_nothing_or_is_no_patch_stops_the_import_before_writing() {
        for (file, text, expected) in [
            (
                "crm.deal.lost.json",
                "{}",
                "no imported method has this name",
            ),
            ("crm.deal.list.json", "[]", "not a JSON object"),
            ("crm.deal.list.json", "{", "not JSON"),
        ] {
            let root = workspace(&[(file, text)]);
            let into = root.path().join("imported");
            let error = import_into(root.path(), &into).unwrap_err();
            assert!(
                error.starts_with(&format!("schema/overrides/{file}: ")),
                "{error}"
            );
            assert!(error.contains(expected), "{error}");
            assert!(!into.exists(), "nothing is written");
        }
        let root = workspace(&[("crm.deal.list.json", "{}"), ("CRM.deal.list.json", "{}")]);
        let into = root.path().join("imported");
        let error = import_into(root.path(), &into).unwrap_err();
        assert!(error.contains("corrects the same method"), "{error}");
        assert!(!into.exists(), "nothing is written");
    }

    #[test]
    fn a_correction_the_generator_refuses_is_reported_not_written() {
        let root = workspace(&[(
            "crm.deal.list.json",
            r#"{"method": {"retry_safe": "sometimes"}}"#,
        )]);
        let into = root.path().join("imported");
        import_into(root.path(), &into).unwrap();
        assert!(!into.join("crm.deal.list.json").exists());
        let report = std::fs::read_to_string(into.join("IMPORT.md")).unwrap();
        assert!(report.contains("crm.deal.list"), "{report}");
    }

    #[test]
    fn the_default_import_writes_schema_imported_and_its_report_beside_it() {
        let root = workspace(&[]);
        let destination = Destination::default_in(root.path());
        let mut record = Disagreements::default();
        record.insert(
            "crm.deal.add",
            2,
            "result: invalid type: string `x`, expected i64",
        );
        for _ in 0..2 {
            run(root.path(), &docs(), &destination, &record).unwrap();
        }
        let file =
            std::fs::read_to_string(root.path().join(IMPORTED).join("crm.deal.add.json")).unwrap();
        let file: serde_json::Value = serde_json::from_str(&file).unwrap();
        assert_eq!(
            file["method"]["examples"][1]["disagrees"],
            "result: invalid type: string `x`, expected i64"
        );
        let report = std::fs::read_to_string(root.path().join(REPORT)).unwrap();
        // Four methods, one of which has an example the types cannot follow.
        assert!(
            report.contains(
                "| **method pages whose methods generate, compile and pass every example** | **3** |"
            ),
            "{report}"
        );
        assert!(report.contains("| `crm` | 2 | 2 | 1 |"), "{report}");
        assert!(
            report.contains(
                "- 1 × result: invalid type: string `…`, expected i64 (e.g. crm.deal.add #2)"
            ),
            "{report}"
        );
        // A folder that holds other files and no report is never written to.
        let other = tempfile::tempdir().unwrap();
        std::fs::write(other.path().join("mine.json"), "{}").unwrap();
        let error = run(
            root.path(),
            &docs(),
            &Destination::folder(other.path()),
            &record,
        )
        .unwrap_err();
        assert!(
            error.contains("neither empty nor an earlier import"),
            "{error}"
        );
        assert!(other.path().join("mine.json").exists());
    }

    /// A page of `a.thing.get`, of REST 3.0 if `rest3`.
    fn thing_page(rest3: bool) -> String {
        let note = if rest3 {
            "{% note info \"\" %}\n\nThis method belongs to REST 3.0.\n\n{% endnote %}\n\n"
        } else {
            ""
        };
        format!(
            "# Get a thing a.thing.get\n\n> Scope: [`a`](x.md)\n\n{note}Returns a thing.\n\n## Method Parameters\n\n#|\n|| **Name**\n`type` | **Description** ||\n|| **id***\n[`integer`](x) | The thing. ||\n|#\n\n## Response Handling\n\nHTTP status: **200**\n\n```json\n{{\"result\": {{\"id\": 1}}}}\n```\n"
        )
    }

    #[test]
    fn rest_3_methods_go_to_v3_beside_their_twins_and_leave_with_their_pages() {
        let root = workspace(&[]);
        let docs = tempfile::tempdir().unwrap();
        let pages = docs.path().join("api-reference");
        std::fs::create_dir_all(&pages).unwrap();
        std::fs::write(pages.join("get.md"), thing_page(false)).unwrap();
        std::fs::write(pages.join("get-rest-v3.md"), thing_page(true)).unwrap();
        let into = root.path().join("imported");
        let import = || {
            run(
                root.path(),
                docs.path(),
                &Destination::folder(&into),
                &Disagreements::default(),
            )
            .unwrap();
            std::fs::read_to_string(into.join("IMPORT.md")).unwrap()
        };
        let report = import();
        let rest3 = into.join("v3/a.thing.get.json");
        let file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&rest3).unwrap()).unwrap();
        assert_eq!(file["method"]["rest_version"], 3);
        assert!(into.join("a.thing.get.json").exists());
        assert!(
            report.contains("| of which REST 3.0 methods (`v3/`) | 1 |"),
            "{report}"
        );
        assert!(
            report.contains("| methods imported in both versions | 1 |"),
            "{report}"
        );
        assert!(report.contains("- `a.thing.get`\n"), "{report}");
        assert!(report.contains("| `a` | 2 | 2 | 2 |"), "{report}");

        // A hand-written REST 3.0 file wins over the REST 3.0 import alone.
        let methods = root.path().join("schema/methods/v3");
        std::fs::create_dir_all(&methods).unwrap();
        std::fs::write(methods.join("a.thing.get.json"), "{}\n").unwrap();
        let report = import();
        assert!(!rest3.exists(), "the earlier import's file is gone");
        assert!(into.join("a.thing.get.json").exists());
        assert!(report.contains("- `v3/a.thing.get`: "), "{report}");

        std::fs::remove_dir_all(&methods).unwrap();
        std::fs::remove_file(pages.join("get-rest-v3.md")).unwrap();
        import();
        assert!(!rest3.exists(), "a page that is gone leaves no file");
        assert!(into.join("a.thing.get.json").exists());
    }

    #[test]
    fn failures_of_one_cause_group_together() {
        let a = "the example's answer decodes: result.items[1].id: invalid value: string \"chat1317\", expected an integer at line 1 column 1151";
        let b = "the example's answer decodes: result[0].ID: invalid value: string \"x\", expected an integer at line 1 column 9";
        assert_eq!(failure_cause(a), failure_cause(b));
        assert_eq!(
            failure_cause(a),
            "the example's answer decodes: …: invalid value: string `…`, expected an integer"
        );
        let c = "the example's parameters form a request: unknown field `filter`, expected `order` at line 1 column 9";
        assert_eq!(
            failure_cause(c),
            "the example's parameters form a request: unknown field `…`, expected `…`"
        );
        assert_ne!(failure_cause(a), failure_cause(c));
    }
}
