//! `init`, `revision`, `merge`, `rebase` and `squash`, end to end on temp
//! directories: the command's output, its exit code, and the graph it leaves.

use std::path::Path;

use migrate::cli::{run_from, Source};
use migrate::revision::load_dir;
use migrate::RevisionGraph;

struct Run {
    code: std::process::ExitCode,
    out: String,
    err: String,
}

fn cli(dir: &Path, args: &[&str]) -> Run {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut argv = vec!["migrate", "--dir", dir.to_str().unwrap()];
    argv.extend_from_slice(args);
    let code = run_from(
        argv,
        Source::Directory(dir.to_path_buf()),
        &mut out,
        &mut err,
    );
    Run {
        code,
        out: String::from_utf8(out).unwrap(),
        err: String::from_utf8(err).unwrap(),
    }
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let run = cli(dir, args);
    assert_eq!(
        run.code,
        std::process::ExitCode::SUCCESS,
        "{args:?} failed: {}",
        run.err
    );
    run.out
}

fn fails(dir: &Path, args: &[&str]) -> String {
    let run = cli(dir, args);
    assert_eq!(
        run.code,
        std::process::ExitCode::FAILURE,
        "{args:?} should fail; out: {}",
        run.out
    );
    run.err
}

fn graph(dir: &Path) -> RevisionGraph {
    RevisionGraph::new(load_dir(dir).unwrap()).unwrap()
}

fn history(dir: &Path) -> Vec<String> {
    graph(dir).revisions().map(|r| r.id.clone()).collect()
}

#[test]
fn init_scaffolds_once_and_prints_the_wiring() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    let run = cli(&dir, &["init"]);
    assert_eq!(run.code, std::process::ExitCode::SUCCESS, "{}", run.err);
    assert!(
        run.err.contains("migrate_build::Migrations::new("),
        "{}",
        run.err
    );
    assert!(run.err.contains("embed_migrations!("), "{}", run.err);
    assert!(run.err.contains("src/bin/migrate.rs"), "{}", run.err);
    let g = graph(&dir);
    assert_eq!(g.len(), 1);
    assert_eq!(g.get(g.heads()[0]).unwrap().message, "initial revision");
    let err = fails(&dir, &["init"]);
    assert!(err.contains("is not empty"), "{err}");
}

#[test]
fn revision_writes_a_file_on_the_current_head() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let first = ok(dir, &["revision", "-m", "Create users!", "--rev-id", "a1"]);
    assert!(first.trim().ends_with("a1_create_users.sql"), "{first}");
    let second = ok(dir, &["revision", "-m", "add email"]);
    let name = Path::new(second.trim())
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let id = &name[..12];
    assert!(
        id.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
        "{name}"
    );
    assert_eq!(name, format!("{id}_add_email.sql"));
    let g = graph(dir);
    assert_eq!(g.get(id).unwrap().down_revisions, ["a1"]);
    assert!(g
        .get(id)
        .unwrap()
        .create_date
        .as_deref()
        .is_some_and(|d| d.ends_with('Z')));
    // A new base, a label, a dependency.
    ok(
        dir,
        &[
            "revision",
            "-m",
            "lib",
            "--head",
            "base",
            "--rev-id",
            "l1",
            "--branch-label",
            "lib",
        ],
    );
    ok(
        dir,
        &[
            "revision",
            "-m",
            "uses lib",
            "--head",
            id,
            "--depends-on",
            "lib",
            "--rev-id",
            "u1",
        ],
    );
    let g = graph(dir);
    assert!(g.get("l1").unwrap().is_base());
    assert_eq!(g.get("u1").unwrap().depends_on, ["lib"]);
    assert_eq!(g.heads(), ["l1", "u1"]);
}

