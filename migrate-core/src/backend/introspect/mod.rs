//! Reading a live database's catalog into a [`Schema`](crate::schema::Schema),
//! the same model [`metadata`](crate::metadata) builds from `#[model]`s.
//!
//! Each backend reads its own catalog ([`Backend::introspect`](super::Backend::introspect)):
//! SQLite through its `pragma_*` table functions, PostgreSQL through `pg_catalog`
//! and MySQL through `information_schema`, each with a fixed number of queries
//! whatever the number of tables (Alembic's
//! per-table reflection took 70 minutes on 8,477 tables, alembic#580). The ledger
//! table is never part of the result.

#[cfg(feature = "mysql")]
pub mod mysql;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "sqlite")]
pub mod sqlite;
#[cfg(feature = "sqlite")]
pub(crate) mod table_sql;
