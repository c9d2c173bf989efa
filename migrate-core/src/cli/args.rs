//! The command-line grammar: every command, option and help text, and how options
//! turn into the settings the commands use. The command modules read these types;
//! nothing here calls them, so the arguments point one way.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::autogenerate::Filter;
use crate::backend::{self, LedgerConfig};
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::revision;
use crate::runner::RunOptions;

/// The first lines of `migrate --help`: what the tool is, for someone who has
/// never seen it.
const ABOUT: &str =
    "Schema migrations: keeps a database in step with a directory of SQL revision files";

// clap prints these as written (no `wrap_help`), so they are wrapped by hand.
const LONG_ABOUT: &str = "\
Schema migrations: keeps a database in step with a directory of SQL revision files.

Each revision is a plain .sql file with an up and a down section, and a header
naming its parent, so revisions form a graph with branches and merges, as in
Alembic. migrate writes new revisions, applies them to SQLite or PostgreSQL
together with the ledger rows that record them, reverts them, and shows where a
database stands.";

const AFTER_HELP: &str = "\
Common commands:
  migrate init                          create ./migrations with a first, empty revision
  migrate revision -m \"create users\"    write a new revision on top of the head
  migrate upgrade                       apply every revision the database has not applied
  migrate downgrade -1                  revert the last revision
  migrate current                       the revisions the database is at
  migrate history                       every revision, newest first

The database is --url, else DATABASE_URL, else the variable ENVIRONMENT selects
(DATABASE_URL_DEV by default); ./.env is read first.
See 'migrate <command> --help' for a command's options and examples.";

/// The `migrate` command line.
#[derive(Debug, Parser)]
#[command(
    name = "migrate",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = AFTER_HELP,
    max_term_width = 100
)]
pub struct Cli {
    /// The migrations directory (default: the embedded one, or ./migrations).
    #[arg(long, global = true, env = "MIGRATE_DIR", value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The database URL; overrides DATABASE_URL and the ENVIRONMENT-selected variable.
    #[arg(long, global = true, value_name = "URL")]
    pub url: Option<String>,
    /// Print no progress messages.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a migrations directory with a first, empty revision
    ///
    /// Prints the lines that wire the directory into an application: the build
    /// script that checks it, the embedding, and a runner binary of your own.
    #[command(
        verbatim_doc_comment,
        after_help = "\
Examples:
  migrate init                   create ./migrations
  migrate init db/migrations     create db/migrations"
    )]
    Init {
        /// The directory (default: --dir, or ./migrations).
        directory: Option<PathBuf>,
    },
    /// Write a new revision file on top of the current head
    ///
    /// The file gets a fresh 12-digit id, the header, and empty up and down
    /// sections to fill in. With --autogenerate, a runner binary with models fills
    /// them in from the differences between the models and the database.
    #[command(
        verbatim_doc_comment,
        after_help = "\
Examples:
  migrate revision -m \"create users\"
  migrate revision -m \"add audit log\" --head base --branch-label audit
  migrate revision -m \"use audit\" --depends-on audit
  migrate revision -m \"add email index\" --autogenerate --dialect sqlite,postgres"
    )]
    Revision(RevisionArgs),
    /// Write a merge revision whose parents are REVS, joining several heads.
    #[command(after_help = "\
Examples:
  migrate merge heads -m \"merge\"             join every head
  migrate merge 3f2a 9b1c -m \"merge auth\"    join two revisions (ids or prefixes)")]
    Merge(MergeArgs),
    /// Move a branch onto another revision, so history is linear again
    ///
    /// Rewrites the down_revision line of the branch's first revision and nothing
    /// else. With --url it refuses when that database has applied a revision it
    /// would move.
    #[command(
        verbatim_doc_comment,
        after_help = "\
Example:
  migrate rebase 9b1c --onto 3f2a    put the branch ending at 9b1c on top of 3f2a"
    )]
    Rebase(RebaseArgs),
    /// Replace a linear run of revisions with one that `replaces` them
    ///
    /// A database that applied all of them counts as having applied the new one.
    #[command(
        verbatim_doc_comment,
        after_help = "\
Example:
  migrate squash 1a2b:3f2a -m \"initial schema\""
    )]
    Squash(SquashArgs),
    /// Upgrade the database to TARGET (default: heads)
    ///
    /// Applies every revision below TARGET that the database has not applied,
    /// parents and dependencies first, with each revision's ledger row.
    #[command(
        verbatim_doc_comment,
        after_help = "\
Examples:
  migrate upgrade                     apply everything (to heads)
  migrate upgrade +1                  apply the next revision
  migrate upgrade 3f2a                up to this revision (an id or a unique prefix)
  migrate upgrade auth@head           up to the head of the branch labelled auth
  migrate upgrade --sql --dialect postgres > upgrade.sql
                                      print the SQL instead of running it
  migrate --url sqlite://app.db upgrade"
    )]
    Upgrade(MoveArgs),
    /// Downgrade the database to TARGET, running the down sections.
    #[command(after_help = "\
