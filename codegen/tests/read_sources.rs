//! Reading the schema folder from the disk when it holds things that are not
//! schema files: special files, links that lead nowhere useful, huge files and
//! names that would end up in generated comments. Each is a diagnostic naming
//! the entry, returned promptly; none hangs, recurses forever or exhausts memory.
//!
//! Tests run as root in CI, so none relies on a permission error.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use bitrix24_codegen::{Diagnostics, MAX_SCHEMA_FILE_BYTES};

/// A scratch root whose `schema/methods/` holds one valid method file.
fn scratch() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let methods = dir.path().join("schema/methods");
    std::fs::create_dir_all(&methods).expect("the schema folder is created");
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fixture.no_params.json");
    std::fs::copy(fixture, methods.join("fixture.no_params.json")).expect("the fixture is copied");
    (dir, methods)
}

/// Reads and generates the `bitrix24` crate from `root/schema` alone.
fn read_schema(root: &Path) -> Result<Vec<bitrix24_codegen::OutputFile>, Diagnostics> {
    bitrix24_codegen::read_sources(root, &["schema"])
        .and_then(|sources| bitrix24_codegen::generate(&sources))
}

/// The diagnostics of reading `root`, or a failure if reading takes longer
/// than a few seconds (it would hang forever on a FIFO or a link to a device).
fn read_errors(root: &Path) -> Diagnostics {
    let (sender, receiver) = mpsc::channel();
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        let _ = sender.send(read_schema(&root));
    });
    match receiver.recv_timeout(Duration::from_secs(20)) {
        Ok(Ok(_)) => panic!("reading should fail"),
        Ok(Err(diagnostics)) => diagnostics,
        Err(_) => panic!("reading the schema folder did not finish"),
    }
}

fn assert_reported(diagnostics: &Diagnostics, file: &str, message: &str) {
    assert!(
        diagnostics
            .0
            .iter()
            .any(|diagnostic| diagnostic.file == file && diagnostic.message.contains(message)),
        "expected {file}: …{message}…, got:\n{diagnostics}"
    );
}

#[test]
fn a_fifo_is_reported_not_read() {
    let (dir, methods) = scratch();
    let fifo = methods.join("fifo.json");
    match std::process::Command::new("mkfifo").arg(&fifo).status() {
        Ok(status) if status.success() => {}
        outcome => {
            println!("skipped: mkfifo is not available ({outcome:?})");
            return;
        }
    }
    let diagnostics = read_errors(dir.path());
    assert_reported(
        &diagnostics,
        "schema/methods/fifo.json",
        "not a regular file",
    );
}

#[test]
fn a_link_to_a_device_is_reported_not_read() {
    let (dir, methods) = scratch();
    std::os::unix::fs::symlink("/dev/zero", methods.join("zero.json")).expect("a link");
    let diagnostics = read_errors(dir.path());
    assert_reported(
        &diagnostics,
        "schema/methods/zero.json",
        "not a regular file",
    );
}

#[test]
fn a_link_to_a_folder_named_like_a_schema_file_is_reported() {
    let (dir, methods) = scratch();
    std::fs::create_dir(dir.path().join("elsewhere")).expect("a folder");
    std::os::unix::fs::symlink(dir.path().join("elsewhere"), methods.join("folder.json"))
        .expect("a link");
    let diagnostics = read_errors(dir.path());
    assert_reported(
        &diagnostics,
        "schema/methods/folder.json",
        "not a regular file",
    );
}

#[test]
fn a_file_over_the_size_limit_is_reported_with_the_limit() {
    let (dir, methods) = scratch();
    let size = usize::try_from(MAX_SCHEMA_FILE_BYTES).expect("fits") + 1;
    std::fs::write(methods.join("huge.json"), vec![b' '; size]).expect("written");
    let diagnostics = read_errors(dir.path());
    assert_reported(
        &diagnostics,
        "schema/methods/huge.json",
        "larger than 4 MiB",
    );
}

