//! A user's own crate outside this workspace, wired up with the README's snippets
//! (build.rs, the start-up `main`, the runner binary) and built by a real `cargo`:
//! two heads fail the build, yet the one command the error names merges them; the
//! start-up `main` prints readable errors through `?`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};

use common::{readme_snippet, user_cargo};

/// The crates share a target dir, where each builds a `migrate` binary: one test
/// at a time.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The crate (each test names its own, as they share a target dir): migrate and
/// migrate-build by path (migrate without database
/// drivers, which these checks do not need and which would dominate the build).
fn user_crate(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::write(
        root.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\ndefault-run = \"{name}\"\n\n\
             [dependencies]\nmigrate = {{ path = {:?}, default-features = false, features = [\"cli\"] }}\n\n\
             [build-dependencies]\nmigrate-build = {{ path = {:?} }}\n\n[workspace]\n",
            repo(),
            repo().join("migrate-build")
        ),
    )
    .unwrap();
    fs::copy(repo().join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    fs::create_dir_all(root.join("src/bin")).unwrap();
    fs::write(
        root.join("build.rs"),
        readme_snippet("rust", "migrate_build::Migrations"),
    )
    .unwrap();
    fs::write(
        root.join("src/main.rs"),
        readme_snippet("rust", "fn main() -> Result<(), migrate::Error>"),
    )
    .unwrap();
    fs::write(
        root.join("src/bin/migrate.rs"),
        readme_snippet("rust", "migrate::cli::main("),
    )
    .unwrap();
    fs::create_dir_all(root.join("migrations")).unwrap();
    tmp
}

fn write_revision(root: &Path, id: &str, down: &str) {
    fs::write(
        root.join("migrations").join(format!("{id}.sql")),
        format!("-- revision: {id}\n-- down_revision: {down}\n\n-- migrate:up\nSELECT 1;\n\n-- migrate:down\nSELECT 1;\n"),
    )
    .unwrap();
}

/// `cargo <args>` in the crate, offline against the workspace's lock file, into a
/// target dir that is reused between runs.
fn cargo(root: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    user_cargo(root, &common::user_target_dir())
        .args(args)
        .env_remove("MIGRATE_ALLOW_MULTIPLE_HEADS")
        .envs(envs.iter().copied())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn two_heads_fail_the_build_and_the_command_the_error_names_merges_them() {
    let _one = one_at_a_time();
    let tmp = user_crate("shop_heads");
    let root = tmp.path();
    write_revision(root, "a1", "none");
    write_revision(root, "b2", "a1");
    write_revision(root, "c3", "a1");

    let output = cargo(root, &["build", "--quiet"], &[]);
    let err = text(&output.stderr);
    assert!(!output.status.success(), "two heads must fail the build");
    let command =
        "MIGRATE_ALLOW_MULTIPLE_HEADS=1 cargo run --bin migrate -- merge heads -m \"merge\"";
    assert!(
        err.contains("Multiple heads are present: b2, c3") && err.contains(command),
        "{err}"
    );

    // Exactly that command, from the user's crate.
    let output = cargo(
        root,
        &[
            "run", "--quiet", "--bin", "migrate", "--", "merge", "heads", "-m", "merge",
        ],
        &[("MIGRATE_ALLOW_MULTIPLE_HEADS", "1")],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let merge = text(&output.stdout);
    let merge_text = fs::read_to_string(root.join(merge.trim())).unwrap();
    assert!(
        merge_text.contains("-- down_revision: b2, c3"),
        "{merge_text}"
    );

    // One head again: a plain build passes, the variable no longer set.
    let output = cargo(root, &["build", "--quiet"], &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));

    // The variable's value is tracked: a new second head fails the next plain
    // build even though the last build with the variable succeeded.
    write_revision(root, "d4", "a1");
    let output = cargo(
        root,
        &["build", "--quiet"],
        &[("MIGRATE_ALLOW_MULTIPLE_HEADS", "1")],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let output = cargo(root, &["build", "--quiet"], &[]);
    assert!(!output.status.success(), "the second head must fail again");
}

#[test]
fn the_readme_start_up_main_prints_readable_errors() {
    let _one = one_at_a_time();
    let tmp = user_crate("shop_errors");
    let root = tmp.path();
    write_revision(root, "a1", "none");
    // A plain `cargo run` runs the service (default-run), and `?` in
    // `fn main() -> Result<(), migrate::Error>` prints the message, not a struct.
    let output = cargo(root, &["run", "--quiet"], &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stderr),
        "Error: DATABASE_URL_DEV is not set for ENVIRONMENT=development\n"
    );
    let output = cargo(
        root,
        &["run", "--quiet"],
        &[("DATABASE_URL", "postgres//alice:S3cretPw@host/db")],
    );
    let err = text(&output.stderr);
    assert!(
        err.starts_with("Error: bad database URL `postgres//alice:***@host/db`: `postgres` must be followed by `://`"),
        "{err}"
    );
}

#[test]
fn a_runner_built_before_a_new_file_says_to_rebuild() {
    let _one = one_at_a_time();
    let tmp = user_crate("shop_stale");
    let root = tmp.path();
    write_revision(root, "a1", "none");
    let output = cargo(root, &["build", "--quiet"], &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    // Keep this build's runner: the target directory is shared with other
    // user-crate tests, whose runners are also called `migrate`.
    let built = root.join("migrate-built");
    fs::copy(common::user_target_dir().join("debug/migrate"), &built).unwrap();
    // `revision` wrote a file; the binary built before it still has only a1.
    write_revision(root, "b2", "a1");
    let output = Command::new(&built)
        .arg("heads")
        .current_dir(root)
        .output()
        .unwrap();
    assert_eq!(text(&output.stdout), "a1 (head)\n");
    let err = text(&output.stderr);
    assert!(
        err.starts_with("warning: the migrations directory differs from the revisions built into this binary (new on disk: migrations/b2.sql); ")
            && err.contains("rebuild the runner"),
        "{err}"
    );
    // `cargo run` rebuilds it first.
    let output = cargo(
        root,
        &["run", "--quiet", "--bin", "migrate", "--", "heads"],
        &[],
    );
    assert_eq!(
        (text(&output.stdout).as_str(), text(&output.stderr).as_str()),
        ("b2 (head)\n", "")
    );
}