Examples:
  migrate downgrade -1                revert the last revision
  migrate downgrade 3f2a              revert every revision above 3f2a
  migrate downgrade base              revert everything
  migrate downgrade heads:base --sql --dialect postgres
                                      print the SQL that reverts everything")]
    Downgrade(MoveArgs),
    /// Record TARGET in the ledger without running any SQL
    ///
    /// For a database whose schema is already at TARGET, made by hand or by
    /// another tool.
    #[command(
        verbatim_doc_comment,
        after_help = "\
Examples:
  migrate stamp heads            mark every revision as applied
  migrate stamp 3f2a --purge     clear the ledger, then mark 3f2a as applied"
    )]
    Stamp(StampArgs),
    /// Show the revisions the database is at.
    #[command(after_help = "\
Examples:
  migrate current
  migrate current --verbose --url postgres://app@db/app")]
    Current(CurrentArgs),
    /// Show the heads of the revision graph.
    #[command(after_help = "\
Examples:
  migrate heads
  migrate heads --json")]
    Heads(ShowArgs),
    /// Show the branch points of the revision graph and their children.
    #[command(after_help = "\
Example:
  migrate branches --verbose")]
    Branches(ShowArgs),
    /// List revisions, newest first.
    #[command(after_help = "\
Examples:
  migrate history                       every revision
  migrate history -r 3f2a:              3f2a and what lies above it
  migrate history -r current:           the database's revisions and what lies above
  migrate history --indicate-current    mark the database's revisions")]
    History(HistoryArgs),
    /// Compare the models with the database: exit 1 and list the differences
    ///
    /// Needs a runner binary with models linked in; the database must be at the
    /// heads.
    #[command(
        verbatim_doc_comment,
        after_help = "\
Examples:
  cargo run --bin migrate -- check
  cargo run --bin migrate -- check --exclude-table 'tmp_*' --json"
    )]
    Check(CheckArgs),
    /// Find migration hazards: long locks, table rewrites, statements that fail
    ///
    /// Reads every revision against the schema its history has built by then,
    /// so only tables that existed before a revision are flagged, and knows
    /// which sections run in a transaction. Exits 1 when it reports an error or
    /// a warning. A revision acknowledges a finding with `-- lint_allow: RULE`.
    #[command(
        verbatim_doc_comment,
        after_help = "\
Examples:
  migrate lint                          every revision, PostgreSQL rules
  migrate lint -r 3f2a:                 3f2a and what lies above it
  migrate lint --after v1-released      only revisions above the released one
  migrate lint --dialect sqlite --json"
    )]
    Lint(LintArgs),
    /// Draw the revision graph: branches, merges, labels, dependencies and heads
    ///
    /// As text lanes for a terminal (like `git log --graph`), Graphviz DOT, or a
    /// Mermaid flowchart. With --url (or -i) it also marks the revisions the
    /// database is at.
    #[command(
        verbatim_doc_comment,
        after_help = "\
Examples:
  migrate graph                                   text lanes, newest first
  migrate graph --format dot | dot -Tsvg > graph.svg
  migrate graph --format mermaid > graph.mmd      for a ```mermaid block
  migrate --url postgres://app@db/app graph       also mark the current revisions"
    )]
    Graph(GraphArgs),
    /// Show one revision in full: its header, then its SQL.
    #[command(after_help = "\
Examples:
  migrate show 3f2a
  migrate show head")]
    Show {
        /// A revision id, unique prefix, branch label, `head` or `heads`.
        rev: String,
    },
}

/// Options shared by listing commands.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Print full entries.
    #[arg(short, long)]
    pub verbose: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Options of `history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// A range `A:B` (either side may be empty, `current` allowed).
    #[arg(short = 'r', long = "rev-range", value_name = "A:B")]
    pub range: Option<String>,
    /// Mark the database's current revisions (connects).
    #[arg(short = 'i', long)]
    pub indicate_current: bool,
    /// How to connect and what to tolerate.
    #[command(flatten)]
    pub db: DbArgs,
    /// How to print each revision.
    #[command(flatten)]
    pub show: ShowArgs,
}

