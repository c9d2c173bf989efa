//! MySQL and MariaDB through the synchronous `mysql` crate (rustls on ring for
//! TLS; settings in [`mysql_options`](super::mysql_options)).
//!
//! No transactional DDL: MySQL commits every DDL statement implicitly, so the
//! runner runs a revision with DDL statement by statement and records it after
//! the last one (see `runner::actions`); this backend only executes what it is
//! given.
//!
//! Locking: `GET_LOCK` on a name derived from the database and the ledger, polled
//! with backoff (`GET_LOCK(name, 0)`), held by the session, so a killed migrator's
//! lock dies with its connection. Galera clusters do not replicate `GET_LOCK`;
//! there (detected by `wsrep_on`, or chosen with `migrate_lock=table`) the lock is
//! a row in a table next to the ledger, with a lease that a helper connection
//! renews while the run lasts and a holder id naming the process (see
//! [`mysql_lock`](super::mysql_lock)).
//!
//! Async callers: the driver does plain blocking socket I/O and starts no runtime
//! of its own, so it is safe to call inside a tokio runtime (it blocks that thread
//! while it runs, as SQLite does; services call it from `spawn_blocking`).

use std::time::Duration;

use mysql::prelude::Queryable;
use mysql::Conn;

use super::mysql_conn::{describe, mysql_error, open};
use super::mysql_lock::TableLock;
use super::mysql_options::{self, LockMethod, MysqlSettings};
use super::{
    ledger, poll_lock, Backend, ConnectOptions, ExecError, LedgerConfig, LedgerRow, LockWait,
};
use crate::config::{redact, DatabaseUrl};
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::schema::Schema;
use crate::sql::{split_as, Syntax};

/// A MySQL or MariaDB connection: one this backend opened, or the application's own.
pub struct MysqlBackend<'c> {
    conn: Slot<'c>,
    method: LockMethod,
    held: Option<Held>,
    /// The URL's settings, for the lock table's helper connection; `None` for a
    /// borrowed connection (its options are read from it).
    settings: Option<MysqlSettings>,
}

enum Slot<'c> {
    Owned(Box<Conn>),
    Borrowed(&'c mut Conn),
}

/// The lock this session holds.
enum Held {
    /// A `GET_LOCK` name.
    Named(String),
    /// A row of the lock table.
    Row(TableLock),
}

impl MysqlBackend<'static> {
    /// Connects, failing within `options.timeout` when no server answers. TLS,
    /// `MYSQL_PWD` and the lock method as described in
    /// [`mysql_options`](super::mysql_options).
    pub fn connect(url: &DatabaseUrl, options: &ConnectOptions) -> Result<Self> {
        let settings = settings(url)?;
        let conn = open(&settings, options).map_err(|message| Error::Connect {
            url: url.redacted(),
            message,
        })?;
        Ok(MysqlBackend {
            conn: Slot::Owned(Box::new(conn)),
            method: settings.lock,
            held: None,
            settings: Some(settings),
        })
    }
}

impl<'c> MysqlBackend<'c> {
    /// Migrates over the application's own connection. It must be in autocommit
    /// with no transaction open (migrating would commit the application's work);
    /// it comes back that way, with the lock released, whether the run succeeds or
    /// fails. Nothing else about the session is changed. The lock is `GET_LOCK`,
    /// or the lock table on a Galera node. (MariaDB reports an open transaction
    /// through `@@in_transaction`; MySQL has no such variable, so there only
    /// autocommit off is noticed.)
    pub fn borrow(conn: &'c mut Conn) -> Result<Self> {
        let context = "reading the session's transaction state";
        let (autocommit, in_transaction): (i64, i64) =
            match conn.query_first("SELECT @@autocommit, @@in_transaction") {
                Ok(row) => row.unwrap_or((1, 0)),
                // MySQL has no `in_transaction` (1193: unknown system variable);
                // an explicit transaction then goes unnoticed, autocommit off does not.
                Err(mysql::Error::MySqlError(e)) if e.code == 1193 => conn
                    .query_first("SELECT @@autocommit, 0")
                    .map_err(|e| mysql_error(context, &e))?
                    .unwrap_or((1, 0)),
                Err(e) => return Err(mysql_error(context, &e)),
            };
        if autocommit != 1 || in_transaction != 0 {
            return Err(Error::Connect {
                url: "the application's MySQL connection".to_string(),
                message: "the connection has an open transaction or autocommit off; commit or roll back, and SET autocommit = 1, before migrating".to_string(),
            });
        }
        Ok(MysqlBackend {
            conn: Slot::Borrowed(conn),
            method: LockMethod::Auto,
            held: None,
            settings: None,
        })
    }

