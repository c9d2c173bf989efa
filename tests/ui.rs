//! Compile-time diagnostics, one `.rs` + `.stderr` pair per mistake, grouped by
//! family under `tests/ui/<family>/`.
//!
//! trybuild compiles each case inside its project folder,
//! `<target dir>/tests/trybuild/migrate/`, which is the `CARGO_MANIFEST_DIR` the
//! macros see. The `embed_migrations!` cases therefore name their directories
//! `fixtures/<case>`, and this test first copies `tests/ui/embed/fixtures/` into
//! that folder, wherever the target directory is (`CARGO_TARGET_DIR`,
//! `build.target-dir`, or the default `target/`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn ui() {
    let fixtures = trybuild_project_dir().join("fixtures");
    if fixtures.exists() {
        // A fixture deleted from the repo must not linger in the copy.
        fs::remove_dir_all(&fixtures).unwrap();
    }
    copy_dir(Path::new("tests/ui/embed/fixtures"), &fixtures);
    // Made here rather than committed: a loop in the repository would trip up
    // every tool that walks it.
    std::os::unix::fs::symlink("..", fixtures.join("symlink_loop/sub/back")).unwrap();

    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/**/*.rs");
}

/// The folder trybuild builds in, found the way trybuild finds it: the target
/// directory from `cargo metadata`.
fn trybuild_project_dir() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--no-deps", "--format-version=1"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let target_dir = metadata["target_directory"]
        .as_str()
        .expect("cargo metadata names the target directory");
    Path::new(target_dir)
        .join("tests/trybuild")
        .join(env!("CARGO_PKG_NAME"))
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}
