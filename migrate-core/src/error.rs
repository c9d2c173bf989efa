//! The one error type of `migrate`.
//!
//! Every variant carries the revisions, files and lines involved, so a message can
//! always say *what* went wrong, *where*, and how to fix it. Messages about the
//! graph follow Alembic's wording, so its users recognise them.

use std::fmt;

use crate::dialect::Dialect;
use crate::revision::direction::Direction;

/// A place in a revision file: `path:line`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    /// The file, as it was given (relative to the crate for embedded migrations).
    pub path: String,
    /// 1-based line number.
    pub line: usize,
}

impl Location {
    /// A location at `line` of `path`.
    pub fn new(path: impl Into<String>, line: usize) -> Self {
        Location {
            path: path.into(),
            line,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path, self.line)
    }
}

/// What is wrong inside one revision file. Always wrapped in [`Error::Parse`],
/// which adds the file and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseProblem {
    /// A `-- key:` header line with a key migrate does not know.
    #[error("unknown header key `{key}`{}; the keys are revision, down_revision, message, create_date, branch_labels, depends_on, replaces and lint_allow", suggest(.suggestion))]
    UnknownKey {
        /// The header key, as written in the file.
        key: String,
        /// The closest known key, when one is near enough to suggest.
        suggestion: Option<&'static str>,
    },
    /// A header key given twice.
    #[error("header key `{key}` is repeated (first given on line {first_line}); keep one")]
    RepeatedKey {
        /// The header key, as written in the file.
        key: String,
        /// Line where the key was first given.
        first_line: usize,
    },
    /// A required header key is absent.
    #[error("missing `-- {key}:` header line; add it before `-- migrate:up`{}", missing_hint(.key))]
    MissingKey {
        /// The header key that is missing.
        key: &'static str,
    },
    /// A revision id with characters or a length ids cannot have.
    #[error(
        "`{value}` is not a valid revision id in `{key}`: use 1 to 64 characters from [A-Za-z0-9_]"
    )]
    BadId {
        /// The header key the id appears in.
        key: &'static str,
        /// The offending value, as written.
        value: String,
    },
    /// A branch label with characters or a length labels cannot have.
    #[error("`{value}` is not a valid branch label: use 1 to 64 characters from [A-Za-z0-9_-]")]
    BadLabel {
        /// The label, as written.
        value: String,
    },
    /// A `depends_on` entry, which names a revision id or a branch label.
    #[error("`{value}` in `depends_on` is neither a revision id nor a branch label: use 1 to 64 characters from [A-Za-z0-9_-]")]
    BadDependency {
        /// The entry, as written.
        value: String,
    },
    /// A `lint_allow` entry that cannot be a rule name.
    #[error("`{value}` in `lint_allow` is not a rule name: rules are lowercase words joined by `-` (`migrate lint` lists them)")]
    BadRuleName {
        /// The entry, as written.
        value: String,
    },
    /// `none` listed in `down_revision` next to real parents.
    #[error("`down_revision: none` cannot be combined with other ids; write `none` alone for a base, or list only real parents")]
    NoneWithOthers,
    /// One id listed twice in the same header list.
    #[error("`{key}` lists `{value}` twice; list each id once")]
    RepeatedId {
        /// The header list that repeats the id.
        key: &'static str,
        /// The repeated id.
        value: String,
    },
    /// The file has no upgrade section.
    #[error("no `-- migrate:up` section; add a line `-- migrate:up` followed by the upgrade SQL")]
    MissingUp,
    /// The down section comes before the up section.
    #[error("`-- migrate:down` comes before `-- migrate:up`; put the up section first")]
    DownBeforeUp,
    /// Two sections for the same direction and dialect.
    #[error("`-- migrate:{direction}{}` appears twice (first on line {first_line}); merge the two sections", dialect_suffix(.dialect))]
    RepeatedSection {
        /// `up` or `down`.
        direction: &'static str,
        /// The dialect the marker names, if any.
        dialect: Option<&'static str>,
        /// Line of the first such section.
        first_line: usize,
    },
    /// A plain section next to dialect-specific ones for the same direction.
    #[error("a plain `-- migrate:{direction}` cannot be mixed with dialect sections (`-- migrate:{direction} postgres`/`sqlite`); give every dialect its own section")]
    MixedSections {
        /// `up` or `down`.
        direction: &'static str,
    },
    /// A `-- migrate:` marker other than `up` or `down`.
    #[error("unknown marker `-- migrate:{marker}`; the markers are `-- migrate:up` and `-- migrate:down`")]
    UnknownMarker {
        /// The text after `-- migrate:`.
        marker: String,
    },
    /// An option on a section marker that migrate does not know.
    #[error("unknown option `{option}` on a `-- migrate:` marker; the options are `postgres`, `sqlite` and `transaction:false`")]
    UnknownOption {
        /// The option, as written.
        option: String,
    },
    /// SQL in the header, before the first section.
    #[error("SQL before the first `-- migrate:up` marker; move it into the up section (only `-- key: value` comments belong in the header)")]
    SqlBeforeUp,
    /// A header key with nothing after the colon.
    #[error("empty value for `{key}`")]
    EmptyValue {
        /// The header key without a value.
        key: &'static str,
    },
    /// The file's bytes are not UTF-8 text.
    #[error("file is not valid UTF-8; save it as UTF-8")]
    NotUtf8,
}

