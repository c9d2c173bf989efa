//! Lock and statement timeouts on a real PostgreSQL server: a session holds a
//! table lock while `migrate upgrade` runs. With `--table-lock-timeout` the
//! upgrade gives up, rolls back everything of its transaction (schema and ledger),
//! and names the table and who held it; with `--lock-retries` it succeeds once the
//! holder lets go. The session of a borrowed client keeps its own settings.

mod common;

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::db::Db;
use common::TestDb;

/// `r1` creates `books` (applied before the lock is taken); `r2` creates
/// `authors` and adds a column to `books`, which needs `books`' ACCESS EXCLUSIVE lock.
fn write_books(dir: &Path) {
    common::write_revisions(
        dir,
        &[
            (
                "r1",
                "none",
                "CREATE TABLE books (id INT PRIMARY KEY);\nINSERT INTO books VALUES (1);",
                "DROP TABLE books;",
            ),
            (
                "r2",
                "r1",
                "CREATE TABLE authors (id INT PRIMARY KEY);\nALTER TABLE books ADD COLUMN isbn TEXT;",
                "ALTER TABLE books DROP COLUMN isbn;\nDROP TABLE authors;",
            ),
        ],
    );
}

/// The columns of `books`, in order.
fn book_columns(db: &Db) -> Vec<String> {
    db.query_strings(
        "SELECT column_name::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name = 'books' ORDER BY ordinal_position",
    )
}

/// A session that reads `books` in an open transaction (ACCESS SHARE, what any
/// long report holds) for `hold_for`, or until the returned sender sends or is
/// dropped (at most 10 s, so a migration that waits forever fails rather than
/// hangs). Returns its pid once the lock is held.
fn hold_books(db: &TestDb, hold_for: Option<Duration>) -> (i32, mpsc::Sender<()>) {
    let mut client = db.connect();
    let (pid_tx, pid_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        client.batch_execute("BEGIN; SELECT * FROM books;").unwrap();
        let pid: i32 = client
            .query_one("SELECT pg_backend_pid()", &[])
            .unwrap()
            .get(0);
        pid_tx.send(pid).unwrap();
        match hold_for {
            Some(time) => std::thread::sleep(time),
            None => {
                let _ = release_rx.recv_timeout(Duration::from_secs(10));
            }
        }
        client.batch_execute("COMMIT").unwrap();
    });
    (pid_rx.recv().unwrap(), release_tx)
}