#[test]
fn a_file_at_the_size_limit_is_read() {
    let (dir, methods) = scratch();
    let mut text = std::fs::read(methods.join("fixture.no_params.json")).expect("readable");
    text.resize(usize::try_from(MAX_SCHEMA_FILE_BYTES).expect("fits"), b' ');
    std::fs::write(methods.join("fixture.no_params.json"), text).expect("written");
    read_schema(dir.path()).expect("a file of exactly the limit is read");
}

#[test]
fn a_symlink_loop_is_reported_not_followed() {
    let (dir, methods) = scratch();
    std::os::unix::fs::symlink("..", methods.join("loop")).expect("a link");
    std::os::unix::fs::symlink("self", methods.join("self")).expect("a link");
    let diagnostics = read_errors(dir.path());
    assert_reported(&diagnostics, "schema/methods/loop", "link to a folder");
    assert_eq!(diagnostics.0.len(), 1, "{diagnostics}");
}

#[test]
fn a_link_to_a_regular_file_is_read() {
    let (dir, methods) = scratch();
    std::fs::rename(
        methods.join("fixture.no_params.json"),
        dir.path().join("kept.json"),
    )
    .expect("moved");
    std::os::unix::fs::symlink(
        dir.path().join("kept.json"),
        methods.join("fixture.no_params.json"),
    )
    .expect("a link");
    let files = read_schema(dir.path()).expect("the link is followed");
    assert!(
        files
            .iter()
            .any(|file| file.path.ends_with("/fixture_no_params.rs"))
    );
}

#[test]
fn a_path_with_a_line_break_is_reported_escaped() {
    let (dir, methods) = scratch();
    let folder = methods.join("evil\npub fn evil() {}");
    std::fs::create_dir(&folder).expect("a folder");
    std::fs::write(folder.join("x.json"), "{}").expect("written");
    let diagnostics = read_errors(dir.path());
    assert_reported(
        &diagnostics,
        r"schema/methods/evil\npub fn evil() {}/x.json",
        "control character",
    );
}

#[test]
fn a_path_that_is_not_utf8_is_reported() {
    use std::os::unix::ffi::OsStrExt;
    let (dir, methods) = scratch();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.json");
    std::fs::write(methods.join(name), "{}").expect("written");
    let diagnostics = read_errors(dir.path());
    assert_reported(
        &diagnostics,
        "schema/methods/caf\u{fffd}.json",
        "not valid UTF-8",
    );
}

#[test]
fn a_file_that_is_not_utf8_is_reported() {
    let (dir, methods) = scratch();
    std::fs::write(methods.join("latin1.json"), b"{\"a\": \"caf\xe9\"}").expect("written");
    let diagnostics = read_errors(dir.path());
    assert_reported(&diagnostics, "schema/methods/latin1.json", "not UTF-8");
}

#[test]
fn a_source_held_in_memory_with_a_line_break_in_its_path_is_rejected() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fixture.no_params.json"),
    )
    .expect("readable");
    let source = bitrix24_codegen::Source {
        path: "schema/methods/x\npub fn evil() {}\n/fixture.no_params.json".to_owned(),
        text,
    };
    let diagnostics = bitrix24_codegen::generate(&[source]).expect_err("the path is rejected");
    assert_reported(
        &diagnostics,
        r"schema/methods/x\npub fn evil() {}\n/fixture.no_params.json",
        "control character",
    );
}

#[test]
fn a_problem_in_a_shared_file_is_reported_once_though_every_crate_reads_it() {
    let (dir, _) = scratch();
    let shared = dir.path().join("schema/shared");
    std::fs::create_dir_all(&shared).expect("the shared folder is created");
    std::fs::create_dir_all(dir.path().join("codegen/tests/fixtures")).expect("a fixture folder");
    std::fs::write(
        shared.join("filters.json"),
        r#"{"$schema": "../format.schema.json", "format_version": 2, "operator_sets": {"x": ["~"]}}"#,
    )
    .expect("the file is written");
    let diagnostics = bitrix24_codegen::generate_from_dir(dir.path()).expect_err("the file is bad");
    let about_it: Vec<_> = diagnostics
        .0
        .iter()
        .filter(|diagnostic| diagnostic.file == "schema/shared/filters.json")
        .collect();
    assert_eq!(about_it.len(), 1, "{diagnostics}");
}
