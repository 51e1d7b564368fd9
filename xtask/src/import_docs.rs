//! `cargo xtask import-docs --from DOCS --into DIR`: imports the official
//! documentation with `bitrix24-import`, checks every imported file with the
//! generator (alone with the shared schema files, as `cargo xtask codegen`
//! would read it), writes the files that pass into `DIR` with a report,
//! `IMPORT.md`, of what was imported, skipped and refused, by cause.
//!
//! The hand-written files of `schema/methods/` are never overwritten: the
//! report lists how the imported version of each differs.

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
}

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
    };
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
    let _ = writeln!(text, "\n## Pages skipped, by reason\n");
    for (reason, pages) in &import.skipped {
        let _ = writeln!(text, "- {reason}: {}", pages.len());
    }
    let _ = writeln!(
        text,
        "\n## Imported methods the generator refuses, by cause\n"
    );
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
