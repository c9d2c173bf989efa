//! A real `cargo build` of a throwaway crate whose build.rs validates its
//! migrations with migrate-build: a broken chain fails the build with `path:line`,
//! and a new file in the directory reruns the check.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A crate in a temp dir that depends on migrate-build by path, built offline
/// against the workspace's lock file into a reused target dir (inside this build's
/// own target directory, wherever `CARGO_TARGET_DIR` puts it), so it is fast after
/// the first run.
fn throwaway_crate() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::write(
        root.join("Cargo.toml"),
        format!(
            "[package]\nname = \"throwaway\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [build-dependencies]\nmigrate-build = {{ path = {:?} }}\n\n[workspace]\n",
            repo().join("migrate-build")
        ),
    )
    .unwrap();
    fs::copy(repo().join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    fs::create_dir_all(root.join("src")).unwrap();
    fs::write(root.join("src/main.rs"), "fn main() {}\n").unwrap();
    fs::write(
        root.join("build.rs"),
        "fn main() {\n    migrate_build::Migrations::new(\"migrations\").run();\n}\n",
    )
    .unwrap();
    fs::create_dir_all(root.join("migrations")).unwrap();
    tmp
}

fn write_revision(root: &Path, name: &str, id: &str, down: &str) {
    fs::write(
        root.join("migrations").join(name),
        format!("-- revision: {id}\n-- down_revision: {down}\n-- migrate:up\nSELECT 1;\n"),
    )
    .unwrap();
}

fn cargo_build(root: &Path) -> Output {
    cargo_build_with(root, &["--quiet"])
}

/// `cargo build` with more arguments (without `--quiet`, cargo shows the build
/// script's `cargo:warning` lines).
fn cargo_build_with(root: &Path, extra: &[&str]) -> Output {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--offline"])
        .args(extra)
        .current_dir(root)
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("build-test"),
        )
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_broken_chain_fails_cargo_build_and_a_new_file_reruns_the_check() {
    let tmp = throwaway_crate();
    let root = tmp.path();
    write_revision(root, "a1_init.sql", "a1", "none");
    write_revision(root, "b2_child.sql", "b2", "zz99");
    write_revision(root, "c3_loop.sql", "c3", "c3");

    let output = cargo_build(root);
    let err = stderr(&output);
    assert!(!output.status.success(), "the build should fail:\n{err}");
    assert!(
        err.contains("2 problem(s) in the migrations directory `migrations`"),
        "{err}"
    );
    assert!(
        err.contains("migrations/b2_child.sql:2: revision b2 has down_revision zz99, which is not present; fix the id, restore the missing file, or write `none` for a base"),
        "{err}"
    );
    assert!(
        err.contains("migrations/c3_loop.sql:2: revision c3 lists itself in `down_revision`"),
        "{err}"
    );

    // Fixed: the build passes.
    write_revision(root, "b2_child.sql", "b2", "a1");
    write_revision(root, "c3_loop.sql", "c3", "b2");
    let output = cargo_build(root);
    assert!(output.status.success(), "{}", stderr(&output));

    // A new file, nothing else touched: the directory's rerun-if-changed catches it.
    write_revision(root, "d4_second_head.sql", "d4", "a1");
    let output = cargo_build(root);
    let err = stderr(&output);
    assert!(!output.status.success(), "a new file must rerun the check");
    assert!(
        err.contains("Multiple heads are present: c3, d4; join them with a merge revision: `MIGRATE_ALLOW_MULTIPLE_HEADS=1 cargo run --bin migrate -- merge heads"),
        "{err}"
    );
}

/// The throwaway crate with migrate-build's `lint` feature and `build_rs` as its
/// build script's body.
fn linting_crate(build_rs: &str) -> tempfile::TempDir {
    let tmp = throwaway_crate();
    let root = tmp.path();
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    fs::write(
        root.join("Cargo.toml"),
        manifest.replace("\" }", "\", features = [\"lint\"] }"),
    )
    .unwrap();
    fs::write(
        root.join("build.rs"),
        format!("fn main() {{\n    {build_rs}\n}}\n"),
    )
    .unwrap();
    tmp
}

fn write_sql_revision(root: &Path, name: &str, id: &str, down: &str, up: &str) {
    fs::write(
        root.join("migrations").join(name),
        format!("-- revision: {id}\n-- down_revision: {down}\n-- migrate:up\n{up}\n"),
    )
    .unwrap();
}

#[test]
fn lint_findings_after_the_released_revision_become_cargo_warnings_or_fail_with_deny() {
    let tmp = linting_crate(
        "migrate_build::Migrations::new(\"migrations\").lint().lint_released(\"b2\").run();",
    );
    let root = tmp.path();
    write_sql_revision(
        root,
        "a1.sql",
        "a1",
        "none",
        "CREATE TABLE users (id BIGINT, email TEXT);",
    );
    // Released: its finding is history, and stays quiet.
    write_sql_revision(
        root,
        "b2.sql",
        "b2",
        "a1",
        "CREATE INDEX ix_old ON users (id);",
    );
    write_sql_revision(
        root,
        "c3.sql",
        "c3",
        "b2",
        "CREATE INDEX ix_users_email ON users (email);",
    );

    let output = cargo_build_with(root, &[]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(
        err.contains("warning: throwaway@0.0.0: migrations/c3.sql:4: warning [index-without-concurrently] CREATE INDEX on existing table `users`"),
        "{err}"
    );
    assert!(!err.contains("b2.sql"), "{err}");

    // deny: the same finding fails the build, naming path and line.
    fs::write(
        root.join("build.rs"),
        "fn main() {\n    migrate_build::Migrations::new(\"migrations\").lint_released(\"b2\").deny_lint().run();\n}\n",
    )
    .unwrap();
    let output = cargo_build(root);
    let err = stderr(&output);
    assert!(
        !output.status.success(),
        "deny_lint must fail the build:\n{err}"
    );
    assert!(
        err.contains(
            "1 lint finding(s) in the migrations directory `migrations` (deny_lint is on)"
        ),
        "{err}"
    );
    assert!(
        err.contains("migrations/c3.sql:4: warning [index-without-concurrently]"),
        "{err}"
    );

    // Acknowledged in the file: the build passes again.
    fs::write(
        root.join("migrations/c3.sql"),
        "-- revision: c3\n-- down_revision: b2\n-- lint_allow: index-without-concurrently\n-- migrate:up\nCREATE INDEX ix_users_email ON users (email);\n",
    )
    .unwrap();
    let output = cargo_build(root);
    assert!(output.status.success(), "{}", stderr(&output));
}
