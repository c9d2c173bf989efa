//! SQLite foreign keys during migrations, on real database files: each migration
//! transaction runs with `foreign_keys` off and is checked before it commits, but
//! only the tables it touched and the tables referencing them are read. A dangling
//! reference the migration made rolls the run back with the table and row named; one
//! already sitting in a table the migration does not touch is left alone; the
//! connection's `foreign_keys` comes back as it was.

use std::path::{Path, PathBuf};

use migrate::backend::sqlite::SqliteBackend;
use migrate::runner::{current_on, run, upgrade_on, Command, RunOptions};
use migrate::{EmbeddedFile, EmbeddedMigrations, Error, RevisionGraph};

/// `parent` (1, 2), `child` rows 1 -> 1 and 2 -> 2, and a parent keyed by a
/// unique index rather than its primary key (`codes`, referenced by `uses`).
const BASE: &str = "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);\n\
    CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id));\n\
    CREATE TABLE codes (code TEXT NOT NULL);\n\
    CREATE UNIQUE INDEX codes_code ON codes (code);\n\
    CREATE TABLE uses (id INTEGER PRIMARY KEY, code TEXT REFERENCES codes (code));\n\
    INSERT INTO parent VALUES (1, 'one'), (2, 'two');\n\
    INSERT INTO child VALUES (1, 1), (2, 2);\n\
    INSERT INTO codes VALUES ('a');\n\
    INSERT INTO uses VALUES (1, 'a');";

/// Revisions `r0`, `r1`, ... in a line, each with the given up SQL.
fn chain(ups: &[&str]) -> EmbeddedMigrations {
    let files: Vec<EmbeddedFile> = ups
        .iter()
        .enumerate()
        .map(|(i, up)| {
            let parent = if i == 0 {
                "none".to_string()
            } else {
                format!("r{}", i - 1)
            };
            let contents =
                format!("-- revision: r{i}\n-- down_revision: {parent}\n-- migrate:up\n{up}\n");
            EmbeddedFile {
                path: String::leak(format!("migrations/r{i}.sql")),
                contents: String::leak(contents),
            }
        })
        .collect();
    EmbeddedMigrations {
        source_dir: "migrations",
        files: Vec::leak(files),
    }
}

fn open(path: &Path, foreign_keys: bool) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "foreign_keys", foreign_keys)
        .unwrap();
    conn
}

fn foreign_keys(conn: &rusqlite::Connection) -> bool {
    conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap()
}

fn count(conn: &rusqlite::Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Every table, index and trigger, as declared.
fn schema(conn: &rusqlite::Connection) -> String {
    conn.query_row(
        "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master ORDER BY name)",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// A fresh database file at `r0` (BASE) over the application's connection.
fn base(dir: &tempfile::TempDir) -> PathBuf {
    let path = dir.path().join("app.db");
    let mut conn = open(&path, true);
    upgrade_on(&chain(&[BASE]), &mut conn, "heads").unwrap();
    path
}

/// Applies `up` as `r1` on top of BASE; it must fail with `expected` in the
/// message, leave the database exactly as BASE left it, and give the connection
/// back as lent.
fn assert_rolled_back(up: &str, expected: &str) {
    for lent_with in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let path = base(&dir);
        let before = schema(&open(&path, false));
        let mut conn = open(&path, lent_with);
        let migrations = chain(&[BASE, up]);
        let err = upgrade_on(&migrations, &mut conn, "heads").unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, Error::Database { .. }), "{message}");
        assert!(
            message.contains("the transaction was rolled back") && message.contains(expected),
            "{up}\n=> {message}"
        );
        assert!(conn.is_autocommit(), "{up}: a transaction was left open");
        assert_eq!(foreign_keys(&conn), lent_with, "{up}: foreign_keys changed");
        assert_eq!(current_on(&migrations, &mut conn).unwrap(), ["r0"], "{up}");
        assert_eq!(schema(&conn), before, "{up}");
        assert_eq!(count(&conn, "SELECT count(*) FROM parent"), 2, "{up}");
        assert_eq!(count(&conn, "SELECT count(*) FROM child"), 2, "{up}");
        assert_eq!(count(&conn, "SELECT sum(parent_id) FROM child"), 3, "{up}");
    }
}

