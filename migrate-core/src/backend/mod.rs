//! Thin database drivers behind one small trait, so the runner never knows which
//! database it talks to and a third backend (MySQL, say) touches nothing else.
//!
//! A driver executes SQL statement by statement (so a failure names its line),
//! controls transactions, takes the migration lock, and reads the ledger. The
//! ledger's SQL text lives in [`ledger`] and depends only on the dialect, because
//! offline runs print it without connecting.

pub mod introspect;
pub mod ledger;
#[cfg(feature = "mysql")]
pub mod mysql;
#[cfg(feature = "mysql")]
mod mysql_conn;
#[cfg(feature = "mysql")]
mod mysql_lock;
#[cfg(feature = "mysql")]
pub mod mysql_options;
#[cfg(feature = "postgres")]
pub mod pg_options;
#[cfg(feature = "postgres")]
pub mod pg_tls;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "sqlite")]
pub mod sqlite;
#[cfg(any(feature = "postgres", feature = "mysql"))]
pub mod ssl_mode;
#[cfg(any(feature = "postgres", feature = "mysql"))]
mod tls_words;

use std::time::Duration;

use crate::config::DatabaseUrl;
use crate::dialect::Dialect;
use crate::error::{Error, Location, Result};
use crate::operations::TableRef;
use crate::revision::{Revision, Section};
use crate::schema::Schema;

pub use ledger::{LedgerConfig, LedgerRow};

/// What the runner needs from a database.
pub trait Backend {
    /// Which SQL this database speaks.
    fn dialect(&self) -> Dialect;
    /// Takes the migration lock, waiting up to `timeout` for another migrator.
    fn lock(&mut self, ledger: &LedgerConfig, timeout: Duration) -> Result<()>;
    /// Releases the migration lock.
    fn unlock(&mut self, ledger: &LedgerConfig) -> Result<()>;
    /// Starts a transaction.
    fn begin(&mut self) -> Result<()>;
    /// Commits it.
    fn commit(&mut self) -> Result<()>;
    /// Rolls it back (a no-op when none is open).
    fn rollback(&mut self) -> Result<()>;
    /// Runs a script statement by statement.
    fn execute(&mut self, script: &str) -> Result<(), ExecError>;
    /// The ledger's rows in application order; empty when the table does not exist.
    fn read_ledger(&mut self, ledger: &LedgerConfig) -> Result<Vec<LedgerRow>>;
    /// The database's schema (see [`introspect`]):
    /// the default schema plus `schemas` (PostgreSQL), without the ledger table.
    fn introspect(&mut self, schemas: &[String], ledger: &LedgerConfig) -> Result<Schema>;
    /// Bounds the transaction just begun by `timeouts`, for that transaction only
    /// (PostgreSQL's `SET LOCAL`). A no-op where the database has no such settings.
    fn limit_transaction(&mut self, timeouts: &Timeouts) -> Result<()> {
        let _ = timeouts;
        Ok(())
    }
    /// Runs one statement outside any transaction, bounded by `timeouts`; the
    /// session's own settings are as they were afterwards.
    fn execute_limited(&mut self, statement: &str, timeouts: &Timeouts) -> Result<(), ExecError> {
        let _ = timeouts;
        self.execute(statement)
    }
    /// The tables (and other relations) other sessions hold locks on, schema-
    /// qualified, each with who holds it: after a lock was not granted, the
    /// candidates for what the statement waited on. Empty where unknown.
    fn locks_held_by_others(&mut self) -> Result<Vec<HeldLock>> {
        Ok(Vec::new())
    }
    /// `models` with their indexes and exclusion constraints as this database
    /// would report them once created, where it rewrites the SQL it is given
    /// (PostgreSQL: expressions, predicates); `None` when nothing changes.
    fn canonical_models(&mut self, models: &Schema) -> Result<Option<Schema>> {
        let _ = models;
        Ok(None)
    }
    /// The objects autogenerate does not manage (views, materialized views,
    /// triggers, policies) that depend on `tables`, and so would block
    /// dropping them or go with them. Empty where the database has none.
    fn dependents(&mut self, tables: &[TableRef]) -> Result<Vec<Dependent>> {
        let _ = tables;
        Ok(Vec::new())
    }
    /// The objects in the current schema and `schemas` that autogenerate does
    /// not manage and leaves alone: views, materialized views, functions,
    /// triggers, policies and extensions, as `(kind, name)`, sorted.
    fn unmanaged(&mut self, schemas: &[String]) -> Result<Vec<(String, String)>> {
        let _ = schemas;
        Ok(Vec::new())
    }
}

