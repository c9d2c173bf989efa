//! SQLite through rusqlite (bundled, so nothing needs installing).
//!
//! Locking: a run holds an exclusive OS lock on `<database>.migrate-lock` next to
//! the database file, so concurrent migrators serialise across all their
//! transactions (not just one), and the lock dies with a killed process. Each
//! transaction also starts with `BEGIN IMMEDIATE`, so other writers wait (up to the
//! busy timeout) instead of failing half-way.

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

/// A SQLite database.
pub struct SqliteBackend {
    conn: Connection,
    /// `None` for an in-memory database, which no other process can reach.
    lock_path: Option<PathBuf>,
    lock: Option<File>,
}

impl SqliteBackend {
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
            DatabaseUrl::Postgres(_) => return Err(connect_error("not a SQLite URL".to_string())),
        };
        let conn = conn.map_err(|e| connect_error(e.to_string()))?;
        conn.busy_timeout(options.timeout)
            .map_err(|e| connect_error(e.to_string()))?;
        Ok(SqliteBackend {
            conn,
            lock_path,
            lock: None,
        })
    }

    /// The underlying connection, e.g. to use the migrated database.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn run(&self, sql: &str) -> rusqlite::Result<()> {
        let mut statement = self.conn.prepare(sql)?;
        // Step through every row: a statement's effects may come with its rows.
        let mut rows = statement.raw_query();
        while rows.next()?.is_some() {}
        Ok(())
    }

    /// The first row `PRAGMA foreign_key_check` reports, described.
    fn foreign_key_violation(&self) -> Result<Option<String>> {
        let query = || -> rusqlite::Result<Option<String>> {
            let mut statement = self.conn.prepare("PRAGMA foreign_key_check")?;
            let mut rows = statement.query([])?;
            let Some(row) = rows.next()? else {
                return Ok(None);
            };
            let table: String = row.get(0)?;
            let rowid: Option<i64> = row.get(1)?;
            let parent: String = row.get(2)?;
            Ok(Some(format!(
                "foreign key violation: row {} of table {table} references a missing row of {parent}",
                rowid.map_or_else(|| "?".to_string(), |r| r.to_string())
            )))
        };
        query().map_err(|e| Error::Database {
            message: format!("PRAGMA foreign_key_check: {e}"),
        })
    }

    fn control(&self, sql: &str) -> Result<()> {
        self.conn.execute_batch(sql).map_err(|e| Error::Database {
            message: format!("{sql}: {e}"),
        })
    }
}

impl Backend for SqliteBackend {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn lock(&mut self, _ledger: &LedgerConfig, timeout: Duration) -> Result<()> {
        let Some(path) = &self.lock_path else {
            return Ok(());
        };
        let io = |source| Error::Io {
            path: path.display().to_string(),
            source,
        };
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(io)?;
        let locked = poll_lock(timeout, || match file.try_lock() {
            Ok(()) => Ok(true),
            Err(std::fs::TryLockError::WouldBlock) => Ok(false),
            Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
        })?;
        if !locked {
            return Err(Error::LockTimeout {
                ledger: path.display().to_string(),
                seconds: timeout.as_secs(),
            });
        }
        self.lock = Some(file);
        Ok(())
    }

    fn unlock(&mut self, _ledger: &LedgerConfig) -> Result<()> {
        // Closing the file releases the lock; the file stays, since deleting it would
        // let two migrators lock two different files.
        self.lock = None;
        Ok(())
    }

    // SQLite's procedure for schema changes: foreign keys off for the transaction
    // (the pragma is ignored inside one), `foreign_key_check` before commit. Table
    // rebuilds then neither cascade nor fail half-way, and online runs enforce
    // what an offline script under `sqlite3` (foreign keys off by default) does,
    // plus the final check.
    fn begin(&mut self) -> Result<()> {
        self.control("PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE")
    }

    fn commit(&mut self) -> Result<()> {
        if let Some(violation) = self.foreign_key_violation()? {
            self.rollback()?;
            return Err(Error::Database {
                message: format!("the transaction was rolled back: {violation}"),
            });
        }
        self.control("COMMIT; PRAGMA foreign_keys = ON")
    }

    fn rollback(&mut self) -> Result<()> {
        if self.conn.is_autocommit() {
            return Ok(());
        }
        self.control("ROLLBACK; PRAGMA foreign_keys = ON")
    }

    fn execute(&mut self, script: &str) -> Result<(), ExecError> {
        for statement in split(script) {
            self.run(statement.sql).map_err(|e| ExecError {
                line: statement.line,
                message: e.to_string(),
            })?;
        }
        Ok(())
    }

    fn read_ledger(&mut self, config: &LedgerConfig) -> Result<Vec<LedgerRow>> {
        let db_error = |e: rusqlite::Error| Error::Database {
            message: format!("reading the ledger {}: {e}", config.display_name()),
        };
        let exists: bool = self
            .conn
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
            .conn
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
        crate::autogenerate::introspect::sqlite::introspect(&self.conn, &ledger.table).map_err(
            |e| Error::Database {
                message: format!("reading the schema: {e}"),
            },
        )
    }
}
