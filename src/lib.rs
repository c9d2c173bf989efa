//! # migrate
//!
//! Schema migrations for Rust services, with everything Alembic gives Python: a
//! revision graph with branches, merges, labels and `depends_on`; online and
//! offline runs; autogenerate from models. What Alembic finds out in production,
//! `cargo build` checks here.
//!
//! ## Revisions
//!
//! Revision files are SQL in `migrations/`, each naming its parent:
//!
//! ```sql
//! -- revision: 3f2a9c1b7d4e
//! -- down_revision: 1a2b3c4d5e6f
//! -- message: add users table
//!
//! -- migrate:up
//! CREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT NOT NULL UNIQUE);
//!
//! -- migrate:down
//! DROP TABLE users;
//! ```
//!
//! A build script fails the build on a broken chain (cycle, missing parent,
//! duplicate id, a second head, a malformed file), naming the file, the line and
//! the fix, and makes a new file rebuild the crate:
//!
//! ```no_run
//! // In build.rs's `fn main()`, with migrate-build as a build dependency:
//! migrate_build::Migrations::new("migrations").run();
//! ```
//!
//! ## Upgrading at start-up
//!
//! [`embed_migrations!`] compiles the revisions into the binary (validated again at
//! compile time); [`runner::upgrade`] brings the database to the heads, each
//! revision with its ledger row in one transaction, under a lock so that replicas
//! starting together apply everything once.
//!
//! ```no_run
//! // The path is relative to the crate's Cargo.toml.
//! static MIGRATIONS: migrate::EmbeddedMigrations =
//!     migrate::embed_migrations!("examples/bookshelf/migrations");
//!
//! fn main() -> Result<(), migrate::Error> {
//!     // ENVIRONMENT picks DATABASE_URL_LOCAL/_DEV/_STAGING/_PROD; .env is read too.
//!     let url = migrate::config::url_from_env(None)?;
//!     let report = migrate::runner::upgrade(&MIGRATIONS, &url, "heads")?;
//!     println!("applied {} revision(s)", report.steps.len());
//!     Ok(())
//! }
//! ```
//!
//! In production, PostgreSQL URLs take libpq's `sslmode`, `sslrootcert`, `sslcert`
//! and `sslkey` (TLS on rustls), `PGPASSWORD` supplies a password the URL leaves
//! out, every entry point is safe inside a tokio runtime (it blocks its thread for
//! the migration's length: call it in `spawn_blocking`), and
//! [`runner::upgrade_on`] migrates over a connection the application already holds.
//!
//! ## Models
//!
//! `#[model]` structs and enums register themselves; [`metadata()`] is every model
//! linked into the binary (Alembic's `Base.metadata`), with no import list:
//!
//! ```
//! use migrate::model;
//!
//! /// Teams of people.
//! #[model(table = "teams")]
//! pub struct Team {
//!     #[column(primary_key)]
//!     pub id: i64,
//!     #[column(unique, max_length = 100)]
//!     pub name: String,
//! }
//!
//! #[model(table = "members", index(name = "ix_members_team_email", columns(team_id, email), unique))]
//! pub struct Member {
//!     #[column(primary_key)]
//!     pub id: i64,
//!     #[column(references = "teams.id", on_delete = "cascade")]
//!     pub team_id: i64,
//!     pub email: String,
//!     pub nickname: Option<String>, // nullable
//!     pub role: Role,
//! }
//!
//! #[model]
//! pub enum Role { Owner, Member }
//!
//! let schema = migrate::metadata().unwrap();
//! assert_eq!(schema.tables[0].name, "teams"); // referenced tables first
//! let ddl = schema.create_sql(migrate::Dialect::Postgres);
//! assert!(ddl[0].starts_with("CREATE TYPE role AS ENUM"));
//! ```
//!
//! ## The runner binary
//!
//! An application's own `src/bin/migrate.rs` (the role of Alembic's `env.py`)
//! drives the whole CLI with the revisions embedded and the models linked in, so
//! `revision --autogenerate` and `check` can compare models with a database. The
//! revisions it generates carry SQL for every database the binary is built for
//! (a `sqlite` and a `postgres` section), so what is generated against a SQLite
//! file deploys to PostgreSQL:
//!
//! ```no_run
//! fn main() -> std::process::ExitCode {
//!     migrate::cli::main(migrate::embed_migrations!("examples/bookshelf/migrations"))
//! }
//! ```
//!
//! ## Testing
//!
//! [`testing`] holds pytest-alembic's checks for your own test suite: one head,
//! upgrade from base, a stepwise up/down roundtrip, and models matching migrations.
//!
//! ## Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `sqlite` | yes | SQLite through rusqlite (bundled: nothing to install) |
//! | `postgres` | yes | PostgreSQL through the `postgres` crate, TLS on rustls |
//! | `mysql` | no | MySQL and MariaDB through the `mysql` crate, TLS on rustls ([`backend::mysql`](crate::backend)) |
//! | `cli` | yes | [`cli`]: the command line for an application's runner binary |
//! | `chrono`, `time`, `uuid`, `serde_json`, `rust_decimal` | no | column types ([`SqlType`]) for those crates' types |
//!
//! Everything else needs no feature: the macros, the revision graph, models and
//! [`metadata()`], and the start-up helpers ([`config::url_from_env`], `.env`
//! loading, [`runner::upgrade`]).
//!
//! ## Modules
//!
//! The modules mirror Alembic's architecture: [`revision`] (files and graph),
//! [`runner`] and [`backend`] (applying, the ledger, locking), [`schema`],
//! [`operations`], [`autogenerate`] (compare and render), [`config`] (URLs and
//! environment), [`testing`] and [`cli`]. Each is a named list of what an
//! application uses; the engine itself is the `migrate-core` crate.