/// Progress lines without their timings (`done (12 ms)` becomes `done`).
fn without_times(err: &str) -> String {
    err.lines()
        .map(|line| match line.find(" ... done (") {
            Some(at) => &line[..at + 9],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn setup(test: &str) -> Option<(tempfile::TempDir, Db)> {
    let pg = common::postgres_db(test)?;
    let dir = tempfile::tempdir().unwrap();
    write_books(dir.path());
    let db = Db::Postgres(pg);
    let (code, _, err) = db.migrate(dir.path(), &["upgrade", "r1"]);
    assert_eq!(code, 0, "{err}");
    Some((dir, db))
}

fn test_db(db: &Db) -> &TestDb {
    match db {
        Db::Postgres(pg) => pg,
        Db::Sqlite(..) | Db::Mysql(..) => unreachable!("setup makes PostgreSQL databases only"),
    }
}

#[test]
fn a_lock_not_granted_rolls_back_and_names_the_table_and_its_holder() {
    let Some((dir, db)) = setup("lock_not_granted") else {
        return;
    };
    let (pid, release) = hold_books(test_db(&db), None);
    let started = Instant::now();
    let (code, _, err) = db.migrate(dir.path(), &["upgrade", "--table-lock-timeout", "300ms"]);
    let took = started.elapsed();
    drop(release);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        err.trim_end(),
        format!(
            "Running upgrade r1 -> r2, step r2 ... failed\n\
             error: revision r2 failed at {}:7: the lock on table public.books (held by pid {pid} \
             (AccessShareLock)) was not granted within the lock timeout; the transaction rolled \
             back and none of it was applied (retry when the table is less busy, or raise \
             --table-lock-timeout or --lock-retries): ERROR 55P03: canceling statement due to lock timeout",
            dir.path().join("r2.sql").display()
        )
    );
    assert!(took < Duration::from_secs(5), "waited {took:?}");
    // All of r2's transaction is gone: the table it created first, and its ledger row.
    assert_eq!(db.tables(), ["books"]);
    assert_eq!(book_columns(&db), ["id"]);
    assert_eq!(db.ledger(), ["r1"]);
    // And nothing is left locked or half-done: the same upgrade now succeeds.
    let (code, _, err) = db.migrate(dir.path(), &["upgrade", "--table-lock-timeout", "300ms"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(book_columns(&db), ["id", "isbn"]);
    assert_eq!(db.ledger(), ["r1", "r2"]);
}

#[test]
fn the_environment_variable_sets_the_timeout_and_a_whole_run_rolls_back() {
    let Some((dir, db)) = setup("lock_env") else {
        return;
    };
    // A third revision that would run before the blocked one commits nothing either:
    // by default the run is one transaction.
    std::fs::write(
        dir.path().join("r3.sql"),
        "-- revision: r3\n-- down_revision: r2\n\n-- migrate:up\nCREATE TABLE shelves (id INT);\n\n-- migrate:down\nDROP TABLE shelves;\n",
    )
    .unwrap();
    let (pid, release) = hold_books(test_db(&db), None);
    let output = common::migrate_cmd(dir.path())
        .args([
            "--dir",
            dir.path().to_str().unwrap(),
            "--url",
            &db.url(),
            "upgrade",
        ])
        .env("MIGRATE_TABLE_LOCK_TIMEOUT", "200ms")
        .output()
        .unwrap();
    drop(release);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "the lock on table public.books (held by pid {pid} (AccessShareLock)) was not granted within the lock timeout"
        )),
        "{err}"
    );
    assert_eq!(db.tables(), ["books"]);
    assert_eq!(db.ledger(), ["r1"]);
}

#[test]
fn with_retries_the_upgrade_succeeds_once_the_holder_lets_go() {
    let Some((dir, db)) = setup("lock_retries") else {
        return;
    };
    let (pid, _release) = hold_books(test_db(&db), Some(Duration::from_millis(900)));
    let (code, _, err) = db.migrate(
        dir.path(),
        &[
            "upgrade",
            "--table-lock-timeout",
            "200ms",
            "--lock-retries",
            "6",
            "--lock-retry-delay",
            "100ms",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines.len() >= 3 && lines.len() % 2 == 1,
        "failed attempts, each with its warning, then the one that finished: {err}"
    );
    assert_eq!(lines[0], "Running upgrade r1 -> r2, step r2 ... failed");
    assert!(lines[lines.len() - 1].starts_with("Running upgrade r1 -> r2, step r2 ... done ("));
    let retries: Vec<&str> = err.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(retries.len(), lines.len() / 2, "{err}");
    assert!(!retries.is_empty(), "{err}");
    assert_eq!(
        retries[0],
        format!(
            "warning: revision r2 failed at {}:7: the lock on table public.books (held by pid {pid} \
             (AccessShareLock)) was not granted within the lock timeout; the transaction rolled \
             back and none of it was applied (retry when the table is less busy, or raise \
             --table-lock-timeout or --lock-retries): ERROR 55P03: canceling statement due to lock \
             timeout; retrying in 100ms (attempt 2 of 7)",
            dir.path().join("r2.sql").display()
        )
    );
    if let Some(second) = retries.get(1) {
        assert!(
            second.ends_with("retrying in 200ms (attempt 3 of 7)"),
            "{second}"
        );
    }
    // r2 ran once to completion: one ledger row, one `Running upgrade` line that
    // finished, the table and the column.
    assert_eq!(db.tables(), ["authors", "books"]);
    assert_eq!(book_columns(&db), ["id", "isbn"]);
    assert_eq!(db.ledger(), ["r1", "r2"]);
}

#[test]
fn retries_run_out_and_the_error_counts_the_attempts() {
    let Some((dir, db)) = setup("lock_retries_out") else {
        return;
    };
    let (_, release) = hold_books(test_db(&db), None);
    let (code, _, err) = db.migrate(
        dir.path(),
        &[
            "upgrade",
            "--table-lock-timeout",
            "100ms",
            "--lock-retries",
            "2",
            "--lock-retry-delay",
            "50ms",
        ],
    );
    drop(release);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("warning:")).count(),
        2,
        "{err}"
    );
    let last = err.lines().last().unwrap();
    assert!(last.starts_with("error: revision r2 failed at"), "{last}");
    assert!(
        last.contains("the lock on table public.books (held by pid")
            && last.contains(
                "(AccessShareLock)) was not granted within the lock timeout in any of 3 attempts;"
            ),
        "{last}"
    );
    assert_eq!(db.tables(), ["books"]);
    assert_eq!(db.ledger(), ["r1"]);
}

