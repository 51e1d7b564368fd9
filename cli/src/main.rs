//! `b24`: the Bitrix24 REST API from a shell.
//!
//! `b24 [OPTIONS] <METHOD> [PARAMETERS]` calls any method the schema knows,
//! with a flag per parameter, every value checked against the schema before
//! anything is sent; `batch`, `call`, `methods` and `completions` do the
//! rest. The methods come from `bitrix24::schema`, generated from the
//! schema files, so a new schema file is a new command with no change
//! here. This file parses the command line and maps outcomes to exit
//! statuses; `run.rs` does the work.

mod cli;
mod connect;
mod output;
mod params;
mod run;
mod values;

use std::ffi::OsString;
use std::io::IsTerminal;
use std::process::ExitCode;

/// How a command ended, as its exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It did what was asked.
    Success = 0,
    /// The portal answered with a method error.
    MethodError = 1,
    /// The command line was wrong; nothing was sent.
    Usage = 2,
    /// Transport, auth, decode or rate-limit errors remained after retries.
    Failure = 3,
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let outcome = match cli::root().try_get_matches_from(&args) {
        Ok(matches) => run::dispatch(&matches),
        Err(error) => {
            // Help and version are "errors" that succeed.
            let _ = error.print();
            match error.exit_code() {
                0 => Outcome::Success,
                _ => Outcome::Usage,
            }
        }
    };
    ExitCode::from(outcome as u8)
}

/// Prints a usage error (nothing was sent).
pub fn usage(message: &str) -> Outcome {
    eprintln!("error: {message}");
    eprintln!("\nFor more information, try '--help'.");
    Outcome::Usage
}

/// Whether standard error is a terminal (progress bars and colours).
pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}
