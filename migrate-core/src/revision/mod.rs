//! The script side of `migrate` (Alembic's `script` package): revision files and
//! the graph they form.
//!
//! - [`file`](mod@file) parses one revision file. It is the only parser: `migrate-build`,
//!   `embed_migrations!` and the runtime all call it, so they cannot disagree.
//! - [`graph`] is the pure DAG: heads, bases, labels, targets and plans. No I/O.
//! - [`target`] parses the target grammar (`head`, `abc1+2`, `auth@head`, `a:b`, ...).
//! - [`author`] templates new revision files; [`rewrite`] plans `rebase` and
//!   `squash` over existing ones. Neither touches the disk.
//! - [`source`] is the one part that does file I/O: it reads a migrations
//!   directory and writes new and rewritten revision files atomically.
//!   [`embedded`] holds the `'static` form that `embed_migrations!` expands to.

pub mod author;
mod checksum;
pub(crate) mod direction;
pub mod embedded;
pub mod file;
pub mod graph;
pub mod rewrite;
pub mod source;
pub mod target;

use crate::dialect::Dialect;
use crate::error::Location;

pub use checksum::Checksum;
pub use direction::Direction;
pub use embedded::{EmbeddedFile, EmbeddedMigrations};
pub use file::parse;
pub use graph::{Applied, Plan, RevisionGraph, Step};
pub use source::load_dir;
pub use target::Target;

/// One `-- migrate:up` or `-- migrate:down` section of a revision file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Up or down.
    pub direction: Direction,
    /// `Some` for a dialect-specific section (`-- migrate:up postgres`).
    pub dialect: Option<Dialect>,
    /// `false` for `transaction:false`: the SQL runs outside any transaction,
    /// one statement at a time.
    pub transactional: bool,
    /// The SQL, exactly as in the file (line endings normalised to `\n`).
    pub sql: String,
    /// 1-based line of the file where `sql` begins (the line after the marker).
    /// Statement errors add their offset to this to name the failing line.
    pub first_line: usize,
}

/// Lines of the header keys, so graph errors can point at `path:line`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderLines {
    /// Line of the `revision` key (0 when absent).
    pub revision: usize,
    /// Line of the `down_revision` key (0 when absent).
    pub down_revision: usize,
    /// Line of the `depends_on` key (0 when absent).
    pub depends_on: usize,
    /// Line of the `branch_labels` key (0 when absent).
    pub branch_labels: usize,
    /// Line of the `replaces` key (0 when absent).
    pub replaces: usize,
    /// Line of the first `lint_allow` key (0 when absent).
    pub lint_allow: usize,
}

/// One parsed revision file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// The `revision:` id.
    pub id: String,
    /// Parents from `down_revision:`; empty for a base, several for a merge.
    pub down_revisions: Vec<String>,
    /// `depends_on:` entries: revision ids or branch labels.
    pub depends_on: Vec<String>,
    /// `branch_labels:`.
    pub branch_labels: Vec<String>,
    /// `replaces:`: ids of revisions this one squashes.
    pub replaces: Vec<String>,
    /// `message:`, empty when absent.
    pub message: String,
    /// `create_date:`, informational only.
    pub create_date: Option<String>,
    /// Every section, in file order.
    pub sections: Vec<Section>,
    /// Lint rules this revision acknowledges (`-- lint_allow: RULE, ...`, any
    /// number of lines): their findings anywhere in it are not reported.
    pub lint_allow: Vec<String>,
    /// See [`Checksum`].
    pub checksum: Checksum,
    /// The checksum this file had while its down sections were still empty;
    /// `None` when it has no down SQL. A ledger row holding it means the down was
    /// filled in after the revision was applied, which is not drift: that SQL
    /// had never run (see [`Revision::matches_recorded`]).
    pub checksum_before_down: Option<Checksum>,
    /// The file the revision came from.
    pub path: String,
    /// Where each header key sits in that file.
    pub lines: HeaderLines,
}

impl Revision {
    /// `path:line` of a header key's line (the `revision:` line when absent).
    pub fn location(&self, line: usize) -> Location {
        let line = if line == 0 { self.lines.revision } else { line };
        Location::new(self.path.clone(), line)
    }

    /// `path:line` of the `revision:` line.
    pub fn id_location(&self) -> Location {
        self.location(self.lines.revision)
    }

    /// True when this revision has no parent.
    pub fn is_base(&self) -> bool {
        self.down_revisions.is_empty()
    }

    /// True when this revision has two or more parents.
    pub fn is_merge(&self) -> bool {
        self.down_revisions.len() > 1
    }

    /// The sections to run for `direction` on `dialect`.
    ///
    /// Returns an empty list when the revision has no such section (for `down`,
    /// that means it cannot be downgraded). Returns `None` when the revision uses
    /// dialect sections but has none for `dialect`.
    pub fn sections_for(&self, direction: Direction, dialect: Dialect) -> Option<Vec<&Section>> {
        let of_direction = self.sections.iter().filter(|s| s.direction == direction);
        let has_dialect_sections = of_direction.clone().any(|s| s.dialect.is_some());
        if !has_dialect_sections {
            return Some(of_direction.collect());
        }
        let chosen: Vec<&Section> = of_direction
            .filter(|s| s.dialect == Some(dialect))
            .collect();
        if chosen.is_empty() {
            None
        } else {
            Some(chosen)
        }
    }

