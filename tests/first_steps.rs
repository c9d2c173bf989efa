//! What a new user runs in their first hour, through the real generic binary:
//! `.env` lookup, `history` ranges, offline scripts, `show`, and the files the tool
//! writes.

mod common;

use common::{run_migrate, write_revisions};

#[test]
fn dot_env_is_read_from_the_working_directory_only() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path();
    write_revisions(
        &project.join("migrations"),
        &[("r1", "none", "CREATE TABLE t (id INT);", "DROP TABLE t;")],
    );
    std::fs::write(project.join(".env"), "DATABASE_URL_DEV=sqlite://dev.db\n").unwrap();
    let src = project.join("src");
    std::fs::create_dir_all(&src).unwrap();
    let dir = project.join("migrations");
    let dir = dir.to_str().unwrap();

    // From a subdirectory, the parent's .env is not read.
    let (code, _, err) = run_migrate(&src, &["--dir", dir, "upgrade"]);
    assert_eq!(
        (code, err.trim()),
        (
            1,
            "error: DATABASE_URL_DEV is not set for ENVIRONMENT=development"
        )
    );
    assert!(!src.join("dev.db").exists() && !project.join("dev.db").exists());

    // From the project directory it is.
    let (code, _, err) = run_migrate(project, &["--dir", dir, "upgrade"]);
    assert_eq!(code, 0, "{err}");
    assert!(project.join("dev.db").exists());
}

/// A project with three linear revisions, the database at the second.
fn project_at_second_revision() -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    write_revisions(
        &tmp.path().join("migrations"),
        &[
            ("r1", "none", "CREATE TABLE a (id INT);", "DROP TABLE a;"),
            ("r2", "r1", "CREATE TABLE b (id INT);", "DROP TABLE b;"),
            ("r3", "r2", "CREATE TABLE c (id INT);", "DROP TABLE c;"),
        ],
    );
    let url = format!("sqlite://{}", tmp.path().join("app.db").display());
    let (code, _, err) = run_migrate(tmp.path(), &["--url", &url, "upgrade", "r2"]);
    assert_eq!(code, 0, "{err}");
    (tmp, url)
}

fn history_ids(out: &str) -> Vec<String> {
    out.lines()
        .map(|l| {
            let after = l.split(" -> ").nth(1).unwrap_or(l);
            after.split([' ', ',']).next().unwrap().to_string()
        })
        .collect()
}

