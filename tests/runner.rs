//! The runner against a real SQLite file and a real PostgreSQL database: plans,
//! rollback on failure, online/offline parity, drift, `transaction:false`.

mod common;

use std::path::Path;

use common::db::Db;
use common::{run_migrate, write_revisions};

fn migrate(dir: &Path, db: &Db, args: &[&str]) -> (i32, String, String) {
    db.migrate(dir, args)
}

fn three_tables(dir: &Path) {
    write_revisions(
        dir,
        &[
            (
                "r1",
                "none",
                "CREATE TABLE t1 (id INTEGER PRIMARY KEY);",
                "DROP TABLE t1;",
            ),
            (
                "r2",
                "r1",
                "CREATE TABLE t2 (id INTEGER PRIMARY KEY);",
                "DROP TABLE t2;",
            ),
            (
                "r3",
                "r2",
                "CREATE TABLE t3 (id INTEGER PRIMARY KEY);",
                "DROP TABLE t3;",
            ),
        ],
    );
}

#[test]
fn upgrade_and_downgrade_move_schema_and_ledger_together() {
    for db in Db::all("up_down") {
        let tmp = tempfile::tempdir().unwrap();
        three_tables(tmp.path());
        let (code, _, err) = migrate(tmp.path(), &db, &["upgrade", "r2"]);
        assert_eq!(code, 0, "{}: {err}", db.name());
        assert!(
            err.contains("Running upgrade  -> r1, step r1 ... done"),
            "{err}"
        );
        assert_eq!(db.tables(), ["t1", "t2"], "{}", db.name());
        assert_eq!(db.ledger(), ["r1", "r2"]);
        let (code, out, _) = migrate(tmp.path(), &db, &["current"]);
        assert_eq!((code, out.as_str()), (0, "r2\n"), "{}", db.name());
        migrate(tmp.path(), &db, &["upgrade"]);
        assert_eq!(db.ledger(), ["r1", "r2", "r3"]);
        let (code, out, _) = migrate(tmp.path(), &db, &["current"]);
        assert_eq!((code, out.as_str()), (0, "r3 (head)\n"));
        let (code, _, err) = migrate(tmp.path(), &db, &["downgrade", "-2"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("Running downgrade r3 -> r2, step r3"), "{err}");
        assert_eq!(db.tables(), ["t1"]);
        assert_eq!(db.ledger(), ["r1"]);
        let (code, _, err) = migrate(tmp.path(), &db, &["upgrade", "heads"]);
        assert_eq!(code, 0, "{err}");
        // A second run finds nothing to do.
        let (code, _, err) = migrate(tmp.path(), &db, &["upgrade", "heads"]);
        assert_eq!(code, 0);
        assert!(err.contains("Nothing to do"), "{err}");
        migrate(tmp.path(), &db, &["downgrade", "base"]);
        assert!(db.tables().is_empty());
        assert!(db.ledger().is_empty());
    }
}

/// Revision r2 of three fails on its second statement, at line 8 of its file.
fn failing_second_revision(dir: &Path) {
    write_revisions(
        dir,
        &[
            (
                "r1",
                "none",
                "CREATE TABLE t1 (id INTEGER PRIMARY KEY);",
                "DROP TABLE t1;",
            ),
            (
                "r2",
                "r1",
                "CREATE TABLE t2 (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);",
                "DROP TABLE t2;",
            ),
            (
                "r3",
                "r2",
                "CREATE TABLE t3 (id INTEGER PRIMARY KEY);",
                "DROP TABLE t3;",
            ),
        ],
    );
}

#[test]
fn a_failing_statement_rolls_back_and_names_revision_file_line_and_message() {
    for db in Db::all("failing_statement") {
        let tmp = tempfile::tempdir().unwrap();
        failing_second_revision(tmp.path());
        let (code, _, err) = migrate(tmp.path(), &db, &["upgrade"]);
        assert_eq!(code, 1, "{}: {err}", db.name());
        let file = tmp.path().join("r2.sql");
        let expected = format!("error: revision r2 failed at {}:7: ", file.display());
        assert!(err.contains(&expected), "{}: {err}", db.name());
        assert!(
            err.contains("no_such_table"),
            "the database's message: {err}"
        );
        if db.is_mysql() {
            // DDL commits implicitly: r1 stays, recorded; r2's CREATE TABLE stays,
            // unrecorded, and the error says so and how to recover.
            assert!(err.contains("ERROR 1146 (42S02): Table"), "{err}");
            assert!(
                err.contains("the revision is partially applied and was not recorded: MySQL commits each DDL statement on its own, and its section had already run 1 statement, which cannot be rolled back:"),
                "{err}"
            );
            assert!(
                err.contains(&format!("{}:6: CREATE TABLE t2", file.display())),
                "{err}"
            );
            assert!(err.contains("`migrate stamp r2`"), "{err}");
            assert_eq!(db.tables(), ["t1", "t2"]);
            assert_eq!(db.ledger(), ["r1"]);
            continue;
        }
        // One transaction by default: nothing at all was applied.
        assert!(db.tables().is_empty(), "{}: {:?}", db.name(), db.tables());
        assert!(db.ledger().is_empty());
        // One transaction per migration: r1 stays, r2 is rolled back whole.
        let (code, _, _) = migrate(tmp.path(), &db, &["upgrade", "--transaction-per-migration"]);
        assert_eq!(code, 1);
        assert_eq!(db.tables(), ["t1"], "{}", db.name());
        assert_eq!(db.ledger(), ["r1"]);
    }
}

#[test]
fn the_offline_script_leaves_the_same_schema_and_ledger_as_the_online_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    write_revisions(
        &dir,
        &[
            ("r1", "none", "CREATE TABLE t1 (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL);\nCREATE INDEX ix_t1_name ON t1 (name);", "DROP TABLE t1;"),
            ("r2", "r1", "INSERT INTO t1 (id, name) VALUES (1, 'it''s; fine');", "DELETE FROM t1;"),
            ("r3", "r2", "CREATE TABLE t3 (id INTEGER PRIMARY KEY);", "DROP TABLE t3;"),
        ],
    );
    for (online, offline) in [
        (Some(Db::sqlite()), Some(Db::sqlite())),
        (db_pg("offline_a"), db_pg("offline_b")),
        (Db::mysql("offline_a"), Db::mysql("offline_b")),
    ]
    .into_iter()
    .filter_map(|(a, b)| Some((a?, b?)))
    {
        let (code, _, err) = migrate(&dir, &online, &["upgrade"]);
        assert_eq!(code, 0, "{err}");
        let (code, script, err) = migrate(&dir, &offline, &["upgrade", "--sql"]);
        assert_eq!(code, 0, "{err}");
        assert!(
            script.contains("BEGIN;") && script.contains("COMMIT;"),
            "{script}"
        );
        let ledger = if offline.is_mysql() {
            "INSERT INTO `migrate_version`"
        } else {
            "INSERT INTO \"migrate_version\""
        };
        assert!(script.contains(ledger), "{script}");
        let script_path = tmp.path().join(format!("{}.sql", offline.name()));
        std::fs::write(&script_path, &script).unwrap();
        let status = match &offline {
            Db::Sqlite(path, _) => std::process::Command::new("sqlite3")
                .arg(path)
                .stdin(std::fs::File::open(&script_path).unwrap())
                .status(),
            Db::Postgres(db) => std::process::Command::new("psql")
                .args(["-q", "-v", "ON_ERROR_STOP=1", "-d", &db.url, "-f"])
                .arg(&script_path)
                .status(),
            Db::Mysql(db) => common::db::mysql_client(&db.url)
                .stdin(std::fs::File::open(&script_path).unwrap())
                .status(),
        }
        .expect("sqlite3 / psql on PATH");
        assert!(status.success(), "{}", offline.name());
        assert_eq!(offline.tables(), online.tables(), "{}", offline.name());
        assert_eq!(offline.ledger(), online.ledger());
        let checksums = if offline.is_mysql() {
            "SELECT CONCAT(revision, ':', checksum) FROM migrate_version ORDER BY id"
        } else {
            "SELECT revision || ':' || checksum FROM migrate_version ORDER BY id"
        };
        assert_eq!(
            offline.query_strings(checksums),
            online.query_strings(checksums)
        );
        let rows = "SELECT name FROM t1";
        assert_eq!(offline.query_strings(rows), ["it's; fine"]);
        // And the online runner accepts the offline-made ledger.
        let (code, _, err) = migrate(&dir, &offline, &["upgrade"]);
        assert_eq!(code, 0);
        assert!(err.contains("Nothing to do"), "{err}");
    }
}

