//! The ledger (version table) as SQL text.
//!
//! One row per applied revision with its checksum, when it was applied and how
//! long it took: an audit trail, where Alembic's `alembic_version` keeps only the
//! heads. The statements are plain text with literals (no parameters), so the
//! online run and the offline `--sql` script execute exactly the same SQL.

use crate::dialect::{quote_ident_always_in, quote_literal_in, Dialect};

/// Where the ledger lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerConfig {
    /// Table name; `migrate_version` by default.
    pub table: String,
    /// PostgreSQL schema, or MySQL database; `None` uses the search path (the
    /// URL's database on MySQL).
    pub schema: Option<String>,
}

impl Default for LedgerConfig {
    fn default() -> Self {
        LedgerConfig {
            table: "migrate_version".to_string(),
            schema: None,
        }
    }
}

impl LedgerConfig {
    /// The quoted, possibly schema-qualified table name.
    ///
    /// ```
    /// use migrate_core::backend::LedgerConfig;
    /// use migrate_core::dialect::Dialect;
    /// let ledger = LedgerConfig { table: "v`1".into(), schema: Some("ops".into()) };
    /// assert_eq!(ledger.qualified(Dialect::Postgres), "\"ops\".\"v`1\"");
    /// assert_eq!(ledger.qualified(Dialect::Mysql), "`ops`.`v``1`");
    /// assert_eq!(ledger.qualified(Dialect::Sqlite), "\"v`1\"");
    /// ```
    pub fn qualified(&self, dialect: Dialect) -> String {
        match (&self.schema, dialect) {
            (Some(schema), Dialect::Postgres | Dialect::Mysql) => {
                format!(
                    "{}.{}",
                    quote_ident_always_in(schema, dialect),
                    quote_ident_always_in(&self.table, dialect)
                )
            }
            _ => quote_ident_always_in(&self.table, dialect),
        }
    }

    /// For messages: `schema.table` unquoted.
    pub fn display_name(&self) -> String {
        match &self.schema {
            Some(schema) => format!("{schema}.{}", self.table),
            None => self.table.clone(),
        }
    }
}

/// One ledger row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    /// The revision id.
    pub revision: String,
    /// Its checksum when it was applied (lowercase hex).
    pub checksum: String,
    /// When it was applied, as the database prints it.
    pub applied_at: String,
    /// How long it took, when known (offline runs do not know).
    pub duration_ms: Option<i64>,
}

/// Creates the ledger if it does not exist (and its schema on PostgreSQL, its
/// database on MySQL).
pub fn create_sql(config: &LedgerConfig, dialect: Dialect) -> String {
    let table = config.qualified(dialect);
    match dialect {
        Dialect::Sqlite => format!(
            "CREATE TABLE IF NOT EXISTS {table} (\n    \
             id INTEGER PRIMARY KEY AUTOINCREMENT,\n    \
             revision VARCHAR(64) NOT NULL UNIQUE,\n    \
             checksum CHAR(64) NOT NULL,\n    \
             applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n    \
             duration_ms INTEGER\n)"
        ),
        Dialect::Postgres => {
            let schema = config
                .schema
                .as_ref()
                .map(|s| {
                    format!(
                        "CREATE SCHEMA IF NOT EXISTS {};\n",
                        quote_ident_always_in(s, dialect)
                    )
                })
                .unwrap_or_default();
            format!(
                "{schema}CREATE TABLE IF NOT EXISTS {table} (\n    \
                 id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    \
                 revision VARCHAR(64) NOT NULL UNIQUE,\n    \
                 checksum CHAR(64) NOT NULL,\n    \
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),\n    \
                 duration_ms BIGINT\n)"
            )
        }
        Dialect::Mysql => {
            let database = config
                .schema
                .as_ref()
                .map(|s| {
                    format!(
                        "CREATE DATABASE IF NOT EXISTS {};\n",
                        quote_ident_always_in(s, dialect)
                    )
                })
                .unwrap_or_default();
            format!(
                "{database}CREATE TABLE IF NOT EXISTS {table} (\n    \
             id BIGINT AUTO_INCREMENT PRIMARY KEY,\n    \
             revision VARCHAR(64) NOT NULL UNIQUE,\n    \
             checksum CHAR(64) NOT NULL,\n    \
             applied_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),\n    \
             duration_ms BIGINT\n) ENGINE = InnoDB"
            )
        }
    }
}

/// Records a revision.
pub fn insert_sql(
    config: &LedgerConfig,
    dialect: Dialect,
    revision: &str,
    checksum: &str,
    duration_ms: Option<i64>,
) -> String {
    format!(
        "INSERT INTO {} (revision, checksum, duration_ms) VALUES ({}, {}, {})",
        config.qualified(dialect),
        quote_literal_in(revision, dialect),
        quote_literal_in(checksum, dialect),
        duration_ms.map_or("NULL".to_string(), |d| d.to_string())
    )
}

/// Forgets revisions.
pub fn delete_sql(config: &LedgerConfig, dialect: Dialect, revisions: &[&str]) -> String {
    let list: Vec<String> = revisions
        .iter()
        .map(|r| quote_literal_in(r, dialect))
        .collect();
    format!(
        "DELETE FROM {} WHERE revision IN ({})",
        config.qualified(dialect),
        list.join(", ")
    )
}

/// Forgets everything (`stamp --purge`).
pub fn clear_sql(config: &LedgerConfig, dialect: Dialect) -> String {
    format!("DELETE FROM {}", config.qualified(dialect))
}

/// Reads the rows in application order.
pub fn select_sql(config: &LedgerConfig, dialect: Dialect) -> String {
    let applied_at = match dialect {
        Dialect::Sqlite => "CAST(applied_at AS TEXT)",
        Dialect::Postgres => {
            "to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
        }
        // The column holds UTC and shows it in the session's zone; PostgreSQL's
        // spelling, in UTC to the millisecond.
        Dialect::Mysql => {
            "CONCAT(LEFT(DATE_FORMAT(CONVERT_TZ(applied_at, @@session.time_zone, '+00:00'), \
             '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z')"
        }
    };
    format!(
        "SELECT revision, checksum, {applied_at}, duration_ms FROM {} ORDER BY id",
        config.qualified(dialect)
    )
}
