//! The realistic PostgreSQL round trip through the runner a project ships:
//! `revision --autogenerate` writes "drop everything" into revision files, `upgrade`
//! applies them, `downgrade base` reverts them, and PostgreSQL's own account of the
//! schema (`catalog::snapshot`: columns, sequences, `pg_get_constraintdef`,
//! `pg_get_indexdef`, enum labels, comments) is the same before and after.
//!
//! Its own test binary: the runner compares the database with the `#[model]`s
//! linked in, and "drop everything" needs a binary whose only model is one the
//! filter leaves out (the tests in `autogenerate/` link the realistic models).

#[path = "common/mod.rs"]
mod common;

#[path = "autogenerate/catalog.rs"]
mod catalog;

use std::path::Path;

use migrate::cli::{run_from, Source};
use migrate::model;

use catalog::{assert_same, snapshot};

/// The schema, as a real project's migrations would leave it.
const REALISTIC: &str = include_str!("autogenerate/realistic.sql");

/// The runner's one model: a table the filter below leaves out, as a runner
/// whose models are not written yet would have, so the comparison is with nothing.
#[model(table = "audit_placeholder")]
pub struct AuditPlaceholder {
    #[column(primary_key)]
    pub id: i64,
}

/// What autogenerate compares: `public` and `billing`, without the audit tables.
const FILTER: [&str; 4] = ["--exclude-table", "audit_*", "--schema", "billing"];

fn cli(dir: &Path, url: &str, args: &[&str]) -> (bool, String, String) {
    let mut argv = vec!["migrate", "--url", url];
    argv.extend_from_slice(args);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_from(
        argv,
        Source::Directory(dir.to_path_buf()),
        &mut out,
        &mut err,
    );
    // ExitCode has no accessor; compare through its Debug form.
    let ok = format!("{code:?}") == format!("{:?}", std::process::ExitCode::SUCCESS);
    (
        ok,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

/// Runs `args` (plus `extra`) and panics with the output when it fails.
fn ok(dir: &Path, url: &str, args: &[&str], extra: &[&str]) -> String {
    let all: Vec<&str> = args.iter().chain(extra).copied().collect();
    let (ok, out, err) = cli(dir, url, &all);
    assert!(ok, "`{}` fails:\n{out}\n{err}", all.join(" "));
    out
}

/// Every revision file's text, by file name.
fn revisions(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn postgres_realistic_schema_drop_all_upgrade_and_downgrade_base_is_identical() {
    let Some(test_db) = common::postgres_db("autogen_realistic_cli") else {
        return;
    };
    let url = test_db.url.as_str();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    std::fs::create_dir_all(&dir).unwrap();
    let mut client = test_db.connect();
    client.batch_execute(REALISTIC).unwrap();
    // The ledger exists before the snapshot, so both sides have it.
    ok(&dir, url, &["upgrade"], &[]);
    let schemas = ["public", "billing"];
    let before = snapshot(&mut client, &schemas);

    let printed = ok(
        &dir,
        url,
        &["revision", "--autogenerate", "-m", "drop all"],
        &FILTER,
    );
    let files = revisions(&dir);
    assert_eq!(
        printed.lines().count(),
        files.len(),
        "every revision written is printed: {printed}"
    );
    let all_sql: String = files.iter().map(|(_, text)| text.as_str()).collect();
    assert!(all_sql.contains("DROP TABLE"), "{all_sql}");
    // Index builds on a table that already exists run concurrently, outside a
    // transaction, in a revision of their own after the one that needs a transaction.
    for (name, text) in &files {
        let concurrent = text
            .lines()
            .any(|l| !l.starts_with("--") && l.contains(" CONCURRENTLY "));
        if concurrent {
            assert!(text.contains("transaction:false"), "{name}:\n{text}");
        }
    }
    migrate_build::Migrations::new(dir.display().to_string())
        .validate()
        .unwrap();

    ok(&dir, url, &["upgrade"], &[]);
    let left: Vec<String> = client
        .query(
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind IN ('r', 'S') AND n.nspname IN ('public', 'billing') ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        left,
        [
            "audit_log",
            "audit_log_id_seq",
            "migrate_version",
            "migrate_version_id_seq"
        ],
        "only what is left alone stays"
    );
    assert_eq!(
        client
            .query_one("SELECT count(*) FROM pg_type WHERE typtype = 'e'", &[])
            .unwrap()
            .get::<_, i64>(0),
        0,
        "enum types no table uses are dropped"
    );
    // At the head, the database matches the (filtered out) model: nothing left to do.
    let out = ok(&dir, url, &["check"], &FILTER);
    assert_eq!(
        out.trim(),
        "No differences: the database matches the models."
    );

    ok(&dir, url, &["downgrade", "base"], &[]);
    assert_same(&before, &snapshot(&mut client, &schemas));
    let (_, current, _) = cli(&dir, url, &["current"]);
    assert!(current.trim().is_empty(), "back at base: {current}");
}
