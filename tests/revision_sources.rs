//! The three readers of a migrations directory (the CLI, migrate-build's build
//! script and `embed_migrations!`, whose cases are in `tests/ui/embed/`) refuse
//! the same directories with the same messages: two squashes replacing one
//! revision.

mod common;

use std::path::Path;

use common::run_migrate;

fn write(dir: &Path, name: &str, header: &str) {
    std::fs::create_dir_all(dir.join(name).parent().unwrap()).unwrap();
    std::fs::write(
        dir.join(name),
        format!("{header}\n-- migrate:up\nSELECT 1;\n"),
    )
    .unwrap();
}

/// `migrate heads` through the real binary: (exit code, stdout, stderr).
fn heads(dir: &Path) -> (i32, String, String) {
    run_migrate(dir, &["--dir", dir.to_str().unwrap(), "heads"])
}

/// migrate-build's validation, as build.rs runs it.
fn build_script(dir: &Path) -> Result<Vec<String>, String> {
    migrate_build::Migrations::new(dir.to_str().unwrap())
        .validate()
        .map(|report| report.heads)
        .map_err(|e| e.to_string())
}

#[test]
fn two_revisions_replacing_one_id_are_refused_naming_both_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "a1.sql", "-- revision: a1\n-- down_revision: none");
    write(
        dir,
        "s1.sql",
        "-- revision: s1\n-- down_revision: a1\n-- replaces: x8, x9",
    );
    write(
        dir,
        "s2.sql",
        "-- revision: s2\n-- down_revision: s1\n-- message: again\n-- replaces: x9",
    );
    let d = dir.display();
    let expected = format!(
        "{d}/s2.sql:4: revision s2 replaces x9, which revision s1 already replaces ({d}/s1.sql:3); \
         a revision can be replaced by only one squash: remove x9 from one of the two `replaces` lines"
    );
    let (code, out, err) = heads(dir);
    assert_eq!((code, out.as_str()), (1, ""), "{err}");
    assert_eq!(err, format!("error: {expected}\n"));
    assert_eq!(build_script(dir), Err(expected));

    // One claimant left: accepted.
    write(dir, "s2.sql", "-- revision: s2\n-- down_revision: s1");
    let (code, out, err) = heads(dir);
    assert_eq!((code, out.as_str()), (0, "s2 (head)\n"), "{err}");
    assert_eq!(build_script(dir), Ok(vec!["s2".to_string()]));
}