#[test]
fn revision_with_several_heads_asks_for_a_merge() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(dir, &["revision", "-m", "a", "--rev-id", "a1"]);
    ok(dir, &["revision", "-m", "b", "--rev-id", "b1"]);
    ok(
        dir,
        &["revision", "-m", "c", "--rev-id", "c1", "--head", "a1"],
    );
    let err = fails(dir, &["revision", "-m", "d"]);
    assert!(
        err.contains("Multiple heads are present (b1, c1)") && err.contains("migrate merge heads"),
        "{err}"
    );
    // Refusals leave nothing behind.
    assert_eq!(graph(dir).len(), 3);
    let err = fails(
        dir,
        &["revision", "-m", "d", "--rev-id", "b1", "--head", "b1"],
    );
    assert!(err.contains("revision b1 already exists"), "{err}");
    let err = fails(
        dir,
        &["revision", "-m", "d", "--rev-id", "bad-id", "--head", "b1"],
    );
    assert!(err.contains("invalid --rev-id"), "{err}");
}

#[test]
fn merge_joins_the_heads() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(dir, &["revision", "-m", "a", "--rev-id", "a1"]);
    ok(dir, &["revision", "-m", "b", "--rev-id", "b1"]);
    ok(
        dir,
        &["revision", "-m", "c", "--rev-id", "c1", "--head", "a1"],
    );
    ok(
        dir,
        &["merge", "heads", "-m", "merge b and c", "--rev-id", "m1"],
    );
    let g = graph(dir);
    assert_eq!(g.heads(), ["m1"]);
    assert_eq!(g.get("m1").unwrap().down_revisions, ["b1", "c1"]);
    assert_eq!(migrate_build_check(dir), ["m1"]);
    let err = fails(dir, &["merge", "heads", "-m", "again"]);
    assert!(
        err.contains("a merge needs at least two revisions, got m1"),
        "{err}"
    );
}

#[test]
fn rebase_makes_history_linear_by_rewriting_one_header_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(dir, &["revision", "-m", "a", "--rev-id", "a1"]);
    ok(dir, &["revision", "-m", "b", "--rev-id", "b1"]);
    ok(
        dir,
        &["revision", "-m", "c", "--rev-id", "c1", "--head", "a1"],
    );
    ok(
        dir,
        &["revision", "-m", "d", "--rev-id", "d1", "--head", "c1"],
    );
    let before = graph(dir);
    let path = before.get("c1").unwrap().path.clone();
    let checksum = before.get("c1").unwrap().checksum;
    let original = std::fs::read_to_string(&path).unwrap();
    ok(dir, &["rebase", "d1", "--onto", "b1"]);
    let after = graph(dir);
    assert_eq!(after.heads(), ["d1"]);
    assert_eq!(history(dir), ["a1", "b1", "c1", "d1"]);
    let rewritten = std::fs::read_to_string(&path).unwrap();
    let changed: Vec<(&str, &str)> = original
        .lines()
        .zip(rewritten.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed, [("-- down_revision: a1", "-- down_revision: b1")]);
    assert_eq!(
        after.get("c1").unwrap().checksum,
        checksum,
        "a header edit is not drift"
    );
    assert_eq!(migrate_build_check(dir), ["d1"]);
    let err = fails(dir, &["rebase", "d1", "--onto", "c1"]);
    assert!(
        err.contains("c1 is part of the branch being moved"),
        "{err}"
    );
}