#[test]
fn history_ranges_with_current_read_the_database() {
    let (tmp, url) = project_at_second_revision();
    let history = |range: &str| {
        let (code, out, err) = run_migrate(tmp.path(), &["--url", &url, "history", "-r", range]);
        assert_eq!(code, 0, "{range}: {err}");
        history_ids(&out)
    };
    assert_eq!(history("current:"), ["r3", "r2"]);
    assert_eq!(history(":current"), ["r2", "r1"]);
    assert_eq!(history("current:heads"), ["r3", "r2"]);
    assert_eq!(history("current:current"), ["r2"]);
    assert_eq!(history("base:heads"), ["r3", "r2", "r1"]);
    assert_eq!(history("base:"), ["r3", "r2", "r1"]);
    assert_eq!(history("r1:r2"), ["r2", "r1"]);
    // The current revision is marked, as with --indicate-current.
    let (_, out, _) = run_migrate(tmp.path(), &["--url", &url, "history", "-r", "current:"]);
    assert!(out.contains("r2 (current)"), "{out}");

    // At base, `current:` is everything and `:current` nothing.
    let empty = format!("sqlite://{}", tmp.path().join("empty.db").display());
    let (code, out, err) = run_migrate(tmp.path(), &["--url", &empty, "history", "-r", "current:"]);
    assert_eq!(
        (code, history_ids(&out)),
        (0, vec!["r3".into(), "r2".into(), "r1".into()]),
        "{err}"
    );
    let (code, out, _) = run_migrate(tmp.path(), &["--url", &empty, "history", "-r", ":current"]);
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn history_json_reports_is_current_only_when_it_knows() {
    let (tmp, url) = project_at_second_revision();
    let json = |args: &[&str]| -> Vec<serde_json::Value> {
        let mut all = vec!["--url", url.as_str(), "history", "--json"];
        all.extend_from_slice(args);
        let (code, out, err) = run_migrate(tmp.path(), &all);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<serde_json::Value>(&out)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    };
    // Without reading the database there is no answer: no field, never `false`.
    for args in [&[][..], &["-r", "base:heads"]] {
        for entry in json(args) {
            assert!(entry.get("is_current").is_none(), "{entry}");
        }
    }
    // Read: a boolean on every entry, true for the database's current revision.
    for args in [&["--indicate-current"][..], &["-r", "current:"]] {
        let entries = json(args);
        assert!(
            entries.iter().all(|e| e["is_current"].is_boolean()),
            "{entries:?}"
        );
        let current: Vec<_> = entries
            .iter()
            .filter(|e| e["is_current"] == serde_json::Value::Bool(true))
            .map(|e| e["revision"].as_str().unwrap())
            .collect();
        assert_eq!(current, ["r2"], "{args:?}");
    }
}

#[test]
fn an_upgrade_script_that_would_go_down_is_an_error() {
    let (tmp, _) = project_at_second_revision();
    let sql = |range: &str| {
        run_migrate(
            tmp.path(),
            &["upgrade", range, "--sql", "--dialect", "sqlite"],
        )
    };
    for range in ["heads:base", "r3:r1", "r2:base"] {
        let (code, out, err) = sql(range);
        assert_eq!(code, 1, "{range}: {out}");
        assert!(out.is_empty(), "{range}: {out}");
        assert!(
            err.contains(&format!("`{range}` goes down"))
                && err.contains(&format!("use `downgrade {range} --sql`")),
            "{err}"
        );
    }
    // Up, or nowhere, is fine.
    let (code, out, err) = sql("r1:heads");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("CREATE TABLE b") && out.contains("CREATE TABLE c"),
        "{out}"
    );
    let (code, _, err) = sql("r2:r2");
    assert_eq!(code, 0, "{err}");
}

