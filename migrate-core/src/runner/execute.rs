//! Carrying out an action list: online against a backend, statement by
//! statement for `transaction:false` sections, or offline as a SQL script.

use std::time::{Duration, Instant};

use crate::backend::{ledger, Backend, HeldLock, Timeouts};
use crate::dialect::Dialect;
use crate::error::{Error, Location, LockedTables, Result};
use crate::revision::{Direction, Revision, Section};

use super::{
    ledger_row_in_autocommit, runs_in_transaction, transactional_ddl, Action, Event, Report,
    RunOptions,
};

/// Executes actions in order. On failure the open transaction rolls back; what
/// committed before stays, and the ledger says so.
pub(super) fn execute(
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
    let mut report = Report::default();
    let mut started: Option<Instant> = None;
    let mut attempt = 1;
    // Where the open transaction began and how long the report was then: a retry
    // reruns the transaction from there.
    let mut restart = (0, 0);
    let mut next = 0;
    while let Some(action) = actions.get(next) {
        if matches!(action, Action::Begin) {
            restart = (next, report.steps.len());
        }
        let mut step = Step {
            backend: &mut *backend,
            options,
            events: &mut *events,
            in_transaction: &mut *in_transaction,
            started: &mut started,
            report: &mut report,
        };
        match step.perform(action) {
            Ok(()) => {
                if matches!(action, Action::Commit) {
                    attempt = 1;
                }
                next += 1;
            }
            Err(Error::LockNotGranted {
                revision,
                location,
                mut waited,
                message,
                ..
            }) if *in_transaction => {
                // Ask who holds what only once nothing of ours is: the aborted
                // transaction can run no query, and the holder is still there.
                let _ = backend.rollback();
                *in_transaction = false;
                if let Action::Run { section, .. } = action {
                    let line = location.line + 1 - section.first_line;
                    let locks = backend.locks_held_by_others().unwrap_or_default();
                    if let Some(statement) =
                        crate::sql::split_as(&section.sql, backend.dialect().into())
                            .into_iter()
                            .find(|s| s.line == line)
                    {
                        let LockedTables { tables, holders } = &mut *waited;
                        waited_on(statement.sql, &locks, tables, holders);
                    }
                }
                let mut error = Error::LockNotGranted {
                    revision,
                    location,
                    waited,
                    attempts: 1,
                    message,
                };
                if attempt > options.lock_retries {
                    if let Error::LockNotGranted { attempts, .. } = &mut error {
                        *attempts = attempt;
                    }
                    return Err(error);
                }
                let delay = options
                    .lock_retry_delay
                    .saturating_mul(1 << (attempt - 1).min(16));
                events(Event::Warning(format!(
                    "{error}; retrying in {} (attempt {} of {})",
                    humantime::format_duration(delay),
                    attempt + 1,
                    options.lock_retries + 1
                )));
                std::thread::sleep(delay);
                attempt += 1;
                (next, started) = (restart.0, None);
                report.steps.truncate(restart.1);
            }
            Err(error) => return Err(error),
        }
    }
    if *in_transaction {
        return Err(Error::Database {
            message: "internal error: the actions left a transaction open".to_string(),
        });
    }
    Ok(report)
}

/// What the waiting statement waited on: the tables it names that another session
/// held locked when it gave up (or the one the server named), and who held them.
fn waited_on(
    statement: &str,
    locks: &[HeldLock],
    tables: &mut Vec<String>,
    holders: &mut Vec<String>,
) {
    let named = identifiers(statement);
    let server_named = tables.first().cloned();
    for lock in locks {
        let qualified = format!("{}.{}", lock.schema, lock.relation);
        let relevant = match &server_named {
            Some(name) => *name == lock.relation || *name == qualified,
            None => named.contains(&lock.relation),
        };
        if !relevant {
            continue;
        }
        if server_named.is_none() && !tables.contains(&qualified) {
            tables.push(qualified);
        }
        let holder = format!("pid {} ({})", lock.pid, lock.mode);
        if !holders.contains(&holder) {
            holders.push(holder);
        }
    }
}

/// The identifiers of a statement as PostgreSQL reads them: unquoted ones folded
/// to lower case, quoted ones as written. Keywords come along; they match no table
/// a lock is held on unless the table is named like one, and then it is named.
fn identifiers(statement: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut rest = statement;
    while let Some(at) = rest.find(|c: char| c == '"' || c.is_alphanumeric() || c == '_') {
        rest = &rest[at..];
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or(quoted.len());
            words.push(quoted[..end].to_string());
            rest = quoted.get(end + 1..).unwrap_or("");
        } else {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                .unwrap_or(rest.len());
            words.push(rest[..end].to_lowercase());
            rest = &rest[end..];
        }
    }
    words
}
/// One action's run, with the executor's bookkeeping.
struct Step<'s, 'e> {
    backend: &'s mut dyn Backend,
    options: &'s RunOptions,
    events: &'s mut dyn FnMut(Event<'e>),
    in_transaction: &'s mut bool,
    started: &'s mut Option<Instant>,
    report: &'s mut Report,
}