    /// The underlying connection, e.g. to use the migrated database.
    pub fn connection(&mut self) -> &mut Conn {
        match &mut self.conn {
            Slot::Owned(conn) => conn,
            Slot::Borrowed(conn) => conn,
        }
    }

    /// Renews a lock-table lease that no helper connection renews.
    fn touch(&mut self) {
        if let Some(Held::Row(lock)) = &mut self.held {
            let conn: &mut Conn = match &mut self.conn {
                Slot::Owned(conn) => conn,
                Slot::Borrowed(conn) => conn,
            };
            lock.touch(conn);
        }
    }

    fn control(&mut self, sql: &str) -> Result<()> {
        self.touch();
        self.connection()
            .query_drop(sql)
            .map_err(|e| mysql_error(sql, &e))
    }

    /// The lock method to use: the URL's, or for `auto` the lock table on a Galera
    /// node (`wsrep_on`; MySQL has no such variable, which means no Galera).
    fn resolve_method(&mut self) -> Result<LockMethod> {
        if self.method != LockMethod::Auto {
            return Ok(self.method);
        }
        let galera = match self
            .connection()
            .query_first::<Option<i64>, _>("SELECT @@wsrep_on")
        {
            Ok(value) => value.flatten() == Some(1),
            // 1193: unknown system variable (MySQL, or MariaDB without wsrep).
            Err(mysql::Error::MySqlError(e)) if e.code == 1193 => false,
            Err(e) => return Err(mysql_error("SELECT @@wsrep_on", &e)),
        };
        Ok(if galera {
            LockMethod::Table
        } else {
            LockMethod::GetLock
        })
    }

    fn release(&mut self) -> Result<()> {
        match self.held.take() {
            None => Ok(()),
            Some(Held::Named(name)) => {
                let sql = format!("SELECT RELEASE_LOCK({})", quote_mysql(&name));
                self.connection()
                    .query_drop(&sql)
                    .map_err(|e| mysql_error("RELEASE_LOCK", &e))
            }
            Some(Held::Row(lock)) => lock.release(self.connection()),
        }
    }
}

impl Drop for MysqlBackend<'_> {
    fn drop(&mut self) {
        // A run that ends early (a panic in a caller's event handler, say) leaves
        // no lock behind on a connection that outlives it.
        let _ = self.release();
    }
}

/// The URL's settings, with `MYSQL_PWD` from the environment.
fn settings(url: &DatabaseUrl) -> Result<MysqlSettings> {
    let connect_error = |message: String| Error::Connect {
        url: url.redacted(),
        message,
    };
    let DatabaseUrl::Mysql(text) = url else {
        return Err(connect_error("not a MySQL URL".to_string()));
    };
    mysql_options::parse_url(text, &|key| std::env::var(key).ok())
        .map_err(|e| connect_error(redact(&e)))
}