#[test]
fn a_statement_timeout_rolls_back_too() {
    let Some((dir, db)) = setup("statement_timeout") else {
        return;
    };
    std::fs::write(
        dir.path().join("r3.sql"),
        "-- revision: r3\n-- down_revision: r2\n\n-- migrate:up\nCREATE TABLE slow (id INT);\nSELECT pg_sleep(3);\n\n-- migrate:down\nDROP TABLE slow;\n",
    )
    .unwrap();
    let (code, _, err) = db.migrate(dir.path(), &["upgrade", "--statement-timeout", "200ms"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        without_times(&err),
        format!(
            "Running upgrade r1 -> r2, step r2 ... done\nRunning upgrade r2 -> r3 ... failed\n\
             error: revision r3 failed at {}:6: ERROR 57014: canceling statement due to statement timeout",
            dir.path().join("r3.sql").display()
        )
    );
    assert_eq!(db.tables(), ["books"]);
    assert_eq!(db.ledger(), ["r1"]);
}

#[test]
fn a_borrowed_session_keeps_its_own_settings_and_transaction_false_is_bounded() {
    let Some(pg) = common::postgres_db("lock_borrowed") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    write_books(dir.path());
    std::fs::write(
        dir.path().join("r3.sql"),
        "-- revision: r3\n-- down_revision: r2\n\n-- migrate:up transaction:false\n\
         CREATE INDEX CONCURRENTLY ix_books_isbn ON books (isbn);\n\n\
         -- migrate:down transaction:false\nDROP INDEX CONCURRENTLY ix_books_isbn;\n",
    )
    .unwrap();
    let graph = migrate::revision::load_dir(dir.path()).unwrap();
    let graph = migrate::RevisionGraph::new(graph).unwrap();
    let mut client = pg.connect();
    client.batch_execute("SET lock_timeout = '45s'").unwrap();
    let options = migrate::runner::RunOptions {
        timeouts: migrate::backend::Timeouts {
            lock: Some(Duration::from_millis(250)),
            statement: Some(Duration::from_secs(20)),
        },
        ..Default::default()
    };
    let mut backend = migrate::backend::postgres::PostgresBackend::borrow(&mut client);
    let report = migrate::runner::run(
        &mut backend,
        &graph,
        migrate::runner::Command::Upgrade("r1"),
        &options,
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(report.steps, ["r1"]);
    drop(backend);
    // A holder on books: r2's ALTER TABLE waits for it, bounded by SET LOCAL.
    let (_, release) = hold_books(&pg, None);
    let mut backend = migrate::backend::postgres::PostgresBackend::borrow(&mut client);
    let err = migrate::runner::run(
        &mut backend,
        &graph,
        migrate::runner::Command::Upgrade("r2"),
        &options,
        &mut |_| {},
    )
    .unwrap_err();
    drop(backend);
    drop(release);
    assert!(
        err.to_string()
            .contains("the lock on table public.books (held by pid"),
        "{err}"
    );
    let show = |client: &mut postgres::Client, name: &str| -> String {
        client
            .query_one(&format!("SHOW {name}"), &[])
            .unwrap()
            .get(0)
    };
    assert_eq!(show(&mut client, "lock_timeout"), "45s");
    assert_eq!(show(&mut client, "statement_timeout"), "0");
    let mut backend = migrate::backend::postgres::PostgresBackend::borrow(&mut client);
    let report = migrate::runner::run(
        &mut backend,
        &graph,
        migrate::runner::Command::Upgrade("heads"),
        &options,
        &mut |_| {},
    )
    .unwrap();
    drop(backend);
    assert_eq!(report.steps, ["r2", "r3"]);
    // After the transaction:false section, too, the session is as it was.
    assert_eq!(show(&mut client, "lock_timeout"), "45s");
    assert_eq!(show(&mut client, "statement_timeout"), "0");
}

#[test]
fn a_duration_needs_its_unit() {
    let dir = tempfile::tempdir().unwrap();
    write_books(dir.path());
    let (code, _, err) = common::run_migrate(
        dir.path(),
        &[
            "--url",
            "sqlite://x.db",
            "upgrade",
            "--table-lock-timeout",
            "5",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("`5` is not a duration (time unit needed, for example 5sec or 5ms); write it with a unit, as 5s, 500ms or 2min"),
        "{err}"
    );
}
