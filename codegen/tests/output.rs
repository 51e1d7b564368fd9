//! Writing the generated tree: all or nothing, and nothing when nothing is
//! stale. Failures are injected with entries in the way (tests run as root,
//! so permissions cannot be used); after each the whole tree must be
//! byte-identical to what it was, and the error must name what failed.

mod common;

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use bitrix24_codegen::layout::FIXTURES;
use bitrix24_codegen::{FORMAT_SCHEMA_PATH, Mode, OUTPUT_DIR, RunError, run};

/// A scratch copy of the tree, brought up to date first so that the tests do
/// not depend on whether the committed files are current.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    common::copy_tree(dir.path());
    run(dir.path(), Mode::Write).expect("the schema is valid");
    dir
}

/// What the scratch tree holds at its root: the generated folders and
/// their schema, and nothing the generator staged.
const TREE: [&str; 4] = ["codegen", "fixtures", "generated", "schema"];

/// The folder that holds the generated folder, where staging happens.
fn parent(root: &Path) -> std::path::PathBuf {
    root.join(OUTPUT_DIR)
        .parent()
        .expect("the generated folder has a parent")
        .to_path_buf()
}

fn make_stale(root: &Path, path: &str) {
    let path = root.join(path);
    let mut text = std::fs::read_to_string(&path).expect("readable");
    text.push_str("// edited by hand\n");
    std::fs::write(path, text).expect("written");
}

