//! bookshelf's schema as `#[model]`s, kept in a library crate so that both the
//! service and its tools link them. Every model here registers itself with
//! `migrate::metadata()` in any binary that links this crate.

use migrate::model;

/// People who write books.
#[model(table = "authors")]
pub struct Author {
    #[column(primary_key)]
    pub id: i64,
    #[column(unique)]
    pub name: String,
}

/// One book on the shelf.
#[model(table = "books", index(name = "ux_books_isbn", columns(isbn), unique))]
pub struct Book {
    #[column(primary_key)]
    pub id: i64,
    #[column(references = "authors.id", on_delete = "cascade", index)]
    pub author_id: i64,
    pub title: String,
    /// Year of first publication.
    pub published: Option<i64>,
    pub isbn: Option<String>,
}