fn suggest(suggestion: &Option<&'static str>) -> String {
    match suggestion {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => String::new(),
    }
}

fn missing_hint(key: &str) -> &'static str {
    if key == "down_revision" {
        " (write `-- down_revision: none` for a first revision)"
    } else {
        ""
    }
}

fn dialect_suffix(dialect: &Option<&'static str>) -> String {
    dialect.map(|d| format!(" {d}")).unwrap_or_default()
}

/// Every error `migrate` reports.
///
/// `Debug` prints the same readable message as `Display` (as anyhow's errors do),
/// because that is what `fn main() -> Result<(), migrate::Error>` shows when `?`
/// returns an error:
///
/// ```
/// let err = migrate_core::config::resolve_url(None, &|_| None).unwrap_err();
/// assert_eq!(format!("{err:?}"), "DATABASE_URL_DEV is not set for ENVIRONMENT=development");
/// assert_eq!(format!("{err:?}"), err.to_string());
/// ```
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ----------------------------------------------------------------- revision files
    /// A revision file is malformed.
    #[error("{location}: {problem}")]
    Parse {
        /// The file and line of the problem.
        location: Location,
        /// What is wrong there.
        problem: ParseProblem,
    },
    /// The migrations directory does not exist.
    #[error("migrations directory `{path}` does not exist; create it with `migrate init`, or point --dir / MIGRATE_DIR / embed_migrations!(\"...\") at the right folder")]
    MissingDirectory {
        /// The directory that was looked for.
        path: String,
    },
    /// A symbolic link in the migrations directory that leads back to a directory
    /// containing it, so reading the directory would never end.
    #[error("{link}: symbolic link loop: it leads back to `{target}`, which contains it; remove the link, or point it at a directory outside `{target}`")]
    SymlinkLoop {
        /// The symbolic link.
        link: String,
        /// The directory the link resolves to, which contains it.
        target: String,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory being read or written.
        path: String,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },

    // ----------------------------------------------------------------- the graph
    /// Revisions that reach themselves through `down_revision` or `depends_on`.
    #[error("Cycle is detected in revisions ({}); files: {}; break the cycle by fixing one `down_revision`/`depends_on`", .revisions.join(", "), join_locations(.files))]
    Cycle {
        /// The revision ids on the cycle.
        revisions: Vec<String>,
        /// The files of those revisions.
        files: Vec<Location>,
    },
    /// A revision that names itself as a parent or dependency.
    #[error("{location}: revision {revision} lists itself in `{key}`; a revision cannot depend on itself")]
    SelfLoop {
        /// The revision that names itself.
        revision: String,
        /// The header key that names it (`down_revision` or `depends_on`).
        key: &'static str,
        /// The line of that key.
        location: Location,
    },
    /// A `down_revision` that names no known revision.
    #[error("{location}: revision {revision} has down_revision {parent}, which is not present; fix the id, restore the missing file, or write `none` for a base")]
    MissingParent {
        /// The revision whose parent is missing.
        revision: String,
        /// The parent id that names no revision.
        parent: String,
        /// The `down_revision` line.
        location: Location,
    },
    /// A `depends_on` entry that names no known revision or label.
    #[error("{location}: revision {revision} depends on {dependency}, which is neither a revision nor a branch label; fix or remove it")]
    MissingDependency {
        /// The revision with the dangling dependency.
        revision: String,
        /// The entry that names nothing.
        dependency: String,
        /// The `depends_on` line.
        location: Location,
    },
    /// Two files declare the same revision id.
    #[error("{second}: revision id {revision} is already used by {first}; give one of them a new id (and update its children)")]
    DuplicateRevision {
        /// The id both files declare.
        revision: String,
        /// The file that declared it first.
        first: Location,
        /// The file that declared it again.
        second: Location,
    },
    /// Two revisions carry the same branch label.
    #[error("{second}: branch label '{label}' is already used by revision {first_revision} ({first}); labels must be unique across the graph")]
    DuplicateLabel {
        /// The label both revisions carry.
        label: String,
        /// The revision that carried it first.
        first_revision: String,
        /// The `branch_labels` line of that revision.
        first: Location,
        /// The `branch_labels` line that repeats it.
        second: Location,
    },
    /// A branch label that is also some revision's id.
    #[error("{location}: branch label '{label}' is also a revision id; rename the label")]
    LabelIsRevision {
        /// The label that collides with an id.
        label: String,
        /// The `branch_labels` line.
        location: Location,
    },
    /// More than one head where the configuration allows only one.
    #[error("Multiple heads are present: {}; join them with a merge revision: `MIGRATE_ALLOW_MULTIPLE_HEADS=1 cargo run --bin migrate -- merge heads -m \"merge\"` (the variable lets this one build through), or `migrate merge heads -m \"merge\"` with the installed CLI; to keep several heads on purpose, use migrate-build's `.allow_multiple_heads()` and `embed_migrations!(\"...\", allow_multiple_heads)`", .heads.join(", "))]
    UnexpectedHeads {
        /// The head revision ids.
        heads: Vec<String>,
        /// The files of those heads.
        files: Vec<Location>,
    },
    /// A revision listed in `replaces` is still present as a file.
    #[error("{location}: revision {revision} replaces {replaced}, whose file is still present at {replaced_at}; delete the replaced file")]
    ReplacedStillPresent {
        /// The squash revision.
        revision: String,
        /// The replaced revision whose file remains.
        replaced: String,
        /// The `replaces` line of the squash.
        location: Location,
        /// The file of the replaced revision.
        replaced_at: Location,
    },
    /// Two revisions that both list one id in `replaces`.
    #[error("{second}: revision {revision} replaces {replaced}, which {first} already replaces; a revision can be replaced by only one squash: remove {replaced} from one of the two `replaces` lines")]
    DuplicateReplaces {
        /// The id both squashes replace.
        replaced: String,
        /// The second squash revision.
        revision: String,
        /// The `replaces` line of the first squash.
        first: Location,
        /// The `replaces` line of the second squash.
        second: Location,
    },
    /// Several problems, reported together (build time).
    #[error("{}", display_all(.problems))]
    Invalid {
        /// The problems, each its own error.
        problems: Vec<Error>,
    },

    // ----------------------------------------------------------------- targets
    /// `head` (or another single-head argument) with several heads present.
    #[error("Multiple heads are present for given argument '{argument}'; {}", .heads.join(", "))]
    MultipleHeads {
        /// The argument that needs a single head.
        argument: String,
        /// The heads it could mean.
        heads: Vec<String>,
    },
    /// A revision id or prefix that matches nothing.
    #[error("Can't locate revision identified by '{revision}'")]
    UnknownRevision {
        /// The id or prefix, as given.
        revision: String,
    },
    /// A prefix that matches several revisions.
    #[error("Ambiguous revision prefix '{prefix}'; it matches {}; give more characters", .candidates.join(", "))]
    AmbiguousPrefix {
        /// The prefix, as given.
        prefix: String,
        /// The ids it matches.
        candidates: Vec<String>,
    },
    /// A prefix shorter than four characters.
    #[error("Revision prefix '{prefix}' is too short; give at least 4 characters")]
    PrefixTooShort {
        /// The prefix, as given.
        prefix: String,
    },
    /// A branch label that no revision carries.
    #[error("No such branch: '{label}'")]
    UnknownBranch {
        /// The label, as given.
        label: String,
    },
    /// `label@rev` where rev is not on that branch.
    #[error("Revision {revision} is not a member of branch '{branch}'")]
    NotInBranch {
        /// The revision part of the target.
        revision: String,
        /// The branch label part of the target.
        branch: String,
    },
    /// A target string that does not parse.
    #[error("invalid target '{target}': {reason}")]
    InvalidTarget {
        /// The target, as the user gave it.
        target: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A relative target that walks off the graph or meets a fork.
    #[error("Relative revision {target} didn't produce {steps} migrations: {reason}")]
    RelativeOutOfRange {
        /// The target, as the user gave it.
        target: String,
        /// How many steps were asked for.
        steps: u64,
        /// Where the walk stopped and why.
        reason: String,
    },
    /// A relative target from several current heads.
    #[error("Ambiguous relative target '{target}' from multiple current heads ({}); use <label>@{target} or <rev>{target}", .heads.join(", "))]
    AmbiguousRelative {
        /// The target, as the user gave it.
        target: String,
        /// The current heads it could start from.
        heads: Vec<String>,
    },
    /// A downgrade target that the database has not reached.
    #[error("Destination {target} is not a valid downgrade target from current head(s) ({}): it is not applied", display_heads(.current))]
    NotDowngradeTarget {
        /// The target, as the user gave it.
        target: String,
        /// The revisions the database is at.
        current: Vec<String>,
    },
    /// A database that applied only part of a squashed run.
    #[error("revision {revision} replaces {}, but the database applied only some of them; missing: {}; upgrade with the original revisions first", .replaces.join(", "), .missing.join(", "))]
    PartiallyReplaced {
        /// The squash revision.
        revision: String,
        /// Every revision it replaces.
        replaces: Vec<String>,
        /// The replaced revisions the database has not applied.
        missing: Vec<String>,
    },
    /// A command-line argument that is well-formed but unusable.
    #[error("invalid {argument}: {reason}")]
    InvalidArgument {
        /// The argument or option, as named on the command line.
        argument: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// `revision` without `--head` while the graph has several heads.
    #[error("Multiple heads are present ({}); please specify the head revision on which the new revision should be based (--head), or perform a merge (`migrate merge heads -m MSG`)", .heads.join(", "))]
    NeedsHead {
        /// The heads the new revision could follow.
        heads: Vec<String>,
    },
    /// `rebase` would rewrite revisions a database has applied.
    #[error("refusing to rebase: the database has applied {}; rewriting their parents would make its history disagree with the files", .revisions.join(", "))]
    RewritesApplied {
        /// The applied revisions the rebase would rewrite.
        revisions: Vec<String>,
    },
    /// `init` on a directory that already has files.
    #[error("`{path}` is not empty; `migrate init` only scaffolds a new directory")]
    DirectoryNotEmpty {
        /// The directory, as given.
        path: String,
    },
    // ----------------------------------------------------------------- autogenerate
    /// Autogenerate or `check` on a database that is not at the heads.
    #[error("Target database is not up to date (current: {}; heads: {}): run `migrate upgrade heads` first, so the comparison starts from the latest revision", list_or_none(.current), list_or_none(.heads))]
    NotUpToDate {
        /// The revisions the database is at.
        current: Vec<String>,
        /// The heads of the revision graph.
        heads: Vec<String>,
    },
    /// Autogenerate would drop tables that objects it does not manage (views,
    /// materialized views) depend on: the upgrade would fail.
    #[error("dropping {}: the database would refuse it, as objects `migrate` does not manage depend on them: {}; drop or change those in a revision written by hand first, or keep the tables in the models", .tables.join(", "), .dependents.join(", "))]
    UnmanagedDependents {
        /// The tables the revision would drop.
        tables: Vec<String>,
        /// The objects that depend on them, as `view app.active_users (on users)`.
        dependents: Vec<String>,
    },
    /// A [`testing`](crate::testing) check found a problem.
    #[error("{check}: {details}")]
    CheckFailed {
        /// The name of the check that failed.
        check: &'static str,
        /// What it found.
        details: String,
    },
    /// Autogenerate or `check` in a binary without models.
    #[error("no #[model] is linked into this binary, so there is nothing to compare the database with: run `revision --autogenerate` and `check` through your own runner binary (src/bin/migrate.rs calling migrate::cli::main), and link your models crate there with `use my_models as _;`")]
    NoModels,
    // ----------------------------------------------------------------- configuration
    /// The variable `ENVIRONMENT` selects is not set.
    #[error("{variable} is not set for ENVIRONMENT={environment}")]
    MissingUrlVariable {
        /// The variable that should hold the URL, e.g. `DATABASE_URL_DEV`.
        variable: String,
        /// The value of `ENVIRONMENT`.
        environment: String,
    },
    /// `--sql` with neither `--dialect` nor a URL to take the dialect from.
    #[error("--sql needs to know which SQL to print: pass --dialect sqlite, --dialect postgres or --dialect mysql, or a URL (--url, DATABASE_URL, or {variable}, which is not set for ENVIRONMENT={environment})")]
    OfflineNeedsDialect {
        /// The environment variable that should hold the URL.
        variable: String,
        /// The value of `ENVIRONMENT`.
        environment: String,
    },
    /// A database URL that cannot be used (shown redacted).
    #[error("bad database URL `{url}`: {reason}")]
    BadUrl {
        /// The URL, with its password redacted.
        url: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// A malformed `.env` file.
    #[error("{path}: {reason}")]
    BadEnvFile {
        /// The `.env` file.
        path: String,
        /// Why the line could not be parsed (values redacted).
        reason: String,
    },

    // ----------------------------------------------------------------- database
    /// Connecting failed (the URL is redacted).
    #[error("cannot connect to {url}: {message}")]
    Connect {
        /// The URL, with its password redacted.
        url: String,
        /// The driver's error message.
        message: String,
    },
    /// A statement outside any revision failed (ledger, locking, transactions).
    #[error("database error: {message}")]
    Database {
        /// The database's error message.
        message: String,
    },
    /// A revision's SQL failed; its transaction rolled back.
    #[error("revision {revision} failed at {location}: {message}")]
    MigrationFailed {
        /// The revision whose SQL failed.
        revision: String,
        /// The line of the failing statement.
        location: Location,
        /// The database's error message.
        message: String,
    },
    /// A revision's statement waited longer than the lock timeout for a lock (after
    /// any retries); its transaction rolled back, so nothing of it is applied.
    #[error("revision {revision} failed at {location}: the lock on {waited} was not granted within the lock timeout{}; the transaction rolled back and none of it was applied (retry when the table is less busy, or raise --table-lock-timeout or --lock-retries): {message}", lock_attempts(*.attempts))]
    LockNotGranted {
        /// The revision whose statement waited.
        revision: String,
        /// The waiting statement.
        location: Location,
        /// What it waited on, and who held it.
        waited: Box<LockedTables>,
        /// How many times the transaction ran (1 without retries).
        attempts: u32,
        /// The database's error message.
        message: String,
    },
    /// Another migrator held the lock for longer than the timeout.
    #[error("timed out after {seconds}s waiting for the migration lock on {ledger}; another migrator is running (or raise --lock-timeout)")]
    LockTimeout {
        /// What was locked: the SQLite file, or the PostgreSQL ledger table.
        ledger: String,
        /// How long it waited.
        seconds: u64,
    },
    /// This build has no driver for the URL's database.
    #[error("this build of migrate has no {dialect} support; enable the `{dialect}` feature")]
    DriverMissing {
        /// The dialect the URL asks for.
        dialect: Dialect,
    },

    // ----------------------------------------------------------------- schema and models
    /// Two models (or two enums) claim one name.
    #[error("two #[model]s claim {table}: {first} and {second}; give one of them another `table = \"...\"`")]
    DuplicateModelTable {
        /// The table or enum name both claim.
        table: String,
        /// The Rust path of the first model (or enum) claiming it.
        first: String,
        /// The Rust path of the second one.
        second: String,
    },
    /// A `references = "table.column"` that does not resolve.
    #[error("{model}.{field}: `references = \"{target}\"` is not valid: {reason}")]
    BadForeignKey {
        /// The model that declares the reference.
        model: String,
        /// The field carrying `references`.
        field: String,
        /// The `references` value, as written.
        target: String,
        /// Why it does not resolve.
        reason: String,
    },

    // ----------------------------------------------------------------- runner
    /// An applied revision whose SQL was edited since.
    #[error("revision {revision} was edited after it was applied ({path}); restore the applied text, or pass --allow-drift to continue")]
    ChecksumDrift {
        /// The edited revision.
        revision: String,
        /// Its file.
        path: String,
    },
    /// Applied revisions that are not in the migrations directory.
    #[error("the database has applied revision(s) {} that are not in the migrations directory; restore their files, or pass --allow-missing", .revisions.join(", "))]
    MissingApplied {
        /// The applied ids with no file.
        revisions: Vec<String>,
    },
    /// A downgrade through a revision without down SQL for the connected database.
    #[error("revision {revision} ({path}) has no `{section}` SQL, so it cannot be downgraded{}; nothing was run", on_dialect(.section, *.dialect))]
    Irreversible {
        /// The revision that cannot be downgraded.
        revision: String,
        /// Its file.
        path: String,
        /// The down marker that is empty or missing, e.g. `-- migrate:down postgres`.
        section: String,
        /// The connected database's dialect.
        dialect: Dialect,
    },
    /// A section that runs statement by statement (`transaction:false`, or DDL on
    /// MySQL, which commits each DDL statement implicitly) failed after some of
    /// its statements had committed: they stay applied, and the revision is not
    /// recorded.
    #[error("revision {revision} failed at {location}: {message}\nthe revision is partially applied and was not recorded: {} had already run {}, which cannot be rolled back:{}\n{}", partial_why(*.implicit_commits), plural(.applied.len()), list_statements(.applied), partial_recovery(.revision, .applied.len(), *.implicit_commits))]
    PartiallyApplied {
        /// The revision whose section failed.
        revision: String,
        /// The failing statement.
        location: Location,
        /// The database's error message.
        message: String,
        /// The statements that had run, each with its place in the file.
        applied: Vec<(Location, String)>,
        /// `true` when the section ran statement by statement because the
        /// database commits DDL implicitly (MySQL), not for `transaction:false`.
        implicit_commits: bool,
    },
    /// A MySQL or MariaDB server refused a statement migrate runs itself (the
    /// lock, a transaction, the ledger), or its driver failed. Server errors read
    /// as the `mysql` client prints them: `ERROR 1146 (42S02): Table ... doesn't exist`.
    #[error("{context}: {}", mysql_message(*.code, .state.as_deref(), .message))]
    Mysql {
        /// What migrate was doing.
        context: String,
        /// The server's error number (`ER_...`), when the server answered.
        code: Option<u16>,
        /// The SQLSTATE, when the server answered.
        state: Option<String>,
        /// The server's or the driver's message (never holding a password).
        message: String,
    },
    /// A revision with dialect sections but none for the connected database.
    #[error("revision {revision} ({path}) has no `-- migrate:{direction} {dialect}` section; nothing was run")]
    MissingDialectSection {
        /// The revision without the section.
        revision: String,
        /// Its file.
        path: String,
        /// The direction being run.
        direction: Direction,
        /// The connected database's dialect.
        dialect: Dialect,
    },
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// ` on postgres` when the revision has per-dialect downs (its marker names the
/// dialect), so the message says where it is irreversible; empty otherwise.
fn on_dialect(section: &str, dialect: Dialect) -> String {
    if section.ends_with(dialect.name()) {
        format!(" on {dialect}")
    } else {
        String::new()
    }
}

/// The tables a statement waited on and who held them, for
/// [`Error::LockNotGranted`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockedTables {
    /// The tables, schema-qualified where known: as the server names them, else
    /// those the statement mentions that another session held locked when it
    /// gave up. Empty when neither says.
    pub tables: Vec<String>,
    /// Who held them: `pid N (Mode)`, one per lock seen.
    pub holders: Vec<String>,
}

impl fmt::Display for LockedTables {
    /// `table public.books (held by pid 7 (AccessShareLock))`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.tables.as_slice() {
            [] => f.write_str("a table")?,
            [table] => write!(f, "table {table}")?,
            tables => write!(f, "tables {}", tables.join(", "))?,
        }
        if !self.holders.is_empty() {
            write!(f, " (held by {})", self.holders.join(", "))?;
        }
        Ok(())
    }
}

