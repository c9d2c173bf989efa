//! The `'static` form of a migrations directory that `embed_migrations!` expands to.
//!
//! The macro only embeds the files' text (through `include_str!`, so editing a file
//! rebuilds the crate); the runtime parses it with the same parser the macro used to
//! validate it at compile time. A *new* file is noticed because `migrate-build`
//! prints `cargo:rerun-if-changed` for the directory.

use super::{file, Revision, RevisionGraph};
use crate::error::Result;

/// One embedded revision file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbeddedFile {
    /// The path as shown in messages, e.g. `migrations/1a2b_init.sql`.
    pub path: &'static str,
    /// The file's text.
    pub contents: &'static str,
}

/// A migrations directory compiled into the binary by `embed_migrations!`.
///
/// ```
/// use migrate_core::revision::{EmbeddedFile, EmbeddedMigrations};
///
/// static MIGRATIONS: EmbeddedMigrations = EmbeddedMigrations {
///     source_dir: "/src/app/migrations",
///     files: &[EmbeddedFile {
///         path: "migrations/a1_init.sql",
///         contents: "-- revision: a1\n-- down_revision: none\n-- migrate:up\nSELECT 1;\n",
///     }],
/// };
/// let graph = MIGRATIONS.graph().unwrap();
/// assert_eq!(graph.heads(), vec!["a1"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbeddedMigrations {
    /// Absolute path of the directory at compile time; new revision files
    /// (`migrate revision`) are written there.
    pub source_dir: &'static str,
    /// Every `.sql` file, sorted by path.
    pub files: &'static [EmbeddedFile],
}

impl EmbeddedMigrations {
    /// Parses every file, reporting all malformed files at once.
    pub fn revisions(&self) -> Result<Vec<Revision>> {
        file::parse_many(self.files.iter().map(|f| (f.path, f.contents)))
    }

    /// Parses and validates the revision graph.
    pub fn graph(&self) -> Result<RevisionGraph> {
        RevisionGraph::new(self.revisions()?)
    }
}