/// An object autogenerate does not manage that depends on a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependent {
    /// The table, `schema.name` or `name` in the current schema.
    pub table: String,
    /// `view`, `materialized view`, `trigger` or `policy`.
    pub kind: String,
    /// The object's name (schema-qualified for views).
    pub name: String,
}

impl Dependent {
    /// Whether dropping the table fails because of it (a view does; a trigger
    /// or policy is dropped with its table).
    pub fn blocks_drop(&self) -> bool {
        self.kind.ends_with("view")
    }
}

impl std::fmt::Display for Dependent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} (on {})", self.kind, self.name, self.table)
    }
}

/// How long migration statements may wait for a lock and run, on databases that
/// support it (PostgreSQL's `lock_timeout` and `statement_timeout`). `None` leaves
/// the server's (or the session's) own setting in force, which is the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timeouts {
    /// `lock_timeout`: how long one statement waits for a lock before it fails.
    pub lock: Option<Duration>,
    /// `statement_timeout`: how long one statement may run, lock wait included.
    pub statement: Option<Duration>,
}

impl Timeouts {
    /// Whether any limit is set.
    pub fn is_set(&self) -> bool {
        self.lock.is_some() || self.statement.is_some()
    }
}

/// A lock another session holds, as the server reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldLock {
    /// The schema the relation lives in.
    pub schema: String,
    /// The relation's name.
    pub relation: String,
    /// The holding session (PostgreSQL's backend pid).
    pub pid: i32,
    /// The lock mode, e.g. `AccessExclusiveLock`.
    pub mode: String,
}

impl Schema {
    /// Creates the schema on a connection, in one transaction: all or nothing.
    pub fn create_all(&self, backend: &mut dyn Backend) -> Result<()> {
        backend.begin()?;
        for statement in self.create_sql(backend.dialect()) {
            if let Err(e) = backend.execute(&statement) {
                let _ = backend.rollback();
                return Err(Error::Database {
                    message: format!("{}; in: {statement}", e.message),
                });
            }
        }
        backend.commit()
    }
}

/// A connection the application already holds (`rusqlite::Connection`,
/// `postgres::Client`, `mysql::Conn`), for the runner to migrate over: see
/// [`runner::upgrade_on`](crate::runner::upgrade_on). The runner gives it back as
/// it found it: autocommit, no transaction open, no lock held, and its settings
/// (`foreign_keys`, `search_path`, ...) untouched.
pub trait AppConnection {
    /// A backend borrowing this connection for one run.
    fn backend(&mut self) -> Result<Box<dyn Backend + '_>>;
}

/// A statement that failed, with its place in the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecError {
    /// 1-based line of the failing statement within the script.
    pub line: usize,
    /// The database's message (for PostgreSQL with SQLSTATE, detail and hint).
    pub message: String,
    /// Set when the statement failed because a lock was not granted in time
    /// (PostgreSQL's `lock_timeout`), so the transaction may be retried.
    pub lock_wait: Option<LockWait>,
}

/// A lock that was not granted in time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockWait {
    /// The relation the server names in the error's context, when it does (row
    /// locks: "while updating tuple (0,1) in relation \"t\""). For a table lock
    /// the server names nothing, and the runner asks who holds what.
    pub relation: Option<String>,
}