impl HistoryArgs {
    /// `--indicate-current`, or a range with a `current` side, needs the database.
    pub fn reads_database(&self) -> bool {
        let mentions_current = self.range.as_deref().is_some_and(|range| {
            let (lower, upper) =
                revision::target::split_range(range).unwrap_or((None, Some(range)));
            [lower, upper].contains(&Some("current"))
        });
        self.indicate_current || mentions_current
    }
}

/// Options of `lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Only revisions in this range `A:B` (as `history -r`).
    #[arg(short = 'r', long = "rev-range", value_name = "A:B")]
    pub range: Option<String>,
    /// Only revisions above this one (the last released revision: it and its
    /// ancestors are not reported).
    #[arg(long, value_name = "REV")]
    pub after: Option<String>,
    /// Lint the sections for this dialect (repeatable or comma-separated;
    /// default: MIGRATE_DIALECTS, else postgres).
    #[arg(
        long = "dialect",
        value_name = "DIALECT",
        value_delimiter = ',',
        value_parser = parse_dialect
    )]
    pub dialects: Vec<Dialect>,
    /// Also report info findings: style, and statements lint cannot parse.
    #[arg(long)]
    pub info: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

impl LintArgs {
    /// The dialects to lint: `--dialect`, else `MIGRATE_DIALECTS`, else
    /// PostgreSQL, whose locks most rules are about.
    pub fn dialects(&self) -> Result<Vec<Dialect>> {
        if !self.dialects.is_empty() {
            return Ok(self.dialects.clone());
        }
        match std::env::var("MIGRATE_DIALECTS") {
            Ok(listed) if !listed.trim().is_empty() => listed
                .split(',')
                .map(|name| {
                    parse_dialect(name).map_err(|reason| Error::InvalidArgument {
                        argument: "MIGRATE_DIALECTS".to_string(),
                        reason,
                    })
                })
                .collect(),
            _ => Ok(vec![Dialect::Postgres]),
        }
    }
}

/// How `graph` draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    /// Lanes of `*`, `|`, `/` and `\`, newest first, like `git log --graph`.
    Text,
    /// Graphviz DOT, for `dot -Tsvg`.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
}

/// Options of `graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The drawing's format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    pub format: GraphFormat,
    /// Mark the database's current revisions (connects; implied by --url).
    #[arg(short = 'i', long)]
    pub indicate_current: bool,
    /// How to connect and what to tolerate.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Options of commands that connect.
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// Commit after each revision instead of once at the end.
    #[arg(long)]
    pub transaction_per_migration: bool,
    /// Warn instead of failing when an applied revision's SQL was edited.
    #[arg(long)]
    pub allow_drift: bool,
    /// Accept applied revisions whose files are gone.
    #[arg(long)]
    pub allow_missing: bool,
    /// Seconds to wait for another migrator's lock.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub lock_timeout: u64,
    /// PostgreSQL: how long each migration statement may wait for a table lock
    /// before it fails and its transaction rolls back, e.g. 5s or 500ms
    /// (default: the server's lock_timeout, normally no limit).
    #[arg(long, env = "MIGRATE_TABLE_LOCK_TIMEOUT", value_name = "DURATION", value_parser = parse_duration)]
    pub table_lock_timeout: Option<Duration>,
    /// PostgreSQL: how long each migration statement may run, lock wait included
    /// (default: the server's statement_timeout, normally no limit).
    #[arg(long, env = "MIGRATE_STATEMENT_TIMEOUT", value_name = "DURATION", value_parser = parse_duration)]
    pub statement_timeout: Option<Duration>,
    /// Rerun a transaction up to N times when one of its statements was not
    /// granted its lock in time.
    #[arg(
        long,
        env = "MIGRATE_LOCK_RETRIES",
        default_value_t = 0,
        value_name = "N"
    )]
    pub lock_retries: u32,
    /// The pause before the first lock retry; it doubles for each further one.
    #[arg(long, env = "MIGRATE_LOCK_RETRY_DELAY", default_value = "1s", value_name = "DURATION", value_parser = parse_duration)]
    pub lock_retry_delay: Duration,
    /// The ledger table.
    #[arg(long, default_value = "migrate_version", value_name = "NAME")]
    pub version_table: String,
    /// The ledger's PostgreSQL schema (default: the search path).
    #[arg(long, value_name = "SCHEMA")]
    pub version_schema: Option<String>,
}

