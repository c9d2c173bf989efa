//! The runtime (Alembic's `runtime.migration`): read the ledger, plan over the
//! graph, and apply the plan to a database, or print it as SQL.
//!
//! Online and offline runs share one path: the runner turns a plan into a list of
//! [`Action`]s (begin, a revision's SQL, a ledger row, commit), and either executes
//! them or prints them. So `upgrade --sql` is, statement for statement, what
//! `upgrade` runs.
//!
//! Safety rules, in the order they apply:
//! 1. Nothing runs before the whole plan is checked: drift, revisions missing from
//!    the directory, sections missing for the dialect, and irreversible steps are
//!    all errors up front.
//! 2. By default the whole run is one transaction. A revision's SQL and its ledger
//!    row always commit together, so the ledger never disagrees with the schema.
//!    The action list alone opens and commits transactions; the executor only
//!    follows it, and the first transaction also creates the ledger (and empties
//!    it for `stamp --purge`), so set-up commits even when nothing else runs.
//! 3. A `transaction:false` section first commits what came before it, then runs
//!    statement by statement outside any transaction; its ledger row commits
//!    after it. When one of its statements fails, those before it stay applied,
//!    the revision stays unrecorded, and the error lists them. On MySQL, where a
//!    section with DDL runs this way too, the row is then written in autocommit:
//!    one statement, which commits whole or not at all, with nothing else of the
//!    revision left to commit alongside it.
//! 4. Concurrent migrators serialise on a lock (advisory lock on PostgreSQL,
//!    `BEGIN IMMEDIATE` on SQLite); whoever comes second finds nothing to do.
//! 5. With [`RunOptions::timeouts`], a statement that waits too long for a table
//!    lock fails instead of queueing every other query on that table behind it.
//!    Its transaction rolls back whole, and with [`RunOptions::lock_retries`]
//!    runs again from its `BEGIN` after a pause.

mod actions;
mod execute;

use std::time::Duration;

use crate::backend::{AppConnection, Backend, LedgerConfig, LedgerRow, Timeouts};
use crate::error::{Error, Result};
use crate::revision::{Direction, Revision, RevisionGraph};

pub use actions::{
    actions, ledger_row_in_autocommit, runs_in_transaction, transactional_ddl, Action, Apply,
};
use execute::execute;
pub use execute::offline_script;

/// How a run behaves.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Commit after each revision instead of once at the end.
    pub transaction_per_migration: bool,
    /// Report an edited, already-applied revision as a warning instead of an error.
    pub allow_drift: bool,
    /// Accept applied revisions whose files are gone.
    pub allow_missing: bool,
    /// How long to wait for another migrator's lock.
    pub lock_timeout: Duration,
    /// Lock and statement timeouts for every migration transaction and every
    /// `transaction:false` statement (PostgreSQL). None by default: the server's
    /// settings stand, as they did before these options existed.
    pub timeouts: Timeouts,
    /// How many times to rerun a transaction one of whose statements was not
    /// granted its lock within `timeouts.lock`. Each failed attempt rolls back
    /// completely first.
    pub lock_retries: u32,
    /// How long to wait before the first retry; each further one waits twice as
    /// long as the one before.
    pub lock_retry_delay: Duration,
    /// The version table.
    pub ledger: LedgerConfig,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            transaction_per_migration: false,
            allow_drift: false,
            allow_missing: false,
            lock_timeout: Duration::from_secs(60),
            timeouts: Timeouts::default(),
            lock_retries: 0,
            lock_retry_delay: Duration::from_secs(1),
            ledger: LedgerConfig::default(),
        }
    }
}

/// What happened during a run, for progress output. Library users get the same
/// lines through `tracing` at INFO level.
#[derive(Debug, Clone)]
pub enum Event<'a> {
    /// A step is about to run: `Running upgrade <parent> -> <rev>, <message>`.
    Started {
        /// Upgrade or downgrade.
        direction: Direction,
        /// The revision the step applies or reverts.
        revision: &'a Revision,
    },
    /// The step committed (or, in a shared transaction, finished).
    Finished {
        /// Upgrade or downgrade.
        direction: Direction,
        /// The revision the step applied or reverted.
        revision: &'a Revision,
        /// How long the step took.
        elapsed: Duration,
    },
    /// A warning, e.g. tolerated drift.
    Warning(String),
}

impl Event<'_> {
    /// Alembic's wording: `Running upgrade a1 -> b2, add users`.
    pub fn running_line(direction: Direction, revision: &Revision) -> String {
        let parents = if revision.down_revisions.is_empty() {
            String::new()
        } else {
            revision.down_revisions.join(", ")
        };
        let message = if revision.message.is_empty() {
            String::new()
        } else {
            format!(", {}", revision.message)
        };
        match direction {
            Direction::Up => format!("Running upgrade {parents} -> {}{message}", revision.id),
            Direction::Down => format!("Running downgrade {} -> {parents}{message}", revision.id),
        }
    }
}

