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
//!    the revision stays unrecorded, and the error lists them.
//! 4. Concurrent migrators serialise on a lock (advisory lock on PostgreSQL,
//!    `BEGIN IMMEDIATE` on SQLite); whoever comes second finds nothing to do.

use std::time::{Duration, Instant};

use crate::backend::{ledger, AppConnection, Backend, LedgerConfig, LedgerRow};
use crate::dialect::Dialect;
use crate::error::{Error, Location, Result};
use crate::revision::{Direction, Plan, Revision, RevisionGraph, Section};

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
        direction: Direction,
        revision: &'a Revision,
    },
    /// The step committed (or, in a shared transaction, finished).
    Finished {
        direction: Direction,
        revision: &'a Revision,
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

/// One unit of work, shared by online execution and offline rendering.
///
/// The list is the only thing that opens and commits transactions: every
/// `Begin` has its `Commit`, and a `transaction:false` section runs between them,
/// never inside.
#[derive(Debug, Clone)]
pub enum Action<'g> {
    /// Start a transaction.
    Begin,
    /// Commit it.
    Commit,
    /// Create the ledger if it does not exist.
    CreateLedger,
    /// Empty the ledger (`stamp --purge`).
    ClearLedger,
    /// Run a revision's section (statement by statement when not transactional).
    Run {
        revision: &'g Revision,
        direction: Direction,
        section: &'g Section,
    },
    /// Record a revision in the ledger.
    Record { revision: &'g Revision },
    /// Remove a revision (and, for a squash, what it replaces) from the ledger.
    Forget { revision: &'g Revision },
}

/// What the steps of a plan do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Apply {
    /// Run each step's SQL and record it (`upgrade`, `downgrade`).
    Sql,
    /// Only record the steps (`stamp`); with `purge`, empty the ledger first.
    RecordOnly { purge: bool },
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

/// The actions that carry out `plan` on `dialect`, checked up front: every step has
/// SQL for the dialect, and every downgrade step has down SQL for it.
///
/// The first transaction creates the ledger (and, for `stamp --purge`, empties
/// it), so that set-up commits even when the plan has no steps.
pub fn actions<'g>(
    plan: &Plan<'g>,
    dialect: Dialect,
    options: &RunOptions,
    apply: Apply,
) -> Result<Vec<Action<'g>>> {
    let mut list = Transactions::default();
    list.inside(Action::CreateLedger);
    if apply == (Apply::RecordOnly { purge: true }) {
        list.inside(Action::ClearLedger);
    }
    for step in &plan.steps {
        let revision = step.revision;
        // SQL that committed on its own needs its ledger row committed at once:
        // a later failure must not roll back the row of SQL that stays.
        let mut commit_record = options.transaction_per_migration;
        if apply == Apply::Sql {
            let sections = revision
                .sections_for(step.direction, dialect)
                .ok_or_else(|| Error::MissingDialectSection {
                    revision: revision.id.clone(),
                    path: revision.path.clone(),
                    direction: step.direction,
                    dialect,
                })?;
            if step.direction == Direction::Down && !revision.can_downgrade(dialect) {
                return Err(Error::Irreversible {
                    revision: revision.id.clone(),
                    path: revision.path.clone(),
                    section: revision.down_marker(dialect),
                    dialect,
                });
            }
            for section in sections {
                let run = Action::Run {
                    revision,
                    direction: step.direction,
                    section,
                };
                if section.transactional {
                    list.inside(run);
                } else {
                    // What came before must not share the fate of SQL that cannot be
                    // rolled back, and such SQL cannot run inside a transaction.
                    list.outside(run);
                    commit_record = true;
                }
            }
        }
        list.inside(match step.direction {
            Direction::Up => Action::Record { revision },
            Direction::Down => Action::Forget { revision },
        });
        if commit_record {
            list.close();
        }
    }
    list.close();
    Ok(list.actions)
}

/// Builds an action list, opening a transaction only when something needs one, so
/// no transaction is empty and none is left open.
#[derive(Default)]
struct Transactions<'g> {
    actions: Vec<Action<'g>>,
    open: bool,
}

