//! A revision with dialect sections is checked, on each database, against the
//! sections that run there: editing the `sqlite` SQL is not drift on PostgreSQL,
//! and ledgers written with the older whole-file checksum stay valid.

mod common;

use std::path::Path;

use common::run_migrate;

const REVISION: &str = "-- revision: r1\n-- down_revision: none\n\n\
    -- migrate:up postgres\nCREATE TABLE t (id BIGINT PRIMARY KEY);\n\n\
    -- migrate:up sqlite\nCREATE TABLE t (id INTEGER PRIMARY KEY);\n\n\
    -- migrate:down\nDROP TABLE t;\n";

fn migrate(dir: &Path, url: &str, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["--dir", dir.to_str().unwrap(), "--url", url];
    all.extend_from_slice(args);
    run_migrate(dir, &all)
}

/// Upgrades, then edits one section and upgrades again: `Ok` when no drift is
/// reported, `Err(stderr)` when it is.
fn edit_then_upgrade(dir: &Path, url: &str, from: &str, to: &str) -> Result<(), String> {
    let path = dir.join("r1.sql");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{text}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
    let (code, _, err) = migrate(dir, url, &["upgrade"]);
    std::fs::write(&path, text).unwrap();
    match code {
        0 => Ok(()),
        _ => Err(err),
    }
}

fn scenario(url: &str, mine: &str, other: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("r1.sql"), REVISION).unwrap();
    let (code, _, err) = migrate(dir, url, &["upgrade"]);
    assert_eq!(code, 0, "{err}");

    // The other dialect's SQL never ran here: editing it is not drift.
    edit_then_upgrade(dir, url, other, &format!("{other}\n-- reviewed")).unwrap();
    // This dialect's SQL, and the shared down, are.
    for edited in [mine, "DROP TABLE t;"] {
        let err = edit_then_upgrade(dir, url, edited, &format!("{edited}\n-- edited"))
            .expect_err("an edit of SQL that ran here is drift");
        assert!(
            err.contains("revision r1 was edited after it was applied"),
            "{err}"
        );
    }
}

#[test]
fn editing_another_dialects_section_is_not_drift_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", tmp.path().join("app.db").display());
    scenario(
        &url,
        "CREATE TABLE t (id INTEGER PRIMARY KEY);",
        "CREATE TABLE t (id BIGINT PRIMARY KEY);",
    );
}

#[test]
fn editing_another_dialects_section_is_not_drift_on_postgres() {
    let Some(db) = common::postgres_db("dialect_checksums") else {
        return;
    };
    scenario(
        &db.url,
        "CREATE TABLE t (id BIGINT PRIMARY KEY);",
        "CREATE TABLE t (id INTEGER PRIMARY KEY);",
    );
}

/// A ledger row written before checksums followed the dialect holds the
/// whole-file checksum: it still matches an unchanged file, and an edit of any
/// section is drift (the row cannot tell which SQL ran).
#[test]
fn rows_with_the_whole_file_checksum_stay_valid() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let db = dir.join("app.db");
    let url = format!("sqlite://{}", db.display());
    std::fs::write(dir.join("r1.sql"), REVISION).unwrap();
    assert_eq!(migrate(dir, &url, &["upgrade"]).0, 0);
    let whole_file = migrate::revision::parse("r1.sql", REVISION)
        .unwrap()
        .checksum
        .to_hex();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let recorded = |conn: &rusqlite::Connection| {
        conn.query_row("SELECT checksum FROM migrate_version", [], |r| {
            r.get::<_, String>(0)
        })
        .unwrap()
    };
    assert_ne!(recorded(&conn), whole_file, "new rows follow the dialect");
    conn.execute("UPDATE migrate_version SET checksum = ?1", [&whole_file])
        .unwrap();

    let (code, _, err) = migrate(dir, &url, &["upgrade"]);
    assert_eq!(code, 0, "an unchanged file matches the old checksum: {err}");
    let err = edit_then_upgrade(
        dir,
        &url,
        "CREATE TABLE t (id BIGINT PRIMARY KEY);",
        "CREATE TABLE t (id BIGINT PRIMARY KEY, x INT);",
    )
    .expect_err("the old checksum covers every section");
    assert!(err.contains("revision r1 was edited"), "{err}");
}
