//! What `embed_migrations!` compiles in is exactly what the runtime loads from the
//! same directory: one parser, one result.

use std::path::Path;

use migrate::revision::load_dir;
use migrate::EmbeddedMigrations;
use migrate::RevisionGraph;

static EMBEDDED: EmbeddedMigrations = migrate::embed_migrations!("tests/fixtures/valid");

#[test]
fn the_macro_embeds_what_the_runtime_loads() {
    // The runtime reads relative to the working directory, which for tests is the
    // crate root, the same base the macro resolves against.
    let from_disk = load_dir(Path::new("tests/fixtures/valid")).unwrap();
    let embedded = EMBEDDED.revisions().unwrap();
    assert_eq!(embedded.len(), 4);
    assert_eq!(embedded, from_disk);
    let paths: Vec<&str> = embedded.iter().map(|r| r.path.as_str()).collect();
    assert!(
        paths.contains(&"tests/fixtures/valid/sub/b2c3d4e5f6a1_create_books.sql"),
        "{paths:?}"
    );
    let a = RevisionGraph::new(embedded).unwrap();
    let b = RevisionGraph::new(from_disk).unwrap();
    assert_eq!(a.heads(), ["d4e5f6a1b2c3"]);
    assert_eq!(a.heads(), b.heads());
    assert_eq!(
        a.upgrade_plan(&[] as &[&str], "heads").unwrap().ids(),
        b.upgrade_plan(&[] as &[&str], "heads").unwrap().ids()
    );
}

#[test]
fn the_embedded_value_knows_its_source_directory() {
    assert!(Path::new(EMBEDDED.source_dir).is_absolute());
    assert!(EMBEDDED.source_dir.ends_with("tests/fixtures/valid"));
    // Usable as an expression too, not only in a static.
    let again = migrate::embed_migrations!("tests/fixtures/valid");
    assert_eq!(again.files.len(), EMBEDDED.files.len());
}

#[test]
fn crlf_files_are_normalised() {
    let revisions = EMBEDDED.revisions().unwrap();
    let authors = revisions.iter().find(|r| r.id == "a1b2c3d4e5f6").unwrap();
    assert!(!authors.sections[0].sql.contains('\r'));
    let lf = migrate::revision::parse("x.sql", &EMBEDDED.files[0].contents.replace("\r\n", "\n"))
        .unwrap();
    assert_eq!(authors.checksum, lf.checksum);
}
