//! Carrying out an action list: online against a backend, statement by
//! statement for `transaction:false` sections, or offline as a SQL script.

use std::time::{Duration, Instant};

use crate::backend::{ledger, Backend};
use crate::dialect::Dialect;
use crate::error::{Error, Location, Result};
use crate::revision::{Direction, Revision, Section};

use super::{Action, Event, Report, RunOptions};

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
