//! The rule catalogue: every rule's name, severity, the dialects it applies to,
//! and the safe alternative its findings name. The README documents each one
//! with a bad and a good example; `check.rs` decides when one fires.

use std::fmt;

use crate::dialect::Dialect;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Style advice; reported only when asked for (`--info`).
    Info,
    /// Takes a long lock, rewrites a table, or breaks the release still serving
    /// traffic on a populated database.
    Warning,
    /// Certain to fail or to leave the database half-changed.
    Error,
}

impl Severity {
    /// `info`, `warning` or `error`, as printed and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One lint rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The name findings carry and `lint_allow` takes.
    pub name: &'static str,
    /// How serious its findings are.
    pub severity: Severity,
    /// Whether the rule applies to PostgreSQL's sections (all but MySQL's
    /// own).
    pub postgres: bool,
    /// Whether the rule applies to SQLite's sections (most are about
    /// PostgreSQL's locks and rewrites).
    pub sqlite: bool,
    /// Whether the rule applies to MySQL/MariaDB sections.
    pub mysql: bool,
    /// What the safe alternative is, for the `fix` of every finding.
    pub fix: &'static str,
}

impl Rule {
    /// True when the rule applies to `dialect`'s sections.
    pub fn applies_to(&self, dialect: Dialect) -> bool {
        match dialect {
            Dialect::Postgres => self.postgres,
            Dialect::Sqlite => self.sqlite,
            Dialect::Mysql => self.mysql,
        }
    }
}

macro_rules! rules {
    ($($konst:ident = $name:literal, $severity:ident, postgres: $postgres:literal, sqlite: $sqlite:literal, mysql: $mysql:literal, $fix:literal;)*) => {
        $(
            #[doc = concat!("`", $name, "`.")]
            pub const $konst: Rule = Rule {
                name: $name,
                severity: Severity::$severity,
                postgres: $postgres,
                sqlite: $sqlite,
                mysql: $mysql,
                fix: $fix,
            };
        )*
        /// Every rule, in the order the README lists them.
        pub const ALL: &[Rule] = &[$($konst),*];
    };
}

rules! {
    CONCURRENTLY_IN_TRANSACTION = "concurrently-in-transaction", Error, postgres: true, sqlite: false, mysql: false,
        "put the statement in a `-- migrate:up transaction:false` section, in a revision of its own so a failure leaves nothing else half-done";
    VACUUM_IN_TRANSACTION = "vacuum-in-transaction", Error, postgres: true, sqlite: true, mysql: false,
        "put VACUUM in a `-- migrate:up transaction:false` section";
    ENUM_VALUE_USED_IN_TRANSACTION = "enum-value-used-in-transaction", Error, postgres: true, sqlite: false, mysql: false,
        "put ALTER TYPE ... ADD VALUE in a `-- migrate:up transaction:false` revision of its own: it commits at once, so later revisions can use the value in either run mode";
    INDEX_WITHOUT_CONCURRENTLY = "index-without-concurrently", Warning, postgres: true, sqlite: false, mysql: false,
        "use CREATE INDEX CONCURRENTLY in a `-- migrate:up transaction:false` section";
    CONSTRAINT_UNDER_LOCK = "constraint-under-lock", Warning, postgres: true, sqlite: false, mysql: false,
        "build the index first with CREATE UNIQUE INDEX CONCURRENTLY (in a `transaction:false` section), then ADD CONSTRAINT ... UNIQUE USING INDEX / PRIMARY KEY USING INDEX";
    CONSTRAINT_WITHOUT_NOT_VALID = "constraint-without-not-valid", Warning, postgres: true, sqlite: false, mysql: false,
        "add the constraint with NOT VALID, then VALIDATE CONSTRAINT in a `transaction:false` section (or a later revision applied with --transaction-per-migration)";
    VALIDATE_IN_SAME_TRANSACTION = "validate-in-same-transaction", Warning, postgres: true, sqlite: false, mysql: false,
        "run VALIDATE CONSTRAINT in a `transaction:false` section, where the ADD commits first (a later revision only helps with --transaction-per-migration)";
    SET_NOT_NULL = "set-not-null", Warning, postgres: true, sqlite: false, mysql: false,
        "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; then, after it commits, VALIDATE CONSTRAINT c; SET NOT NULL (which then skips the scan); DROP CONSTRAINT c";
    ADD_COLUMN_NOT_NULL_WITHOUT_DEFAULT = "add-column-not-null-without-default", Warning, postgres: true, sqlite: true, mysql: true,
        "give the column a constant DEFAULT, or add it nullable, backfill it, then set NOT NULL";
    VOLATILE_DEFAULT = "volatile-default", Warning, postgres: true, sqlite: false, mysql: false,
        "add the column without a default (or with a constant one), then SET DEFAULT and backfill existing rows in batches";
    COLUMN_TYPE_CHANGE = "column-type-change", Warning, postgres: true, sqlite: false, mysql: false,
        "add a column of the new type, backfill it in batches, switch readers and writers over, then drop the old column (expand and contract)";
    TABLE_COPY = "table-copy", Warning, postgres: false, sqlite: false, mysql: true,
        "append `, ALGORITHM=INPLACE, LOCK=NONE` (or `, ALGORITHM=INSTANT`): the server then refuses a change it could only make by copying the table, instead of blocking writes while it copies; for one it refuses, add a column of the new type and backfill it (expand and contract), or use an online schema change tool";
    INDEX_WITHOUT_LOCK_NONE = "index-without-lock-none", Warning, postgres: false, sqlite: false, mysql: true,
        "add `ALGORITHM=INPLACE LOCK=NONE` to CREATE INDEX (`, ALGORITHM=INPLACE, LOCK=NONE` to ALTER TABLE ... ADD INDEX): the server then refuses a build that would block writes (a FULLTEXT or SPATIAL index) instead of blocking them";
    DROP = "drop", Warning, postgres: true, sqlite: true, mysql: true,
        "expand and contract: first release code that no longer uses it, then drop it in a later revision";
    RENAME = "rename", Warning, postgres: true, sqlite: true, mysql: true,
        "expand and contract: add the new name (a new column, or a view for a table), write both, move readers over, then drop the old name";
    BLOCKING_MAINTENANCE = "blocking-maintenance", Warning, postgres: true, sqlite: false, mysql: false,
        "use REINDEX ... CONCURRENTLY, or pg_repack instead of VACUUM FULL and CLUSTER, outside migrations";
    LOCK_TABLE = "lock-table", Warning, postgres: true, sqlite: false, mysql: false,
        "avoid explicit locks in migrations; if one is needed, set a short lock_timeout first and keep the transaction short";
    UNKNOWN_RULE = "unknown-rule", Warning, postgres: true, sqlite: true, mysql: true,
        "name a rule `migrate lint` knows (the README lists them)";
    PREFER_BIGINT_KEY = "prefer-bigint-key", Info, postgres: true, sqlite: false, mysql: false,
        "use BIGINT (or BIGSERIAL / GENERATED ... AS IDENTITY on BIGINT) for keys that grow";
    PREFER_TIMESTAMPTZ = "prefer-timestamptz", Info, postgres: true, sqlite: false, mysql: false,
        "use TIMESTAMPTZ, which stores an instant rather than a wall-clock reading";
    UNPARSED = "unparsed", Info, postgres: true, sqlite: true, mysql: true,
        "nothing to change if the statement is right; lint cannot check what it cannot parse, and later tables it touches are assumed to exist";
}

/// The rule named `name`.
pub fn find(name: &str) -> Option<&'static Rule> {
    ALL.iter().find(|r| r.name == name)
}