#[test]
fn an_offline_script_without_a_url_asks_for_dialect() {
    let (tmp, _) = project_at_second_revision();
    let (code, out, err) = run_migrate(tmp.path(), &["upgrade", "--sql"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(
        err.trim(),
        "error: --sql needs to know which SQL to print: pass --dialect sqlite, --dialect postgres or --dialect mysql, or a URL (--url, DATABASE_URL, or DATABASE_URL_DEV, which is not set for ENVIRONMENT=development)"
    );
    let (code, out, err) = run_migrate(tmp.path(), &["upgrade", "--sql", "--dialect", "postgres"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("CREATE TABLE a (id INT);"), "{out}");
}

#[test]
fn show_prints_the_revision_in_full_sql_included() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("a1.sql"),
        "-- revision: a1\n-- down_revision: none\n-- message: enum\n\n\
         -- migrate:up postgres transaction:false\nALTER TYPE mood ADD VALUE 'ok';\n\n\
         -- migrate:up sqlite\nSELECT 1;\n\n-- migrate:down\n",
    )
    .unwrap();
    let (code, out, err) = run_migrate(tmp.path(), &["show", "a1"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Rev: a1 (head)\n"), "{out}");
    assert!(
        out.ends_with(
            "\n-- migrate:up postgres transaction:false\nALTER TYPE mood ADD VALUE 'ok';\n\n\
             -- migrate:up sqlite\nSELECT 1;\n\n-- migrate:down\n"
        ),
        "{out}"
    );
}

/// Runs the CLI in-process on embedded revisions: (exit code, stdout, stderr).
fn run_embedded(
    migrations: migrate::EmbeddedMigrations,
    args: &[&str],
) -> (std::process::ExitCode, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = migrate::cli::run_from(
        std::iter::once("migrate").chain(args.iter().copied()),
        migrate::cli::Source::Embedded(migrations),
        &mut out,
        &mut err,
    );
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn a_runner_warns_when_the_directory_differs_from_its_built_in_revisions() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    write_revisions(
        &dir,
        &[
            ("r1", "none", "CREATE TABLE a (id INT);", "DROP TABLE a;"),
            ("r2", "r1", "CREATE TABLE b (id INT);", "DROP TABLE b;"),
        ],
    );
    let built = common::embedded(&dir, "migrations");
    let (_, out, err) = run_embedded(built, &["heads"]);
    assert_eq!(
        (out.as_str(), err.as_str()),
        ("r2 (head)\n", ""),
        "same files: no warning"
    );

    // A new file, an edited one and a deleted one since the binary was built.
    write_revisions(
        &dir,
        &[("r3", "r2", "CREATE TABLE c (id INT);", "DROP TABLE c;")],
    );
    let r1 = dir.join("r1.sql");
    let text = std::fs::read_to_string(&r1).unwrap();
    std::fs::write(&r1, text.replace("(id INT)", "(id BIGINT)")).unwrap();
    std::fs::remove_file(dir.join("r2.sql")).unwrap();
    for command in [&["heads"][..], &["upgrade", "--sql", "--dialect", "sqlite"]] {
        let (_, _, err) = run_embedded(built, command);
        assert!(
            err.starts_with(
                "warning: the migrations directory differs from the revisions built into this binary \
                 (new on disk: migrations/r3.sql; gone from disk: migrations/r2.sql; edited on disk: migrations/r1.sql); "
            ) && err.contains("rebuild the runner"),
            "{command:?}: {err}"
        );
    }
    // `revision` reads the directory and warns too, so the two never disagree silently.
    write_revisions(
        &dir,
        &[("r2", "r1", "CREATE TABLE b (id INT);", "DROP TABLE b;")],
    );
    let (_, out, err) = run_embedded(built, &["revision", "-m", "next"]);
    assert!(
        err.starts_with("warning: the migrations directory differs"),
        "{err}"
    );
    assert!(out.contains("_next.sql"), "{out}");
    // --dir reads the directory: nothing to warn about.
    let (_, out, err) = run_embedded(built, &["--dir", dir.to_str().unwrap(), "heads"]);
    assert!(!err.contains("warning"), "{err}");
    assert!(out.contains("(head)"), "{out}");
    // A deployed binary without its sources has nothing to compare with.
    std::fs::remove_dir_all(&dir).unwrap();
    let (_, out, err) = run_embedded(built, &["heads"]);
    assert_eq!((out.as_str(), err.as_str()), ("r2 (head)\n", ""));
}

#[test]
fn every_file_the_tool_writes_ends_with_one_newline() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path();
    let written = |args: &[&str]| -> std::path::PathBuf {
        let (code, out, err) = run_migrate(project, args);
        assert_eq!(code, 0, "{args:?}: {err}");
        project.join(out.trim())
    };
    let first = written(&["init"]);
    let a = written(&["revision", "-m", "a"]);
    std::fs::write(
        &a,
        std::fs::read_to_string(&a)
            .unwrap()
            .replace(
                "-- migrate:up\n",
                "-- migrate:up\nCREATE TABLE a (id INT);\n",
            )
            .replace("-- migrate:down\n", "-- migrate:down\nDROP TABLE a;"),
    )
    .unwrap();
    let b = written(&["revision", "-m", "b"]);
    let first_id = &first.file_name().unwrap().to_str().unwrap()[..12];
    let c = written(&["revision", "-m", "c", "--head", first_id]);
    let merge = written(&["merge", "heads", "-m", "merge"]);
    let a_id = &a.file_name().unwrap().to_str().unwrap()[..12];
    let b_id = &b.file_name().unwrap().to_str().unwrap()[..12];
    let squash = written(&["squash", &format!("{a_id}:{b_id}"), "-m", "a and b"]);
    for path in [first, c, merge, squash] {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.ends_with('\n') && !text.ends_with("\n\n"),
            "{}: {text:?}",
            path.display()
        );
    }
}

#[test]
fn the_quick_start_says_how_to_get_the_cli_first() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let quick_start = readme.split("## Quick start").nth(1).unwrap();
    let first_block = quick_start.split("```").nth(1).unwrap();
    assert!(
        first_block.contains("cargo install migrate")
            && first_block.contains("cargo install --path"),
        "{first_block}"
    );
    let before_first_use = quick_start.split("migrate init").next().unwrap();
    assert!(
        before_first_use.contains("cargo install"),
        "install comes before the first command"
    );
    assert!(
        quick_start.contains("default-run"),
        "the runner makes a plain `cargo run` ambiguous"
    );
    // The example's two binaries: a plain `cargo run -p bookshelf` runs the service.
    let manifest = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/bookshelf/Cargo.toml"
    ))
    .unwrap();
    assert!(
        manifest.contains("default-run = \"bookshelf\""),
        "{manifest}"
    );
}