/// The result of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The revisions run (or recorded, for `stamp`), in order.
    pub steps: Vec<String>,
}

/// The ledger's view of the database: its rows, mapped onto the graph.
#[derive(Debug, Clone)]
pub struct State {
    /// Every ledger row, in application order.
    pub rows: Vec<LedgerRow>,
    /// Graph revisions that count as applied.
    pub applied: Vec<String>,
}

/// Reads the ledger (creating nothing) and checks it against the graph.
pub fn read_state(
    backend: &mut dyn Backend,
    graph: &RevisionGraph,
    options: &RunOptions,
    warn: &mut dyn FnMut(Event<'_>),
) -> Result<State> {
    let rows = backend.read_ledger(&options.ledger)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.revision.as_str()).collect();
    let mapped = graph.applied_from_ledger(&ids)?;
    if !mapped.unknown.is_empty() {
        let error = Error::MissingApplied {
            revisions: mapped.unknown.clone(),
        };
        if !options.allow_missing {
            return Err(error);
        }
        warn(Event::Warning(error.to_string()));
    }
    let dialect = backend.dialect();
    for row in &rows {
        let Some(rev) = graph.get(&row.revision) else {
            continue;
        };
        if !rev.matches_recorded_on(&row.checksum, dialect) {
            let error = Error::ChecksumDrift {
                revision: rev.id.clone(),
                path: rev.path.clone(),
            };
            if !options.allow_drift {
                return Err(error);
            }
            warn(Event::Warning(error.to_string()));
        }
    }
    Ok(State {
        rows,
        applied: mapped.revisions,
    })
}

