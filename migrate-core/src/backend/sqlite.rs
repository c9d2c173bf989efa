//! SQLite through rusqlite (bundled, so nothing needs installing).
//!
//! Locking: a run holds an exclusive OS lock on `<database>.migrate-lock` next to
//! the database file, so concurrent migrators serialise across all their
//! transactions (not just one), and the lock dies with a killed process. Each
//! transaction also starts with `BEGIN IMMEDIATE`, so other writers wait (up to the
//! busy timeout) instead of failing half-way.
//!
//! The lock file exists only while a run holds it: on Unix the holder deletes it
//! before releasing the lock, so no file is left beside the database. A waiter
//! that then gets the lock on the deleted file sees that the path no longer names
//! the file it locked, and starts over on the path, so two migrators never hold
//! locks on two different files. A killed process leaves the file behind; the next
//! run locks and deletes it. (On other systems the file stays, empty.)
//!
//! Foreign keys: each migration transaction runs with them off and is checked
//! before it commits, reading only what it touched (see `sqlite/fk.rs`).

mod fk;

use std::fs::{File, OpenOptions};
use std::path::PathBuf;
use std::time::Duration;

use rusqlite::Connection;

use super::{ledger, poll_lock, Backend, ConnectOptions, ExecError, LedgerConfig, LedgerRow};
use crate::config::DatabaseUrl;
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::schema::Schema;
use crate::sql::split;

/// A SQLite database: one this backend opened, or the application's own connection.
pub struct SqliteBackend<'c> {
    conn: Slot<'c>,
    /// `None` for an in-memory database, which no other process can reach.
    lock_path: Option<PathBuf>,
    lock: Option<File>,
    /// `PRAGMA foreign_keys` to restore after each migration transaction: what the
    /// application's connection had, or on for a connection opened here.
    foreign_keys: bool,
    /// What the open migration transaction touched, for the check before it commits.
    watch: Option<fk::Watch>,
}

enum Slot<'c> {
    Owned(Connection),
    Borrowed(&'c mut Connection),
}

impl SqliteBackend<'static> {
    /// Opens (creating, as `sqlite3` does) the database file, or a memory database.
    pub fn open(url: &DatabaseUrl, options: &ConnectOptions) -> Result<Self> {
        let connect_error = |message: String| Error::Connect {
            url: url.redacted(),
            message,
        };
        let (conn, lock_path) = match url {
            DatabaseUrl::SqliteMemory => (Connection::open_in_memory(), None),
            DatabaseUrl::SqliteFile(path) => {
                let mut lock = path.clone().into_os_string();
                lock.push(".migrate-lock");
                (Connection::open(path), Some(PathBuf::from(lock)))
            }
            DatabaseUrl::Postgres(_) | DatabaseUrl::Mysql(_) => {
                return Err(connect_error("not a SQLite URL".to_string()))
            }
        };
        let conn = conn.map_err(|e| connect_error(e.to_string()))?;
        conn.busy_timeout(options.timeout)
            .map_err(|e| connect_error(e.to_string()))?;
        Ok(SqliteBackend {
            conn: Slot::Owned(conn),
            lock_path,
            lock: None,
            foreign_keys: true,
            watch: None,
        })
    }
}

impl<'c> SqliteBackend<'c> {
    /// Migrates over the application's own connection (with its busy timeout,
    /// SQLCipher key, and so on). It comes back as it was lent: autocommit, and
    /// `foreign_keys` as it was. A connection inside a transaction is refused,
    /// since migrating would commit the application's work.
    ///
    /// During each migration transaction an authorizer callback names the tables
    /// it touches (for the foreign-key check). SQLite keeps one authorizer per
    /// connection and offers no way to read it back, so one the application had set
    /// is gone afterwards: set it again after migrating.
    pub fn borrow(conn: &'c mut Connection) -> Result<Self> {
        let url = || match conn.path().filter(|p| !p.is_empty()) {
            Some(path) => format!("sqlite://{path}"),
            None => "sqlite::memory:".to_string(),
        };
        if !conn.is_autocommit() {
            return Err(Error::Connect {
                url: url(),
                message: "the connection has an open transaction; commit or roll it back before migrating".to_string(),
            });
        }
        let foreign_keys = conn
            .query_row("PRAGMA foreign_keys", [], |row| row.get(0))
            .map_err(|e| Error::Database {
                message: format!("PRAGMA foreign_keys: {e}"),
            })?;
        let lock_path = conn.path().filter(|p| !p.is_empty()).map(|path| {
            let mut lock = PathBuf::from(path).into_os_string();
            lock.push(".migrate-lock");
            PathBuf::from(lock)
        });
        Ok(SqliteBackend {
            conn: Slot::Borrowed(conn),
            lock_path,
            lock: None,
            foreign_keys,
            watch: None,
        })
    }