/// Rows the revision itself writes into a table, or that a change to the table
/// makes dangle, are caught, whichever way SQL reaches the table.
#[test]
fn a_dangling_reference_in_a_changed_table_rolls_the_run_back() {
    let cases = [
        (
            "INSERT INTO child VALUES (3, 99);",
            "foreign key violation: row 3 of table child references a missing row of parent",
        ),
        (
            "UPDATE child SET parent_id = 7 WHERE id = 2;",
            "foreign key violation: row 2 of table child references a missing row of parent",
        ),
        (
            "CREATE TABLE toys (id INTEGER PRIMARY KEY, child_id INTEGER REFERENCES child (id));\n\
             INSERT INTO toys VALUES (5, 40);",
            "foreign key violation: row 5 of table toys references a missing row of child",
        ),
        // With foreign keys off SQLite accepts a REFERENCES column with a default,
        // which every existing row then holds.
        (
            "ALTER TABLE child ADD COLUMN owner INTEGER REFERENCES parent (id) DEFAULT 9;",
            "foreign key violation: row 1 of table child references a missing row of parent",
        ),
        // The authorizer sees only `staging`; the table that remains is `kids`.
        (
            "CREATE TABLE staging (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id));\n\
             INSERT INTO staging VALUES (8, 99);\n\
             ALTER TABLE staging RENAME TO kids;",
            "foreign key violation: row 8 of table kids references a missing row of parent",
        ),
        // A trigger's writes count, though the statement names only `parent`.
        (
            "CREATE TRIGGER adopt AFTER INSERT ON parent BEGIN\n\
               INSERT INTO child VALUES (NEW.id + 100, NEW.id + 1000);\n\
             END;\n\
             INSERT INTO parent VALUES (3, 'three');",
            "foreign key violation: row 103 of table child references a missing row of parent",
        ),
        (
            "WITHOUT_ROWID",
            "foreign key violation: a row of table tags references a missing row of parent",
        ),
    ];
    for (up, expected) in cases {
        let up = if up == "WITHOUT_ROWID" {
            "CREATE TABLE tags (name TEXT PRIMARY KEY, parent_id INTEGER REFERENCES parent (id)) WITHOUT ROWID;\n\
             INSERT INTO tags VALUES ('x', 1), ('y', 50);"
        } else {
            up
        };
        assert_rolled_back(up, expected);
    }
}

/// Changing a referenced table is checked through the tables that reference it.
#[test]
fn a_dangling_reference_to_a_changed_table_rolls_the_run_back() {
    let cases = [
        // A rebuild (SQLite's only way to change a column) that loses a row.
        (
            "CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');\n\
             INSERT INTO parent_new (id, name) SELECT id, name FROM parent WHERE id <> 2;\n\
             DROP TABLE parent;\n\
             ALTER TABLE parent_new RENAME TO parent;",
            "foreign key violation: row 2 of table child references a missing row of parent",
        ),
        (
            "DELETE FROM parent WHERE id = 1;",
            "foreign key violation: row 1 of table child references a missing row of parent",
        ),
        (
            "UPDATE parent SET id = 20 WHERE id = 2;",
            "foreign key violation: row 2 of table child references a missing row of parent",
        ),
        (
            "DROP TABLE parent;",
            "foreign key violation: row 1 of table child references a missing row of parent",
        ),
        // Without its unique index, `codes.code` can no longer be referenced at all.
        (
            "DROP INDEX codes_code;",
            "foreign key mismatch - \"uses\" referencing \"codes\"",
        ),
    ];
    for (up, expected) in cases {
        assert_rolled_back(up, expected);
    }
}

/// The same rebuild keeping every row commits, and leaves the references enforced.
#[test]
fn a_rebuild_that_keeps_every_row_commits() {
    let dir = tempfile::tempdir().unwrap();
    let path = base(&dir);
    let mut conn = open(&path, true);
    let migrations = chain(&[
        BASE,
        "CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');\n\
         INSERT INTO parent_new (id, name) SELECT id, coalesce(name, '') FROM parent;\n\
         DROP TABLE parent;\n\
         ALTER TABLE parent_new RENAME TO parent;",
    ]);
    upgrade_on(&migrations, &mut conn, "heads").unwrap();
    assert_eq!(current_on(&migrations, &mut conn).unwrap(), ["r1"]);
    assert_eq!(count(&conn, "SELECT count(*) FROM child"), 2, "no cascade");
    assert!(foreign_keys(&conn));
    let err = conn
        .execute("INSERT INTO child VALUES (3, 99)", [])
        .unwrap_err();
    assert_eq!(err.to_string(), "FOREIGN KEY constraint failed");
}

