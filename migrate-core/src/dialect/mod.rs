//! SQL dialects: one implementation per database (Alembic's `ddl` package).
//!
//! A dialect knows how to quote identifiers and render DDL. Quirks are documented
//! capability flags rather than `if postgres` checks scattered through callers.
//!
//! - `quote.rs` quotes identifiers and literals, for every dialect.
//! - `types.rs` names each column type per dialect.
//! - `ddl.rs` writes `CREATE` statements, shared by the dialects.
//! - [`postgres`], [`sqlite`] and [`mysql`] each say how their database alters a
//!   schema.

use std::fmt;
use std::str::FromStr;

/// The databases `migrate` speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dialect {
    /// SQLite 3 (through rusqlite).
    Sqlite,
    /// PostgreSQL (through the synchronous `postgres` crate).
    Postgres,
    /// MySQL and MariaDB (through the synchronous `mysql` crate).
    Mysql,
}

impl Dialect {
    /// Every dialect, in a fixed order.
    pub const ALL: [Dialect; 3] = [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql];

    /// The name used in section markers and messages: `sqlite`, `postgres` or `mysql`.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
            Dialect::Mysql => "mysql",
        }
    }
}

impl From<Dialect> for crate::sql::Syntax {
    /// The lexical rules a script for `dialect` is split with.
    fn from(dialect: Dialect) -> Self {
        match dialect {
            Dialect::Mysql => crate::sql::Syntax::Mysql,
            Dialect::Sqlite | Dialect::Postgres => crate::sql::Syntax::Standard,
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

    /// Accepts `sqlite`, `postgres`, `postgresql`, `mysql` and `mariadb` (one
    /// dialect: MariaDB speaks MySQL's).
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "sqlite" => Ok(Dialect::Sqlite),
            "postgres" | "postgresql" => Ok(Dialect::Postgres),
            "mysql" | "mariadb" => Ok(Dialect::Mysql),
            _ => Err(()),
        }
    }
}

mod ddl;
pub mod mysql;
mod mysql_columns;
pub mod postgres;
mod quote;
pub mod sqlite;
mod types;

pub use ddl::{comment_sql, create_enum_sql, create_index_sql, create_table_sql};
pub use quote::{
    quote_ident, quote_ident_always, quote_ident_always_in, quote_ident_in, quote_literal,
    quote_literal_in,
};
pub use types::{column_type_sql, parse_mysql_enum, parse_mysql_type, portable_type, type_key};

/// SQL for a list of operations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The statements, without trailing semicolons.
    pub statements: Vec<String>,
    /// `false` when a statement cannot run inside a transaction (PostgreSQL's
    /// `ALTER TYPE ... ADD VALUE`): the revision is then marked `transaction:false`.
    pub transactional: bool,
}

impl Rendered {
    /// The statements as a script, one per paragraph.
    pub fn script(&self) -> String {
        self.statements
            .iter()
            .map(|s| format!("{s};\n"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Dialect {
    /// `CREATE TYPE ... AS ENUM` exists (PostgreSQL); otherwise enums are `TEXT`
    /// with a `CHECK`.
    pub fn has_enum_types(self) -> bool {
        self == Dialect::Postgres
    }

    /// Tables and columns keep comments: PostgreSQL (`COMMENT ON`) and MySQL
    /// (`COMMENT '...'` in the definition); SQLite drops them.
    pub fn has_comments(self) -> bool {
        matches!(self, Dialect::Postgres | Dialect::Mysql)
    }

    /// Serial and identity columns, stored generation expressions and
    /// collations are read from the catalog and compared (PostgreSQL; MySQL
    /// compares generation expressions alone, [`compares_generated_columns`](Dialect::compares_generated_columns)); SQLite
    /// renders them portably (see `column_sql`) and its introspection reads none.
    pub fn compares_generation(self) -> bool {
        self == Dialect::Postgres
    }

    /// Generated columns' expressions are read from the catalog and compared
    /// (PostgreSQL, MySQL), each in a canonical spelling of its dialect
    /// (MySQL's re-spells `a + b` as `` `a` + `b` ``); SQLite's introspection
    /// reads none.
    pub fn compares_generated_columns(self) -> bool {
        matches!(self, Dialect::Postgres | Dialect::Mysql)
    }

    /// `ALTER TABLE ... ADD CONSTRAINT` exists (PostgreSQL, MySQL); SQLite needs a
    /// table rebuild, so it declares every constraint inline.
    pub fn can_add_constraints(self) -> bool {
        matches!(self, Dialect::Postgres | Dialect::Mysql)
    }

    /// Partial indexes (`CREATE INDEX ... WHERE`) exist (SQLite, PostgreSQL). MySQL
    /// has none: an index's condition is left out there, and the index covers
    /// every row.
    pub fn has_partial_indexes(self) -> bool {
        self != Dialect::Mysql
    }

    /// A unique index and a unique constraint are different objects (SQLite,
    /// PostgreSQL). On MySQL a unique constraint *is* a unique index: the catalog
    /// cannot tell which one a model declared, so the two compare equal there.
    pub fn distinguishes_unique_indexes(self) -> bool {
        self != Dialect::Mysql
    }
}