impl<'g> Transactions<'g> {
    fn inside(&mut self, action: Action<'g>) {
        if !self.open {
            self.actions.push(Action::Begin);
            self.open = true;
        }
        self.actions.push(action);
    }

    fn outside(&mut self, action: Action<'g>) {
        self.close();
        self.actions.push(action);
    }

    fn close(&mut self) {
        if self.open {
            self.actions.push(Action::Commit);
            self.open = false;
        }
    }
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
    Stamp { target: &'t str, purge: bool },
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

/// Executes actions in order. On failure the open transaction rolls back; what
/// committed before stays, and the ledger says so.
fn execute(
    backend: &mut dyn Backend,
    actions: &[Action<'_>],
    options: &RunOptions,
    events: &mut dyn FnMut(Event<'_>),
) -> Result<Report> {
    let mut in_transaction = false;
    let result = execute_tracked(backend, actions, options, events, &mut in_transaction);
    if result.is_err() {
        // Also when no transaction is open: a failed `begin` may have changed
        // session state (SQLite's `foreign_keys`) that rollback restores, and
        // rollback is a no-op otherwise.
        let _ = backend.rollback();
    }
    result
}

fn execute_tracked(
    backend: &mut dyn Backend,
    actions: &[Action<'_>],
    options: &RunOptions,
    events: &mut dyn FnMut(Event<'_>),
    in_transaction: &mut bool,
) -> Result<Report> {
    let dialect = backend.dialect();
    let mut report = Report::default();
    let mut started: Option<Instant> = None;
    for action in actions {
        // What `actions` guarantees; checked, since running `transaction:false`
        // SQL inside a transaction (or ledger rows outside one) is the bug this
        // bookkeeping exists to prevent.
        let needs_transaction = match action {
            Action::Begin => false,
            Action::Run { section, .. } => section.transactional,
            _ => true,
        };
        if needs_transaction != *in_transaction {
            return Err(Error::Database {
                message: format!(
                    "internal error: {} with a transaction {}",
                    describe(action),
                    if *in_transaction { "open" } else { "not open" }
                ),
            });
        }
        match action {
            Action::Begin => {
                backend.begin()?;
                *in_transaction = true;
            }
            Action::Commit => {
                backend.commit()?;
                *in_transaction = false;
            }
            Action::CreateLedger => backend
                .execute(&ledger::create_sql(&options.ledger, dialect))
                .map_err(|e| e.into_error(None))?,
            Action::ClearLedger => backend
                .execute(&ledger::clear_sql(&options.ledger, dialect))
                .map_err(|e| e.into_error(None))?,
            Action::Run {
                revision,
                direction,
                section,
            } => {
                if started.is_none() {
                    started = Some(Instant::now());
                    events(Event::Started {
                        direction: *direction,
                        revision,
                    });
                    tracing::info!("{}", Event::running_line(*direction, revision));
                }
                if section.transactional {
                    backend
                        .execute(&section.sql)
                        .map_err(|e| e.into_error(Some((revision, section))))?;
                } else {
                    run_outside_transaction(backend, revision, section)?;
                }
            }
            Action::Record { revision } | Action::Forget { revision } => {
                let direction = if matches!(action, Action::Record { .. }) {
                    Direction::Up
                } else {
                    Direction::Down
                };
                if started.is_none() {
                    events(Event::Started {
                        direction,
                        revision,
                    });
                }
                let elapsed = started.take().map_or(Duration::ZERO, |s| s.elapsed());
                let sql = match action {
                    Action::Record { .. } => {
                        let millis = i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX);
                        ledger::insert_sql(
                            &options.ledger,
                            dialect,
                            &revision.id,
                            &revision.checksum_for(dialect).to_hex(),
                            Some(millis),
                        )
                    }
                    _ => ledger::delete_sql(&options.ledger, dialect, &ledger_ids(revision)),
                };
                backend.execute(&sql).map_err(|e| e.into_error(None))?;
                events(Event::Finished {
                    direction,
                    revision,
                    elapsed,
                });
                report.steps.push(revision.id.clone());
            }
        }
    }
    if *in_transaction {
        return Err(Error::Database {
            message: "internal error: the actions left a transaction open".to_string(),
        });
    }
    Ok(report)
}

/// An action in a few words, for the internal-error message.
fn describe(action: &Action<'_>) -> String {
    match action {
        Action::Begin => "BEGIN".to_string(),
        Action::Commit => "COMMIT".to_string(),
        Action::CreateLedger => "creating the ledger".to_string(),
        Action::ClearLedger => "emptying the ledger".to_string(),
        Action::Run {
            revision, section, ..
        } => format!(
            "the {}{} SQL of revision {}",
            section.direction,
            if section.transactional {
                ""
            } else {
                " transaction:false"
            },
            revision.id
        ),
        Action::Record { revision } | Action::Forget { revision } => {
            format!("the ledger row of revision {}", revision.id)
        }
    }
}

/// Runs a `transaction:false` section one statement at a time. Each statement
/// commits on its own, so when one fails, those before it stay applied and the
/// error names them.
fn run_outside_transaction(
    backend: &mut dyn Backend,
    revision: &Revision,
    section: &Section,
) -> Result<()> {
    let statements = crate::sql::split(&section.sql);
    let at = |line: usize| Location::new(revision.path.clone(), section.first_line + line - 1);
    for (done, statement) in statements.iter().enumerate() {
        let Err(error) = backend.execute(statement.sql) else {
            continue;
        };
        let line = statement.line + error.line - 1;
        if done == 0 {
            return Err(Error::MigrationFailed {
                revision: revision.id.clone(),
                location: at(line),
                message: error.message,
            });
        }
        return Err(Error::PartiallyApplied {
            revision: revision.id.clone(),
            location: at(line),
            message: error.message,
            applied: statements[..done]
                .iter()
                .map(|s| (at(s.line), s.sql.to_string()))
                .collect(),
        });
    }
    Ok(())
}

/// The ledger ids that stand for a revision: itself, and for a squash also the
/// revisions it replaces (a database may have applied those instead).
fn ledger_ids(revision: &Revision) -> Vec<&str> {
    std::iter::once(revision.id.as_str())
        .chain(revision.replaces.iter().map(String::as_str))
        .collect()
}

/// The SQL script of a plan, for `--sql`: the same statements an online run
/// executes, ledger included, with `BEGIN`/`COMMIT` where the online run opens and
/// commits its transactions.
pub fn offline_script(
    dialect: Dialect,
    actions: &[Action<'_>],
    options: &RunOptions,
    header: &str,
) -> String {
    let mut out = format!("-- {header}\n-- generated by migrate; run with psql -f or sqlite3\n\n");
    for action in actions {
        match action {
            Action::Begin => out.push_str("BEGIN;\n\n"),
            Action::Commit => out.push_str("COMMIT;\n\n"),
            Action::CreateLedger => {
                out.push_str(&ledger::create_sql(&options.ledger, dialect));
                out.push_str(";\n\n");
            }
            Action::ClearLedger => {
                out.push_str(&ledger::clear_sql(&options.ledger, dialect));
                out.push_str(";\n\n");
            }
            Action::Run {
                revision,
                direction,
                section,
            } => {
                out.push_str(&format!(
                    "-- {}\n",
                    Event::running_line(*direction, revision)
                ));
                let sql = section.sql.trim_end();
                if !crate::sql::split(sql).is_empty() {
                    out.push_str(sql);
                    if !sql.ends_with(';') {
                        out.push(';');
                    }
                    out.push('\n');
                }
                out.push('\n');
            }
            Action::Record { revision } => {
                out.push_str(&ledger::insert_sql(
                    &options.ledger,
                    dialect,
                    &revision.id,
                    &revision.checksum_for(dialect).to_hex(),
                    None,
                ));
                out.push_str(";\n\n");
            }
            Action::Forget { revision } => {
                out.push_str(&ledger::delete_sql(
                    &options.ledger,
                    dialect,
                    &ledger_ids(revision),
                ));
                out.push_str(";\n\n");
            }
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::revision::parse;

    /// A chain `r1 -> r2 -> ...`; `true` marks a `transaction:false` revision.
    fn chain(no_transaction: &[bool]) -> RevisionGraph {
        let revisions = no_transaction
            .iter()
            .enumerate()
            .map(|(i, &outside)| {
                let n = i + 1;
                let parent = if n == 1 {
                    "none".to_string()
                } else {
                    format!("r{}", n - 1)
                };
                let option = if outside { " transaction:false" } else { "" };
                let text = format!(
                    "-- revision: r{n}\n-- down_revision: {parent}\n\
                     -- migrate:up{option}\nSELECT {n};\n-- migrate:down{option}\nSELECT -{n};\n"
                );
                parse(&format!("r{n}.sql"), &text).unwrap()
            })
            .collect();
        RevisionGraph::new(revisions).unwrap()
    }

    /// The actions as one line: `[ ]` a transaction, `L` the ledger's creation,
    /// `P` the purge, `rN` a revision's SQL, `+N`/`-N` its ledger row.
    fn shape(plan: Plan<'_>, per_migration: bool, apply: Apply) -> String {
        let options = RunOptions {
            transaction_per_migration: per_migration,
            ..RunOptions::default()
        };
        let list = actions(&plan, Dialect::Sqlite, &options, apply).unwrap();
        let words: Vec<String> = list
            .iter()
            .map(|action| match action {
                Action::Begin => "[".to_string(),
                Action::Commit => "]".to_string(),
                Action::CreateLedger => "L".to_string(),
                Action::ClearLedger => "P".to_string(),
                Action::Run { revision, .. } => revision.id.clone(),
                Action::Record { revision } => format!("+{}", &revision.id[1..]),
                Action::Forget { revision } => format!("-{}", &revision.id[1..]),
            })
            .collect();
        words.join(" ")
    }

    fn up(no_transaction: &[bool], per_migration: bool) -> String {
        let graph = chain(no_transaction);
        let plan = graph.upgrade_plan(&[] as &[&str], "heads").unwrap();
        shape(plan, per_migration, Apply::Sql)
    }

    #[test]
    fn transaction_false_never_runs_inside_a_transaction() {
        assert_eq!(up(&[true], false), "[ L ] r1 [ +1 ]");
        assert_eq!(up(&[true, false], false), "[ L ] r1 [ +1 ] [ r2 +2 ]");
        assert_eq!(up(&[false, true], false), "[ L r1 +1 ] r2 [ +2 ]");
        assert_eq!(
            up(&[false, true, true, false], false),
            "[ L r1 +1 ] r2 [ +2 ] r3 [ +3 ] [ r4 +4 ]"
        );
        assert_eq!(
            up(&[false, true, true, false], true),
            "[ L r1 +1 ] r2 [ +2 ] r3 [ +3 ] [ r4 +4 ]"
        );
        assert_eq!(up(&[false, false], false), "[ L r1 +1 r2 +2 ]");
        assert_eq!(up(&[false, false], true), "[ L r1 +1 ] [ r2 +2 ]");
        let graph = chain(&[true, false]);
        let plan = graph.downgrade_plan(&["r1", "r2"], "base").unwrap();
        assert_eq!(shape(plan, false, Apply::Sql), "[ L r2 -2 ] r1 [ -1 ]");
    }

    #[test]
    fn set_up_commits_with_an_empty_plan() {
        let graph = chain(&[false]);
        let plan = graph.upgrade_plan(&["r1"], "heads").unwrap();
        assert_eq!(shape(plan, false, Apply::Sql), "[ L ]");
        let plan = graph.stamp_plan(&[] as &[&str], "base").unwrap();
        let purge = Apply::RecordOnly { purge: true };
        assert_eq!(shape(plan, false, purge), "[ L P ]");
        let plan = graph.stamp_plan(&[] as &[&str], "r1").unwrap();
        assert_eq!(shape(plan, true, purge), "[ L P +1 ]");
    }
}
