//! bookshelf: a small service that keeps its schema in `migrations/`.
//!
//! At start-up it brings its database to head (from any earlier state, and safely
//! when several replicas start at once), then does its real work on the migrated
//! schema. `cargo run -p bookshelf` from a fresh clone needs nothing installed: the
//! database is a SQLite file named in `.env`.

use std::error::Error;
use std::path::Path;
use std::process::ExitCode;

use migrate::config::{self, DatabaseUrl};

/// The revisions, validated at compile time and compiled into the binary.
static MIGRATIONS: migrate::EmbeddedMigrations = migrate::embed_migrations!("migrations");

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bookshelf: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn Error>> {
    // The example's own .env, wherever it is started from; set variables win.
    config::load_dotenv_from(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".env"))?;
    let url = config::url_from_env(None)?;
    let report = migrate::runner::upgrade(&MIGRATIONS, &url, "heads")?;
    println!(
        "{url}: {} revision(s) applied, schema at head",
        report.steps.len()
    );

    let DatabaseUrl::SqliteFile(path) = &url else {
        return Err(
            "bookshelf keeps its books in SQLite; point DATABASE_URL_DEV at sqlite://...".into(),
        );
    };
    let db = rusqlite::Connection::open(path)?;
    db.execute(
        "INSERT OR IGNORE INTO authors (name) VALUES (?1)",
        ["Ursula K. Le Guin"],
    )?;
    let author: i64 = db.query_row(
        "SELECT id FROM authors WHERE name = ?1",
        ["Ursula K. Le Guin"],
        |r| r.get(0),
    )?;
    db.execute(
        "INSERT OR IGNORE INTO books (author_id, title, published, isbn) VALUES (?1, ?2, ?3, ?4)",
        rusqlite::params![author, "The Dispossessed", 1974, "978-0-06-051275-0"],
    )?;
    db.execute(
        "INSERT OR IGNORE INTO books (author_id, title, published, isbn) VALUES (?1, ?2, ?3, ?4)",
        rusqlite::params![
            author,
            "The Left Hand of Darkness",
            1969,
            "978-0-441-47812-5"
        ],
    )?;
    let mut books = db.prepare(
        "SELECT b.title, a.name, b.published FROM books b JOIN authors a ON a.id = b.author_id ORDER BY b.published",
    )?;
    let rows = books.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    println!("books on the shelf:");
    for row in rows {
        let (title, author, year) = row?;
        println!("  {year}  {title} ({author})");
    }
    Ok(())
}
