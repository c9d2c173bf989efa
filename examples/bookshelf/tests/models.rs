//! Models that live in a library crate register in any binary that links it.
//!
//! The rule: the linker leaves out a dependency that nothing in the binary
//! references (inventory#7, #50), and with it the crate's models. Any use of the
//! crate links it; a binary that needs only the models (a runner, a test) writes
//! the one-line remedy below.

use bookshelf_models as _;

#[test]
fn models_from_the_library_crate_are_in_metadata() {
    let schema = migrate::metadata().unwrap();
    let names: Vec<&str> = schema.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["authors", "books"]);
    let books = schema.table("books").unwrap();
    assert_eq!(books.foreign_keys[0].ref_table, "authors");
    assert_eq!(
        books.column("published").unwrap().comment.as_deref(),
        Some("Year of first publication.")
    );
}
