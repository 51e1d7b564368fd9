//! `cargo xtask`: project automation.
//!
//! `cargo xtask codegen` regenerates the `bitrix24` crate and the format's JSON
//! Schema from `schema/`; `cargo xtask codegen --check` writes nothing and
//! fails when anything is stale. All the work happens in the codegen crate;
//! this file only parses the command line and reports.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check]

  codegen          regenerate generated/src/api/ and schema/format.schema.json from schema/
  codegen --check  write nothing; fail if any generated file is stale";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
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
    let root = workspace_root();
    let files = match bitrix24_codegen::generate_from_dir(&root) {
        Ok(files) => files,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = if check_only {
        bitrix24_codegen::check(&root, &files)
    } else {
        bitrix24_codegen::write(&root, &files)
    };
    match outcome {
        Ok(staleness) if staleness.is_empty() => {
            println!("{} generated files are up to date", files.len());
            ExitCode::SUCCESS
        }
        Ok(staleness) if check_only => {
            eprint!("generated files are out of date:\n{staleness}");
            eprintln!(
                "run `cargo xtask codegen` to update them, then `cargo insta review` for the snapshots"
            );
            ExitCode::FAILURE
        }
        Ok(staleness) => {
            print!("updated:\n{staleness}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("cannot write the generated files: {error}");
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
