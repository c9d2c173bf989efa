//! Scratch databases for tests, in the spirit of `#[sqlx::test]`: each test gets a
//! database of its own, created fresh on the server a URL names and dropped when
//! the value goes out of scope, so tests run in parallel and rerun cleanly.
//!
//! On PostgreSQL a scratch database is a new database (`CREATE DATABASE`) on the
//! server, reached through the same URL with `dbname=` set; on SQLite it is a new
//! file in a directory of its own under the system's temporary directory.

use std::fmt;
use std::path::PathBuf;

use crate::backend::{self, ConnectOptions};
use crate::config::DatabaseUrl;
use crate::error::{Error, Result};
use crate::revision::author::fresh_id;
use crate::runner::{self, Command, Report, RunOptions};
use crate::EmbeddedMigrations;

/// The variable [`ScratchDatabase::from_env`] reads first.
pub const SERVER_VAR: &str = "MIGRATE_TEST_DATABASE_URL";

/// A fresh database for one test, dropped (PostgreSQL) or deleted (SQLite) when
/// this value is dropped. `Display` and `Debug` show its URL without a password.
///
/// ```no_run
/// use migrate_core::testing::{self, ScratchDatabase};
/// # static MIGRATIONS: migrate_core::EmbeddedMigrations =
/// #     migrate_core::EmbeddedMigrations { source_dir: "migrations", files: &[] };
/// // Each test: its own empty database on the server, gone after the test.
/// let db = ScratchDatabase::create("postgres://postgres@localhost/postgres")?;
/// testing::up_down_roundtrip(&MIGRATIONS, db.url())?;
///
/// // Or one already at the heads, for tests of the application itself, on the
/// // server MIGRATE_TEST_DATABASE_URL (or the application's own URL) names.
/// let db = ScratchDatabase::from_env()?.migrated(&MIGRATIONS)?;
/// println!("testing against {db}"); // the password shows as ***
/// # Ok::<(), migrate_core::Error>(())
/// ```
pub struct ScratchDatabase {
    url: DatabaseUrl,
    /// The connection string of the scratch database.
    text: String,
    cleanup: Cleanup,
}

enum Cleanup {
    /// `DROP DATABASE` through the server URL.
    Drop { server: DatabaseUrl, name: String },
    /// Remove the directory holding the file (and its journal and lock files).
    Remove(PathBuf),
}

impl ScratchDatabase {
    /// Creates a fresh, empty database on the server that `server_url` reaches: a
    /// new PostgreSQL database (the URL's own database is only used to connect, so
    /// `postgres://user@host/postgres` is fine; the user needs `CREATEDB`), or, for
    /// any `sqlite:` URL, a new SQLite file.
    pub fn create(server_url: &str) -> Result<Self> {
        Self::create_on(&DatabaseUrl::parse(server_url)?)
    }