impl Backend for MysqlBackend<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Mysql
    }

    fn lock(&mut self, config: &LedgerConfig, timeout: Duration) -> Result<()> {
        if self.held.is_some() {
            return Ok(());
        }
        let method = self.resolve_method()?;
        let acquired = match method {
            LockMethod::Table => {
                let helper = self.settings.clone();
                TableLock::acquire(self.connection(), helper, config, timeout)?.map(Held::Row)
            }
            LockMethod::GetLock | LockMethod::Auto => {
                // One name per database and ledger: GET_LOCK names are server-wide.
                // Hashed, since names are limited to 64 characters.
                let schema = config
                    .schema
                    .as_deref()
                    .map_or("DATABASE()".to_string(), quote_mysql);
                let name: String = self
                    .connection()
                    .query_first(format!(
                        "SELECT CONCAT('migrate:', LEFT(SHA2(CONCAT({schema}, '.', {}), 256), 40))",
                        quote_mysql(&config.table)
                    ))
                    .map_err(|e| mysql_error("naming the migration lock", &e))?
                    .unwrap_or_default();
                let sql = format!("SELECT GET_LOCK({}, 0)", quote_mysql(&name));
                let locked = poll_lock(timeout, || {
                    let got: Option<Option<i64>> = self
                        .connection()
                        .query_first(&sql)
                        .map_err(|e| mysql_error("GET_LOCK", &e))?;
                    Ok(got.flatten() == Some(1))
                })?;
                locked.then_some(Held::Named(name))
            }
        };
        match acquired {
            Some(held) => {
                self.held = Some(held);
                Ok(())
            }
            None => Err(Error::LockTimeout {
                ledger: config.display_name(),
                seconds: timeout.as_secs(),
            }),
        }
    }

    fn unlock(&mut self, _config: &LedgerConfig) -> Result<()> {
        self.release()
    }

    fn begin(&mut self) -> Result<()> {
        self.control("START TRANSACTION")
    }

    fn commit(&mut self) -> Result<()> {
        self.control("COMMIT")
    }

    fn rollback(&mut self) -> Result<()> {
        // Outside a transaction ROLLBACK does nothing, so this is safe either way.
        self.control("ROLLBACK")
    }

    fn execute(&mut self, script: &str) -> Result<(), ExecError> {
        self.touch();
        let conn = self.connection();
        for statement in split_as(script, Syntax::Mysql) {
            conn.query_drop(statement.sql).map_err(|e| ExecError {
                line: statement.line,
                message: describe(&e),
                // 1205: `innodb_lock_wait_timeout` or `lock_wait_timeout` passed.
                lock_wait: matches!(&e, mysql::Error::MySqlError(e) if e.code == 1205)
                    .then(LockWait::default),
            })?;
        }
        Ok(())
    }

    fn read_ledger(&mut self, config: &LedgerConfig) -> Result<Vec<LedgerRow>> {
        self.touch();
        let context = format!("reading the ledger {}", config.display_name());
        let schema = config
            .schema
            .as_deref()
            .map_or("DATABASE()".to_string(), quote_mysql);
        let exists = format!(
            "SELECT COUNT(*) FROM information_schema.tables \
             WHERE table_schema = {schema} AND table_name = {}",
            quote_mysql(&config.table)
        );
        let conn = self.connection();
        let count: Option<i64> = conn
            .query_first(exists)
            .map_err(|e| mysql_error(&context, &e))?;
        if count.unwrap_or(0) == 0 {
            return Ok(Vec::new());
        }
        let rows: Vec<(String, String, String, Option<i64>)> = conn
            .query(ledger::select_sql(config, Dialect::Mysql))
            .map_err(|e| mysql_error(&context, &e))?;
        Ok(rows
            .into_iter()
            .map(|(revision, checksum, applied_at, duration_ms)| LedgerRow {
                revision,
                checksum: checksum.trim_end().to_string(),
                applied_at,
                duration_ms,
            })
            .collect())
    }

    /// The connection's current database: MySQL's schemas are databases, so
    /// `schemas` (PostgreSQL's) has nothing to add.
    fn introspect(&mut self, _schemas: &[String], ledger: &LedgerConfig) -> Result<Schema> {
        super::introspect::mysql::introspect(self.connection(), &ledger.table)
            .map_err(|e| mysql_error("reading the schema", &e))
    }
}

impl super::AppConnection for Conn {
    fn backend(&mut self) -> Result<Box<dyn Backend + '_>> {
        Ok(Box::new(MysqlBackend::borrow(self)?))
    }
}

/// A string literal as MySQL reads it: backslashes escaped too, so a name
/// ending in `\` cannot end the literal early.
fn quote_mysql(text: &str) -> String {
    crate::dialect::quote_literal_in(text, Dialect::Mysql)
}
