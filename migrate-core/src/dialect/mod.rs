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
