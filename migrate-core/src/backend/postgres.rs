//! PostgreSQL through the synchronous `postgres` crate, over TLS (see [`pg_tls`])
//! with libpq's `sslmode` and `PG*` variables (see [`pg_options`]).
//!
//! Locking: a session-level advisory lock, polled with `pg_try_advisory_lock` and
//! backoff. The blocking `pg_advisory_lock` would deadlock against
//! `CREATE INDEX CONCURRENTLY`, which waits for every other transaction, including
//! a migrator blocked on the lock.
//!
//! Async callers: the `postgres` crate blocks on a runtime of its own, which tokio
//! refuses to start on a thread that is driving a runtime ("Cannot start a runtime
//! from within a runtime"). So every call into the driver, connecting and closing
//! included, goes through [`outside_runtime`], which moves it to a short-lived
//! thread of its own when the caller is inside a runtime.
//!
//! [`pg_tls`]: super::pg_tls
//! [`pg_options`]: super::pg_options

use std::time::Duration;

use postgres::{Client, NoTls};
use sha2::{Digest, Sha256};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::pg_options::{self, SslMode, TlsSettings};
use super::{
    ledger, pg_tls, poll_lock, Backend, ConnectOptions, Dependent, ExecError, HeldLock,
    LedgerConfig, LedgerRow, LockWait, Timeouts,
};
use crate::config::{redact, DatabaseUrl};
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::operations::TableRef;
use crate::schema::Schema;
use crate::sql::split;

/// A PostgreSQL connection: one this backend opened, or the application's own.
pub struct PostgresBackend<'c> {
    client: Slot<'c>,
}

enum Slot<'c> {
    /// Opened here, closed on drop. `None` only while being dropped.
    Owned(Option<Box<Client>>),
    /// The application's; it gets it back as it lent it.
    Borrowed(&'c mut Client),
}

impl PostgresBackend<'static> {
    /// Connects, failing within `options.timeout` when no server answers. TLS,
    /// passwords and `PG*` variables as described in [`pg_options`](super::pg_options).
    pub fn connect(url: &DatabaseUrl, options: &ConnectOptions) -> Result<Self> {
        let client = connect_client(url, options)?;
        Ok(PostgresBackend {
            client: Slot::Owned(Some(Box::new(client))),
        })
    }
}

impl<'c> PostgresBackend<'c> {
    /// Migrates over the application's own client. Nothing about the session is
    /// changed: no setting, no `search_path`; the advisory lock is released and no
    /// transaction is left open, whether the run succeeds or fails.
    pub fn borrow(client: &'c mut Client) -> Self {
        PostgresBackend {
            client: Slot::Borrowed(client),
        }
    }

    /// The underlying client, e.g. to use the migrated database. Inside a tokio
    /// runtime, call it from `spawn_blocking`: the `postgres` crate cannot block there.
    pub fn client(&mut self) -> &mut Client {
        match &mut self.client {
            Slot::Owned(client) => client.as_mut().expect("taken only on drop"),
            Slot::Borrowed(client) => client,
        }
    }

    /// Runs `f` on the client, off any async runtime.
    fn with<R: Send>(&mut self, f: impl FnOnce(&mut Client) -> R + Send) -> R {
        let client = self.client();
        outside_runtime(move || f(client))
    }

    fn control(&mut self, sql: &str) -> Result<()> {
        self.with(|client| client.batch_execute(sql))
            .map_err(|e| Error::Database {
                message: format!("{sql}: {}", describe(&e)),
            })
    }
}

impl Drop for PostgresBackend<'_> {
    fn drop(&mut self) {
        // Closing blocks on the driver's runtime too.
        if let Slot::Owned(client) = &mut self.client {
            if let Some(client) = client.take() {
                outside_runtime(move || drop(client));
            }
        }
    }
}

