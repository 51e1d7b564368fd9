//! `cargo xtask import-docs --from DOCS --verify`: imports into
//! `schema/imported/`, regenerates, builds every family's crate with its
//! example tests, runs them all (skipped ones too), and records in
//! `schema/disagreements.json` the imported examples that fail, with the
//! first line of each failure; then imports and regenerates again, so that
//! those examples are marked and their tests skipped with the reason.
//!
//! An example of a hand-written method (`schema/methods/`) that fails is an
//! error, not a disagreement: those files are verified against the server.
//! So is one of a method whose hand correction replaces its examples: the
//! correction is where to say why. Knows nothing about how the importer
//! reads pages; runs cargo, whose path cargo gives every command it runs.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use bitrix24_codegen::{Mode, layout};
use bitrix24_import::Disagreements;

use crate::import_docs::{self, DISAGREEMENTS, Destination, IMPORTED, OVERRIDES};

pub fn run(root: &Path, from: &Path) -> Result<String, String> {
    let destination = Destination::default_in(root);
    let before = import_docs::read_disagreements(root)?;
    import_docs::run(root, from, &destination, &before)?;
    regenerate(root)?;
    let families = families(root)?;
    let mut packages: Vec<String> = Vec::new();
    for (package, _) in &families {
        packages.extend(["-p".to_owned(), package.clone()]);
    }
    cargo(
        root,
        &[
            &["test", "--quiet", "--tests", "--no-run"],
            &strs(&packages)[..],
        ]
        .concat(),
    )?;
    let mut found = Disagreements::default();
    let mut problems = Vec::new();
    for (package, methods) in &families {
        let output = cargo_output(
            root,
            &[
                "test",
                "--quiet",
                "--tests",
                "-p",
                package,
                "--",
                "--include-ignored",
            ],
        )?;
        for (test, reason) in failures(&output) {
            let Some((module, number)) = example_test(&test) else {
                problems.push(format!("{package}: {test} fails: {reason}"));
                continue;
            };
            match methods.get(module) {
                Some((_, source)) if let Some(key) = imported_key(source) => {
                    if corrected_examples(root, key) {
                        problems.push(format!(
                            "{key} example {number} fails ({reason}); its hand correction replaces the examples, so say there why (`disagrees`)"
                        ));
                    } else {
                        found.insert(key, number, &reason);
                    }
                }
                Some((wire, source)) => {
                    problems.push(format!("{source}: {wire} example {number} fails: {reason}"))
                }
                None => problems.push(format!("{package}: {test} fails: {reason}")),
            }
        }
    }
    if !problems.is_empty() {
        return Err(format!(
            "examples that must pass fail:\n  {}",
            problems.join("\n  ")
        ));
    }
    std::fs::write(root.join(DISAGREEMENTS), found.to_json())
        .map_err(|error| format!("cannot write {DISAGREEMENTS}: {error}"))?;
    let summary = import_docs::run(root, from, &destination, &found)?;
    regenerate(root)?;
    Ok(format!(
        "{summary}; {} examples of {} methods disagree with the types (recorded in {DISAGREEMENTS}, {} before)",
        found.len(),
        found.iter().count(),
        before.len()
    ))
}

fn strs(owned: &[String]) -> Vec<&str> {
    owned.iter().map(String::as_str).collect()
}

fn regenerate(root: &Path) -> Result<(), String> {
    bitrix24_codegen::run(root, Mode::Write)
        .map(|_| ())
        .map_err(|error| error.to_string())
}

/// Each family's crate with its methods: module -> (wire name, schema file).
type Families = Vec<(String, BTreeMap<String, (String, String)>)>;

fn families(root: &Path) -> Result<Families, String> {
    let sources =
        bitrix24_codegen::read_sources(root, layout::CRATE.schema).map_err(|e| e.to_string())?;
    let api = bitrix24_codegen::model(&sources).map_err(|error| error.to_string())?;
    Ok(api
        .families
        .iter()
        .map(|family| {
            let methods = family
                .methods
                .iter()
                .map(|method| {
                    let module = bitrix24_codegen::names::unraw(&method.module).to_owned();
                    (module, (method.wire.clone(), method.source.clone()))
                })
                .collect();
            (layout::CRATE.family(&family.module).package, methods)
        })
        .collect())
}

