//! `cargo xtask import-docs --from DOCS --into DIR`: imports the official
//! documentation with `bitrix24-import`, checks every imported file with the
//! generator (alone with the shared schema files, as `cargo xtask codegen`
//! would read it), writes the files that pass into `DIR` with a report,
//! `IMPORT.md`, of what was imported, skipped and refused, by cause.
//!
//! The hand-written files of `schema/methods/` are never overwritten: the
//! report lists how the imported version of each differs. Hand corrections
//! of imported files live in `schema/overrides/<method>.json`, merge patches
//! applied to every import (`bitrix24_import::overlay`); one that matches no
//! imported method, or does not apply, stops the import before anything is
//! written.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use bitrix24_codegen::Source;

/// What one run found.
struct Outcome {
    written: BTreeMap<String, String>,
    refused: BTreeMap<String, Vec<String>>,
    /// The first refusal of each cause in full: the file's JSON path and message.
    first_refusal: BTreeMap<String, String>,
    hand_written: Vec<(String, usize)>,
    /// The methods a hand correction was applied to.
    overridden: Vec<String>,
}

/// The folder of hand corrections, relative to the workspace root.
const OVERRIDES: &str = "schema/overrides";

pub fn run(root: &Path, from: &Path, into: &Path) -> Result<String, String> {
    let docs = bitrix24_import::read(from).map_err(|error| error.to_string())?;
    let import = bitrix24_import::import(&docs);
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
    // Method names are case-insensitive: a hand-written file of any case wins.
    let hand_written: BTreeMap<String, std::path::PathBuf> =
        std::fs::read_dir(root.join("schema/methods"))
            .map_err(|error| error.to_string())?
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let name = entry
                    .file_name()
                    .to_string_lossy()
                    .strip_suffix(".json")?
                    .to_ascii_lowercase();
                Some((name, entry.path()))
            })
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
            path: format!("schema/methods/{name}.json"),
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
    prepare(into)?;
    for (name, text) in &outcome.written {
        let path = into.join(format!("{name}.json"));
        std::fs::write(&path, text)
            .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    }
    let report = report(&import, &outcome);
    std::fs::write(into.join("IMPORT.md"), &report).map_err(|error| error.to_string())?;
    Ok(format!(
        "{} pages, {} methods imported, {} pass the generator's checks and were written to {}",
        import.pages,
        import.files.len(),
        outcome.written.len(),
        into.display()
    ))
}

/// The hand corrections in `folder`, by lowercase method name, with their
/// file names; none if the folder does not exist.
fn read_overrides(folder: &Path) -> Result<BTreeMap<String, (String, String)>, String> {
    let shown = folder.display();
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(error) => return Err(format!("cannot list {shown}: {error}")),
    };
    let mut overrides = BTreeMap::new();
    for entry in entries {
        let entry = entry.map_err(|error| format!("cannot list {shown}: {error}"))?;
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(name) = file.strip_suffix(".json") else {
            continue;
        };
        let too_big = entry
            .metadata()
            .map_err(|error| format!("{OVERRIDES}/{file}: {error}"))?
            .len()
            > bitrix24_import::overlay::MAX_OVERRIDE_BYTES as u64;
        if too_big {
            return Err(format!(
                "{OVERRIDES}/{file}: larger than an override may be"
            ));
        }
        let text = std::fs::read_to_string(entry.path())
            .map_err(|error| format!("{OVERRIDES}/{file}: {error}"))?;
        // Method names are case-insensitive: two spellings of one name
        // would leave which one applies to the order of the listing.
        if let Some((other, _)) = overrides.insert(name.to_ascii_lowercase(), (file.clone(), text))
        {
            return Err(format!(
                "{OVERRIDES}/{file}: {OVERRIDES}/{other} corrects the same method; keep one"
            ));
        }
    }
    Ok(overrides)
}

/// Makes `into` ready for a fresh import: a new folder, an empty one, or
/// one an earlier import wrote (it holds `IMPORT.md`), whose schema files
/// are removed so that none is left from pages that are gone. Any other
/// folder is refused, so hand-written files are never touched.
fn prepare(into: &Path) -> Result<(), String> {
    let shown = into.display();
    std::fs::create_dir_all(into).map_err(|error| format!("cannot create {shown}: {error}"))?;
    let entries: Vec<std::path::PathBuf> = std::fs::read_dir(into)
        .map_err(|error| format!("cannot list {shown}: {error}"))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    if !entries.is_empty() && !into.join("IMPORT.md").is_file() {
        return Err(format!(
            "{shown} is neither empty nor an earlier import (it has no IMPORT.md): choose another folder"
        ));
    }
    for path in entries
        .iter()
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
    {
        std::fs::remove_file(path)
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

fn report(import: &bitrix24_import::Import, outcome: &Outcome) -> String {
    let mut text = String::from(
        "# Import of the official documentation\n\nWritten by `cargo xtask import-docs`.\n\n",
    );
    let _ = writeln!(text, "| | count |\n|---|---:|");
    let _ = writeln!(text, "| pages read | {} |", import.pages);
    let _ = writeln!(text, "| method pages imported | {} |", import.files.len());
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
    let _ = writeln!(text, "\n## Pages skipped, by reason\n");
    for (reason, pages) in &import.skipped {
        let _ = writeln!(text, "- {reason}: {}", pages.len());
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
    let _ = writeln!(
        text,
        "\n## Hand-written files kept, and how many lines the import differs in\n"
    );
    for (name, lines) in &outcome.hand_written {
        let _ = writeln!(text, "- `{name}`: {lines}");
    }
    let mut families: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for name in import.files.keys() {
        let family = name.split('.').next().unwrap_or(name);
        let entry = families.entry(family).or_default();
        entry.0 += 1;
        if outcome.written.contains_key(name) {
            entry.1 += 1;
        }
    }
    let _ = writeln!(
        text,
        "\n## By family: imported, passing the generator's checks\n\n| family | imported | pass |\n|---|---:|---:|"
    );
    for (family, (imported, pass)) in families {
        let _ = writeln!(text, "| `{family}` | {imported} | {pass} |");
    }
    text
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
            run(root.path(), &docs(), &into).unwrap();
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
            let error = run(root.path(), &docs(), &into).unwrap_err();
            assert!(
                error.starts_with(&format!("schema/overrides/{file}: ")),
                "{error}"
            );
            assert!(error.contains(expected), "{error}");
            assert!(!into.exists(), "nothing is written");
        }
        let root = workspace(&[("crm.deal.list.json", "{}"), ("CRM.deal.list.json", "{}")]);
        let into = root.path().join("imported");
        let error = run(root.path(), &docs(), &into).unwrap_err();
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
        run(root.path(), &docs(), &into).unwrap();
        assert!(!into.join("crm.deal.list.json").exists());
        let report = std::fs::read_to_string(into.join("IMPORT.md")).unwrap();
        assert!(report.contains("crm.deal.list"), "{report}");
    }
}