/// A dangling reference already in the database, in a table the migration does
/// not touch, does not block it: the migration did not make it. A table the
/// migration touches must be clean as a whole, old rows included.
#[test]
fn old_violations_in_untouched_tables_do_not_block_unrelated_migrations() {
    let dir = tempfile::tempdir().unwrap();
    let path = base(&dir);
    let setup = "CREATE TABLE other (id INTEGER PRIMARY KEY);\n\
        CREATE TABLE legacy (id INTEGER PRIMARY KEY, other_id INTEGER REFERENCES other (id));\n\
        CREATE TABLE mixed (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id),\n\
          other_id INTEGER REFERENCES other (id));";
    let mut ups = vec![BASE, setup];
    let mut conn = open(&path, true);
    upgrade_on(&chain(&ups), &mut conn, "heads").unwrap();
    // Written with foreign keys off, as `sqlite3` does by default.
    let loose = open(&path, false);
    loose
        .execute_batch(
            "INSERT INTO legacy VALUES (1, 404);\n\
             INSERT INTO mixed VALUES (1, 1, 404);",
        )
        .unwrap();
    drop(loose);

    // A new table elsewhere.
    ups.push("CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT);");
    upgrade_on(&chain(&ups), &mut conn, "heads").unwrap();
    // A change to `parent`, which `mixed` references: only `mixed`'s rows pointing
    // at `parent` are in question, and those are fine.
    ups.push("DELETE FROM parent WHERE id = 2; DELETE FROM child WHERE id = 2;");
    upgrade_on(&chain(&ups), &mut conn, "heads").unwrap();
    assert_eq!(current_on(&chain(&ups), &mut conn).unwrap(), ["r3"]);
    assert_eq!(count(&conn, "SELECT count(*) FROM parent"), 1);

    // Touching `legacy` itself, even with a valid row, finds its old one.
    ups.push("INSERT INTO legacy VALUES (2, NULL);");
    let err = upgrade_on(&chain(&ups), &mut conn, "heads")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "foreign key violation: row 1 of table legacy references a missing row of other"
        ),
        "{err}"
    );
    assert_eq!(current_on(&chain(&ups), &mut conn).unwrap(), ["r3"]);
    assert_eq!(count(&conn, "SELECT count(*) FROM legacy"), 1);
    assert!(foreign_keys(&conn));
}

/// `foreign_keys` is off during each migration transaction and back as it was
/// afterwards, on a connection the backend opened (on) and on one the application
/// lent (either way), after a success and after a rollback, in both transaction
/// modes.
#[test]
fn foreign_keys_come_back_as_they_were() {
    let dangling = "INSERT INTO child VALUES (3, 99);";
    let during = "INSERT INTO seen SELECT foreign_keys FROM pragma_foreign_keys;";
    let ups = [
        BASE,
        "CREATE TABLE seen (foreign_keys INTEGER);",
        during,
        during,
        dangling,
    ];
    let graph = RevisionGraph::new(chain(&ups).revisions().unwrap()).unwrap();
    for per_migration in [false, true] {
        let options = RunOptions {
            transaction_per_migration: per_migration,
            ..RunOptions::default()
        };
        for lent_with in [None, Some(true), Some(false)] {
            let context = format!("per migration: {per_migration}, lent with: {lent_with:?}");
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("app.db");
            let mut lent = lent_with.map(|on| open(&path, on));
            let mut backend = match &mut lent {
                Some(conn) => SqliteBackend::borrow(conn).unwrap(),
                None => SqliteBackend::open(
                    &migrate::config::DatabaseUrl::SqliteFile(path.clone()),
                    &Default::default(),
                )
                .unwrap(),
            };
            let expected = lent_with.unwrap_or(true);
            let migrate = |backend: &mut SqliteBackend<'_>, target: &str| {
                run(
                    backend,
                    &graph,
                    Command::Upgrade(target),
                    &options,
                    &mut |_| {},
                )
            };

            migrate(&mut backend, "r3").unwrap();
            let conn = backend.connection();
            assert!(conn.is_autocommit(), "{context}");
            assert_eq!(foreign_keys(conn), expected, "{context}");
            assert_eq!(
                count(conn, "SELECT count(*) FROM seen WHERE foreign_keys = 0"),
                2,
                "{context}: off inside the migration"
            );

            let err = migrate(&mut backend, "heads").unwrap_err().to_string();
            assert!(err.contains("row 3 of table child"), "{context}: {err}");
            let conn = backend.connection();
            assert!(conn.is_autocommit(), "{context}");
            assert_eq!(foreign_keys(conn), expected, "{context}");
            assert_eq!(count(conn, "SELECT count(*) FROM child"), 2, "{context}");
            drop(backend);
            if let Some(conn) = &lent {
                assert_eq!(foreign_keys(conn), expected, "{context}");
                let enforced = conn.execute("INSERT INTO child VALUES (4, 99)", []);
                assert_eq!(enforced.is_err(), expected, "{context}");
            }
        }
    }
}