impl DbArgs {
    pub(crate) fn options(&self) -> RunOptions {
        RunOptions {
            transaction_per_migration: self.transaction_per_migration,
            allow_drift: self.allow_drift,
            allow_missing: self.allow_missing,
            lock_timeout: Duration::from_secs(self.lock_timeout),
            timeouts: backend::Timeouts {
                lock: self.table_lock_timeout,
                statement: self.statement_timeout,
            },
            lock_retries: self.lock_retries,
            lock_retry_delay: self.lock_retry_delay,
            ledger: LedgerConfig {
                table: self.version_table.clone(),
                schema: self.version_schema.clone(),
            },
        }
    }
}

/// Options of `upgrade` and `downgrade`.
#[derive(Debug, Args)]
pub struct MoveArgs {
    /// The target (`heads`, `head`, an id, `+1`, `-1`, `label@head`, ...); with
    /// --sql also `FROM:TO`.
    #[arg(allow_negative_numbers = true)]
    pub target: Option<String>,
    /// Print the SQL instead of connecting.
    #[arg(long)]
    pub sql: bool,
    /// With --sql and no URL: the dialect to print (sqlite or postgres).
    #[arg(long, value_name = "DIALECT")]
    pub dialect: Option<String>,
    /// How to connect and what to tolerate.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Options of `stamp`.
#[derive(Debug, Args)]
pub struct StampArgs {
    /// The revision(s) the database should be recorded at.
    #[arg(allow_negative_numbers = true)]
    pub target: String,
    /// Clear the ledger first.
    #[arg(long)]
    pub purge: bool,
    /// How to connect and what to tolerate.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Options of `current`.
#[derive(Debug, Args)]
pub struct CurrentArgs {
    /// Print full entries.
    #[arg(short, long)]
    pub verbose: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// How to connect and what to tolerate.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Options of `revision`.
#[derive(Debug, Args)]
pub struct RevisionArgs {
    /// One line describing the change.
    #[arg(short, long)]
    pub message: String,
    /// The parent: a revision, `<label>@head`, or `base` for a new base.
    #[arg(long, value_name = "REV")]
    pub head: Option<String>,
    /// A branch label for the new revision.
    #[arg(long, value_name = "LABEL")]
    pub branch_label: Vec<String>,
    /// A revision or label the new one depends on (repeatable).
    #[arg(long, value_name = "REV")]
    pub depends_on: Vec<String>,
    /// Use this id instead of a generated one.
    #[arg(long, value_name = "ID")]
    pub rev_id: Option<String>,
    /// Fill in the SQL by comparing the models with the database (which must be
    /// at the heads).
    #[arg(long)]
    pub autogenerate: bool,
    /// Which tables and schemas autogenerate compares.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// The dialects to write SQL for.
    #[command(flatten)]
    pub targets: TargetArgs,
    /// How to connect and what to tolerate.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Options of `merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The revisions to merge, or `heads`.
    #[arg(required = true, value_name = "REVS")]
    pub revisions: Vec<String>,
    /// One line describing the merge.
    #[arg(short, long)]
    pub message: String,
    /// A branch label for the merge revision.
    #[arg(long, value_name = "LABEL")]
    pub branch_label: Vec<String>,
    /// Use this id instead of a generated one.
    #[arg(long, value_name = "ID")]
    pub rev_id: Option<String>,
}

/// Options of `rebase`.
#[derive(Debug, Args)]
pub struct RebaseArgs {
    /// The head of the branch to move (id, prefix or label).
    #[arg(value_name = "BRANCH_HEAD")]
    pub branch_head: String,
    /// The revision the branch should sit on.
    #[arg(long, value_name = "REV")]
    pub onto: String,
    /// The ledger to check when --url is given.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Options of `squash`.
#[derive(Debug, Args)]
pub struct SquashArgs {
    /// The linear run to squash, `A:B` (both included).
    #[arg(value_name = "A:B")]
    pub range: String,
    /// One line describing the squashed revision.
    #[arg(short, long)]
    pub message: String,
    /// Use this id instead of a generated one.
    #[arg(long, value_name = "ID")]
    pub rev_id: Option<String>,
}

/// Which tables and PostgreSQL schemas to compare.
#[derive(Debug, Clone, Default, Args)]
pub struct FilterArgs {
    /// Compare only tables matching this glob (`*`, `?`, `[abc]`; repeatable).
    #[arg(long = "include-table", value_name = "GLOB", value_parser = crate::autogenerate::check_glob)]
    pub include: Vec<String>,
    /// Leave out tables matching this glob (repeatable).
    #[arg(long = "exclude-table", value_name = "GLOB", value_parser = crate::autogenerate::check_glob)]
    pub exclude: Vec<String>,
    /// Also read this PostgreSQL schema (repeatable; schemas models name are read anyway).
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,
}

impl FilterArgs {
    pub(crate) fn filter(&self) -> Filter {
        Filter {
            include: self.include.clone(),
            exclude: self.exclude.clone(),
            schemas: self.schemas.clone(),
        }
    }
}

/// The dialects `revision --autogenerate` writes SQL for.
#[derive(Debug, Clone, Default, Args)]
pub struct TargetArgs {
    /// Write SQL for this dialect (repeatable or comma-separated; default:
    /// MIGRATE_DIALECTS, else every database this binary is built to connect to).
    #[arg(
        long = "dialect",
        value_name = "DIALECT",
        value_delimiter = ',',
        value_parser = parse_dialect
    )]
    pub dialects: Vec<Dialect>,
}

impl TargetArgs {
    /// The target dialects, in [`Dialect::ALL`]'s order: those given with
    /// `--dialect`, else those `MIGRATE_DIALECTS` lists (read here, after
    /// `./.env`, so a project can declare them there), else every backend this
    /// binary is built with. The connected database's must be one of them, or
    /// the revision could not be applied where it was generated.
    pub fn resolve(&self, connected: Dialect) -> Result<Vec<Dialect>> {
        let given = match (self.dialects.as_slice(), std::env::var("MIGRATE_DIALECTS")) {
            ([], Ok(listed)) if !listed.trim().is_empty() => listed
                .split(',')
                .map(|name| {
                    parse_dialect(name).map_err(|reason| Error::InvalidArgument {
                        argument: "MIGRATE_DIALECTS".to_string(),
                        reason,
                    })
                })
                .collect::<Result<Vec<_>>>()?,
            ([], _) => backend::available(),
            (given, _) => given.to_vec(),
        };
        let targets: Vec<Dialect> = Dialect::ALL
            .into_iter()
            .filter(|d| given.contains(d))
            .collect();
        if !targets.contains(&connected) {
            let names: Vec<&str> = targets.iter().map(|d| d.name()).collect();
            return Err(Error::InvalidArgument {
                argument: "--dialect".to_string(),
                reason: format!(
                    "the database is {connected}, which is not among the dialects to write ({}); \
                     add {connected} to --dialect (or MIGRATE_DIALECTS), or compare with a database of one of them",
                    names.join(", ")
                ),
            });
        }
        Ok(targets)
    }
}

/// A duration with its unit, as `5s`, `500ms`, `2min` or `1m 30s`: a bare number
/// would be milliseconds to PostgreSQL and seconds to `--lock-timeout`, so none is
/// accepted.
fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    humantime::parse_duration(text.trim()).map_err(|e| {
        format!(
            "`{}` is not a duration ({e}); write it with a unit, as 5s, 500ms or 2min",
            text.trim()
        )
    })
}

fn parse_dialect(text: &str) -> std::result::Result<Dialect, String> {
    text.trim().parse().map_err(|()| {
        format!(
            "`{}` is not a dialect; use sqlite, postgres or mysql",
            text.trim()
        )
    })
}

/// Options of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Also list the objects autogenerate leaves alone (PostgreSQL views,
    /// materialized views, functions, triggers, policies and extensions).
    #[arg(long)]
    pub unmanaged: bool,
    /// Which tables and schemas autogenerate compares.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// How to connect and what to tolerate.
    #[command(flatten)]
    pub db: DbArgs,
}
