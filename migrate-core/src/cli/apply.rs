//! Commands that touch the database: `upgrade`, `downgrade`, `stamp`, `current`,
//! and the database side of `history --indicate-current`.

use std::process::ExitCode;

use super::args::{CurrentArgs, DbArgs, MoveArgs, StampArgs};
use super::output::{message, print, Output};
use crate::backend::{self, Backend, ConnectOptions};
use crate::config;
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::revision::{target, Direction, RevisionGraph};
use crate::runner::{self, Command, Event, RunOptions};

/// Connects to the URL that `--url`, `DATABASE_URL` or `ENVIRONMENT` selects.
pub fn connect(url: Option<&str>, output: &mut Output<'_>) -> Result<Box<dyn Backend>> {
    let url = url_from_env(url, output)?;
    backend::connect(&url, &ConnectOptions::default())
}

/// The URL that `--url`, `DATABASE_URL` or `ENVIRONMENT` selects; an unknown
/// `ENVIRONMENT` value is a warning on the messages stream, even with `-q`.
fn url_from_env(url: Option<&str>, output: &mut Output<'_>) -> Result<config::DatabaseUrl> {
    config::url_from_env_warning_to(url, &mut |warning| {
        let _ = writeln!(output.err, "warning: {warning}");
    })
}

/// `upgrade` / `downgrade`, online or `--sql`.
pub fn move_to(
    graph: &RevisionGraph,
    direction: Direction,
    url: Option<&str>,
    args: &MoveArgs,
    output: &mut Output<'_>,
) -> Result<ExitCode> {
    let options = args.db.options();
    let default_target = match direction {
        Direction::Up => "heads",
        Direction::Down => {
            if args.target.is_none() {
                return Err(Error::InvalidArgument {
                    argument: "TARGET".to_string(),
                    reason: "downgrade needs a target, e.g. -1 or base".to_string(),
                });
            }
            "base"
        }
    };
    let target = args.target.as_deref().unwrap_or(default_target);
    if args.sql {
        return offline(graph, direction, target, url, args, &options, output);
    }
    if target.contains(':') {
        return Err(Error::InvalidArgument {
            argument: "TARGET".to_string(),
            reason:
                "a FROM:TO range is only for --sql; online runs start from the database's state"
                    .to_string(),
        });
    }
    let mut db = connect(url, output)?;
    let command = match direction {
        Direction::Up => Command::Upgrade(target),
        Direction::Down => Command::Downgrade(target),
    };
    let report = run_with_progress(db.as_mut(), graph, command, &options, output)?;
    if report.steps.is_empty() {
        message(
            output,
            "Nothing to do: the database is already at the target.",
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `stamp TARGET [--purge]`.
pub fn stamp(
    graph: &RevisionGraph,
    url: Option<&str>,
    args: &StampArgs,
    output: &mut Output<'_>,
) -> Result<ExitCode> {
    let mut db = connect(url, output)?;
    let command = Command::Stamp {
        target: &args.target,
        purge: args.purge,
    };
    run_with_progress(db.as_mut(), graph, command, &args.db.options(), output)?;
    Ok(ExitCode::SUCCESS)
}

/// Runs with Alembic-style progress lines on stderr:
/// `Running upgrade a1 -> b2, add users ... done (12 ms)`.
fn run_with_progress(
    db: &mut dyn Backend,
    graph: &RevisionGraph,
    command: Command<'_>,
    options: &RunOptions,
    output: &mut Output<'_>,
) -> Result<runner::Report> {
    let quiet = output.quiet;
    let stamping = matches!(command, Command::Stamp { .. });
    let err = &mut *output.err;
    let mut line_open = false;
    let result = runner::run(db, graph, command, options, &mut |event| match event {
        Event::Started {
            direction,
            revision,
        } if !quiet => {
            let line = Event::running_line(direction, revision);
            let line = if stamping {
                line.replacen("Running", "Stamping", 1)
            } else {
                line
            };
            let _ = write!(err, "{line} ... ");
            let _ = err.flush();
            line_open = true;
        }
        Event::Finished { elapsed, .. } if !quiet => {
            let _ = writeln!(err, "done ({} ms)", elapsed.as_millis());
            line_open = false;
        }
        Event::Warning(text) => {
            // A lock retry's warning comes while its revision's line is open.
            if line_open {
                let _ = writeln!(err, "failed");
                line_open = false;
            }
            let _ = writeln!(err, "warning: {text}");
        }
        _ => {}
    });
    if line_open {
        let _ = writeln!(err, "failed");
    }
    result
}

/// `--sql`: the script an online run would execute, printed to stdout.
fn offline(
    graph: &RevisionGraph,
    direction: Direction,
    target: &str,
    url: Option<&str>,
    args: &MoveArgs,
    options: &RunOptions,
    output: &mut Output<'_>,
) -> Result<ExitCode> {
    let dialect = match &args.dialect {
        Some(name) => name
            .parse::<Dialect>()
            .map_err(|()| Error::InvalidArgument {
                argument: "--dialect".to_string(),
                reason: format!("`{name}` is not a dialect; use sqlite, postgres or mysql"),
            })?,
        // Without --dialect, the URL says which SQL to print; when there is none,
        // say that --dialect is the other way.
        None => url_from_env(url, output)
            .map_err(|e| match e {
                Error::MissingUrlVariable {
                    variable,
                    environment,
                } => Error::OfflineNeedsDialect {
                    variable,
                    environment,
                },
                other => other,
            })?
            .dialect(),
    };
    let (from, to) = match target::split_range(target) {
        Some((from, to)) => (from, to.unwrap_or("heads")),
        None => (None, target),
    };
    if direction == Direction::Down && from.is_none() {
        return Err(Error::InvalidArgument {
            argument: "TARGET".to_string(),
            reason: "an offline downgrade needs FROM:TO, e.g. heads:base, since there is no database to start from".to_string(),
        });
    }
    // Offline, the database is assumed to be exactly at FROM (or empty).
    let applied: Vec<&str> = match from {
        Some(from) => graph.upgrade_plan(&[] as &[&str], from)?.ids(),
        None => Vec::new(),
    };
    let plan = match direction {
        Direction::Up => graph.upgrade_plan(&applied, to)?,
        Direction::Down => graph.downgrade_plan(&applied, to)?,
    };
    if direction == Direction::Up && plan.is_empty() {
        // An upgrade to a revision below FROM would print a script that does
        // nothing, which reads as success; it is a downgrade.
        let reached = graph.upgrade_plan(&[] as &[&str], to)?.ids();
        if applied.iter().any(|id| !reached.contains(id)) {
            return Err(Error::InvalidArgument {
                argument: "TARGET".to_string(),
                reason: format!(
                    "`{target}` goes down: {to} is below {}, so there is nothing to upgrade; for a downgrade script use `downgrade {target} --sql`",
                    from.unwrap_or("base")
                ),
            });
        }
    }
    let actions = runner::actions(&plan, dialect, options, runner::Apply::Sql)?;
    let header = format!(
        "{direction}grade {} -> {to} ({dialect})",
        from.unwrap_or("base")
    );
    let _ = write!(
        output.out,
        "{}",
        runner::offline_script(dialect, &actions, options, &header)
    );
    Ok(ExitCode::SUCCESS)
}

/// The applied revisions, read without creating the ledger; drift is a warning.
pub fn applied(
    graph: &RevisionGraph,
    db: &mut dyn Backend,
    db_args: &DbArgs,
    output: &mut Output<'_>,
) -> Result<Vec<String>> {
    let options = RunOptions {
        allow_drift: true,
        allow_missing: true,
        ..db_args.options()
    };
    let err = &mut *output.err;
    let state = runner::read_state(db, graph, &options, &mut |event| {
        if let Event::Warning(text) = event {
            let _ = writeln!(err, "warning: {text}");
        }
    })?;
    Ok(state.applied)
}

/// `current`: the database's current heads, `<rev> (head)` when a head of the graph.
pub fn current(
    graph: &RevisionGraph,
    url: Option<&str>,
    args: &CurrentArgs,
    output: &mut Output<'_>,
) -> Result<ExitCode> {
    let mut db = connect(url, output)?;
    let applied = applied(graph, db.as_mut(), &args.db, output)?;
    let heads = graph.current_heads(&applied);
    if args.json {
        let list: Vec<_> = heads
            .iter()
            .filter_map(|id| graph.get(id))
            .map(|r| super::format::json(graph, r))
            .collect();
        print(output, &serde_json::Value::Array(list).to_string());
        return Ok(ExitCode::SUCCESS);
    }
    for id in heads {
        let Some(rev) = graph.get(id) else { continue };
        let text = if args.verbose {
            super::format::entry(graph, rev, true)
        } else {
            super::format::line(graph, rev, super::format::LineStyle::default(), false)
        };
        print(output, &text);
    }
    Ok(ExitCode::SUCCESS)
}