    /// The underlying connection, e.g. to use the migrated database.
    pub fn connection(&self) -> &Connection {
        match &self.conn {
            Slot::Owned(conn) => conn,
            Slot::Borrowed(conn) => conn,
        }
    }

    fn restore_foreign_keys(&self) -> &'static str {
        if self.foreign_keys {
            "PRAGMA foreign_keys = ON"
        } else {
            "PRAGMA foreign_keys = OFF"
        }
    }

    fn run(&self, sql: &str) -> rusqlite::Result<()> {
        let mut statement = self.connection().prepare(sql)?;
        // Step through every row: a statement's effects may come with its rows.
        let mut rows = statement.raw_query();
        while rows.next()?.is_some() {}
        Ok(())
    }

    /// A row the open transaction left pointing at nothing, described. Only the
    /// tables the transaction touched, and those referencing them, are read (see
    /// `fk`); without a watch (never in practice) the whole database is. A
    /// check SQLite refuses (a foreign key whose parent columns lost their unique
    /// index: "foreign key mismatch") is a problem too.
    fn foreign_key_problem(&mut self) -> Option<String> {
        let found = match self.watch.take() {
            Some(watch) => watch.check(self.connection()),
            None => fk::whole_database(self.connection()),
        };
        match found {
            Ok(None) => None,
            Ok(Some(v)) => {
                let row = v
                    .rowid
                    .map_or_else(|| "a row".to_string(), |rowid| format!("row {rowid}"));
                Some(format!(
                    "foreign key violation: {row} of table {} references a missing row of {}",
                    v.table, v.parent
                ))
            }
            Err(e) => Some(format!("checking foreign keys: {e}")),
        }
    }

    /// Deletes the lock file (Unix) while still holding its lock, then closes it,
    /// which releases the lock. Deleting first is what keeps the lock sound: a
    /// waiter that locks the deleted file notices and starts over (see `lock`).
    fn release_lock(&mut self) {
        let Some(file) = self.lock.take() else {
            return;
        };
        if cfg!(unix) {
            if let Some(path) = &self.lock_path {
                // A file left behind is harmless (the next run deletes it), so a
                // failure here must not fail a migration that succeeded.
                let _ = std::fs::remove_file(path);
            }
        }
        drop(file);
    }

    fn control(&self, sql: &str) -> Result<()> {
        self.connection()
            .execute_batch(sql)
            .map_err(|e| Error::Database {
                message: format!("{sql}: {e}"),
            })
    }
}

/// True when `path` still names `file`: the lock holder deletes the file before
/// releasing, so a lock won on a deleted file guards nothing.
#[cfg(unix)]
fn still_at(file: &File, path: &std::path::Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(locked), Ok(named)) => locked.dev() == named.dev() && locked.ino() == named.ino(),
        _ => false,
    }
}

/// Elsewhere the file is never deleted, so the locked file is the named one.
#[cfg(not(unix))]
fn still_at(_file: &File, _path: &std::path::Path) -> bool {
    true
}

