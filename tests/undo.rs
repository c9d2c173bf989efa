//! What the tool writes can be undone: `init`'s first revision, merges, and any
//! revision whose up is empty downgrade as no-ops; filling in a down after the
//! revision was applied is not drift. Through the real binary, on a SQLite file
//! and on PostgreSQL.

mod common;

use std::path::{Path, PathBuf};

use common::run_migrate;

/// A database URL per backend: a SQLite file, and PostgreSQL when a server answers.
fn databases(test: &str, dir: &Path) -> Vec<(String, Option<common::TestDb>)> {
    let mut out = vec![(format!("sqlite://{}", dir.join("app.db").display()), None)];
    if let Some(db) = common::postgres_db(test) {
        out.push((db.url.clone(), Some(db)));
    }
    out
}

/// Runs the binary in `project` against `url`, asserting success; returns stdout.
fn ok(project: &Path, url: &str, args: &[&str]) -> String {
    let mut all = vec!["--url", url];
    all.extend_from_slice(args);
    let (code, out, err) = run_migrate(project, &all);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

/// `init` in a fresh directory; returns the directory and the first revision's id.
fn scaffold() -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    let (code, out, err) = run_migrate(tmp.path(), &["init"]);
    assert_eq!(code, 0, "{err}");
    let path = PathBuf::from(out.trim());
    let id = path.file_name().unwrap().to_str().unwrap()[..12].to_string();
    (tmp, id)
}

/// The new file's path, from a command run in `project` that prints it.
fn written(project: &Path, out: &str) -> PathBuf {
    project.join(out.trim())
}

/// Writes SQL under a section marker; an empty `sql` leaves that section as it is.
fn fill(path: &Path, up: &str, down: &str) {
    let mut text = std::fs::read_to_string(path).unwrap();
    for (marker, sql) in [("-- migrate:up\n", up), ("-- migrate:down\n", down)] {
        if !sql.is_empty() {
            text = text.replacen(marker, &format!("{marker}{sql}\n"), 1);
        }
    }
    std::fs::write(path, text).unwrap();
}

fn current(project: &Path, url: &str) -> Vec<String> {
    let mut heads: Vec<String> = ok(project, url, &["current"])
        .lines()
        .map(|l| l.split(' ').next().unwrap().to_string())
        .collect();
    heads.sort();
    heads
}

#[test]
fn a_freshly_scaffolded_project_downgrades_to_base() {
    let (tmp, first) = scaffold();
    let project = tmp.path();
    for (url, _db) in databases("undo_init", project) {
        ok(project, &url, &["upgrade"]);
        assert_eq!(current(project, &url), vec![first.clone()]);
        ok(project, &url, &["downgrade", "base"]);
        assert!(current(project, &url).is_empty());
    }
}

#[test]
fn merges_downgrade() {
    let (tmp, first) = scaffold();
    let project = tmp.path();
    let a = written(
        project,
        &ok(project, "sqlite::memory:", &["revision", "-m", "a"]),
    );
    fill(&a, "CREATE TABLE a (id INT);", "DROP TABLE a;");
    let b = written(
        project,
        &ok(
            project,
            "sqlite::memory:",
            &["revision", "-m", "b", "--head", &first],
        ),
    );
    fill(&b, "CREATE TABLE b (id INT);", "DROP TABLE b;");
    ok(
        project,
        "sqlite::memory:",
        &["merge", "heads", "-m", "merge"],
    );
    let id = |p: &Path| p.file_name().unwrap().to_str().unwrap()[..12].to_string();
    let mut branches = vec![id(&a), id(&b)];
    branches.sort();
    for (url, _db) in databases("undo_merge", project) {
        ok(project, &url, &["upgrade"]);
        ok(project, &url, &["downgrade", "-1"]);
        assert_eq!(
            current(project, &url),
            branches,
            "the merge alone was reverted"
        );
        ok(project, &url, &["downgrade", "base"]);
        assert!(current(project, &url).is_empty());
    }
}

#[test]
fn filling_in_a_down_after_applying_is_not_drift() {
    let (tmp, _) = scaffold();
    let project = tmp.path();
    let users = written(
        project,
        &ok(project, "sqlite::memory:", &["revision", "-m", "users"]),
    );
    fill(&users, "CREATE TABLE users (id INT);", "");
    let original = std::fs::read_to_string(&users).unwrap();
    for (url, _db) in databases("undo_fill_down", project) {
        std::fs::write(&users, &original).unwrap();
        ok(project, &url, &["upgrade"]);
        let (code, _, err) = run_migrate(project, &["--url", &url, "downgrade", "base"]);
        assert_eq!(code, 1);
        assert!(
            err.contains("cannot be downgraded; nothing was run"),
            "{err}"
        );

        // The author fills in the down: no drift, and the downgrade runs it.
        fill(&users, "", "DROP TABLE users;");
        let (code, _, err) = run_migrate(project, &["--url", &url, "upgrade"]);
        assert_eq!(code, 0, "{err}");
        assert!(!err.contains("warning"), "{err}");
        ok(project, &url, &["downgrade", "base"]);
        ok(project, &url, &["upgrade"]);

        // Editing the up still is drift.
        let text = std::fs::read_to_string(&users).unwrap();
        std::fs::write(&users, text.replace("(id INT)", "(id BIGINT)")).unwrap();
        let (code, _, err) = run_migrate(project, &["--url", &url, "upgrade"]);
        assert_eq!(code, 1);
        assert!(err.contains("was edited after it was applied"), "{err}");
        ok(project, &url, &["downgrade", "base", "--allow-drift"]);
    }
}

#[test]
fn the_testing_checks_pass_on_a_freshly_scaffolded_project() {
    let (tmp, _) = scaffold();
    let migrations = common::embedded(&tmp.path().join("migrations"), "migrations");
    migrate::testing::single_head(&migrations).unwrap();
    migrate::testing::upgrade_from_base(&migrations, "sqlite::memory:").unwrap();
    migrate::testing::up_down_roundtrip(&migrations, "sqlite::memory:").unwrap();
    if let Some(db) = common::postgres_db("undo_roundtrip") {
        migrate::testing::up_down_roundtrip(&migrations, &db.url).unwrap();
    }
}
