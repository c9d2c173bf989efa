//! SQL dialects: one implementation per database (Alembic's `ddl` package).
//!
//! A dialect knows how to quote identifiers and render DDL. Quirks are documented
//! capability flags rather than `if postgres` checks scattered through callers.

use std::fmt;
use std::str::FromStr;

/// The databases `migrate` speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dialect {
    /// SQLite 3 (through rusqlite).
    Sqlite,
    /// PostgreSQL (through the synchronous `postgres` crate).
    Postgres,
}

impl Dialect {
    /// Every dialect, in a fixed order.
    pub const ALL: [Dialect; 2] = [Dialect::Sqlite, Dialect::Postgres];

    /// The name used in section markers and messages: `sqlite` or `postgres`.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Dialect {
    type Err = ();

    /// Accepts `sqlite`, `postgres` and `postgresql`.
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "sqlite" => Ok(Dialect::Sqlite),
            "postgres" | "postgresql" => Ok(Dialect::Postgres),
            _ => Err(()),
        }
    }
}

mod ddl;
pub mod postgres;
pub mod sqlite;

pub(crate) use ddl::{
    check_sql, column_sql, create_schema_sql, foreign_key_sql, list, qualified, quote_literal,
    table_extras_sql, unique_sql,
};
pub use ddl::{column_type_sql, create_index_sql, create_table_sql, portable_type, quote_ident};

impl Dialect {
    /// `CREATE TYPE ... AS ENUM` exists (PostgreSQL); otherwise enums are `TEXT`
    /// with a `CHECK`.
    pub fn has_enum_types(self) -> bool {
        self == Dialect::Postgres
    }

    /// `COMMENT ON` exists (PostgreSQL); SQLite drops comments.
    pub fn has_comments(self) -> bool {
        self == Dialect::Postgres
    }

    /// `ALTER TABLE ... ADD CONSTRAINT` exists (PostgreSQL); SQLite needs a table
    /// rebuild, so it declares every constraint inline.
    pub fn can_add_constraints(self) -> bool {
        self == Dialect::Postgres
    }
}