    /// [`create`](Self::create) with a parsed URL.
    pub fn create_on(server: &DatabaseUrl) -> Result<Self> {
        let name = format!("migrate_scratch_{}", fresh_id(None));
        match server {
            DatabaseUrl::Postgres(text) => {
                let mut admin = backend::connect(server, &ConnectOptions::default())?;
                admin
                    .execute(&format!("CREATE DATABASE \"{name}\""))
                    .map_err(|e| Error::Database {
                        message: format!(
                            "creating scratch database {name} on {server}: {}",
                            e.message
                        ),
                    })?;
                // A `dbname` parameter overrides the path's database, in libpq
                // and in the driver alike, whatever the URL looks like.
                let separator = if text.contains('?') { '&' } else { '?' };
                let text = format!("{text}{separator}dbname={name}");
                Ok(ScratchDatabase {
                    url: DatabaseUrl::Postgres(text.clone()),
                    text,
                    cleanup: Cleanup::Drop {
                        server: server.clone(),
                        name,
                    },
                })
            }
            DatabaseUrl::Mysql(text) => {
                let mut admin = backend::connect(server, &ConnectOptions::default())?;
                admin
                    .execute(&format!("CREATE DATABASE `{name}`"))
                    .map_err(|e| Error::Database {
                        message: format!(
                            "creating scratch database {name} on {server}: {}",
                            e.message
                        ),
                    })?;
                let text = with_database(text, &name);
                Ok(ScratchDatabase {
                    url: DatabaseUrl::parse(&text)?,
                    text,
                    cleanup: Cleanup::Drop {
                        server: server.clone(),
                        name,
                    },
                })
            }
            DatabaseUrl::SqliteFile(_) | DatabaseUrl::SqliteMemory => {
                let dir = std::env::temp_dir().join(&name);
                std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
                    path: dir.display().to_string(),
                    source,
                })?;
                let file = dir.join("scratch.db");
                Ok(ScratchDatabase {
                    text: format!("sqlite://{}", file.display()),
                    url: DatabaseUrl::SqliteFile(file),
                    cleanup: Cleanup::Remove(dir),
                })
            }
        }
    }

    /// [`create`](Self::create) on the server that `MIGRATE_TEST_DATABASE_URL`
    /// names, or else the URL the environment selects for the application
    /// (`DATABASE_URL`, or `ENVIRONMENT`'s variable, `./.env` read).
    #[cfg(feature = "dotenv")]
    pub fn from_env() -> Result<Self> {
        match std::env::var(SERVER_VAR).ok().filter(|u| !u.is_empty()) {
            Some(url) => Self::create(&url),
            None => Self::create_on(&crate::config::url_from_env(None)?),
        }
    }

    /// Upgrades the database to the heads of `migrations`, for tests that need
    /// the schema rather than test the migrations.
    pub fn migrated(self, migrations: &EmbeddedMigrations) -> Result<Self> {
        self.migrate(migrations, "heads")?;
        Ok(self)
    }

    /// Upgrades the database to `target` (`heads`, a revision, `+1`, ...).
    pub fn migrate(&self, migrations: &EmbeddedMigrations, target: &str) -> Result<Report> {
        let graph = migrations.graph()?;
        let mut db = backend::connect(&self.url, &ConnectOptions::default())?;
        runner::run(
            db.as_mut(),
            &graph,
            Command::Upgrade(target),
            &RunOptions::default(),
            &mut |_| {},
        )
    }

    /// The scratch database's URL, password included, to connect with (and to
    /// give the [`testing`](super) checks).
    pub fn url(&self) -> &str {
        &self.text
    }

    /// The URL, parsed.
    pub fn database_url(&self) -> &DatabaseUrl {
        &self.url
    }
}

/// A `mysql://` URL naming `database` instead of its own (the path), with its
/// user, host and parameters kept.
fn with_database(url: &str, database: &str) -> String {
    let (before_query, query) = match url.find('?') {
        Some(q) => url.split_at(q),
        None => (url, ""),
    };
    let host_start = before_query.find("://").map_or(0, |i| i + 3);
    let path = before_query[host_start..]
        .find('/')
        .map_or(before_query.len(), |i| host_start + i);
    format!("{}/{database}{query}", &before_query[..path])
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Drop { server, name } => {
                // FORCE ends connections the test left open (PostgreSQL 13+);
                // MySQL drops a database under open connections anyway.
                let drop = match server {
                    DatabaseUrl::Mysql(_) => format!("DROP DATABASE IF EXISTS `{name}`"),
                    _ => format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
                };
                let dropped =
                    backend::connect(server, &ConnectOptions::default()).and_then(|mut admin| {
                        admin
                            .execute(&drop)
                            .map_err(|e| Error::Database { message: e.message })
                    });
                if let Err(e) = dropped {
                    eprintln!("warning: could not drop scratch database {name}: {e}");
                }
            }
            Cleanup::Remove(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
}

impl fmt::Display for ScratchDatabase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.url, f)
    }
}

impl fmt::Debug for ScratchDatabase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ScratchDatabase({})", self.url)
    }
}
