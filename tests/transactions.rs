//! Where transactions open and commit, on a real SQLite file and a real PostgreSQL
//! database: `transaction:false` sections at every position of a plan (online and
//! in `--sql` scripts), set-up that must commit with an empty plan, per-dialect
//! irreversible downs, and what a failure leaves behind in each mode.

mod common;

use std::path::Path;

use common::db::Db;

/// A revision of a plan shape: transactional, or `transaction:false`.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Tx,
    NoTx,
}

/// Writes one revision per kind, `r1` first. Each creates table `tN`; a
/// `transaction:false` one does, with per-dialect sections, what only runs outside
/// a transaction: `CREATE INDEX CONCURRENTLY` on PostgreSQL, `VACUUM` on SQLite.
fn write_shape(dir: &Path, shape: &[Kind]) {
    std::fs::create_dir_all(dir).unwrap();
    for (i, kind) in shape.iter().enumerate() {
        let n = i + 1;
        let parent = if n == 1 {
            "none".to_string()
        } else {
            format!("r{}", n - 1)
        };
        let body = match kind {
            Kind::Tx => format!(
                "-- migrate:up\nCREATE TABLE t{n} (id INTEGER PRIMARY KEY);\n\n\
                 -- migrate:down\nDROP TABLE t{n};\n"
            ),
            Kind::NoTx => format!(
                "-- migrate:up postgres transaction:false\n\
                 CREATE TABLE t{n} (id INTEGER PRIMARY KEY, v INT);\n\
                 CREATE INDEX CONCURRENTLY ix_t{n}_v ON t{n} (v);\n\n\
                 -- migrate:up sqlite transaction:false\n\
                 CREATE TABLE t{n} (id INTEGER PRIMARY KEY, v INT);\n\
                 CREATE INDEX ix_t{n}_v ON t{n} (v);\n\
                 VACUUM;\n\n\
                 -- migrate:down postgres transaction:false\n\
                 DROP INDEX CONCURRENTLY ix_t{n}_v;\n\
                 DROP TABLE t{n};\n\n\
                 -- migrate:down sqlite transaction:false\n\
                 DROP TABLE t{n};\n\
                 VACUUM;\n\n\
                 -- migrate:up mysql transaction:false\n\
                 CREATE TABLE t{n} (id INTEGER PRIMARY KEY, v INT);\n\
                 CREATE INDEX ix_t{n}_v ON t{n} (v);\n\n\
                 -- migrate:down mysql transaction:false\n\
                 DROP TABLE t{n};\n"
            ),
        };
        std::fs::write(
            dir.join(format!("r{n}.sql")),
            format!(
                "-- revision: r{n}\n-- down_revision: {parent}\n-- message: step {n}\n\n{body}"
            ),
        )
        .unwrap();
    }
}

/// The state after the first `applied` revisions of `shape`: (tables, indexes, ledger).
fn expected(shape: &[Kind], applied: usize) -> (Vec<String>, Vec<String>, Vec<String>) {
    let tables = (1..=applied).map(|n| format!("t{n}")).collect();
    let indexes = (1..=applied)
        .filter(|n| shape[n - 1] == Kind::NoTx)
        .map(|n| format!("ix_t{n}_v"))
        .collect();
    let ledger = (1..=applied).map(|n| format!("r{n}")).collect();
    (tables, indexes, ledger)
}

fn state(db: &Db) -> (Vec<String>, Vec<String>, Vec<String>) {
    (db.tables(), db.indexes(), db.ledger())
}

