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
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--offline", "--quiet"])
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