/// Brings the database to `target` (`upgrade`), reverting with `Direction::Down`
/// (`downgrade`), or only recording the change (`stamp`).
///
/// The lock is held for the whole run; the ledger is read under it, so a second
/// migrator that waited for the lock finds nothing left to do.
pub fn run(
    backend: &mut dyn Backend,
    graph: &RevisionGraph,
    command: Command<'_>,
    options: &RunOptions,
    events: &mut dyn FnMut(Event<'_>),
) -> Result<Report> {
    backend.lock(&options.ledger, options.lock_timeout)?;
    let result = run_locked(backend, graph, command, options, events);
    let unlocked = backend.unlock(&options.ledger);
    let report = result?;
    unlocked?;
    Ok(report)
}

/// What [`run`] does.
#[derive(Debug, Clone, Copy)]
pub enum Command<'t> {
    /// `upgrade TARGET`
    Upgrade(&'t str),
    /// `downgrade TARGET`
    Downgrade(&'t str),
    /// `stamp TARGET [--purge]`
    Stamp {
        /// The revision(s) to record the database at.
        target: &'t str,
        /// Empty the ledger first.
        purge: bool,
    },
}

fn run_locked(
    backend: &mut dyn Backend,
    graph: &RevisionGraph,
    command: Command<'_>,
    options: &RunOptions,
    events: &mut dyn FnMut(Event<'_>),
) -> Result<Report> {
    // Read without a transaction: the lock keeps other migrators out, and a plan
    // that fails its checks must leave nothing behind, not even the ledger table.
    let mut state = read_state(backend, graph, options, events)?;
    let apply = match command {
        Command::Stamp { purge, .. } => Apply::RecordOnly { purge },
        Command::Upgrade(_) | Command::Downgrade(_) => Apply::Sql,
    };
    if apply == (Apply::RecordOnly { purge: true }) {
        state.applied.clear();
    }
    let plan = match command {
        Command::Upgrade(target) => graph.upgrade_plan(&state.applied, target)?,
        Command::Downgrade(target) => graph.downgrade_plan(&state.applied, target)?,
        Command::Stamp { target, .. } => graph.stamp_plan(&state.applied, target)?,
    };
    let actions = actions(&plan, backend.dialect(), options, apply)?;
    execute(backend, &actions, options, events)
}

/// Upgrades the database at `url` to `target` with default options: the one call a
/// service makes at start-up. Progress goes to `tracing` at INFO level.
///
/// The call is synchronous: it blocks its thread for as long as the migration
/// runs (lock wait included). It is safe inside a tokio runtime, where a service
/// should still call it through `tokio::task::spawn_blocking` so the runtime's
/// worker threads stay free:
///
/// ```no_run
/// # static MIGRATIONS: migrate_core::EmbeddedMigrations = migrate_core::EmbeddedMigrations { source_dir: "migrations", files: &[] };
/// # async fn start() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
/// let url = migrate_core::config::DatabaseUrl::parse("postgres://app@db/app?sslmode=verify-full")?;
/// tokio::task::spawn_blocking(move || migrate_core::runner::upgrade(&MIGRATIONS, &url, "heads")).await??;
/// # Ok(()) }
/// ```
///
/// ```no_run
/// static MIGRATIONS: migrate_core::EmbeddedMigrations = migrate_core::EmbeddedMigrations {
///     source_dir: "migrations",
///     files: &[],
/// };
/// let url = migrate_core::config::DatabaseUrl::parse("sqlite://app.db")?;
/// let report = migrate_core::runner::upgrade(&MIGRATIONS, &url, "heads")?;
/// println!("applied {} revision(s)", report.steps.len());
/// # Ok::<(), migrate_core::Error>(())
/// ```
pub fn upgrade(
    migrations: &crate::EmbeddedMigrations,
    url: &crate::config::DatabaseUrl,
    target: &str,
) -> Result<Report> {
    let graph = migrations.graph()?;
    let mut backend = crate::backend::connect(url, &crate::backend::ConnectOptions::default())?;
    run(
        backend.as_mut(),
        &graph,
        Command::Upgrade(target),
        &RunOptions::default(),
        &mut log_event,
    )
}

/// Warnings (tolerated drift, say) go to `tracing`, as progress does.
fn log_event(event: Event<'_>) {
    if let Event::Warning(text) = event {
        tracing::warn!("{text}");
    }
}

/// [`run`] with default options over the application's own connection.
fn run_on(
    migrations: &crate::EmbeddedMigrations,
    conn: &mut dyn AppConnection,
    command: Command<'_>,
) -> Result<Report> {
    let graph = migrations.graph()?;
    let mut backend = conn.backend()?;
    // `run` commits or rolls back every transaction it opens, so the connection
    // comes back in autocommit.
    run(
        backend.as_mut(),
        &graph,
        command,
        &RunOptions::default(),
        &mut log_event,
    )
}

/// [`upgrade`] over a connection the application already holds (a
/// `rusqlite::Connection` or a `postgres::Client`, with its own TLS, pool, SQLCipher
/// key or `search_path`). The connection comes back as it was lent: autocommit, no
/// transaction open, no lock held, `foreign_keys` (SQLite) as it was, session
/// settings such as `search_path` untouched; after a failure too.
///
/// ```
/// static MIGRATIONS: migrate_core::EmbeddedMigrations = migrate_core::EmbeddedMigrations {
///     source_dir: "migrations",
///     files: &[migrate_core::EmbeddedFile {
///         path: "migrations/a1.sql",
///         contents: "-- revision: a1\n-- down_revision: none\n-- migrate:up\nCREATE TABLE t (id INT);\n-- migrate:down\nDROP TABLE t;\n",
///     }],
/// };
/// let mut conn = rusqlite::Connection::open_in_memory().unwrap();
/// migrate_core::runner::upgrade_on(&MIGRATIONS, &mut conn, "heads")?;
/// assert_eq!(migrate_core::runner::current_on(&MIGRATIONS, &mut conn)?, ["a1"]);
/// conn.execute("INSERT INTO t VALUES (1)", []).unwrap(); // still the application's connection
/// # Ok::<(), migrate_core::Error>(())
/// ```
pub fn upgrade_on(
    migrations: &crate::EmbeddedMigrations,
    conn: &mut dyn AppConnection,
    target: &str,
) -> Result<Report> {
    run_on(migrations, conn, Command::Upgrade(target))
}

/// `downgrade TARGET` over the application's own connection (see [`upgrade_on`]).
pub fn downgrade_on(
    migrations: &crate::EmbeddedMigrations,
    conn: &mut dyn AppConnection,
    target: &str,
) -> Result<Report> {
    run_on(migrations, conn, Command::Downgrade(target))
}

/// `stamp TARGET` over the application's own connection (see [`upgrade_on`]):
/// records the target in the ledger without running any revision.
pub fn stamp_on(
    migrations: &crate::EmbeddedMigrations,
    conn: &mut dyn AppConnection,
    target: &str,
) -> Result<Report> {
    run_on(
        migrations,
        conn,
        Command::Stamp {
            target,
            purge: false,
        },
    )
}

/// The database's current revisions (the applied heads), over the application's
/// own connection. Reads only: creates no ledger, takes no lock. Drift and
/// applied revisions missing from `migrations` are warnings (through `tracing`),
/// as in `migrate current`.
pub fn current_on(
    migrations: &crate::EmbeddedMigrations,
    conn: &mut dyn AppConnection,
) -> Result<Vec<String>> {
    let graph = migrations.graph()?;
    let mut backend = conn.backend()?;
    let options = RunOptions {
        allow_drift: true,
        allow_missing: true,
        ..RunOptions::default()
    };
    let state = read_state(backend.as_mut(), &graph, &options, &mut log_event)?;
    Ok(graph
        .current_heads(&state.applied)
        .into_iter()
        .map(str::to_string)
        .collect())
}
