//! `b24`: the Bitrix24 REST API from a shell.
//!
//! `b24 [OPTIONS] <METHOD> [PARAMETERS]` calls any method the schema knows,
//! with a flag per parameter, every value checked against the schema before
//! anything is sent; `batch`, `call`, `auth`, `methods` and `completions`
//! do the rest. The methods come from `bitrix24::schema`, generated from the
//! schema files, so a new schema file is a new command with no change
//! here. This file parses the command line and maps outcomes to exit
//! statuses; `run.rs` does the work.

mod auth;
mod cli;
mod connect;
mod dry_run;
mod output;
mod params;
mod profiles;
mod run;
mod secret_file;
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
        Err(error) => clap_exit(&error),
    };
    ExitCode::from(outcome as u8)
}

/// Prints what clap has to say (help and version are "errors" that
/// succeed), with webhook codes masked: a mistyped command line may echo a
/// webhook URL given in the wrong place.
pub fn clap_exit(error: &clap::Error) -> Outcome {
    let text = mask_webhook_codes(&error.render().to_string());
    if error.use_stderr() {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
    match error.exit_code() {
        0 => Outcome::Success,
        _ => Outcome::Usage,
    }
}

/// Prints a usage error (nothing was sent).
pub fn usage(message: &str) -> Outcome {
    eprintln!("error: {}", mask_webhook_codes(message));
    eprintln!("\nFor more information, try '--help'.");
    Outcome::Usage
}

/// `text` with the code of every webhook URL in it (`/rest/<user>/<code>`)
/// replaced by `***`.
pub fn mask_webhook_codes(text: &str) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("/rest/") {
        let (before, after) = rest.split_at(at + "/rest/".len());
        masked.push_str(before);
        let user_end = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        let (user, tail) = after.split_at(user_end);
        masked.push_str(user);
        match tail.strip_prefix('/') {
            Some(code) if !user.is_empty() => {
                let code_end = code
                    .find(|c: char| c == '/' || c == '\'' || c == '"' || c.is_whitespace())
                    .unwrap_or(code.len());
                masked.push('/');
                if code_end > 0 {
                    masked.push_str("***");
                }
                rest = &code[code_end..];
            }
            _ => rest = tail,
        }
    }
    masked.push_str(rest);
    masked
}

/// Whether standard error is a terminal (progress bars and colours).
pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::mask_webhook_codes;

    #[test]
    fn webhook_codes_are_masked_wherever_they_are() {
        for (text, masked) in [
            (
                "https://p.bitrix24.com/rest/1/s3cr3t/",
                "https://p.bitrix24.com/rest/1/***/",
            ),
            (
                "'http://127.0.0.1:1/rest/12/abc' found",
                "'http://127.0.0.1:1/rest/12/***' found",
            ),
            ("/rest/1/a/rest/2/b", "/rest/1/***/rest/2/***"),
            ("the /rest/ folder", "the /rest/ folder"),
            ("/rest/x/y", "/rest/x/y"),
            ("/rest/1/", "/rest/1/"),
            ("no url", "no url"),
        ] {
            assert_eq!(mask_webhook_codes(text), masked, "{text}");
        }
    }
}