impl ExecError {
    /// The error for the user: with `origin`, a revision's section, it names the
    /// revision and the failing statement's line in the revision file.
    pub fn into_error(self, origin: Option<(&Revision, &Section)>) -> Error {
        match origin {
            Some((revision, section)) if self.lock_wait.is_some() => Error::LockNotGranted {
                revision: revision.id.clone(),
                location: Location::new(revision.path.clone(), section.first_line + self.line - 1),
                waited: Box::new(crate::error::LockedTables {
                    tables: self
                        .lock_wait
                        .and_then(|w| w.relation)
                        .into_iter()
                        .collect(),
                    holders: Vec::new(),
                }),
                attempts: 1,
                message: self.message,
            },
            Some((revision, section)) => Error::MigrationFailed {
                revision: revision.id.clone(),
                location: Location::new(revision.path.clone(), section.first_line + self.line - 1),
                message: self.message,
            },
            None => Error::Database {
                message: self.message,
            },
        }
    }
}

/// Options for opening a connection.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// How long to wait for a server (PostgreSQL) or a busy file (SQLite).
    pub timeout: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            timeout: Duration::from_secs(10),
        }
    }
}

/// Opens the database a URL names.
///
/// ```
/// use migrate_core::backend::{connect, ConnectOptions};
/// use migrate_core::config::DatabaseUrl;
/// let mut db = connect(&DatabaseUrl::SqliteMemory, &ConnectOptions::default()).unwrap();
/// db.execute("CREATE TABLE t (x INT); INSERT INTO t VALUES (1);").unwrap();
/// let err = db.execute("SELECT 1;\nSELECT nope FROM t;").unwrap_err();
/// assert_eq!(err.line, 2);
/// ```
pub fn connect(url: &DatabaseUrl, options: &ConnectOptions) -> Result<Box<dyn Backend>> {
    #[cfg(feature = "sqlite")]
    if url.dialect() == Dialect::Sqlite {
        return Ok(Box::new(sqlite::SqliteBackend::open(url, options)?));
    }
    #[cfg(feature = "postgres")]
    if url.dialect() == Dialect::Postgres {
        return Ok(Box::new(postgres::PostgresBackend::connect(url, options)?));
    }
    #[cfg(feature = "mysql")]
    if url.dialect() == Dialect::Mysql {
        return Ok(Box::new(mysql::MysqlBackend::connect(url, options)?));
    }
    let _ = options;
    Err(Error::DriverMissing {
        dialect: url.dialect(),
    })
}

/// The databases this build can connect to: those whose feature (`sqlite`,
/// `postgres`, `mysql`) is on, in [`Dialect::ALL`]'s order.
pub fn available() -> Vec<Dialect> {
    Dialect::ALL
        .into_iter()
        .filter(|dialect| match dialect {
            Dialect::Sqlite => cfg!(feature = "sqlite"),
            Dialect::Postgres => cfg!(feature = "postgres"),
            Dialect::Mysql => cfg!(feature = "mysql"),
        })
        .collect()
}

/// Polls `try_once` with exponential backoff (10 ms doubling to 500 ms) until it
/// returns `true` or `timeout` passes. Polling, not a blocking wait: PostgreSQL's
/// blocking `pg_advisory_lock` deadlocks against `CREATE INDEX CONCURRENTLY`.
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub(crate) fn poll_lock(
    timeout: Duration,
    mut try_once: impl FnMut() -> Result<bool>,
) -> Result<bool> {
    let started = std::time::Instant::now();
    let mut wait = Duration::from_millis(10);
    loop {
        if try_once()? {
            return Ok(true);
        }
        if started.elapsed() >= timeout {
            return Ok(false);
        }
        std::thread::sleep(wait.min(timeout.saturating_sub(started.elapsed())));
        wait = (wait * 2).min(Duration::from_millis(500));
    }
}