/// Runs `f` on this thread, or, when this thread is inside a tokio runtime, on a
/// thread of its own while this one waits: the `postgres` crate's blocking calls
/// panic inside a runtime. The caller blocks either way, for as long as `f` runs.
pub fn outside_runtime<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|scope| match scope.spawn(f).join() {
        Ok(result) => result,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// Opens a `postgres::Client` for a URL with everything [`PostgresBackend::connect`]
/// honours: `sslmode` and the other TLS parameters, `PGPASSWORD`, `PGSSLMODE`,
/// `PGSSLROOTCERT`, `PGSSLCERT`, `PGSSLKEY`. Safe to call inside a tokio runtime;
/// the client it returns is the `postgres` crate's, to be used (and dropped) off
/// the runtime's threads, e.g. in `spawn_blocking`.
///
/// ```no_run
/// use migrate_core::backend::{postgres::connect_client, ConnectOptions};
/// use migrate_core::config::DatabaseUrl;
/// let url = DatabaseUrl::parse("postgres://app@db.internal/app?sslmode=verify-full")?;
/// let mut client = connect_client(&url, &ConnectOptions::default())?; // password from PGPASSWORD
/// client.batch_execute("SELECT 1").unwrap();
/// # Ok::<(), migrate_core::Error>(())
/// ```
pub fn connect_client(url: &DatabaseUrl, options: &ConnectOptions) -> Result<Client> {
    let connect_error = |message: String| Error::Connect {
        url: url.redacted(),
        message,
    };
    let DatabaseUrl::Postgres(text) = url else {
        return Err(connect_error("not a PostgreSQL URL".to_string()));
    };
    let parsed = pg_options::parse_url(text).map_err(|e| connect_error(redact(&e)))?;
    let (mut config, tls) =
        pg_options::resolve(parsed, &|key| std::env::var(key).ok()).map_err(connect_error)?;
    config.connect_timeout(options.timeout);
    outside_runtime(|| open(&mut config, &tls)).map_err(connect_error)
}

/// Connects as `tls.mode` says; the error is the one line to show.
fn open(config: &mut postgres::Config, tls: &TlsSettings) -> std::result::Result<Client, String> {
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(name)) => name.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(path)) => path.display().to_string(),
        None => "localhost".to_string(),
    };
    let failed = |e: postgres::Error| {
        pg_tls::describe_failure(&e, &host, tls).unwrap_or_else(|| describe_connect(&e, tls))
    };
    if tls.mode == SslMode::Disable {
        return config.connect(NoTls).map_err(failed);
    }
    let make_tls = MakeRustlsConnect::new(pg_tls::client_config(tls)?);
    if tls.mode == SslMode::Allow {
        // libpq's `allow`: plain first, TLS when the server turns plain down.
        match config.connect(NoTls) {
            Err(e) if e.as_db_error().is_some() => {
                config.ssl_mode(postgres::config::SslMode::Require);
            }
            other => return other.map_err(failed),
        }
    }
    config.connect(make_tls).map_err(failed)
}

/// A refused connection in one line, with the fix where there is an obvious one.
fn describe_connect(error: &postgres::Error, tls: &TlsSettings) -> String {
    let text = describe(error);
    match error.as_db_error() {
        Some(db)
            if db.message().contains("pg_hba.conf") && db.message().ends_with("no encryption") =>
        {
            format!("{text} (the server accepts only TLS connections here; use sslmode=require or stronger, not sslmode={})", tls.mode)
        }
        _ if text.contains("password missing") => {
            format!("{text}: the server asks for a password; put it in the URL or in PGPASSWORD")
        }
        _ => text,
    }
}