impl Backend for SqliteBackend<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn lock(&mut self, _ledger: &LedgerConfig, timeout: Duration) -> Result<()> {
        let Some(path) = self.lock_path.clone() else {
            return Ok(());
        };
        let io = |source| Error::Io {
            path: path.display().to_string(),
            source,
        };
        let mut held = None;
        let locked = poll_lock(timeout, || {
            let file = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(io)?;
            match file.try_lock() {
                // The previous holder may have deleted the file between our open
                // and our lock: then the lock guards nothing, so try again.
                Ok(()) if still_at(&file, &path) => {
                    held = Some(file);
                    Ok(true)
                }
                Ok(()) | Err(std::fs::TryLockError::WouldBlock) => Ok(false),
                Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
            }
        })?;
        if !locked {
            return Err(Error::LockTimeout {
                ledger: path.display().to_string(),
                seconds: timeout.as_secs(),
            });
        }
        self.lock = held;
        Ok(())
    }

    fn unlock(&mut self, _ledger: &LedgerConfig) -> Result<()> {
        self.release_lock();
        Ok(())
    }

    // SQLite's procedure for schema changes: foreign keys off for the transaction
    // (the pragma is ignored inside one), `foreign_key_check` before commit. Table
    // rebuilds then neither cascade nor fail half-way, and online runs enforce
    // what an offline script under `sqlite3` (foreign keys off by default) does,
    // plus the final check.
    fn begin(&mut self) -> Result<()> {
        self.control("PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE")?;
        match fk::Watch::start(self.connection()) {
            Ok(watch) => {
                self.watch = Some(watch);
                Ok(())
            }
            Err(e) => {
                let _ = self.rollback();
                Err(Error::Database {
                    message: format!("reading the table names: {e}"),
                })
            }
        }
    }

    fn commit(&mut self) -> Result<()> {
        if let Some(problem) = self.foreign_key_problem() {
            self.rollback()?;
            return Err(Error::Database {
                message: format!("the transaction was rolled back: {problem}"),
            });
        }
        self.control(&format!("COMMIT; {}", self.restore_foreign_keys()))
    }

    fn rollback(&mut self) -> Result<()> {
        if self.watch.take().is_some() {
            fk::Watch::stop(self.connection());
        }
        if self.connection().is_autocommit() {
            // Nothing to roll back (or SQLite already did), but `begin` may have
            // turned foreign keys off.
            return self.control(self.restore_foreign_keys());
        }
        self.control(&format!("ROLLBACK; {}", self.restore_foreign_keys()))
    }

    fn execute(&mut self, script: &str) -> Result<(), ExecError> {
        for statement in split(script) {
            self.run(statement.sql).map_err(|e| ExecError {
                line: statement.line,
                message: e.to_string(),
                lock_wait: None,
            })?;
        }
        Ok(())
    }

    fn read_ledger(&mut self, config: &LedgerConfig) -> Result<Vec<LedgerRow>> {
        let db_error = |e: rusqlite::Error| Error::Database {
            message: format!("reading the ledger {}: {e}", config.display_name()),
        };
        let exists: bool = self
            .connection()
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
                [&config.table],
                |row| row.get(0),
            )
            .map_err(db_error)?;
        if !exists {
            return Ok(Vec::new());
        }
        let mut statement = self
            .connection()
            .prepare(&ledger::select_sql(config, Dialect::Sqlite))
            .map_err(db_error)?;
        let rows = statement
            .query_map([], |row| {
                Ok(LedgerRow {
                    revision: row.get(0)?,
                    checksum: row.get(1)?,
                    applied_at: row.get(2)?,
                    duration_ms: row.get(3)?,
                })
            })
            .map_err(db_error)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db_error)
    }

    fn introspect(&mut self, _schemas: &[String], ledger: &LedgerConfig) -> Result<Schema> {
        super::introspect::sqlite::introspect(self.connection(), &ledger.table).map_err(|e| {
            Error::Database {
                message: format!("reading the schema: {e}"),
            }
        })
    }
}

impl Drop for SqliteBackend<'_> {
    fn drop(&mut self) {
        // A borrowed connection outlives the backend; the authorizer must not.
        if self.watch.is_some() {
            fk::Watch::stop(self.connection());
        }
        // A run that ends early (a panic in a caller's event handler, say) still
        // leaves no lock file behind.
        self.release_lock();
    }
}

impl super::AppConnection for Connection {
    fn backend(&mut self) -> Result<Box<dyn Backend + '_>> {
        Ok(Box::new(SqliteBackend::borrow(self)?))
    }
}