fn db_pg(name: &str) -> Option<Db> {
    common::postgres_db(name).map(Db::Postgres)
}

#[test]
fn offline_ranges_and_downgrades() {
    let tmp = tempfile::tempdir().unwrap();
    three_tables(tmp.path());
    let db = Db::sqlite();
    let (code, script, _) = migrate(tmp.path(), &db, &["upgrade", "r1:r3", "--sql"]);
    assert_eq!(code, 0);
    assert!(
        !script.contains("t1 (id")
            && script.contains("CREATE TABLE t2")
            && script.contains("CREATE TABLE t3"),
        "{script}"
    );
    let (code, script, _) = migrate(tmp.path(), &db, &["downgrade", "r3:r1", "--sql"]);
    assert_eq!(code, 0);
    let t3 = script.find("DROP TABLE t3").unwrap();
    let t2 = script.find("DROP TABLE t2").unwrap();
    assert!(t3 < t2 && !script.contains("DROP TABLE t1"), "{script}");
    assert!(
        script.contains("DELETE FROM \"migrate_version\" WHERE revision IN ('r3')"),
        "{script}"
    );
    let (code, _, err) = migrate(tmp.path(), &db, &["downgrade", "base", "--sql"]);
    assert_eq!(code, 1);
    assert!(err.contains("an offline downgrade needs FROM:TO"), "{err}");
    // Offline needs no database: the dialect can be named instead of a URL.
    let (code, script, err) = run_migrate(
        tmp.path(),
        &[
            "--dir",
            tmp.path().to_str().unwrap(),
            "upgrade",
            "--sql",
            "--dialect",
            "postgres",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(script.contains("GENERATED ALWAYS AS IDENTITY"), "{script}");
}

#[test]
fn edited_and_missing_applied_revisions_are_drift() {
    for db in Db::all("drift") {
        let tmp = tempfile::tempdir().unwrap();
        three_tables(tmp.path());
        migrate(tmp.path(), &db, &["upgrade", "r2"]);
        let r1 = tmp.path().join("r1.sql");
        let original = std::fs::read_to_string(&r1).unwrap();
        std::fs::write(
            &r1,
            original.replace(
                "(id INTEGER PRIMARY KEY)",
                "(id INTEGER PRIMARY KEY, x INT)",
            ),
        )
        .unwrap();
        let (code, _, err) = migrate(tmp.path(), &db, &["upgrade"]);
        assert_eq!(code, 1);
        assert!(
            err.contains(&format!(
                "revision r1 was edited after it was applied ({})",
                r1.display()
            )),
            "{err}"
        );
        assert_eq!(db.ledger(), ["r1", "r2"], "nothing ran");
        let (code, _, err) = migrate(tmp.path(), &db, &["upgrade", "--allow-drift"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("warning: revision r1 was edited"), "{err}");
        std::fs::write(&r1, original).unwrap();
        // A file that disappeared after it was applied.
        std::fs::remove_file(tmp.path().join("r3.sql")).unwrap();
        let (code, _, err) = migrate(tmp.path(), &db, &["upgrade"]);
        assert_eq!(code, 1);
        assert!(
            err.contains(
                "the database has applied revision(s) r3 that are not in the migrations directory"
            ),
            "{err}"
        );
        let (code, _, err) = migrate(tmp.path(), &db, &["upgrade", "--allow-missing"]);
        assert_eq!(code, 0, "{err}");
    }
}

#[test]
fn irreversible_and_unknown_targets_fail_before_anything_runs() {
    let db = Db::sqlite();
    let tmp = tempfile::tempdir().unwrap();
    write_revisions(
        tmp.path(),
        &[
            ("r1", "none", "CREATE TABLE t1 (id INT);", "DROP TABLE t1;"),
            ("r2", "r1", "CREATE TABLE t2 (id INT);", ""),
            ("r3", "r2", "CREATE TABLE t3 (id INT);", "DROP TABLE t3;"),
        ],
    );
    migrate(tmp.path(), &db, &["upgrade"]);
    let (code, _, err) = migrate(tmp.path(), &db, &["downgrade", "base"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("revision r2") && err.contains("cannot be downgraded; nothing was run"),
        "{err}"
    );
    assert_eq!(db.ledger(), ["r1", "r2", "r3"], "not even r3 was reverted");
    let (code, _, err) = migrate(tmp.path(), &db, &["upgrade", "zzzz"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("Can't locate revision identified by 'zzzz'"),
        "{err}"
    );
}

#[test]
fn dialect_sections_pick_the_connected_database() {
    for db in Db::all("dialect_sections") {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(
            tmp.path().join("r1.sql"),
            "-- revision: r1\n-- down_revision: none\n-- migrate:up postgres\nCREATE TABLE pg_only (id SERIAL PRIMARY KEY);\n\
             -- migrate:up sqlite\nCREATE TABLE lite_only (id INTEGER PRIMARY KEY AUTOINCREMENT);\n\
             -- migrate:up mysql\nCREATE TABLE my_only (id BIGINT AUTO_INCREMENT PRIMARY KEY);\n",
        )
        .unwrap();
        let (code, _, err) = migrate(tmp.path(), &db, &["upgrade"]);
        assert_eq!(code, 0, "{err}");
        let expected = match db.name() {
            "sqlite" => "lite_only",
            "mysql" => "my_only",
            _ => "pg_only",
        };
        assert_eq!(db.tables(), [expected]);
        std::fs::write(
            tmp.path().join("r2.sql"),
            "-- revision: r2\n-- down_revision: r1\n-- migrate:up postgres\nSELECT 1;\n",
        )
        .unwrap();
        let (code, _, err) = migrate(tmp.path(), &db, &["upgrade"]);
        if db.name() != "postgres" {
            assert_eq!(code, 1);
            assert!(
                err.contains("revision r2")
                    && err.contains(&format!("has no `-- migrate:up {}` section", db.name())),
                "{err}"
            );
        } else {
            assert_eq!(code, 0, "{err}");
        }
    }
}

#[test]
fn transaction_false_runs_create_index_concurrently_on_postgres() {
    let Some(db) = db_pg("concurrently") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    write_revisions(
        tmp.path(),
        &[(
            "r1",
            "none",
            "CREATE TABLE big (id INT, name TEXT);",
            "DROP TABLE big;",
        )],
    );
    std::fs::write(
        tmp.path().join("r2.sql"),
        "-- revision: r2\n-- down_revision: r1\n-- migrate:up transaction:false\n\
         CREATE INDEX CONCURRENTLY ix_big_name ON big (name);\nCREATE INDEX CONCURRENTLY ix_big_id ON big (id);\n\
         -- migrate:down transaction:false\nDROP INDEX CONCURRENTLY ix_big_name;\nDROP INDEX CONCURRENTLY ix_big_id;\n",
    )
    .unwrap();
    write_revisions(
        tmp.path(),
        &[(
            "r3",
            "r2",
            "CREATE TABLE after_index (id INT);",
            "DROP TABLE after_index;",
        )],
    );
    let (code, _, err) = migrate(tmp.path(), &db, &["upgrade"]);
    assert_eq!(code, 0, "{err}");
    let indexes = db
        .query_strings("SELECT indexname::text FROM pg_indexes WHERE tablename = 'big' ORDER BY 1");
    assert_eq!(indexes, ["ix_big_id", "ix_big_name"]);
    assert_eq!(db.ledger(), ["r1", "r2", "r3"]);
    let (code, _, err) = migrate(tmp.path(), &db, &["downgrade", "r1"]);
    assert_eq!(code, 0, "{err}");
    assert!(db
        .query_strings("SELECT indexname::text FROM pg_indexes WHERE tablename = 'big'")
        .is_empty());
}