/// A key per ledger, so two applications sharing a server do not block each other.
fn lock_key(config: &LedgerConfig) -> i64 {
    let digest = Sha256::digest(format!("migrate:{}", config.display_name()).as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

/// The server's message with SQLSTATE, detail and hint, or the client error.
fn describe(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => {
            let mut text = format!("{} {}: {}", db.severity(), db.code().code(), db.message());
            if let Some(detail) = db.detail() {
                text.push_str(&format!(" (detail: {detail})"));
            }
            if let Some(hint) = db.hint() {
                text.push_str(&format!(" (hint: {hint})"));
            }
            text
        }
        // The cause (refused, timed out, bad password) sits in the source chain.
        // Connection errors can quote the connection string; never let a password out.
        None => redact(&pg_options::with_causes(error)),
    }
}

/// A `lock_timeout` failure (SQLSTATE 55P03), with the relation when the server
/// names one: in the error's table field, or in its context for row locks
/// ("while updating tuple (0,1) in relation \"t\"").
fn lock_wait(error: &postgres::Error) -> Option<LockWait> {
    let db = error.as_db_error()?;
    if *db.code() != postgres::error::SqlState::LOCK_NOT_AVAILABLE {
        return None;
    }
    let from_fields = db.table().map(|table| match db.schema() {
        Some(schema) => format!("{schema}.{table}"),
        None => table.to_string(),
    });
    let from_context = db.where_().and_then(|context| {
        let (_, rest) = context.split_once("in relation \"")?;
        rest.split_once('"').map(|(name, _)| name.to_string())
    });
    Some(LockWait {
        relation: from_fields.or(from_context),
    })
}

/// The `SET` statements for `timeouts`, in milliseconds (PostgreSQL's unit for
/// both settings); `scope` is `LOCAL` for the open transaction, or empty.
fn set_timeouts(timeouts: &Timeouts, scope: &str) -> String {
    let millis = |d: Duration| d.as_millis().min(i32::MAX as u128);
    let mut sql = String::new();
    if let Some(lock) = timeouts.lock {
        sql.push_str(&format!("SET {scope} lock_timeout = {};", millis(lock)));
    }
    if let Some(statement) = timeouts.statement {
        sql.push_str(&format!(
            "SET {scope} statement_timeout = {};",
            millis(statement)
        ));
    }
    sql
}

impl Backend for PostgresBackend<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn lock(&mut self, config: &LedgerConfig, timeout: Duration) -> Result<()> {
        let key = lock_key(config);
        let locked = poll_lock(timeout, || {
            let row = self
                .with(|client| client.query_one("SELECT pg_try_advisory_lock($1)", &[&key]))
                .map_err(|e| Error::Database {
                    message: format!("pg_try_advisory_lock: {}", describe(&e)),
                })?;
            Ok(row.get::<_, bool>(0))
        })?;
        if !locked {
            return Err(Error::LockTimeout {
                ledger: config.display_name(),
                seconds: timeout.as_secs(),
            });
        }
        Ok(())
    }

    fn unlock(&mut self, config: &LedgerConfig) -> Result<()> {
        let key = lock_key(config);
        self.with(|client| client.query_one("SELECT pg_advisory_unlock($1)", &[&key]))
            .map_err(|e| Error::Database {
                message: format!("pg_advisory_unlock: {}", describe(&e)),
            })?;
        Ok(())
    }

    fn begin(&mut self) -> Result<()> {
        self.control("BEGIN")
    }

    fn commit(&mut self) -> Result<()> {
        self.control("COMMIT")
    }

    fn rollback(&mut self) -> Result<()> {
        // Outside a transaction ROLLBACK is only a warning, so this is safe either way.
        self.control("ROLLBACK")
    }

    fn execute(&mut self, script: &str) -> Result<(), ExecError> {
        self.with(|client| {
            for statement in split(script) {
                client.batch_execute(statement.sql).map_err(|e| ExecError {
                    line: statement.line,
                    message: describe(&e),
                    lock_wait: lock_wait(&e),
                })?;
            }
            Ok(())
        })
    }

    fn limit_transaction(&mut self, timeouts: &Timeouts) -> Result<()> {
        if !timeouts.is_set() {
            return Ok(());
        }
        // LOCAL: the settings end with the transaction, so a borrowed
        // connection's session keeps its own.
        self.control(&set_timeouts(timeouts, "LOCAL"))
    }

    fn execute_limited(&mut self, statement: &str, timeouts: &Timeouts) -> Result<(), ExecError> {
        if !timeouts.is_set() {
            return self.execute(statement);
        }
        // Outside a transaction SET LOCAL does nothing: set the session's values
        // and put back what they were, whatever the statement did.
        let failed = |e: postgres::Error| ExecError {
            line: 1,
            message: describe(&e),
            lock_wait: None,
        };
        let saved: Vec<(String, String)> = self
            .with(|client| {
                client.query_one(
                    "SELECT current_setting('lock_timeout'), current_setting('statement_timeout')",
                    &[],
                )
            })
            .map(|row| {
                vec![
                    ("lock_timeout".to_string(), row.get(0)),
                    ("statement_timeout".to_string(), row.get(1)),
                ]
            })
            .map_err(failed)?;
        let set = set_timeouts(timeouts, "");
        self.with(|client| client.batch_execute(&set))
            .map_err(failed)?;
        let result = self.execute(statement);
        let restored = self.with(|client| {
            for (name, value) in &saved {
                client.query_one("SELECT set_config($1, $2, false)", &[name, value])?;
            }
            Ok(())
        });
        result?;
        restored.map_err(failed)
    }

    fn locks_held_by_others(&mut self) -> Result<Vec<HeldLock>> {
        let rows = self
            .with(|client| {
                client.query(
                    "SELECT n.nspname::text, c.relname::text, l.pid, l.mode \
                     FROM pg_locks l \
                     JOIN pg_class c ON c.oid = l.relation \
                     JOIN pg_namespace n ON n.oid = c.relnamespace \
                     WHERE l.locktype = 'relation' AND l.granted \
                       AND l.pid <> pg_backend_pid() \
                       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
                       AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
                       AND n.nspname NOT LIKE 'pg_toast%' \
                     ORDER BY 1, 2, 3, 4",
                    &[],
                )
            })
            .map_err(|e| Error::Database {
                message: format!("reading pg_locks: {}", describe(&e)),
            })?;
        Ok(rows
            .iter()
            .map(|row| HeldLock {
                schema: row.get(0),
                relation: row.get(1),
                pid: row.get(2),
                mode: row.get(3),
            })
            .collect())
    }

    fn read_ledger(&mut self, config: &LedgerConfig) -> Result<Vec<LedgerRow>> {
        let db_error = |e: postgres::Error| Error::Database {
            message: format!(
                "reading the ledger {}: {}",
                config.display_name(),
                describe(&e)
            ),
        };
        let qualified = config.qualified(Dialect::Postgres);
        let select = ledger::select_sql(config, Dialect::Postgres);
        let rows = self
            .with(|client| {
                let exists: bool = client
                    .query_one("SELECT to_regclass($1) IS NOT NULL", &[&qualified])?
                    .get(0);
                if !exists {
                    return Ok(Vec::new());
                }
                client.query(&select, &[])
            })
            .map_err(db_error)?;
        Ok(rows
            .iter()
            .map(|row| LedgerRow {
                revision: row.get(0),
                checksum: row.get::<_, String>(1).trim_end().to_string(),
                applied_at: row.get(2),
                duration_ms: row.get(3),
            })
            .collect())
    }

    fn introspect(&mut self, schemas: &[String], ledger: &LedgerConfig) -> Result<Schema> {
        self.with(|client| {
            super::introspect::postgres::introspect(
                client,
                schemas,
                (&ledger.table, ledger.schema.as_deref()),
            )
        })
        .map_err(|e| Error::Database {
            message: format!("reading the schema: {}", describe(&e)),
        })
    }

    fn dependents(&mut self, tables: &[TableRef]) -> Result<Vec<Dependent>> {
        if tables.is_empty() {
            return Ok(Vec::new());
        }
        self.with(|client| super::introspect::postgres::dependents(client, tables))
            .map_err(|e| Error::Database {
                message: format!(
                    "reading what depends on the dropped tables: {}",
                    describe(&e)
                ),
            })
    }

    fn unmanaged(&mut self, schemas: &[String]) -> Result<Vec<(String, String)>> {
        self.with(|client| super::introspect::postgres::unmanaged(client, schemas))
            .map_err(|e| Error::Database {
                message: format!("listing unmanaged objects: {}", describe(&e)),
            })
    }

    fn canonical_models(&mut self, models: &Schema) -> Result<Option<Schema>> {
        self.with(|client| super::introspect::postgres::canonical_models(client, models))
            .map_err(|e| Error::Database {
                message: format!("reading how the server spells the models: {}", describe(&e)),
            })
    }
}

impl super::AppConnection for Client {
    fn backend(&mut self) -> Result<Box<dyn Backend + '_>> {
        Ok(Box::new(PostgresBackend::borrow(self)))
    }
}