#[test]
fn every_command_line_option_is_in_the_readme() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let commands = [
        "",
        "init",
        "revision",
        "merge",
        "rebase",
        "squash",
        "upgrade",
        "downgrade",
        "stamp",
        "current",
        "heads",
        "branches",
        "history",
        "check",
        "show",
    ];
    let mut missing = Vec::new();
    for command in commands {
        let args: Vec<&str> = [command, "--help"]
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect();
        let (code, help, err) = run_migrate(tmp.path(), &args);
        assert_eq!(code, 0, "{err}");
        for word in help.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
            let is_option = word.starts_with("--") && word.len() > 2;
            if is_option && !["--help", "--version"].contains(&word) && !readme.contains(word) {
                missing.push(format!("{command} {word}"));
            }
        }
    }
    missing.dedup();
    assert!(
        missing.is_empty(),
        "options the README does not mention: {missing:?}"
    );
}

#[test]
fn help_introduces_the_tool_and_each_command_with_examples() {
    let tmp = tempfile::tempdir().unwrap();
    let help = |args: &[&str]| {
        let (code, out, err) = run_migrate(tmp.path(), args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(!out.contains("DESIGN"), "{args:?} cites a file:\n{out}");
        out
    };

    // The first screen says what the tool is and what to type first, not the
    // engine crate's description.
    let top = help(&["--help"]);
    assert!(
        top.starts_with(
            "Schema migrations: keeps a database in step with a directory of SQL revision files"
        ),
        "{top}"
    );
    assert!(!top.contains("The engine behind"), "{top}");
    for common in [
        "Common commands:",
        "migrate init ",
        "migrate revision -m \"create users\"",
        "migrate upgrade ",
        "migrate downgrade -1",
        "See 'migrate <command> --help'",
    ] {
        assert!(top.contains(common), "missing {common:?} in:\n{top}");
    }
    let short = help(&["-h"]);
    assert!(short.contains("Common commands:"), "{short}");

    // Every command says what it does and shows how it is typed.
    let commands = [
        ("init", "Create a migrations directory"),
        ("revision", "Write a new revision file"),
        ("merge", "Write a merge revision"),
        ("rebase", "Move a branch onto another revision"),
        ("squash", "Replace a linear run of revisions"),
        ("upgrade", "Upgrade the database to TARGET"),
        ("downgrade", "Downgrade the database to TARGET"),
        ("stamp", "Record TARGET in the ledger"),
        ("current", "Show the revisions the database is at"),
        ("heads", "Show the heads of the revision graph"),
        ("branches", "Show the branch points"),
        ("history", "List revisions, newest first"),
        ("check", "Compare the models with the database"),
        ("show", "Show one revision in full"),
    ];
    for (command, about) in commands {
        let text = help(&[command, "--help"]);
        assert!(text.starts_with(about), "{command}:\n{text}");
        assert!(
            text.contains("Example"),
            "{command} has no example:\n{text}"
        );
        assert!(
            text.contains(&format!("migrate {command}"))
                || text.contains(&format!("migrate -- {command}")),
            "{command}'s examples do not show the command:\n{text}"
        );
    }
    let upgrade = help(&["upgrade", "--help"]);
    assert!(upgrade.contains("migrate upgrade +1"), "{upgrade}");
}
