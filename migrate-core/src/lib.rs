//! The engine behind [`migrate`](https://docs.rs/migrate): everything except the
//! macros. Its modules mirror Alembic's architecture, so the folder tree reads as
//! the design:
//!
//! - [`revision`]: revision files, the revision graph, targets, embedded migrations
//!   (Alembic's `script`). Pure and I/O-free apart from [`revision::source`],
//!   which reads and writes the revision files.
//! - [`runner`] and [`backend`]: applying revisions, the ledger, locking (Alembic's
//!   `runtime`); each backend also reads its database's catalog.
//! - [`schema`]: the schema model that `#[model]`s register and databases are read
//!   into; it depends on nothing but [`error`].
//! - [`operations`]: schema changes, each with its reverse (Alembic's `operations`).
//! - [`autogenerate`]: compare, render (Alembic's `autogenerate`).
//! - [`dialect`]: one implementation per database for quoting and DDL (Alembic's `ddl`).
//! - [`testing`]: checks for an application's own test suite (pytest-alembic's).
//! - [`error`]: the single error type; every variant names revisions, files and lines.
//!
//! Database drivers are behind the `sqlite` and `postgres` features, and the command
//! line behind `cli`. The build script helper and the proc macros use this crate with
//! every feature off, so they never compile a database client for the host.

#![warn(missing_docs)]

pub mod autogenerate;
pub mod backend;
#[cfg(feature = "cli")]
pub mod cli;
pub mod config;
pub mod dialect;
pub mod error;
#[cfg(feature = "lint")]
pub mod lint;
pub mod operations;
pub mod revision;
pub mod runner;
pub mod schema;
pub mod sql;
pub mod suggest;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub mod testing;

pub use dialect::Dialect;
pub use error::{Error, Location, Result};
pub use revision::{EmbeddedFile, EmbeddedMigrations, Revision, RevisionGraph};
pub use schema::{metadata, SqlType};

/// Items used by code that `migrate`'s macros generate. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::revision::{EmbeddedFile, EmbeddedMigrations};
    pub use crate::schema::model::{
        assemble, ModelCheck, ModelColumn, ModelEnum, ModelExclusion, ModelForeignKey,
        ModelGenerated, ModelIndex, ModelSequence, ModelTable, ModelUnique,
    };
    pub use crate::schema::types::hint;
    pub use crate::schema::{ColumnType, SqlType};
    pub use inventory;
}
