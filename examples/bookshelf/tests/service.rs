//! The example service end to end: a fresh database is migrated at start-up, used,
//! and left at head, as its own runner reports.

use std::process::Command;

#[test]
fn the_service_migrates_at_start_up_then_works() {
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", tmp.path().join("shelf.db").display());
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_bookshelf"))
            .current_dir(tmp.path())
            .env("DATABASE_URL_DEV", &url)
            .env_remove("DATABASE_URL")
            .env_remove("ENVIRONMENT")
            .output()
            .unwrap()
    };
    let first = run();
    let out = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(out.contains("3 revision(s) applied"), "{out}");
    assert!(
        out.contains("1974  The Dispossessed (Ursula K. Le Guin)"),
        "{out}"
    );
    let second = run();
    assert!(String::from_utf8_lossy(&second.stdout).contains("0 revision(s) applied"));
    // Nothing but the database is left beside it (no lock file).
    assert_eq!(files_in(tmp.path()), ["shelf.db"]);

    let current = Command::new(env!("CARGO_BIN_EXE_bookshelf-migrate"))
        .args(["--url", &url, "current"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&current.stdout),
        "c47a9f05e6b3 (head)\n"
    );
}

/// `cargo run -p bookshelf` as a newcomer types it: the URL comes from the
/// example's `.env` (a file relative to the working directory). Two runs leave
/// the database and nothing else.
#[test]
fn two_runs_with_the_examples_own_settings_leave_only_the_database() {
    let tmp = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let out = Command::new(env!("CARGO_BIN_EXE_bookshelf"))
            .current_dir(tmp.path())
            .env_remove("DATABASE_URL_DEV")
            .env_remove("DATABASE_URL")
            .env_remove("ENVIRONMENT")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(files_in(tmp.path()), ["bookshelf.db"]);
}

fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
