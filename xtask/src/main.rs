//! `cargo xtask`: project automation.
//!
//! `cargo xtask codegen` regenerates the `bitrix24` crate (`generated/`), the
//! fixture crate (`fixtures/`) and the format's JSON Schema from their schema; `cargo xtask codegen --check` writes nothing and
//! fails when anything is stale. All the work happens in the codegen crate;
//! this file only parses the command line and reports.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bitrix24_codegen::Mode;

// A third of the generator's instructions are allocations and frees (token
// streams, syntax trees); mimalloc makes `cargo xtask codegen` about a
// quarter faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod import_docs;
mod verify;

const USAGE: &str = "usage: cargo xtask codegen [--check]
       cargo xtask import-docs --from DOCS [--into DIR | --verify]

  codegen          regenerate generated/, fixtures/ and schema/format.schema.json from schema/
  codegen --check  write nothing; fail if any generated file is stale
  import-docs      read a b24restdocs checkout into schema files; write those the
                   generator accepts into schema/imported/ (REST 3.0 methods into
                   its v3/ folder) with the report schema/IMPORT.md, or into DIR
                   with DIR/IMPORT.md
    --verify       then regenerate, run every example test, record the imported
                   examples that fail in schema/disagreements.json, and import
                   again so that their tests are skipped with the reason";

/// What `import-docs` was asked to do.
struct ImportArgs<'a> {
    from: &'a str,
    into: Option<&'a str>,
    verify: bool,
}

fn import_args<'a>(mut args: &[&'a str]) -> Option<ImportArgs<'a>> {
    let (mut from, mut into, mut verify) = (None, None, false);
    loop {
        args = match args {
            [] => break,
            ["--from", value, rest @ ..] if from.is_none() => {
                from = Some(*value);
                rest
            }
            ["--into", value, rest @ ..] if into.is_none() => {
                into = Some(*value);
                rest
            }
            ["--verify", rest @ ..] if !verify => {
                verify = true;
                rest
            }
            _ => return None,
        };
    }
    // A verified import is the committed one: it goes where the generator reads.
    if verify && into.is_some() {
        return None;
    }
    Some(ImportArgs {
        from: from?,
        into,
        verify,
    })
}

fn import_docs(args: &ImportArgs) -> ExitCode {
    let root = workspace_root();
    let from = Path::new(args.from);
    let outcome = if args.verify {
        verify::run(&root, from)
    } else {
        let destination = match args.into {
            Some(into) => import_docs::Destination::folder(Path::new(into)),
            None => import_docs::Destination::default_in(&root),
        };
        import_docs::read_disagreements(&root)
            .and_then(|record| import_docs::run(&root, from, &destination, &record))
    };
    match outcome {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("import-docs: {error}");
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["import-docs", rest @ ..] => match import_args(rest) {
            Some(args) => import_docs(&args),
            None => {
                eprintln!("{USAGE}");
                ExitCode::from(2)
            }
        },
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn codegen(check_only: bool) -> ExitCode {
    let mode = if check_only { Mode::Check } else { Mode::Write };
    match bitrix24_codegen::run(&workspace_root(), mode) {
        Ok((count, staleness)) if staleness.is_empty() => {
            println!("{count} generated files are up to date");
            ExitCode::SUCCESS
        }
        Ok((_, staleness)) if check_only => {
            eprint!("generated files are out of date:\n{staleness}");
            eprintln!(
                "run `cargo xtask codegen` to update them, then `cargo insta review` for the snapshots"
            );
            ExitCode::FAILURE
        }
        Ok((_, staleness)) => {
            print!("updated:\n{staleness}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root: xtask lives one folder below it.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_docs_takes_its_options_in_any_order_once_each() {
        let args = import_args(&["--into", "out", "--from", "docs"]).unwrap();
        assert_eq!(
            (args.from, args.into, args.verify),
            ("docs", Some("out"), false)
        );
        let args = import_args(&["--verify", "--from", "docs"]).unwrap();
        assert_eq!((args.from, args.into, args.verify), ("docs", None, true));
        for bad in [
            &[][..],
            &["--into", "out"],
            &["--from"],
            &["--from", "a", "--from", "b"],
            &["--from", "a", "--verify", "--verify"],
            &["--from", "a", "--into", "out", "--verify"],
            &["--from", "a", "--check"],
        ] {
            assert!(import_args(bad).is_none(), "{bad:?}");
        }
    }
}
