//! PostgreSQL through the synchronous `postgres` crate (no async runtime).
//!
//! Locking: a session-level advisory lock, polled with `pg_try_advisory_lock` and
//! backoff. The blocking `pg_advisory_lock` would deadlock against
//! `CREATE INDEX CONCURRENTLY`, which waits for every other transaction, including
//! a migrator blocked on the lock.

use std::time::Duration;

use postgres::{Client, NoTls};
use sha2::{Digest, Sha256};

use super::{ledger, poll_lock, Backend, ConnectOptions, ExecError, LedgerConfig, LedgerRow};
use crate::config::{redact, DatabaseUrl};
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::schema::Schema;
use crate::sql::split;

/// A PostgreSQL connection.
pub struct PostgresBackend {
    client: Client,
}

impl PostgresBackend {
    /// Connects, failing within `options.timeout` when no server answers.
    pub fn connect(url: &DatabaseUrl, options: &ConnectOptions) -> Result<Self> {
        let connect_error = |message: String| Error::Connect {
            url: url.redacted(),
            message,
        };
        let DatabaseUrl::Postgres(text) = url else {
            return Err(connect_error("not a PostgreSQL URL".to_string()));
        };
        let mut config: postgres::Config = text
            .parse()
            .map_err(|e: postgres::Error| connect_error(redact(&e.to_string())))?;
        config.connect_timeout(options.timeout);
        let client = config
            .connect(NoTls)
            .map_err(|e| connect_error(describe(&e)))?;
        Ok(PostgresBackend { client })
    }

    /// The underlying client, e.g. to use the migrated database.
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    fn control(&mut self, sql: &str) -> Result<()> {
        self.client.batch_execute(sql).map_err(|e| Error::Database {
            message: format!("{sql}: {}", describe(&e)),
        })
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
        None => {
            let mut text = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                text.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            redact(&text)
        }
    }
}

impl Backend for PostgresBackend {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn lock(&mut self, config: &LedgerConfig, timeout: Duration) -> Result<()> {
        let key = lock_key(config);
        let client = &mut self.client;
        let locked = poll_lock(timeout, || {
            let row = client
                .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
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
        self.client
            .query_one("SELECT pg_advisory_unlock($1)", &[&key])
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
        for statement in split(script) {
            self.client
                .batch_execute(statement.sql)
                .map_err(|e| ExecError {
                    line: statement.line,
                    message: describe(&e),
                })?;
        }
        Ok(())
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
        let exists: bool = self
            .client
            .query_one("SELECT to_regclass($1) IS NOT NULL", &[&qualified])
            .map_err(db_error)?
            .get(0);
        if !exists {
            return Ok(Vec::new());
        }
        let rows = self
            .client
            .query(&ledger::select_sql(config, Dialect::Postgres), &[])
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
        crate::autogenerate::introspect::postgres::introspect(
            &mut self.client,
            schemas,
            (&ledger.table, ledger.schema.as_deref()),
        )
        .map_err(|e| Error::Database {
            message: format!("reading the schema: {}", describe(&e)),
        })
    }
}