fn io_error(root: &Path) -> String {
    match run(root, Mode::Write) {
        Err(error @ RunError::Io(_)) => error.to_string(),
        Err(error) => panic!("expected an I/O error, got {error}"),
        Ok(_) => panic!("writing should fail"),
    }
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("a readable folder")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn every_file_the_schema_does_not_produce_is_stale_and_removed() {
    let dir = scratch();
    let root = dir.path();
    make_stale(root, &format!("{OUTPUT_DIR}/src/lib.rs"));
    std::fs::write(root.join(OUTPUT_DIR).join("notes.txt"), "notes").expect("written");
    std::fs::create_dir(root.join(OUTPUT_DIR).join("old")).expect("a folder");
    std::fs::write(root.join(OUTPUT_DIR).join("old/method.rs"), "").expect("written");

    let (_, staleness) = run(root, Mode::Check).expect("the schema is valid");
    assert_eq!(staleness.changed, [format!("{OUTPUT_DIR}/src/lib.rs")]);
    assert_eq!(
        staleness.removed,
        [
            format!("{OUTPUT_DIR}/notes.txt"),
            format!("{OUTPUT_DIR}/old/method.rs")
        ]
    );

    let (_, written) = run(root, Mode::Write).expect("the schema is valid");
    assert_eq!(written, staleness);
    let (_, after) = run(root, Mode::Check).expect("the schema is valid");
    assert!(after.is_empty(), "still stale:\n{after}");
    assert!(!root.join(OUTPUT_DIR).join("old").exists());
    assert_eq!(names_in(&parent(root)), TREE);
}

#[test]
fn a_current_tree_is_not_touched() {
    let dir = scratch();
    let root = dir.path();
    let owned = root.join(OUTPUT_DIR);
    let stamp = |path: &Path| {
        let metadata = std::fs::metadata(path).expect("metadata");
        (
            metadata.ino(),
            metadata.modified().expect("a modification time"),
        )
    };
    let mut paths = vec![owned.clone(), root.join(FORMAT_SCHEMA_PATH)];
    paths.extend(
        std::fs::read_dir(&owned)
            .expect("listed")
            .map(|e| e.expect("entry").path()),
    );
    let before: Vec<_> = paths.iter().map(|path| stamp(path)).collect();

    let (_, staleness) = run(root, Mode::Write).expect("the schema is valid");
    assert!(staleness.is_empty());
    let after: Vec<_> = paths.iter().map(|path| stamp(path)).collect();
    assert_eq!(before, after);
}

#[test]
fn regenerating_keeps_the_modification_times_of_the_files_that_did_not_change() {
    let dir = scratch();
    let root = dir.path();
    let owned = root.join(OUTPUT_DIR);
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    let manifest = owned.join("Cargo.toml");
    std::fs::File::options()
        .write(true)
        .open(&manifest)
        .and_then(|file| file.set_modified(old))
        .expect("dated");
    let edited = format!("{OUTPUT_DIR}/src/lib.rs");
    make_stale(root, &edited);

    let (_, written) = run(root, Mode::Write).expect("the schema is valid");
    assert_eq!(written.changed, std::slice::from_ref(&edited));
    let modified = |path: &Path| {
        std::fs::metadata(path)
            .and_then(|metadata| metadata.modified())
            .expect("a modification time")
    };
    // The folder was staged anew, its unchanged file kept its time...
    assert_eq!(modified(&manifest), old);
    // ...and the file that changed has a new one.
    assert!(modified(&root.join(&edited)) > old);
}

#[test]
fn a_folder_where_a_generated_file_goes_fails_before_anything_changes() {
    let dir = scratch();
    let root = dir.path();
    make_stale(root, &format!("{OUTPUT_DIR}/src/lib.rs"));
    make_stale(root, &format!("{}/src/lib.rs", FIXTURES.dir));
    let format_schema = root.join(FORMAT_SCHEMA_PATH);
    std::fs::remove_file(&format_schema).expect("removed");
    std::fs::create_dir(&format_schema).expect("a folder");
    std::fs::write(format_schema.join("notes.txt"), "kept").expect("written");
    let inodes = || {
        [OUTPUT_DIR, FIXTURES.dir]
            .map(|dir| std::fs::metadata(root.join(dir)).expect("metadata").ino())
    };
    let owned_inodes = inodes();
    let before = common::snapshot(root);

    let message = io_error(root);
    assert!(message.contains(FORMAT_SCHEMA_PATH), "{message}");
    assert!(message.contains("in the way"), "{message}");
    assert_eq!(common::snapshot(root), before);
    assert_eq!(inodes(), owned_inodes, "a generated folder was replaced");
}

#[test]
fn leftovers_of_a_crashed_run_are_removed_and_never_output() {
    let dir = scratch();
    let root = dir.path();
    let parent = parent(root);
    for leftover in [".generated.codegen-new", ".generated.codegen-old"] {
        std::fs::create_dir(parent.join(leftover)).expect("a folder");
        std::fs::write(parent.join(leftover).join("junk.rs"), "junk").expect("written");
    }
    let format_leftover = root.join("schema/.format.schema.json.codegen-new");
    std::fs::write(&format_leftover, "junk").expect("written");

    let (_, staleness) = run(root, Mode::Check).expect("the schema is valid");
    assert!(
        staleness.is_empty(),
        "leftovers are not output:\n{staleness}"
    );

    make_stale(root, &format!("{OUTPUT_DIR}/src/lib.rs"));
    make_stale(root, FORMAT_SCHEMA_PATH);
    run(root, Mode::Write).expect("the schema is valid");
    let (_, after) = run(root, Mode::Check).expect("the schema is valid");
    assert!(after.is_empty(), "still stale:\n{after}");
    assert_eq!(names_in(&parent), TREE);
    assert!(!format_leftover.exists());
    assert!(!root.join(OUTPUT_DIR).join("junk.rs").exists());
}

#[test]
fn a_run_that_crashed_between_its_renames_is_repaired() {
    let dir = scratch();
    let root = dir.path();
    let backup = parent(root).join(".generated.codegen-old");
    std::fs::rename(root.join(OUTPUT_DIR), &backup).expect("moved");

    run(root, Mode::Write).expect("the schema is valid");
    let (_, after) = run(root, Mode::Check).expect("the schema is valid");
    assert!(after.is_empty(), "still stale:\n{after}");
    assert!(!backup.exists());
}

#[test]
fn a_file_where_the_generated_folder_goes_is_replaced() {
    let dir = scratch();
    let root = dir.path();
    std::fs::remove_dir_all(root.join(OUTPUT_DIR)).expect("removed");
    std::fs::write(root.join(OUTPUT_DIR), "not a folder").expect("written");

    let (_, staleness) = run(root, Mode::Check).expect("the schema is valid");
    assert_eq!(staleness.removed, [OUTPUT_DIR]);
    run(root, Mode::Write).expect("the schema is valid");
    let (_, after) = run(root, Mode::Check).expect("the schema is valid");
    assert!(after.is_empty(), "still stale:\n{after}");
}
