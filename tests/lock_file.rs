//! No file is left beside a SQLite database: the `<db>.migrate-lock` file that
//! serialises concurrent migrators exists only while a run holds it, whether the
//! run succeeds, fails, or waits for another one.

use std::path::Path;

use migrate::config::DatabaseUrl;
use migrate::{EmbeddedMigrations, Error};

/// a1 and a2 create tables; a3 creates one, then fails on its second statement.
static MIGRATIONS: EmbeddedMigrations = migrate::embed_migrations!("tests/fixtures/own_connection");

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_run_leaves_only_the_database_after_success_and_failure() {
    let dir = tempfile::tempdir().unwrap();
    let url = DatabaseUrl::SqliteFile(dir.path().join("app.db"));

    let report = migrate::runner::upgrade(&MIGRATIONS, &url, "a2").unwrap();
    assert_eq!(report.steps, ["a1", "a2"]);
    assert_eq!(files_in(dir.path()), ["app.db"]);

    let err = migrate::runner::upgrade(&MIGRATIONS, &url, "heads").unwrap_err();
    assert!(
        matches!(&err, Error::MigrationFailed { revision, .. } if revision == "a3"),
        "{err}"
    );
    assert_eq!(files_in(dir.path()), ["app.db"]);

    // The application's own connection takes the same lock.
    let mut conn = rusqlite::Connection::open(dir.path().join("app.db")).unwrap();
    assert!(migrate::runner::upgrade_on(&MIGRATIONS, &mut conn, "a2")
        .unwrap()
        .steps
        .is_empty());
    assert_eq!(files_in(dir.path()), ["app.db"]);
}

#[test]
fn a_lock_file_left_by_a_killed_run_is_taken_over_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.db.migrate-lock"), "").unwrap();
    let url = DatabaseUrl::SqliteFile(dir.path().join("app.db"));
    let report = migrate::runner::upgrade(&MIGRATIONS, &url, "a2").unwrap();
    assert_eq!(report.steps, ["a1", "a2"]);
    assert_eq!(files_in(dir.path()), ["app.db"]);
}

#[test]
fn concurrent_migrators_apply_each_revision_once_and_leave_no_lock_file() {
    // Each round starts from an empty database, so every round has work to fight over.
    for round in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::SqliteFile(dir.path().join("app.db"));
        let applied: Vec<usize> = std::thread::scope(|s| {
            let runs: Vec<_> = (0..4)
                .map(|_| s.spawn(|| migrate::runner::upgrade(&MIGRATIONS, &url, "a2").unwrap()))
                .collect();
            runs.into_iter()
                .map(|r| r.join().unwrap().steps.len())
                .collect()
        });
        assert_eq!(
            applied.iter().sum::<usize>(),
            2,
            "round {round}: {applied:?}"
        );
        assert_eq!(files_in(dir.path()), ["app.db"], "round {round}");
    }
}