#[test]
fn squash_replaces_a_linear_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for (id, parent) in [("a1", "base"), ("b1", "a1"), ("c1", "b1"), ("d1", "c1")] {
        ok(
            dir,
            &["revision", "-m", id, "--rev-id", id, "--head", parent],
        );
    }
    // Give the members SQL, so the squash has something to concatenate.
    for id in ["a1", "b1", "c1"] {
        let g = graph(dir);
        let path = g.get(id).unwrap().path.clone();
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace(
                "-- migrate:up\n",
                &format!("-- migrate:up\nCREATE TABLE t_{id} (x INT);\n"),
            )
            .replace(
                "-- migrate:down\n",
                &format!("-- migrate:down\nDROP TABLE t_{id};\n"),
            );
        std::fs::write(&path, text).unwrap();
    }
    ok(
        dir,
        &["squash", "a1:c1", "-m", "squashed", "--rev-id", "s1"],
    );
    let g = graph(dir);
    assert_eq!(history(dir), ["s1", "d1"]);
    let s1 = g.get("s1").unwrap();
    assert_eq!(s1.replaces, ["a1", "b1", "c1"]);
    let up = &s1.sections[0].sql;
    assert!(
        up.find("t_a1").unwrap() < up.find("t_b1").unwrap()
            && up.find("t_b1").unwrap() < up.find("t_c1").unwrap(),
        "{up}"
    );
    let down = &s1.sections[1].sql;
    assert!(
        down.find("t_c1").unwrap() < down.find("t_a1").unwrap(),
        "{down}"
    );
    // A database that applied the originals counts as having applied the squash.
    let applied = g.applied_from_ledger(&["a1", "b1", "c1"]).unwrap();
    assert_eq!(applied.revisions, ["s1"]);
    assert_eq!(
        g.upgrade_plan(&applied.revisions, "heads").unwrap().ids(),
        ["d1"]
    );
    assert_eq!(migrate_build_check(dir), ["d1"]);
    let err = fails(dir, &["squash", "s1:s1", "-m", "x"]);
    assert!(
        err.contains("a squash needs at least two revisions"),
        "{err}"
    );
}

#[test]
fn rebase_refuses_to_move_revisions_a_database_has_applied() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    std::fs::create_dir(&dir).unwrap();
    ok(&dir, &["revision", "-m", "a", "--rev-id", "a1"]);
    ok(&dir, &["revision", "-m", "b", "--rev-id", "b1"]);
    ok(
        &dir,
        &["revision", "-m", "c", "--rev-id", "c1", "--head", "a1"],
    );
    // A real SQLite ledger that has applied the branch being moved.
    let url = format!("sqlite://{}", tmp.path().join("dev.db").display());
    ok(&dir, &["--url", &url, "upgrade", "heads"]);
    let before = std::fs::read_to_string(graph(&dir).get("c1").unwrap().path.clone()).unwrap();
    let err = fails(&dir, &["--url", &url, "rebase", "c1", "--onto", "b1"]);
    assert!(
        err.contains("refusing to rebase: the database has applied c1"),
        "{err}"
    );
    let after = std::fs::read_to_string(graph(&dir).get("c1").unwrap().path.clone()).unwrap();
    assert_eq!(before, after, "nothing was rewritten");
    // A database that has not applied it does not stand in the way.
    let fresh = format!("sqlite://{}", tmp.path().join("fresh.db").display());
    ok(&dir, &["--url", &fresh, "upgrade", "b1"]);
    ok(&dir, &["--url", &fresh, "rebase", "c1", "--onto", "b1"]);
    assert_eq!(graph(&dir).heads(), ["c1"]);
    // migrate-build accepts the result.
    let report = migrate_build_check(&dir);
    assert_eq!(report, ["c1"]);
}

/// The same validation `migrate-build` runs in build.rs, on the written files (an
/// absolute directory is used as it is).
fn migrate_build_check(dir: &Path) -> Vec<String> {
    let report = migrate_build::Migrations::new(dir.to_str().unwrap())
        .validate()
        .unwrap();
    report.heads
}

