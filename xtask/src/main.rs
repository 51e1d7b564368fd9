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

const USAGE: &str = "usage: cargo xtask codegen [--check]
       cargo xtask import-docs --from DOCS --into DIR

  codegen          regenerate generated/, fixtures/ and schema/format.schema.json from schema/
  codegen --check  write nothing; fail if any generated file is stale
  import-docs      read a b24restdocs checkout into schema files; write those the
                   generator accepts, and IMPORT.md, into DIR";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["import-docs", "--from", from, "--into", into]
        | ["import-docs", "--into", into, "--from", from] => {
            match import_docs::run(&workspace_root(), Path::new(from), Path::new(into)) {
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