fn lock_attempts(attempts: u32) -> String {
    if attempts > 1 {
        format!(" in any of {attempts} attempts")
    } else {
        String::new()
    }
}

fn partial_why(implicit_commits: bool) -> &'static str {
    if implicit_commits {
        "MySQL commits each DDL statement on its own, and its section"
    } else {
        "its `transaction:false` section"
    }
}

fn partial_recovery(revision: &str, applied: usize, implicit_commits: bool) -> String {
    let them = if applied == 1 { "it" } else { "them" };
    if implicit_commits {
        format!("fix the database by hand, then either undo {them} and run the upgrade again, or finish the revision's remaining statements and record it with `migrate stamp {revision}`")
    } else {
        format!("undo {them} by hand, or make the section safe to rerun (IF NOT EXISTS, ...), before running it again")
    }
}

fn mysql_message(code: Option<u16>, state: Option<&str>, message: &str) -> String {
    match (code, state) {
        (Some(code), Some(state)) => format!("ERROR {code} ({state}): {message}"),
        (Some(code), None) => format!("ERROR {code}: {message}"),
        _ => message.to_string(),
    }
}

fn plural(statements: usize) -> String {
    if statements == 1 {
        "1 statement".to_string()
    } else {
        format!("{statements} statements")
    }
}

