//! The three readers of a migrations directory (the CLI, migrate-build's build
//! script and `embed_migrations!`, whose cases are in `tests/ui/embed/`) refuse
//! the same directories with the same messages: two squashes replacing one
//! revision, and a symbolic link loop.

mod common;

use std::os::unix::fs::symlink;
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
        "{d}/s2.sql:4: revision s2 replaces x9, which {d}/s1.sql:3 already replaces; \
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

#[test]
fn a_symlink_loop_is_an_error_naming_the_link() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    write(&dir, "a1.sql", "-- revision: a1\n-- down_revision: none");
    write(&dir, "sub/b2.sql", "-- revision: b2\n-- down_revision: a1");
    // A link to a directory outside the tree is followed, as before.
    write(
        &tmp.path().join("elsewhere"),
        "c3.sql",
        "-- revision: c3\n-- down_revision: b2",
    );
    symlink("../../elsewhere", dir.join("sub/shared")).unwrap();
    let (code, out, err) = heads(&dir);
    assert_eq!((code, out.as_str()), (0, "c3 (head)\n"), "{err}");
    assert_eq!(build_script(&dir), Ok(vec!["c3".to_string()]));

    // A link back to the directory itself.
    symlink("..", dir.join("sub/back")).unwrap();
    let d = dir.display();
    let expected = format!(
        "{d}/sub/back: symbolic link loop: it leads back to `{d}`, which contains it; \
         remove the link, or point it at a directory outside `{d}`"
    );
    let (code, out, err) = heads(&dir);
    assert_eq!((code, out.as_str()), (1, ""), "{err}");
    assert_eq!(err, format!("error: {expected}\n"));
    assert_eq!(build_script(&dir), Err(expected));
    std::fs::remove_file(dir.join("sub/back")).unwrap();

    // Two links that lead into each other: the loop is found where it closes.
    std::fs::create_dir(dir.join("left")).unwrap();
    std::fs::create_dir(dir.join("right")).unwrap();
    symlink("../right", dir.join("left/to_right")).unwrap();
    symlink("../left", dir.join("right/to_left")).unwrap();
    let (code, _, err) = heads(&dir);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("/to_left: symbolic link loop: it leads back to `")
            || err.contains("/to_right: symbolic link loop: it leads back to `"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let built = build_script(&dir).unwrap_err();
    assert!(
        built.contains(": symbolic link loop: it leads back to `"),
        "{built}"
    );
}