    /// The checksum the ledger records for this revision on `dialect`.
    ///
    /// Without dialect sections it is [`Revision::checksum`], the file's. With
    /// them it covers only the sections that run on `dialect` (its own and any
    /// unmarked ones), so editing the `sqlite` SQL is not drift on PostgreSQL,
    /// where it never ran.
    ///
    /// ```
    /// use migrate_core::{revision::parse, Dialect};
    /// let text = |lite: &str| format!(
    ///     "-- revision: a1\n-- down_revision: none\n\
    ///      -- migrate:up postgres\nCREATE TABLE t (id BIGINT);\n-- migrate:up sqlite\n{lite}\n"
    /// );
    /// let before = parse("a1.sql", &text("CREATE TABLE t (id INTEGER);")).unwrap();
    /// let after = parse("a1.sql", &text("CREATE TABLE t (id INTEGER NOT NULL);")).unwrap();
    /// assert_eq!(before.checksum_for(Dialect::Postgres), after.checksum_for(Dialect::Postgres));
    /// assert_ne!(before.checksum_for(Dialect::Sqlite), after.checksum_for(Dialect::Sqlite));
    /// ```
    pub fn checksum_for(&self, dialect: Dialect) -> Checksum {
        match self.sections_on(dialect) {
            Some(sections) => checksum::sections_checksum(sections, true),
            None => self.checksum,
        }
    }

    /// [`Revision::matches_recorded`] on a `dialect` database: with dialect
    /// sections, the row may also hold [`Revision::checksum_for`] that dialect,
    /// or that checksum as it was while the down was empty (a down filled in
    /// after applying is not drift). Rows written before checksums followed the
    /// dialect hold the file's checksum, which still matches an unchanged file.
    pub fn matches_recorded_on(&self, recorded: &str, dialect: Dialect) -> bool {
        self.matches_recorded(recorded)
            || self.sections_on(dialect).is_some_and(|sections| {
                [true, false].iter().any(|&with_down| {
                    checksum::sections_checksum(sections.clone(), with_down).to_hex() == recorded
                })
            })
    }

    /// With dialect sections, those that run on `dialect`: its own and any
    /// unmarked ones.
    fn sections_on(&self, dialect: Dialect) -> Option<impl Iterator<Item = &Section> + Clone> {
        self.sections.iter().any(|s| s.dialect.is_some()).then(|| {
            self.sections
                .iter()
                .filter(move |s| s.dialect.is_none_or(|d| d == dialect))
        })
    }

    /// True when `recorded`, a ledger row's checksum, says the SQL that ran is the
    /// SQL this revision holds now: the file is unchanged, or only its empty down
    /// was filled in since (the revision could not be downgraded before, so
    /// nothing that ran has changed). Editing an up, or a down that was already
    /// there, is drift.
    ///
    /// ```
    /// use migrate_core::revision::parse;
    /// let file = |down: &str| format!(
    ///     "-- revision: a1\n-- down_revision: none\n-- migrate:up\nCREATE TABLE t (id INT);\n-- migrate:down\n{down}"
    /// );
    /// let applied = parse("a1.sql", &file("")).unwrap().checksum.to_hex();
    /// let filled_in = parse("a1.sql", &file("DROP TABLE t;\n")).unwrap();
    /// assert!(filled_in.matches_recorded(&applied));
    /// let edited = parse("a1.sql", &file("DROP TABLE t CASCADE;\n")).unwrap();
    /// assert!(!edited.matches_recorded(&filled_in.checksum.to_hex()));
    /// ```
    pub fn matches_recorded(&self, recorded: &str) -> bool {
        std::iter::once(self.checksum)
            .chain(self.checksum_before_down)
            .any(|c| c.to_hex() == recorded)
    }

    /// True when the revision has downgrade SQL for `dialect` (an empty `down`
    /// means it cannot be downgraded). With dialect sections only that dialect's
    /// down counts: an empty `-- migrate:down postgres` is irreversible on
    /// PostgreSQL whatever `-- migrate:down sqlite` holds.
    ///
    /// ```
    /// use migrate_core::{revision::parse, Dialect};
    /// let rev = parse("a1.sql", "-- revision: a1\n-- down_revision: none\n\
    ///     -- migrate:up postgres\nCREATE TABLE t (id BIGINT);\n-- migrate:up sqlite\nCREATE TABLE t (id INTEGER);\n\
    ///     -- migrate:down postgres\n\n-- migrate:down sqlite\nDROP TABLE t;\n").unwrap();
    /// assert!(rev.has_down(Dialect::Sqlite));
    /// assert!(!rev.has_down(Dialect::Postgres));
    /// ```
    pub fn has_down(&self, dialect: Dialect) -> bool {
        self.sections_for(Direction::Down, dialect)
            .unwrap_or_default()
            .iter()
            .any(|s| !s.sql.trim().is_empty())
    }

    /// True when the revision can be downgraded on `dialect`: it has down SQL for
    /// it, or its up holds no statement there, so there is nothing to undo
    /// (`init`'s first revision, merges).
    pub fn can_downgrade(&self, dialect: Dialect) -> bool {
        self.has_down(dialect)
            || self
                .sections_for(Direction::Up, dialect)
                .unwrap_or_default()
                .iter()
                .all(|s| crate::sql::split_as(&s.sql, dialect.into()).is_empty())
    }

    /// The marker of the down section that runs on `dialect`, for messages:
    /// `-- migrate:down postgres` in a revision with dialect sections, else
    /// `-- migrate:down`.
    pub fn down_marker(&self, dialect: Dialect) -> String {
        let dialect_sections = self
            .sections
            .iter()
            .any(|s| s.direction == Direction::Down && s.dialect.is_some());
        if dialect_sections {
            format!("-- migrate:down {dialect}")
        } else {
            "-- migrate:down".to_string()
        }
    }
}
