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
            format!("mysql://app:{password}@localhost/app"),
            "unsupported scheme `mysql`",
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
    for (url, expected) in cases {
        if url.contains(":5432/") && !server_up {
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