/// `\n  path:line: first line of the statement`, one per statement, each cut to
/// one line of 80 characters.
fn list_statements(statements: &[(Location, String)]) -> String {
    let mut out = String::new();
    for (location, sql) in statements {
        let first = sql.lines().next().unwrap_or("").trim_end();
        let mut shown: String = first.chars().take(80).collect();
        if shown.len() < sql.trim_end().len() {
            shown.push_str(" ...");
        }
        out.push_str(&format!("\n  {location}: {shown}"));
    }
    out
}

fn join_locations(locations: &[Location]) -> String {
    locations
        .iter()
        .map(|l| l.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn display_heads(heads: &[String]) -> String {
    if heads.is_empty() {
        "base".to_string()
    } else {
        heads.join(", ")
    }
}

fn display_all(problems: &[Error]) -> String {
    let mut out = format!("{} problem(s) in the revision files:", problems.len());
    for p in problems {
        out.push_str("\n  ");
        out.push_str(&p.to_string().replace('\n', "\n    "));
    }
    out
}

impl Error {
    /// Flattens [`Error::Invalid`] into its problems; any other error is one problem.
    pub fn into_problems(self) -> Vec<Error> {
        match self {
            Error::Invalid { problems } => problems,
            other => vec![other],
        }
    }

    /// One error from several problems: the problem itself when there is one.
    pub fn from_problems(mut problems: Vec<Error>) -> Option<Error> {
        match problems.len() {
            0 => None,
            1 => problems.pop(),
            _ => Some(Error::Invalid { problems }),
        }
    }
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

fn list_or_none(ids: &[String]) -> String {
    if ids.is_empty() {
        "none".to_string()
    } else {
        ids.join(", ")
    }
}
