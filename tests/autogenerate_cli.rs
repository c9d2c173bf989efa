//! `revision --autogenerate` and `check` end to end, through the CLI as a runner
//! binary drives it, with the `#[model]`s below linked in, on a SQLite file and on
//! PostgreSQL.

mod common;

use std::path::Path;

use migrate::cli::{run_from, Source};
use migrate::model;

/// Writers.
#[model(table = "authors")]
pub struct Author {
    #[column(primary_key)]
    pub id: i64,
    #[column(max_length = 200)]
    pub name: String,
    pub mood: Mood,
}

#[model]
pub enum Mood {
    Calm,
    Busy,
}

#[model(table = "books")]
pub struct Book {
    #[column(primary_key)]
    pub id: i64,
    #[column(references = "authors.id", on_delete = "cascade", index)]
    pub author_id: i64,
    pub title: String,
    #[column(default = "0")]
    pub pages: i32,
}

#[model(table = "people")]
pub struct Person {
    #[column(primary_key)]
    pub id: i64,
    pub full_name: String,
}

fn cli(dir: &Path, url: &str, args: &[&str]) -> (u8, String, String) {
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
    let code = if format!("{code:?}") == format!("{:?}", std::process::ExitCode::SUCCESS) {
        0
    } else {
        1
    };
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

fn scenario(url: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    // A first revision by hand: `people` with a column the model calls `full_name`.
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("000000000001_people.sql"),
        "-- revision: 000000000001\n-- down_revision: none\n-- message: people\n\n\
         -- migrate:up\nCREATE TABLE people (id BIGINT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (id));\n\n\
         -- migrate:down\nDROP TABLE people;\n",
    )
    .unwrap();

    // Not at head yet: both commands refuse, as Alembic does.
    let (code, _, err) = cli(&dir, url, &["check"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("Target database is not up to date (current: none; heads: 000000000001)"),
        "{err}"
    );
    let (code, _, err) = cli(&dir, url, &["revision", "--autogenerate", "-m", "models"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("Target database is not up to date"), "{err}");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "nothing written"
    );

    let (code, _, err) = cli(&dir, url, &["upgrade"]);
    assert_eq!(code, 0, "{err}");

    // check: exit 1, every difference listed, in text and JSON.
    let (code, out, _) = cli(&dir, url, &["check"]);
    assert_eq!(code, 1, "{out}");
    for expected in [
        "create table authors",
        "create table books",
        "add column people.full_name",
        "drop column people.name",
        "people.name is dropped and people.full_name added with the same type",
    ] {
        assert!(out.contains(expected), "missing `{expected}` in:\n{out}");
    }
    let (code, out, _) = cli(&dir, url, &["check", "--json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let kinds: Vec<&str> = json["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"create_table") && kinds.contains(&"drop_column"),
        "{kinds:?}"
    );
    // Filters: only `people`.
    let (_, out, _) = cli(&dir, url, &["check", "--json", "--include-table", "peo*"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let differences = json["differences"].as_array().unwrap();
    assert!(differences.iter().any(|d| d["table"] == "people"), "{out}");
    assert!(
        differences.iter().all(|d| d["table"] == "people"),
        "only people, not the enum type people does not use: {out}"
    );
    let (code, _, _) = cli(
        &dir,
        url,
        &[
            "check",
            "--exclude-table",
            "authors",
            "--exclude-table",
            "books",
            "--exclude-table",
            "people",
        ],
    );
    assert_eq!(
        code, 0,
        "every table left out, and with them the enum type they use"
    );

    // revision --autogenerate writes the next revision, rename hint included.
    let (code, out, err) = cli(
        &dir,
        url,
        &["revision", "--autogenerate", "-m", "Add models"],
    );
    assert_eq!(code, 0, "{err}");
    let path = out.trim();
    assert!(path.ends_with("_add_models.sql"), "{path}");
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains("-- down_revision: 000000000001"), "{text}");
    assert!(text.contains("RENAME COLUMN name TO full_name"), "{text}");
    assert!(text.contains("CREATE TABLE authors"), "{text}");
    assert!(err.contains("Detected create table books"), "{err}");
    migrate_build::Migrations::new(dir.display().to_string())
        .validate()
        .unwrap();

    // Applied, the models and the database match; downgraded, they differ again.
    let (code, _, err) = cli(&dir, url, &["upgrade"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = cli(&dir, url, &["check"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out.trim(),
        "No differences: the database matches the models."
    );
    let (code, _, err) = cli(&dir, url, &["downgrade", "-1"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = cli(&dir, url, &["check"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("not up to date (current: 000000000001;"),
        "{err}"
    );
    // The generated downgrade restored the hand-written schema exactly.
    let (code, _, err) = cli(&dir, url, &["stamp", "heads"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = cli(&dir, url, &["check"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("create table authors") && out.contains("drop column people.name"),
        "{out}"
    );
}

#[test]
fn autogenerate_and_check_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", tmp.path().join("app.db").display());
    scenario(&url);
}

#[test]
fn autogenerate_and_check_on_postgres() {
    let Some(db) = common::postgres_db("autogen_cli") else {
        return;
    };
    scenario(&db.url);
}

#[test]
fn generic_binary_without_models_refuses() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("migrations")).unwrap();
    let (code, _, err) = common::run_migrate(tmp.path(), &["--url", "sqlite::memory:", "check"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("no #[model] is linked into this binary"),
        "{err}"
    );
}

/// A new enum value on PostgreSQL: the generated revision is `transaction:false`
/// (`ALTER TYPE ... ADD VALUE` cannot be used in the transaction that adds it), the
/// runner applies it statement by statement, and its downgrade recreates the type.
#[test]
fn enum_value_added_on_postgres_runs_outside_a_transaction() {
    let Some(db) = common::postgres_db("autogen_enum_value") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("000000000001_schema.sql"),
        "-- revision: 000000000001\n-- down_revision: none\n\n-- migrate:up\n\
         CREATE TYPE mood AS ENUM ('calm');\n\
         CREATE TABLE authors (id BIGINT PRIMARY KEY, name VARCHAR(200) NOT NULL, mood mood NOT NULL);\n\
         CREATE TABLE books (id BIGINT PRIMARY KEY, author_id BIGINT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,\n\
             title TEXT NOT NULL, pages INTEGER NOT NULL DEFAULT 0);\n\
         CREATE INDEX ix_books_author_id ON books (author_id);\n\
         CREATE TABLE people (id BIGINT PRIMARY KEY, full_name TEXT NOT NULL);\n\
         COMMENT ON TABLE authors IS 'Writers.';\n\
         INSERT INTO authors VALUES (1, 'Ann', 'calm');\n\n\
         -- migrate:down\nDROP TABLE people;\nDROP TABLE books;\nDROP TABLE authors;\nDROP TYPE mood;\n",
    )
    .unwrap();
    let url = db.url.as_str();
    assert_eq!(cli(&dir, url, &["upgrade"]).0, 0);
    let (code, out, _) = cli(&dir, url, &["check"]);
    assert_eq!(code, 1);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "1 difference(s) between the models and the database:",
            "  - change enum type mood from (calm) to (calm, busy)"
        ]
    );
    let (code, out, err) = cli(&dir, url, &["revision", "--autogenerate", "-m", "busy"]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(out.trim()).unwrap();
    assert!(
        text.contains(
            "-- migrate:up postgres transaction:false\nALTER TYPE mood ADD VALUE IF NOT EXISTS 'busy';"
        ),
        "{text}"
    );
    // Recreating the type runs in a transaction; SQLite rebuilds in one too.
    for marker in [
        "-- migrate:down postgres\nALTER TYPE mood RENAME TO mood__old;",
        "-- migrate:up sqlite\n",
        "-- migrate:down sqlite\n",
    ] {
        assert!(text.contains(marker), "{marker} in:\n{text}");
    }
    // A later revision, so the enum's downgrade does not open the run.
    let busy = text
        .lines()
        .find_map(|l| l.strip_prefix("-- revision: "))
        .unwrap();
    std::fs::write(
        dir.join("000000000003_later.sql"),
        format!(
            "-- revision: 000000000003\n-- down_revision: {busy}\n\n\
             -- migrate:up\nCREATE TABLE later (id INT);\n\n-- migrate:down\nDROP TABLE later;\n"
        ),
    )
    .unwrap();
    let (code, _, err) = cli(&dir, url, &["upgrade"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = cli(&dir, url, &["check", "--exclude-table", "later"]);
    assert_eq!(code, 0, "{out}{err}");
    // The new value is usable.
    let mut client = db.connect();
    client
        .batch_execute("INSERT INTO authors VALUES (2, 'Bo', 'busy')")
        .unwrap();
    // A downgrade that fails midway (a row still holds the value) rolls back whole:
    // no `mood__old` is left behind, the type keeps its values, and `later` stays.
    let (code, _, err) = cli(&dir, url, &["downgrade", "000000000001"]);
    assert_eq!(code, 1);
    assert!(err.contains("invalid input value for enum mood"), "{err}");
    let strings = |client: &mut postgres::Client, sql: &str| -> Vec<String> {
        let rows = client.query(sql, &[]).unwrap();
        rows.iter().map(|r| r.get(0)).collect()
    };
    assert_eq!(
        strings(
            &mut client,
            "SELECT typname::text FROM pg_type WHERE typname LIKE 'mood%' ORDER BY 1"
        ),
        ["mood"]
    );
    assert_eq!(
        strings(&mut client, "SELECT unnest(enum_range(NULL::mood))::text"),
        ["calm", "busy"]
    );
    assert_eq!(
        strings(&mut client, "SELECT to_regclass('later')::text"),
        ["later"]
    );
    client
        .batch_execute("DELETE FROM authors WHERE id = 2")
        .unwrap();
    // The downgrade (recreating the type) keeps the rows.
    let (code, _, err) = cli(&dir, url, &["downgrade", "000000000001"]);
    assert_eq!(code, 0, "{err}");
    let labels: Vec<String> = client
        .query("SELECT unnest(enum_range(NULL::mood))::text", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(labels, ["calm"]);
    let mood: String = client
        .query_one("SELECT mood::text FROM authors WHERE id = 1", &[])
        .unwrap()
        .get(0);
    assert_eq!(mood, "calm");
}

/// `--dialect` narrows the sections autogenerate writes; the connected
/// database's dialect must be among them.
#[test]
fn dialect_flag_chooses_the_sections() {
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", tmp.path().join("app.db").display());
    let dir = tmp.path().join("migrations");
    std::fs::create_dir_all(&dir).unwrap();
    assert_eq!(cli(&dir, &url, &["upgrade"]).0, 0);

    let (code, _, err) = cli(
        &dir,
        &url,
        &[
            "revision",
            "--autogenerate",
            "-m",
            "x",
            "--dialect",
            "postgres",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("the database is sqlite, which is not among the dialects to write (postgres)"),
        "{err}"
    );
    let (code, _, err) = cli(
        &dir,
        &url,
        &[
            "revision",
            "--autogenerate",
            "-m",
            "x",
            "--dialect",
            "oracle",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("`oracle` is not a dialect; use sqlite, postgres or mysql"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing written"
    );

    let (code, out, err) = cli(
        &dir,
        &url,
        &[
            "revision",
            "--autogenerate",
            "-m",
            "models",
            "--dialect",
            "sqlite",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(out.trim()).unwrap();
    assert!(
        text.contains("-- migrate:up sqlite\nCREATE TABLE authors"),
        "{text}"
    );
    assert!(!text.contains("postgres"), "{text}");
}

/// Objects autogenerate does not manage: `check --unmanaged` lists them, and a
/// revision that would drop a table a view is built on is refused when it is
/// generated, naming the view, rather than written to fail at upgrade.
#[test]
fn unmanaged_objects_are_listed_and_never_break_a_revision() {
    let Some(db) = common::postgres_db("autogen_unmanaged") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("000000000001_schema.sql"),
        "-- revision: 000000000001\n-- down_revision: none\n\n-- migrate:up\n\
         CREATE TYPE mood AS ENUM ('calm', 'busy');\n\
         CREATE TABLE authors (id BIGINT PRIMARY KEY, name VARCHAR(200) NOT NULL, mood mood NOT NULL);\n\
         COMMENT ON TABLE authors IS 'Writers.';\n\
         CREATE TABLE books (id BIGINT PRIMARY KEY, author_id BIGINT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,\n\
             title TEXT NOT NULL, pages INTEGER NOT NULL DEFAULT 0);\n\
         CREATE INDEX ix_books_author_id ON books (author_id);\n\
         CREATE TABLE people (id BIGINT PRIMARY KEY, full_name TEXT NOT NULL);\n\
         CREATE TABLE legacy (id BIGINT PRIMARY KEY);\n\
         CREATE VIEW legacy_ids AS SELECT id FROM legacy;\n\
         CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n\
         CREATE TRIGGER books_touch BEFORE UPDATE ON books FOR EACH ROW EXECUTE FUNCTION touch();\n\n\
         -- migrate:down\nDROP VIEW legacy_ids;\nDROP TABLE legacy;\nDROP TABLE people;\nDROP TABLE books;\n\
         DROP TABLE authors;\nDROP TYPE mood;\nDROP FUNCTION touch();\n",
    )
    .unwrap();
    let url = db.url.as_str();
    assert_eq!(cli(&dir, url, &["upgrade"]).0, 0);
    let (code, out, _) = cli(&dir, url, &["check", "--unmanaged"]);
    assert_eq!(code, 1);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "1 difference(s) between the models and the database:",
            "  - drop table legacy",
            "3 object(s) that migrate leaves alone (never compared, dropped or recreated):",
            "  - function public.touch()",
            "  - trigger books_touch on books",
            "  - view public.legacy_ids",
        ]
    );
    let (_, out, _) = cli(&dir, url, &["check", "--json", "--unmanaged"]);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["unmanaged"][2]["kind"], "view");
    assert_eq!(report["unmanaged"][2]["name"], "public.legacy_ids");

    let (code, _, err) = cli(
        &dir,
        url,
        &["revision", "--autogenerate", "-m", "drop legacy"],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("dropping legacy: the database would refuse it, as objects `migrate` does not manage depend on them: view public.legacy_ids (on legacy)"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "no revision written"
    );
}

/// The schema of the models on PostgreSQL, without `ix_books_author_id` and,
/// unless `with_people`, without `people`; with a row, as a live table has.
fn models_but_the_index(with_people: bool) -> String {
    let people = if with_people {
        "CREATE TABLE people (id BIGINT PRIMARY KEY, full_name TEXT NOT NULL);\n"
    } else {
        ""
    };
    format!(
        "-- revision: 000000000001\n-- down_revision: none\n\n-- migrate:up\n\
         CREATE TYPE mood AS ENUM ('calm', 'busy');\n\
         CREATE TABLE authors (id BIGINT PRIMARY KEY, name VARCHAR(200) NOT NULL, mood mood NOT NULL);\n\
         CREATE TABLE books (id BIGINT PRIMARY KEY, author_id BIGINT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,\n\
             title TEXT NOT NULL, pages INTEGER NOT NULL DEFAULT 0);\n\
         {people}COMMENT ON TABLE authors IS 'Writers.';\n\
         INSERT INTO authors VALUES (1, 'Ann', 'calm');\n\
         INSERT INTO books VALUES (1, 1, 'Notes', 10);\n\n\
         -- migrate:down\nDROP TABLE IF EXISTS people;\nDROP TABLE books;\nDROP TABLE authors;\nDROP TYPE mood;\n"
    )
}

fn pg_strings(client: &mut postgres::Client, sql: &str) -> Vec<String> {
    let rows = client.query(sql, &[]).unwrap();
    rows.iter().map(|r| r.get(0)).collect()
}

const INDEX_STATE: &str = "SELECT c.relname::text || ' valid=' || i.indisvalid::text \
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'ix_books_author_id'";

/// An index on an existing PostgreSQL table is built with `CREATE INDEX
/// CONCURRENTLY` in a `transaction:false` section (a plain build would stop
/// writes to the table while it runs); on its own, it fills the revision.
/// `lint` finds nothing to say about it.
#[test]
fn an_index_on_an_existing_table_is_built_concurrently() {
    let Some(db) = common::postgres_db("autogen_concurrently") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("000000000001_schema.sql"),
        models_but_the_index(true),
    )
    .unwrap();
    let url = db.url.as_str();
    assert_eq!(cli(&dir, url, &["upgrade"]).0, 0);
    let (code, out, err) = cli(
        &dir,
        url,
        &[
            "revision",
            "--autogenerate",
            "-m",
            "index",
            "--dialect",
            "sqlite,postgres",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1, "one revision: {out}");
    let text = std::fs::read_to_string(out.trim()).unwrap();
    for section in [
        "-- migrate:up postgres transaction:false\n\
         CREATE INDEX CONCURRENTLY ix_books_author_id ON books (author_id);\n",
        "-- migrate:down postgres transaction:false\n\
         DROP INDEX CONCURRENTLY ix_books_author_id;\n",
        "-- migrate:up sqlite\nCREATE INDEX ix_books_author_id ON books (author_id);\n",
        "-- migrate:down sqlite\nDROP INDEX ix_books_author_id;\n",
    ] {
        assert!(text.contains(section), "{section} in:\n{text}");
    }
    let (code, out, err) = cli(&dir, url, &["lint", "--dialect", "postgres"]);
    assert_eq!(code, 0, "lint: {out}{err}");
    let (code, _, err) = cli(&dir, url, &["upgrade"]);
    assert_eq!(code, 0, "{err}");
    let mut client = db.connect();
    assert_eq!(
        pg_strings(&mut client, INDEX_STATE),
        ["ix_books_author_id valid=true"]
    );
    let (code, out, err) = cli(&dir, url, &["check"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, err) = cli(&dir, url, &["downgrade", "-1"]);
    assert_eq!(code, 0, "{err}");
    assert!(pg_strings(&mut client, INDEX_STATE).is_empty());
}

/// With other changes, the concurrent build goes into a `transaction:false`
/// revision of its own right after them, so they keep their transaction.
#[test]
fn with_other_changes_the_concurrent_index_gets_a_revision_of_its_own() {
    let Some(db) = common::postgres_db("autogen_concurrently_split") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("000000000001_schema.sql"),
        models_but_the_index(false),
    )
    .unwrap();
    let url = db.url.as_str();
    assert_eq!(cli(&dir, url, &["upgrade"]).0, 0);
    let (code, out, err) = cli(
        &dir,
        url,
        &[
            "revision",
            "--autogenerate",
            "-m",
            "people",
            "--dialect",
            "sqlite,postgres",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let paths: Vec<&str> = out.lines().collect();
    assert_eq!(paths.len(), 2, "{out}");
    let main = std::fs::read_to_string(paths[0]).unwrap();
    let index = std::fs::read_to_string(paths[1]).unwrap();
    let id = |text: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix("-- revision: "))
            .unwrap()
            .to_string()
    };
    assert!(
        index.contains(&format!("-- down_revision: {}\n", id(&main))),
        "{index}"
    );
    assert!(index.contains("-- message: people (indexes built concurrently)\n"));
    // The table in a transaction; on PostgreSQL without the index.
    assert!(
        main.contains("-- migrate:up postgres\nCREATE TABLE people ("),
        "{main}"
    );
    let main_pg_up = main
        .split("-- migrate:up postgres\n")
        .nth(1)
        .and_then(|rest| rest.split("-- migrate:").next())
        .unwrap();
    assert!(!main_pg_up.contains("ix_books_author_id"), "{main}");
    assert!(
        index.contains(
            "-- migrate:up postgres transaction:false\n\
             CREATE INDEX CONCURRENTLY ix_books_author_id ON books (author_id);\n"
        ),
        "{index}"
    );
    assert!(index.contains(
        "-- migrate:down postgres transaction:false\nDROP INDEX CONCURRENTLY ix_books_author_id;\n"
    ));
    // SQLite builds the index with the rest, in the first revision.
    assert!(main.contains("CREATE INDEX ix_books_author_id ON books (author_id);"));
    let (code, out, err) = cli(&dir, url, &["lint", "--dialect", "postgres"]);
    assert_eq!(code, 0, "lint: {out}{err}");
    let (code, _, err) = cli(&dir, url, &["upgrade"]);
    assert_eq!(code, 0, "{err}");
    let mut client = db.connect();
    assert_eq!(
        pg_strings(&mut client, INDEX_STATE),
        ["ix_books_author_id valid=true"]
    );
    let (code, out, err) = cli(&dir, url, &["check"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, err) = cli(&dir, url, &["downgrade", "000000000001"]);
    assert_eq!(code, 0, "{err}");
    assert!(pg_strings(&mut client, INDEX_STATE).is_empty());
    assert_eq!(
        pg_strings(
            &mut client,
            "SELECT coalesce(to_regclass('people')::text, 'gone')"
        ),
        ["gone"]
    );
}
