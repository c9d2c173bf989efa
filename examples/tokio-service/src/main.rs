//! tokio-service: an async service that brings its database to the latest revision
//! at start-up, before it serves anything, then uses the same connection.
//!
//! - The database is PostgreSQL or SQLite, from `DATABASE_URL` (or `ENVIRONMENT`'s
//!   variable); PostgreSQL connects as `migrate` does: `sslmode` and the other TLS
//!   parameters, `PGPASSWORD`, `PGSSLMODE`, `PGSSLROOTCERT`.
//! - Migrating is synchronous and blocks its thread for as long as it runs,
//!   waiting for another replica's lock included, so it runs on tokio's blocking
//!   pool (`spawn_blocking`) and the runtime's workers stay free.
//! - It migrates over the service's own connection (`upgrade_on`), which comes
//!   back ready for the service's work.
//! - Replicas may start together: they serialise on the migration lock, one
//!   applies the revisions, the others find nothing left to do.
//!
//! A real service would go on to serve requests; this one records its start,
//! prints how many starts the database has seen, and exits.

use std::error::Error;
use std::process::ExitCode;
use std::time::Duration;

use migrate::backend::{postgres::connect_client, ConnectOptions};
use migrate::config::{self, DatabaseUrl};

/// The revisions, validated at compile time and compiled into the binary.
static MIGRATIONS: migrate::EmbeddedMigrations = migrate::embed_migrations!("migrations");

type BoxError = Box<dyn Error + Send + Sync>;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tokio-service: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), BoxError> {
    let url = config::url_from_env(None)?;
    let (applied, starts) = tokio::task::spawn_blocking(move || start_up(&url)).await??;
    println!("{applied} revision(s) applied, schema at head; {starts} start(s) recorded");
    Ok(())
}

/// Opens the service's connection, migrates over it, then uses it: returns the
/// number of revisions this start applied and of starts recorded so far.
fn start_up(url: &DatabaseUrl) -> Result<(usize, i64), BoxError> {
    let pid = i64::from(std::process::id());
    match url {
        DatabaseUrl::Postgres(_) => {
            let mut client = connect_client(url, &ConnectOptions::default())?;
            let report = migrate::runner::upgrade_on(&MIGRATIONS, &mut client, "heads")?;
            client.execute("INSERT INTO starts (pid) VALUES ($1)", &[&pid])?;
            let starts: i64 = client.query_one("SELECT count(*) FROM starts", &[])?.get(0);
            Ok((report.steps.len(), starts))
        }
        DatabaseUrl::SqliteFile(_) | DatabaseUrl::SqliteMemory => {
            let mut conn = match url {
                DatabaseUrl::SqliteFile(path) => rusqlite::Connection::open(path)?,
                _ => rusqlite::Connection::open_in_memory()?,
            };
            // Replicas write to one file: wait for each other rather than fail.
            conn.busy_timeout(Duration::from_secs(30))?;
            let report = migrate::runner::upgrade_on(&MIGRATIONS, &mut conn, "heads")?;
            conn.execute("INSERT INTO starts (pid) VALUES (?1)", [pid])?;
            let starts: i64 = conn.query_row("SELECT count(*) FROM starts", [], |r| r.get(0))?;
            Ok((report.steps.len(), starts))
        }
        // A build with the `mysql` feature can parse a MySQL URL; this example's
        // revisions and queries are written for the two databases above.
        other => Err(format!(
            "this example migrates SQLite or PostgreSQL, not {}",
            other.dialect()
        )
        .into()),
    }
}
