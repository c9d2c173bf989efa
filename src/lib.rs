//! # migrate
//!
//! Schema migrations for Rust services: Alembic's revision graph (branches, merges,
//! labels, `depends_on`), checked when you run `cargo build`.
//!
//! See the README for the file format, the build script and the CLI.

pub use migrate_core::*;
pub use migrate_macros::{embed_migrations, model};