/// Every revision of `shape` is, at some point, the first pending step (upgrading
/// one at a time) and the first step of a downgrade; then the whole plan runs at
/// once, in both transaction modes, online and as a `--sql` script.
fn check_shape(test: &str, shape: &[Kind]) {
    for db in Db::all(test) {
        for per_migration in [false, true] {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path();
            write_shape(dir, shape);
            let mode: &[&str] = if per_migration {
                &["--transaction-per-migration"]
            } else {
                &[]
            };
            let run = |args: &[&str]| {
                let args: Vec<&str> = args.iter().chain(mode).copied().collect();
                let (code, _, err) = db.migrate(dir, &args);
                let context = format!("{} {args:?} (per migration: {per_migration})", db.name());
                assert_eq!(code, 0, "{context}: {err}");
            };
            for n in 1..=shape.len() {
                run(&["upgrade", "+1"]);
                assert_eq!(state(&db), expected(shape, n), "{} up to r{n}", db.name());
            }
            for n in (0..shape.len()).rev() {
                run(&["downgrade", "-1"]);
                assert_eq!(state(&db), expected(shape, n), "{} down to {n}", db.name());
            }
            run(&["upgrade"]);
            assert_eq!(state(&db), expected(shape, shape.len()), "{}", db.name());
            run(&["downgrade", "base"]);
            assert_eq!(state(&db), expected(shape, 0), "{}", db.name());
        }

        // Offline: the script opens and commits where the online run does, so
        // sqlite3 and psql run it (neither accepts VACUUM or CONCURRENTLY inside
        // BEGIN), leaving the same state, and the online runner accepts it.
        let fresh = db.fresh_like(test);
        let tmp = tempfile::tempdir().unwrap();
        write_shape(tmp.path(), shape);
        let (code, script, err) = fresh.migrate(tmp.path(), &["upgrade", "--sql"]);
        assert_eq!(code, 0, "{err}");
        let (ok, err) = fresh.apply_script(&script);
        assert!(ok, "{}: {err}\n{script}", fresh.name());
        assert_eq!(state(&fresh), expected(shape, shape.len()), "{script}");
        let (code, _, err) = fresh.migrate(tmp.path(), &["upgrade"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("Nothing to do"), "{err}");
        let (code, script, err) = fresh.migrate(
            tmp.path(),
            &["downgrade", &format!("r{}:base", shape.len()), "--sql"],
        );
        assert_eq!(code, 0, "{err}");
        let (ok, err) = fresh.apply_script(&script);
        assert!(ok, "{}: {err}\n{script}", fresh.name());
        assert_eq!(state(&fresh), expected(shape, 0), "{script}");
    }
}

use Kind::{NoTx, Tx};

#[test]
fn transaction_false_as_the_only_revision() {
    check_shape("notx_only", &[NoTx]);
}

#[test]
fn transaction_false_first_then_transactional() {
    check_shape("notx_first", &[NoTx, Tx]);
}

#[test]
fn transaction_false_last() {
    check_shape("notx_last", &[Tx, NoTx]);
}

#[test]
fn transaction_false_consecutive_between_transactional_revisions() {
    check_shape("notx_consecutive", &[Tx, NoTx, NoTx, Tx]);
}

#[test]
fn stamp_purge_and_empty_plans_commit_their_set_up() {
    for db in Db::all("purge") {
        let tmp = tempfile::tempdir().unwrap();
        write_shape(tmp.path(), &[Tx, Tx, Tx]);
        // A plan with no steps still creates the ledger, and keeps it.
        let (code, _, err) = db.migrate(tmp.path(), &["upgrade", "base"]);
        assert_eq!(code, 0, "{}: {err}", db.name());
        assert!(db.has_ledger(), "{}", db.name());
        let (code, _, err) = db.migrate(tmp.path(), &["upgrade"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(db.ledger(), ["r1", "r2", "r3"]);
        // `stamp base --purge`: no steps at all, only the purge.
        let (code, _, err) = db.migrate(tmp.path(), &["stamp", "base", "--purge"]);
        assert_eq!(code, 0, "{}: {err}", db.name());
        assert!(db.ledger().is_empty(), "{}: {:?}", db.name(), db.ledger());
        assert_eq!(db.tables(), ["t1", "t2", "t3"], "stamp runs no SQL");
        let (code, out, _) = db.migrate(tmp.path(), &["current"]);
        assert_eq!((code, out.as_str()), (0, ""), "{}", db.name());
        // The purge and the new rows commit together.
        db.migrate(tmp.path(), &["stamp", "heads"]);
        let (code, _, err) = db.migrate(tmp.path(), &["stamp", "r2", "--purge"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(db.ledger(), ["r1", "r2"], "{}", db.name());
        // A stamp to where the database already is has no steps either.
        let (code, _, err) = db.migrate(tmp.path(), &["stamp", "r2"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(db.ledger(), ["r1", "r2"], "{}", db.name());
    }
}

#[test]
fn a_failing_plan_creates_no_ledger() {
    for db in Db::all("no_ledger") {
        let tmp = tempfile::tempdir().unwrap();
        write_shape(tmp.path(), &[Tx]);
        let (code, _, err) = db.migrate(tmp.path(), &["upgrade", "nope"]);
        assert_eq!(code, 1, "{err}");
        assert!(!db.has_ledger(), "{}", db.name());
    }
}

#[test]
fn an_empty_dialect_down_is_irreversible_on_that_dialect_only() {
    for db in Db::all("dialect_down") {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("r1.sql");
        std::fs::write(
            &file,
            "-- revision: r1\n-- down_revision: none\n\
             -- migrate:up postgres\nCREATE TABLE t1 (id BIGINT PRIMARY KEY);\n\
             -- migrate:up sqlite\nCREATE TABLE t1 (id INTEGER PRIMARY KEY);\n\
             -- migrate:up mysql\nCREATE TABLE t1 (id INT PRIMARY KEY);\n\
             -- migrate:down postgres\n\n\
             -- migrate:down sqlite\nDROP TABLE t1;\n\
             -- migrate:down mysql\nDROP TABLE t1;\n",
        )
        .unwrap();
        let (code, _, err) = db.migrate(tmp.path(), &["upgrade"]);
        assert_eq!(code, 0, "{err}");
        let (code, _, err) = db.migrate(tmp.path(), &["downgrade", "base"]);
        if db.is_postgres() {
            assert_eq!(code, 1, "{err}");
            let expected = format!(
                "revision r1 ({}) has no `-- migrate:down postgres` SQL, so it cannot be downgraded on postgres; nothing was run",
                file.display()
            );
            assert!(err.contains(&expected), "{err}");
            assert_eq!(db.tables(), ["t1"]);
            assert_eq!(db.ledger(), ["r1"]);
            // Offline too: the check comes before any SQL is printed.
            let (code, out, err) = db.migrate(tmp.path(), &["downgrade", "r1:base", "--sql"]);
            assert_eq!(code, 1, "{out}");
            assert!(err.contains(&expected), "{err}");
        } else {
            assert_eq!(code, 0, "{err}");
            assert!(db.tables().is_empty());
            assert!(db.ledger().is_empty());
        }
    }
}

/// r1 and r3 transactional; r2 `transaction:false` with three statements, the
/// third of which fails (`fail` true) or not. r4 transactional and failing.
fn failure_plan(dir: &Path, r2_fails: bool) {
    common::write_revisions(
        dir,
        &[(
            "r1",
            "none",
            "CREATE TABLE t1 (id INTEGER PRIMARY KEY);",
            "DROP TABLE t1;",
        )],
    );
    let third = if r2_fails {
        "INSERT INTO no_such_table VALUES (1);"
    } else {
        "CREATE INDEX ix_t2_b ON t2 (id);"
    };
    std::fs::write(
        dir.join("r2.sql"),
        format!(
            "-- revision: r2\n-- down_revision: r1\n-- migrate:up transaction:false\n\
             CREATE TABLE t2 (id INTEGER PRIMARY KEY);\n\
             CREATE INDEX ix_t2_a ON t2 (id);\n\
             {third}\n\
             -- migrate:down\nDROP TABLE t2;\n"
        ),
    )
    .unwrap();
    common::write_revisions(
        dir,
        &[
            (
                "r3",
                "r2",
                "CREATE TABLE t3 (id INTEGER PRIMARY KEY);",
                "DROP TABLE t3;",
            ),
            (
                "r4",
                "r3",
                "CREATE TABLE t4 (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);",
                "DROP TABLE t4;",
            ),
        ],
    );
}

#[test]
fn a_transaction_false_section_failing_midway_is_partially_applied_and_unrecorded() {
    for mode in [&[][..], &["--transaction-per-migration"][..]] {
        for db in Db::all("partial") {
            let tmp = tempfile::tempdir().unwrap();
            failure_plan(tmp.path(), true);
            let args: Vec<&str> = ["upgrade"].iter().chain(mode).copied().collect();
            let (code, _, err) = db.migrate(tmp.path(), &args);
            assert_eq!(code, 1, "{}: {err}", db.name());
            let file = tmp.path().join("r2.sql").display().to_string();
            let expected = [
                format!("error: revision r2 failed at {file}:6: "),
                "the revision is partially applied and was not recorded: its `transaction:false` section had already run 2 statements, which cannot be rolled back:".to_string(),
                format!("\n  {file}:4: CREATE TABLE t2 (id INTEGER PRIMARY KEY);\n  {file}:5: CREATE INDEX ix_t2_a ON t2 (id);\n"),
                "undo them by hand".to_string(),
            ];
            for part in expected {
                assert!(
                    err.contains(&part),
                    "{} {mode:?}: missing {part:?} in\n{err}",
                    db.name()
                );
            }
            assert!(err.contains("no_such_table"), "{err}");
            // r1 committed before the section began; its first two statements
            // stayed; r2 is not recorded.
            assert_eq!(db.tables(), ["t1", "t2"], "{} {mode:?}", db.name());
            assert_eq!(db.indexes(), ["ix_t2_a"], "{} {mode:?}", db.name());
            assert_eq!(db.ledger(), ["r1"], "{} {mode:?}", db.name());
        }
    }
}

#[test]
fn a_transaction_false_section_failing_at_its_first_statement_applies_nothing_of_it() {
    for db in Db::all("partial_first") {
        let tmp = tempfile::tempdir().unwrap();
        common::write_revisions(
            tmp.path(),
            &[("r1", "none", "CREATE TABLE t1 (id INT);", "DROP TABLE t1;")],
        );
        std::fs::write(
            tmp.path().join("r2.sql"),
            "-- revision: r2\n-- down_revision: r1\n-- migrate:up transaction:false\n\
             INSERT INTO no_such_table VALUES (1);\nCREATE TABLE t2 (id INT);\n",
        )
        .unwrap();
        let (code, _, err) = db.migrate(tmp.path(), &["upgrade"]);
        assert_eq!(code, 1, "{err}");
        let file = tmp.path().join("r2.sql").display().to_string();
        assert!(
            err.contains(&format!("error: revision r2 failed at {file}:4: ")),
            "{err}"
        );
        assert!(!err.contains("partially applied"), "{err}");
        assert_eq!(db.tables(), ["t1"], "{}", db.name());
        assert_eq!(db.ledger(), ["r1"]);
    }
}

#[test]
fn what_a_failing_revision_leaves_in_each_mode() {
    for db in Db::all("failure_modes") {
        // One transaction: r4 fails, and everything since the last commit rolls
        // back. r2's `transaction:false` section committed r1 before it, and r2's
        // row commits right after it; r3 shared r4's transaction.
        let tmp = tempfile::tempdir().unwrap();
        failure_plan(tmp.path(), false);
        let (code, _, err) = db.migrate(tmp.path(), &["upgrade"]);
        assert_eq!(code, 1, "{err}");
        assert!(err.contains("error: revision r4 failed at"), "{err}");
        if db.is_mysql() {
            // DDL commits implicitly: r1 to r3 stay, recorded; r4's CREATE TABLE
            // stays too, unrecorded, and the error says so.
            assert!(err.contains("the revision is partially applied"), "{err}");
            assert_eq!(db.tables(), ["t1", "t2", "t3", "t4"], "{}", db.name());
            assert_eq!(db.ledger(), ["r1", "r2", "r3"], "{}", db.name());
            continue;
        }
        assert_eq!(db.tables(), ["t1", "t2"], "{}", db.name());
        assert_eq!(db.ledger(), ["r1", "r2"], "{}", db.name());
        // Without a `transaction:false` section the whole run rolls back.
        let (code, _, _) = db.migrate(tmp.path(), &["downgrade", "base"]);
        assert_eq!(code, 0);
        std::fs::remove_file(tmp.path().join("r2.sql")).unwrap();
        common::write_revisions(
            tmp.path(),
            &[(
                "r2",
                "r1",
                "CREATE TABLE t2 (id INTEGER PRIMARY KEY);",
                "DROP TABLE t2;",
            )],
        );
        let (code, _, err) = db.migrate(tmp.path(), &["upgrade"]);
        assert_eq!(code, 1, "{err}");
        assert!(db.tables().is_empty(), "{}: {:?}", db.name(), db.tables());
        assert!(db.ledger().is_empty(), "{}", db.name());
        // One transaction per migration: r1 to r3 stay, r4 rolls back whole.
        let (code, _, err) = db.migrate(tmp.path(), &["upgrade", "--transaction-per-migration"]);
        assert_eq!(code, 1, "{err}");
        assert_eq!(db.tables(), ["t1", "t2", "t3"], "{}", db.name());
        assert_eq!(db.ledger(), ["r1", "r2", "r3"], "{}", db.name());
    }
}

#[test]
fn the_readme_shows_what_a_partially_applied_revision_prints() {
    let Some(db) = common::postgres_db("readme_partial").map(Db::Postgres) else {
        return;
    };
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme.split("### When a migration fails").nth(1).unwrap();
    let shown = section
        .split("```")
        .nth(1)
        .unwrap()
        .trim_start_matches('\n');
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("a1.sql"),
        "-- revision: a1\n-- down_revision: none\n-- migrate:up\n\
         CREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT, team_id BIGINT);\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("b2.sql"),
        "-- revision: b2\n-- down_revision: a1\n-- migrate:up transaction:false\n\
         CREATE INDEX CONCURRENTLY ix_users_email ON users (email);\n\
         CREATE INDEX CONCURRENTLY ix_users_team ON users (team_id);\n\
         CREATE INDEX CONCURRENTLY ix_teams_name ON teams (name);\n",
    )
    .unwrap();
    let url = db.url();
    let (code, _, err) = common::run_migrate(
        tmp.path(),
        &["--dir", "migrations", "--url", &url, "upgrade"],
    );
    assert_eq!(code, 1, "{err}");
    // The README starts at the failing revision's progress line.
    let printed = &err[err.find("Running upgrade a1 -> b2").unwrap()..];
    assert_eq!(printed, shown);
    assert_eq!(db.indexes(), ["ix_users_email", "ix_users_team"]);
    assert_eq!(db.ledger(), ["a1"]);
}