/// Autogenerated revisions carry a section per dialect: squashing them joins each
/// dialect's SQL; a member without a dialect the others have is refused.
#[test]
fn squash_joins_each_dialects_sections() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let write = |id: &str, parent: &str, body: &str| {
        std::fs::write(
            dir.join(format!("{id}.sql")),
            format!("-- revision: {id}\n-- down_revision: {parent}\n-- message: {id}\n\n{body}"),
        )
        .unwrap();
    };
    let both = |t: &str| {
        format!(
            "-- migrate:up sqlite\nCREATE TABLE {t} (id INTEGER);\n-- migrate:up postgres\nCREATE TABLE {t} (id BIGINT);\n\
             -- migrate:down sqlite\nDROP TABLE {t};\n-- migrate:down postgres\nDROP TABLE {t};\n"
        )
    };
    write("a1", "none", &both("ta"));
    // A plain member runs on both.
    write(
        "b1",
        "a1",
        "-- migrate:up\nCREATE INDEX ix_ta ON ta (id);\n-- migrate:down\nDROP INDEX ix_ta;\n",
    );
    write("c1", "b1", &both("tc"));
    ok(
        dir,
        &["squash", "a1:c1", "-m", "squashed", "--rev-id", "s1"],
    );
    let g = graph(dir);
    let s1 = g.get("s1").unwrap();
    let sql = |direction, dialect| -> String {
        s1.sections_for(direction, dialect)
            .unwrap()
            .iter()
            .map(|s| s.sql.clone())
            .collect()
    };
    use migrate::revision::Direction::{Down, Up};
    use migrate::Dialect::{Postgres, Sqlite};
    let up = sql(Up, Postgres);
    let order = ["ta (id BIGINT)", "ix_ta", "tc (id BIGINT)"].map(|t| up.find(t).unwrap());
    assert!(order[0] < order[1] && order[1] < order[2], "{up}");
    assert!(sql(Up, Sqlite).contains("tc (id INTEGER)"));
    let down = sql(Down, Sqlite);
    assert!(
        down.find("DROP TABLE tc").unwrap() < down.find("DROP INDEX ix_ta").unwrap(),
        "{down}"
    );

    // A member with sections for SQLite only cannot join PostgreSQL's.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("a1.sql"),
        format!("-- revision: a1\n-- down_revision: none\n\n{}", both("ta")),
    )
    .unwrap();
    std::fs::write(
        dir.join("b1.sql"),
        "-- revision: b1\n-- down_revision: a1\n\n-- migrate:up sqlite\nSELECT 1;\n",
    )
    .unwrap();
    let err = fails(dir, &["squash", "a1:b1", "-m", "x"]);
    assert!(
        err.contains("b1 has no `-- migrate:up postgres` section"),
        "{err}"
    );
}

/// Members that share a `depends_on` give the squash that entry once, and entries
/// naming a member (by id or label) are absorbed: the written file must load.
#[test]
fn squash_of_members_sharing_a_dependency_writes_a_valid_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let write = |id: &str, header: &str| {
        std::fs::write(
            dir.join(format!("{id}.sql")),
            format!(
                "-- revision: {id}\n{header}\n-- migrate:up\nCREATE TABLE t_{id} (x INT);\n\
                 -- migrate:down\nDROP TABLE t_{id};\n"
            ),
        )
        .unwrap();
    };
    write("l1", "-- down_revision: none\n-- branch_labels: lib");
    write("a1", "-- down_revision: none\n-- branch_labels: app");
    write("b1", "-- down_revision: a1\n-- depends_on: lib");
    write("c1", "-- down_revision: b1\n-- depends_on: lib, a1, app");
    write("d1", "-- down_revision: c1, l1");
    let out = ok(
        dir,
        &["squash", "a1:c1", "-m", "squashed", "--rev-id", "s1"],
    );
    let written = std::fs::read_to_string(out.trim()).unwrap();
    assert!(written.contains("-- depends_on: lib\n"), "{written}");
    let g = graph(dir);
    let s1 = g.get("s1").unwrap();
    assert_eq!(s1.depends_on, ["lib"]);
    assert_eq!(s1.branch_labels, ["app"]);
    assert_eq!(s1.replaces, ["a1", "b1", "c1"]);
    assert_eq!(
        g.upgrade_plan(&[] as &[&str], "heads").unwrap().ids(),
        ["l1", "s1", "d1"]
    );
    assert_eq!(migrate_build_check(dir), ["d1"]);
}