impl<'e> Step<'_, 'e> {
    fn perform(&mut self, action: &Action<'e>) -> Result<()> {
        let Step {
            backend,
            options,
            events,
            in_transaction,
            started,
            report,
        } = self;
        let dialect = backend.dialect();
        // What `actions` guarantees; checked, since running `transaction:false`
        // SQL inside a transaction (or ledger rows outside one where that is not
        // atomic) is the bug this bookkeeping exists to prevent.
        let allowed = match action {
            Action::Begin => !**in_transaction,
            Action::Run { section, .. } => {
                runs_in_transaction(section, dialect) == **in_transaction
            }
            Action::CreateLedger => transactional_ddl(dialect) == **in_transaction,
            Action::Record { .. } | Action::Forget { .. } => {
                **in_transaction || ledger_row_in_autocommit(dialect)
            }
            Action::Commit | Action::ClearLedger => **in_transaction,
        };
        if !allowed {
            return Err(Error::Database {
                message: format!(
                    "internal error: {} with a transaction {}",
                    describe(action),
                    if **in_transaction { "open" } else { "not open" }
                ),
            });
        }
        match action {
            Action::Begin => {
                backend.begin()?;
                **in_transaction = true;
                backend.limit_transaction(&options.timeouts)?;
            }
            Action::Commit => {
                backend.commit()?;
                **in_transaction = false;
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
                    **started = Some(Instant::now());
                    events(Event::Started {
                        direction: *direction,
                        revision,
                    });
                    tracing::info!("{}", Event::running_line(*direction, revision));
                }
                if runs_in_transaction(section, dialect) {
                    backend
                        .execute(&section.sql)
                        .map_err(|e| e.into_error(Some((revision, section))))?;
                } else {
                    run_outside_transaction(&mut **backend, revision, section, &options.timeouts)?;
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
                if !**in_transaction && crate::sql::split_as(&sql, dialect.into()).len() != 1 {
                    // Autocommit makes one statement atomic, never two.
                    return Err(Error::Database {
                        message: format!(
                            "internal error: {} is not one statement, outside a transaction",
                            describe(action)
                        ),
                    });
                }
                backend.execute(&sql).map_err(|e| e.into_error(None))?;
                events(Event::Finished {
                    direction,
                    revision,
                    elapsed,
                });
                report.steps.push(revision.id.clone());
            }
        }
        Ok(())
    }
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

/// Runs a section one statement at a time: a `transaction:false` one, or on
/// MySQL one with DDL. Each statement commits on its own, so when one fails,
/// those before it stay applied and the error names them.
fn run_outside_transaction(
    backend: &mut dyn Backend,
    revision: &Revision,
    section: &Section,
    timeouts: &Timeouts,
) -> Result<()> {
    let statements = crate::sql::split_as(&section.sql, backend.dialect().into());
    let at = |line: usize| Location::new(revision.path.clone(), section.first_line + line - 1);
    for (done, statement) in statements.iter().enumerate() {
        let Err(error) = backend.execute_limited(statement.sql, timeouts) else {
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
            implicit_commits: section.transactional,
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
    let client = match dialect {
        Dialect::Sqlite | Dialect::Postgres => "psql -f or sqlite3",
        // DDL commits implicitly on MySQL: the script stops at the first error,
        // and what ran before it stays (see the README's backend table).
        Dialect::Mysql => "mysql DATABASE < script",
    };
    let mut out = format!("-- {header}\n-- generated by migrate; run with {client}\n\n");
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
                if !crate::sql::split_as(sql, dialect.into()).is_empty() {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn held(schema: &str, relation: &str, pid: i32) -> HeldLock {
        HeldLock {
            schema: schema.to_string(),
            relation: relation.to_string(),
            pid,
            mode: "AccessShareLock".to_string(),
        }
    }

    #[test]
    fn identifiers_fold_unquoted_names_and_keep_quoted_ones() {
        assert_eq!(
            identifiers(r#"ALTER TABLE Books ADD COLUMN "ISBN" TEXT; -- "x"#),
            ["alter", "table", "books", "add", "column", "ISBN", "text", "x"]
        );
    }

    #[test]
    fn the_table_waited_on_is_a_locked_one_the_statement_names() {
        let locks = [
            held("public", "books", 7),
            held("public", "authors", 8),
            held("audit", "Books", 9),
        ];
        let (mut tables, mut holders) = (Vec::new(), Vec::new());
        waited_on(
            "ALTER TABLE books ADD COLUMN isbn TEXT",
            &locks,
            &mut tables,
            &mut holders,
        );
        assert_eq!(tables, ["public.books"]);
        assert_eq!(holders, ["pid 7 (AccessShareLock)"]);

        // A quoted mixed-case name matches only its own table.
        let (mut tables, mut holders) = (Vec::new(), Vec::new());
        waited_on(
            r#"LOCK TABLE audit."Books""#,
            &locks,
            &mut tables,
            &mut holders,
        );
        assert_eq!(tables, ["audit.Books"]);
        assert_eq!(holders, ["pid 9 (AccessShareLock)"]);

        // What the server named wins; the holders are looked up for it.
        let (mut tables, mut holders) = (vec!["authors".to_string()], Vec::new());
        waited_on(
            "UPDATE authors SET id = 2",
            &locks,
            &mut tables,
            &mut holders,
        );
        assert_eq!(tables, ["authors"]);
        assert_eq!(holders, ["pid 8 (AccessShareLock)"]);
    }
}
