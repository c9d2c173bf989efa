//! The real `migrate` binary: concurrent migrators, `kill -9` mid-revision, and
//! what a user sees for bad URLs, unreachable servers and missing variables.

mod common;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{migrate_cmd, run_migrate, write_revisions};

fn many_revisions(dir: &Path, n: usize) {
    let revisions: Vec<(String, String, String, String)> = (1..=n)
        .map(|i| {
            let down = if i == 1 {
                "none".to_string()
            } else {
                format!("r{:03}", i - 1)
            };
            (
                format!("r{i:03}"),
                down,
                format!("CREATE TABLE t{i} (id INTEGER PRIMARY KEY);"),
                format!("DROP TABLE t{i};"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str, &str, &str)> = revisions
        .iter()
        .map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), d.as_str()))
        .collect();
    write_revisions(dir, &refs);
}

/// Starts 8 `upgrade heads` at once; all must exit 0.
fn race(dir: &Path, url: &str) {
    let children: Vec<_> = (0..8)
        .map(|_| {
            migrate_cmd(dir)
                .args([
                    "--dir",
                    dir.to_str().unwrap(),
                    "--url",
                    url,
                    "upgrade",
                    "heads",
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "a migrator failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn eight_concurrent_migrators_on_postgres_apply_each_revision_once() {
    let Some(db) = common::postgres_db("race") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    many_revisions(tmp.path(), 20);
    race(tmp.path(), &db.url);
    let mut client = db.connect();
    let count: i64 = client
        .query_one("SELECT count(*) FROM migrate_version", &[])
        .unwrap()
        .get(0);
    let distinct: i64 = client
        .query_one("SELECT count(DISTINCT revision) FROM migrate_version", &[])
        .unwrap()
        .get(0);
    assert_eq!((count, distinct), (20, 20));
}

#[test]
fn eight_concurrent_migrators_on_a_sqlite_file_apply_each_revision_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    many_revisions(&dir, 20);
    let db = tmp.path().join("race.db");
    race(&dir, &format!("sqlite://{}", db.display()));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (count, distinct): (i64, i64) = conn
        .query_row(
            "SELECT count(*), count(DISTINCT revision) FROM migrate_version",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((count, distinct), (20, 20));
}

#[test]
fn eight_concurrent_migrators_on_mariadb_apply_each_revision_once() {
    use mysql::prelude::Queryable;
    let Some(db) = common::mysql_db("race") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    many_revisions(tmp.path(), 20);
    race(tmp.path(), &db.url);
    let (count, distinct): (i64, i64) = db
        .connect()
        .query_first("SELECT count(*), count(DISTINCT revision) FROM migrate_version")
        .unwrap()
        .unwrap();
    assert_eq!((count, distinct), (20, 20));
    let tables: i64 = db
        .connect()
        .query_first("SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 't%'")
        .unwrap()
        .unwrap();
    assert_eq!(tables, 20);
}

#[test]
fn eight_concurrent_migrators_on_mariadb_with_the_lock_table_apply_each_revision_once() {
    use mysql::prelude::Queryable;
    let Some(db) = common::mysql_db("race_table") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    many_revisions(tmp.path(), 20);
    race(tmp.path(), &format!("{}?migrate_lock=table", db.url));
    let mut conn = db.connect();
    let (count, distinct): (i64, i64) = conn
        .query_first("SELECT count(*), count(DISTINCT revision) FROM migrate_version")
        .unwrap()
        .unwrap();
    assert_eq!((count, distinct), (20, 20));
    // Every migrator released the lock row.
    let held: i64 = conn
        .query_first("SELECT count(*) FROM migrate_version_lock")
        .unwrap()
        .unwrap();
    assert_eq!(held, 0);
}

/// Waits until `sql` (a count) is positive on `conn`: the revision is running.
fn wait_until_running(conn: &mut mysql::Conn, sql: &str) {
    use mysql::prelude::Queryable;
    let started = Instant::now();
    while conn.query_first::<i64, _>(sql).unwrap().unwrap_or(0) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the revision never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn kill_9_on_mariadb_never_leaves_the_ledger_claiming_what_the_schema_lacks() {
    use mysql::prelude::Queryable;
    let Some(db) = common::mysql_db("kill9") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    // r2 is pure DML, so it runs in a transaction the server rolls back when
    // its client dies; r3 has DDL, which commits statement by statement.
    write_revisions(
        tmp.path(),
        &[
            ("r1", "none", "CREATE TABLE before_kill (id INT);", "DROP TABLE before_kill;"),
            ("r2", "r1", "INSERT INTO before_kill VALUES (1);\nSELECT SLEEP(3);", "DELETE FROM before_kill;"),
            ("r3", "r2", "CREATE TABLE during_kill (id INT);\nSELECT SLEEP(4);\nCREATE TABLE after_sleep (id INT);", "DROP TABLE after_sleep;\nDROP TABLE during_kill;"),
        ],
    );
    let url = db.url.as_str();
    let dir = tmp.path().to_str().unwrap();
    let (code, _, err) = run_migrate(tmp.path(), &["--dir", dir, "--url", url, "upgrade", "r1"]);
    assert_eq!(code, 0, "{err}");
    let mut conn = db.connect();
    let running = |seconds: u32| {
        format!(
            "SELECT count(*) FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP({seconds})%' AND db = DATABASE()"
        )
    };
    let kill_when_running = |target: &str, sql: &str, conn: &mut mysql::Conn| {
        let mut child = migrate_cmd(tmp.path())
            .args(["--dir", dir, "--url", url, "upgrade", target])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_until_running(conn, sql);
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
    };
    let current = || run_migrate(tmp.path(), &["--dir", dir, "--url", url, "current"]).1;

    kill_when_running("r2", &running(3), &mut conn);
    assert_eq!(current(), "r1\n");
    let rows: i64 = conn
        .query_first("SELECT count(*) FROM before_kill")
        .unwrap()
        .unwrap();
    assert_eq!(rows, 0, "the killed DML revision was rolled back whole");
    // The server drops a dead client's GET_LOCK; a rerun completes.
    let upgrade = |target: &str| {
        run_migrate(
            tmp.path(),
            &[
                "--dir",
                dir,
                "--url",
                url,
                "upgrade",
                target,
                "--lock-timeout",
                "30",
            ],
        )
    };
    let (code, _, err) = upgrade("r2");
    assert_eq!(code, 0, "{err}");
    assert_eq!(current(), "r2\n");

    kill_when_running("r3", &running(4), &mut conn);
    // The first DDL statement committed; the ledger does not claim r3.
    assert_eq!(current(), "r2\n");
    let table = |name: &str, conn: &mut mysql::Conn| -> i64 {
        conn.query_first(format!(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '{name}'"
        ))
        .unwrap()
        .unwrap()
    };
    assert_eq!(table("during_kill", &mut conn), 1);
    assert_eq!(table("after_sleep", &mut conn), 0);
    // The rerun stops at what the killed run left, naming it, and records nothing.
    let (code, _, err) = upgrade("r3");
    assert_eq!(code, 1);
    assert!(
        err.contains("ERROR 1050 (42S01): Table 'during_kill' already exists"),
        "{err}"
    );
    assert_eq!(current(), "r2\n");
    // Recovery as the error says: undo, and run the upgrade again.
    conn.query_drop("DROP TABLE during_kill").unwrap();
    let (code, _, err) = upgrade("heads");
    assert_eq!(code, 0, "{err}");
    assert_eq!(current(), "r3 (head)\n");
}

#[test]
fn kill_9_in_the_middle_of_a_revision_leaves_the_previous_state() {
    let Some(db) = common::postgres_db("kill9") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    write_revisions(
        tmp.path(),
        &[
            (
                "r1",
                "none",
                "CREATE TABLE before_kill (id INT);",
                "DROP TABLE before_kill;",
            ),
            (
                "r2",
                "r1",
                "CREATE TABLE during_kill (id INT);\nSELECT pg_sleep(3);",
                "DROP TABLE during_kill;",
            ),
        ],
    );
    let url = db.url.as_str();
    let dir = tmp.path().to_str().unwrap();
    let (code, _, err) = run_migrate(tmp.path(), &["--dir", dir, "--url", url, "upgrade", "r1"]);
    assert_eq!(code, 0, "{err}");
    let mut child = migrate_cmd(tmp.path())
        .args(["--dir", dir, "--url", url, "upgrade"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the revision is really running on the server, then kill -9.
    let mut client = db.connect();
    let started = Instant::now();
    loop {
        let sleeping: i64 = client
            .query_one("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(3)%' AND datname = current_database()", &[])
            .unwrap()
            .get(0);
        if sleeping > 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the revision never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    let (code, out, err) = run_migrate(tmp.path(), &["--dir", dir, "--url", url, "current"]);
    assert_eq!((code, out.as_str()), (0, "r1\n"), "{err}");
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'during_kill'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 0, "the killed revision left a table behind");
    // The server notices the dead client and drops its lock; a rerun completes.
    let (code, _, err) = run_migrate(
        tmp.path(),
        &[
            "--dir",
            dir,
            "--url",
            url,
            "upgrade",
            "--lock-timeout",
            "30",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = run_migrate(tmp.path(), &["--dir", dir, "--url", url, "current"]);
    assert_eq!(out, "r2 (head)\n");
}

#[test]
fn connection_problems_are_one_line_without_the_password() {
    let tmp = tempfile::tempdir().unwrap();
    write_revisions(tmp.path(), &[("r1", "none", "SELECT 1;", "SELECT 1;")]);
    let dir = tmp.path().to_str().unwrap();
    let password = "s3cr3t-pw";
    let cases = [
        (
            format!("mssql://app:{password}@localhost/app"),
            "unsupported scheme `mssql`",
        ),
        (
            format!("mysql://app:{password}@127.0.0.1:1/app"),
            "Connection refused",
        ),
        (
            format!("mariadb://app:{password}@127.0.0.1:notaport/app"),
            "bad database URL",
        ),
        (
            format!("mysql://127.0.0.1:1/app?user=app&password={password}"),
            "Connection refused",
        ),
        (
            format!("mysql://root:{password}@127.0.0.1:3306/test"),
            "ERROR 1045 (28000): Access denied for user 'root'",
        ),
        (
            format!("postgres://app:{password}@127.0.0.1:1/app"),
            "Connection refused",
        ),
        (
            format!("postgres://app:{password}@127.0.0.1:notaport/app"),
            "bad database URL",
        ),
        (
            format!("postgres://postgres:{password}@127.0.0.1:5432/no_such_database_here"),
            "database \"no_such_database_here\" does not exist",
        ),
        (
            format!("postgres://127.0.0.1:1/app?user=app&password={password}"),
            "Connection refused",
        ),
    ];
    let server_up = common::postgres_db("probe").is_some();
    let mysql_up = common::mysql_db("probe").is_some();
    for (url, expected) in cases {
        if url.contains(":5432/") && !server_up || url.contains(":3306/") && !mysql_up {
            continue;
        }
        let (code, out, err) = run_migrate(tmp.path(), &["--dir", dir, "--url", &url, "upgrade"]);
        assert_eq!(code, 1, "{url}: {err}");
        assert!(out.is_empty());
        assert!(!err.contains(password), "the password leaked: {err}");
        assert!(err.contains(expected), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        assert!(err.starts_with("error: "), "{err}");
    }
}

#[test]
fn environment_selects_the_variable_and_dot_env_never_overrides() {
    let tmp = tempfile::tempdir().unwrap();
    write_revisions(
        tmp.path(),
        &[("r1", "none", "CREATE TABLE t (id INT);", "DROP TABLE t;")],
    );
    let dir = tmp.path().to_str().unwrap();
    let run = |envs: &[(&str, &str)]| {
        let output = migrate_cmd(tmp.path())
            .args(["--dir", dir, "upgrade"])
            .envs(envs.iter().copied())
            .output()
            .unwrap();
        (
            output.status.code().unwrap(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, err) = run(&[("ENVIRONMENT", "staging")]);
    assert_eq!(
        (code, err.trim()),
        (
            1,
            "error: DATABASE_URL_STAGING is not set for ENVIRONMENT=staging"
        )
    );
    let (code, err) = run(&[]);
    assert_eq!(
        (code, err.trim()),
        (
            1,
            "error: DATABASE_URL_DEV is not set for ENVIRONMENT=development"
        )
    );
    let (code, err) = run(&[("ENVIRONMENT", "qa")]);
    assert_eq!(
        (code, err.trim()),
        (
            1,
            "warning: ENVIRONMENT=qa is not one of local, development, staging, production; using DATABASE_URL_DEV, as for development\n\
             error: DATABASE_URL_DEV is not set for ENVIRONMENT=qa"
        )
    );
    // .env supplies what is missing, but a variable already set wins.
    std::fs::write(
        tmp.path().join(".env"),
        "DATABASE_URL_PROD=sqlite://from_dotenv.db\nDATABASE_URL_DEV=sqlite://dev_from_dotenv.db\n",
    )
    .unwrap();
    let (code, err) = run(&[
        ("ENVIRONMENT", "production"),
        ("DATABASE_URL_PROD", "sqlite://from_env.db"),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(tmp.path().join("from_env.db").exists() && !tmp.path().join("from_dotenv.db").exists());
    let (code, err) = run(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(tmp.path().join("dev_from_dotenv.db").exists());
    // DATABASE_URL overrides the selection, --url overrides everything.
    let (code, _) = run(&[
        ("ENVIRONMENT", "production"),
        ("DATABASE_URL", "sqlite://plain.db"),
    ]);
    assert_eq!(code, 0);
    assert!(tmp.path().join("plain.db").exists());
}

/// A typo in `ENVIRONMENT` keeps the fallback to `DATABASE_URL_DEV`, but says so.
#[test]
fn an_unknown_environment_falls_back_to_dev_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    write_revisions(
        tmp.path(),
        &[("r1", "none", "CREATE TABLE t (id INT);", "DROP TABLE t;")],
    );
    let dir = tmp.path().to_str().unwrap();
    let run = |args: &[&str], envs: &[(&str, &str)]| {
        let output = migrate_cmd(tmp.path())
            .args(["--dir", dir])
            .args(args)
            .env("DATABASE_URL_DEV", "sqlite://dev.db")
            .env("DATABASE_URL_PROD", "sqlite://prod.db")
            .envs(envs.iter().copied())
            .output()
            .unwrap();
        (
            output.status.code().unwrap(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let warning =
        "warning: ENVIRONMENT=prod is not one of local, development, staging, production; \
                   using DATABASE_URL_DEV, as for development\n";
    // Even with -q: it is a warning, not progress.
    let (code, _, err) = run(&["-q", "upgrade"], &[("ENVIRONMENT", "prod")]);
    assert_eq!((code, err.as_str()), (0, warning));
    assert!(tmp.path().join("dev.db").exists() && !tmp.path().join("prod.db").exists());
    let (code, out, err) = run(&["current"], &[("ENVIRONMENT", "prod")]);
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (0, "r1 (head)\n", warning)
    );
    // --sql takes its dialect from the same selection.
    let (code, _, err) = run(&["upgrade", "--sql"], &[("ENVIRONMENT", "prod")]);
    assert_eq!((code, err.starts_with(warning)), (0, true), "{err}");
    // Known names, in any case, and URLs that do not go through the selection: no warning.
    for envs in [
        &[("ENVIRONMENT", "PRODUCTION")][..],
        &[("ENVIRONMENT", "development")],
        &[],
        &[("ENVIRONMENT", "prod"), ("DATABASE_URL", "sqlite://dev.db")],
    ] {
        let (code, _, err) = run(&["-q", "current"], envs);
        assert_eq!((code, err.as_str()), (0, ""), "{envs:?}");
    }
    let (code, _, err) = run(
        &["-q", "--url", "sqlite://dev.db", "current"],
        &[("ENVIRONMENT", "prod")],
    );
    assert_eq!((code, err.as_str()), (0, ""));
}

#[test]
fn usage_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, err) = run_migrate(tmp.path(), &["upgrade", "--no-such-flag"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = run_migrate(tmp.path(), &["frobnicate"]);
    assert_eq!(code, 2);
    let (code, out, _) = run_migrate(tmp.path(), &["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("upgrade") && out.contains("downgrade"));
}