#![warn(missing_docs)]

pub use migrate_core::error::{LockedTables, ParseProblem};
pub use migrate_core::schema::{metadata, SqlType};
pub use migrate_core::{
    Dialect, EmbeddedFile, EmbeddedMigrations, Error, Location, Result, Revision, RevisionGraph,
};
pub use migrate_macros::{embed_migrations, model};

/// Which database to talk to: [`DatabaseUrl`](config::DatabaseUrl), and the
/// start-up helpers that read it from the environment and `./.env`.
///
/// `ENVIRONMENT` picks the URL variable (`DATABASE_URL_LOCAL`, `_DEV`,
/// `_STAGING`, `_PROD`), `DATABASE_URL` overrides it, and URLs print with their
/// password redacted.
pub mod config {
    pub use migrate_core::config::{
        load_dotenv, load_dotenv_from, redact, redact_url, resolve_url, url_from_env, DatabaseUrl,
    };
}

/// Applying revisions: [`upgrade`](runner::upgrade) at start-up,
/// the `*_on` calls over a connection the application already holds, and
/// [`run`](runner::run) for every command with every option.
pub mod runner {
    pub use migrate_core::runner::{
        current_on, downgrade_on, run, stamp_on, upgrade, upgrade_on, Command, Event, Report,
        RunOptions,
    };
}

/// Revision files and the revision graph (Alembic's `script`): parsing, loading a
/// directory, plans. [`Revision`](crate::Revision) and
/// [`RevisionGraph`](crate::RevisionGraph) themselves are at the crate root.
pub mod revision {
    pub use migrate_core::revision::{
        load_dir, parse, Applied, Checksum, Direction, HeaderLines, Plan, Section, Step,
    };
}

/// The schema model that `#[model]`s register into and databases are read into.
/// [`metadata()`](crate::metadata) is every model linked into the binary.
pub mod schema {
    pub use migrate_core::schema::{
        CheckConstraint, Column, ColumnType, Deferral, EnumType, ExclusionConstraint, FkAction,
        ForeignKey, Generation, Index, IndexKey, Schema, Sequence, Table, UniqueConstraint,
    };
}

/// Schema changes, each with its reverse (Alembic's `operations`): what
/// [`autogenerate`](crate::autogenerate) finds and renders.
pub mod operations {
    pub use migrate_core::operations::{Constraint, EnumColumn, Op, TableRef};
}

/// Comparing models with a database, and the revision that closes the gap
/// (Alembic's `autogenerate`): what `revision --autogenerate` and `check` run.
pub mod autogenerate {
    pub use migrate_core::autogenerate::{
        check_dependents, compare, compare_database, compare_for, generate, generate_for,
        read_database, render, Autogenerated, Diff, Filter, Generated, Rendered,
    };
}

/// Database connections behind one trait, [`Backend`](backend::Backend): what
/// the runner, autogenerate and the testing helpers drive.
pub mod backend {
    pub use migrate_core::backend::{
        available, connect, AppConnection, Backend, ConnectOptions, ExecError, HeldLock,
        LedgerConfig, LedgerRow, LockWait, Timeouts,
    };

    /// SQLite through rusqlite (bundled).
    #[cfg(feature = "sqlite")]
    pub mod sqlite {
        pub use migrate_core::backend::sqlite::SqliteBackend;
    }

    /// PostgreSQL through the `postgres` crate, with libpq's TLS parameters.
    #[cfg(feature = "postgres")]
    pub mod postgres {
        pub use migrate_core::backend::postgres::{connect_client, PostgresBackend};
    }

    /// MySQL and MariaDB through the `mysql` crate, TLS on rustls.
    #[cfg(feature = "mysql")]
    pub mod mysql {
        pub use migrate_core::backend::mysql::MysqlBackend;
    }
}

/// Checks for an application's own test suite (pytest-alembic's): one head,
/// upgrade from base, a stepwise up/down roundtrip, models matching migrations,
/// and a scratch database per test.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub mod testing {
    pub use migrate_core::testing::{
        models_match, models_match_schema, single_head, up_down_roundtrip, upgrade_from_base,
        ScratchDatabase, SERVER_VAR,
    };
}

/// Migration hazards read against the history, as `migrate lint` reports
/// them: long locks, table rewrites and statements that fail, flagged only on
/// tables that existed before the revision.
#[cfg(feature = "lint")]
pub mod lint {
    pub use migrate_core::lint::{lint, rules, Finding, Options, Rule, Severity};
}

/// The command line, for an application's own runner binary
/// (`src/bin/migrate.rs`, the role of Alembic's `env.py`).
#[cfg(feature = "cli")]
pub mod cli {
    pub use migrate_core::cli::{main, run_from, Source};
}

/// Items used by code that `migrate`'s macros generate. Not a public API: no
/// semver promise covers it.
#[doc(hidden)]
pub mod __private {
    pub use migrate_core::__private::*;
}