/// The key of an imported schema file (`v3/tasks.task.get` for
/// `schema/imported/v3/tasks.task.get.json`), which the record names its
/// examples by; none for a file written by hand.
fn imported_key(source: &str) -> Option<&str> {
    source
        .strip_prefix(IMPORTED)?
        .strip_prefix('/')?
        .strip_suffix(".json")
}

/// Whether the hand correction of the imported file `key` replaces its
/// examples.
fn corrected_examples(root: &Path, key: &str) -> bool {
    std::fs::read_to_string(root.join(OVERRIDES).join(format!("{key}.json")))
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .is_some_and(|patch| patch["method"].get("examples").is_some())
}

fn cargo_command(root: &Path, args: &[&str]) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args(args)
        // One line per failure: no backtraces in the captured output.
        .env("RUST_BACKTRACE", "0");
    command
}

fn cargo(root: &Path, args: &[&str]) -> Result<(), String> {
    let status = cargo_command(root, args)
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo {} failed ({status})", args.join(" ")))
    }
}

/// The standard output of a test run, which fails when tests fail.
fn cargo_output(root: &Path, args: &[&str]) -> Result<String, String> {
    let output = cargo_command(root, args)
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The failing tests of a libtest run, each with the first line of its
/// panic message.
fn failures(output: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = output.lines().collect();
    let mut found = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let Some(test) = header(line) else {
            continue;
        };
        // "thread '<test>' (<id>) panicked at <file>:<line>:<column>:",
        // then the message.
        let reason = lines[at + 1..]
            .iter()
            .take_while(|line| header(line).is_none())
            .skip_while(|line| !line.contains("panicked at "))
            .nth(1)
            .copied()
            .unwrap_or_default();
        found.push((test.to_owned(), reason.to_owned()));
    }
    found
}

/// The test a libtest failure section is about: `---- <test> stdout ----`.
fn header(line: &str) -> Option<&str> {
    line.strip_prefix("---- ")?.strip_suffix(" stdout ----")
}

/// `crm_deal_add::example_2` -> (`crm_deal_add`, 2).
fn example_test(test: &str) -> Option<(&str, usize)> {
    let (module, number) = test.split_once("::example_")?;
    Some((module, number.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_read_from_libtest_output_with_their_first_line() {
        let output = "\nrunning 3 tests\n.F.\nfailures:\n\n---- crm_deal_add::example_2 stdout ----\n\nthread 'crm_deal_add::example_2' (4242) panicked at runtime/src/__private/examples.rs:130:33:\nthe example's answer decodes: result.ID: invalid type\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n---- crm_deal_get::example_1 stdout ----\n\nthread 'crm_deal_get::example_1' (4243) panicked at runtime/src/__private/examples.rs:99:9:\nassertion failed\n\nfailures:\n    crm_deal_add::example_2\n    crm_deal_get::example_1\n\ntest result: FAILED. 1 passed; 2 failed\n";
        let found = failures(output);
        assert_eq!(
            found,
            [
                (
                    "crm_deal_add::example_2".to_owned(),
                    "the example's answer decodes: result.ID: invalid type".to_owned()
                ),
                (
                    "crm_deal_get::example_1".to_owned(),
                    "assertion failed".to_owned()
                ),
            ]
        );
        assert_eq!(example_test(&found[0].0), Some(("crm_deal_add", 2)));
        assert_eq!(example_test("crm_deal_add::other"), None);
        assert_eq!(
            imported_key("schema/imported/v3/tasks.task.get.json"),
            Some("v3/tasks.task.get")
        );
        assert_eq!(imported_key("schema/methods/tasks.task.get.json"), None);
        assert!(failures("test result: ok. 3 passed\n").is_empty());
    }
}
