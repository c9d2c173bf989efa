//! Commands that compare the models with the database: `revision --autogenerate`
//! and `check`.

use std::process::ExitCode;

use super::author::{plan_revision, write, RevisionArgs};
use super::{apply, message, print, Output};
use crate::autogenerate::{self, Diff, Filter, Generated};
use crate::backend::{self, Backend};
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::revision::author::DialectSql;
use crate::revision::RevisionGraph;
use crate::schema::Schema;

/// Which tables and PostgreSQL schemas to compare.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Compare only tables matching this glob (`*`, `?`; repeatable).
    #[arg(long = "include-table", value_name = "GLOB")]
    pub include: Vec<String>,
    /// Leave out tables matching this glob (repeatable).
    #[arg(long = "exclude-table", value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Also read this PostgreSQL schema (repeatable; schemas models name are read anyway).
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,
}

impl FilterArgs {
    fn filter(&self) -> Filter {
        Filter {
            include: self.include.clone(),
            exclude: self.exclude.clone(),
            schemas: self.schemas.clone(),
        }
    }
}

/// The dialects `revision --autogenerate` writes SQL for.
#[derive(Debug, Clone, Default, clap::Args)]
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

fn parse_dialect(text: &str) -> std::result::Result<Dialect, String> {
    text.trim()
        .parse()
        .map_err(|()| format!("`{}` is not a dialect; use sqlite or postgres", text.trim()))
}

/// Options of `check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub db: apply::DbArgs,
}

/// The models linked into this binary; an error when there are none, because
/// comparing an empty schema would propose dropping every table.
fn models() -> Result<&'static Schema> {
    let models = crate::metadata()?;
    if models.tables.is_empty() && models.enums.is_empty() {
        return Err(Error::NoModels);
    }
    Ok(models)
}

/// Refuses a database that is not at the graph's heads, as Alembic does.
fn require_up_to_date(
    graph: &RevisionGraph,
    db: &mut dyn Backend,
    db_args: &apply::DbArgs,
    output: &mut Output<'_>,
) -> Result<()> {
    let applied = apply::applied(graph, db, db_args, output)?;
    let mut current: Vec<String> = graph
        .current_heads(&applied)
        .into_iter()
        .map(String::from)
        .collect();
    let mut heads: Vec<String> = graph.heads().into_iter().map(String::from).collect();
    current.sort();
    heads.sort();
    if current != heads {
        return Err(Error::NotUpToDate { current, heads });
    }
    Ok(())
}

/// The database's dialect and schema, read once it is at the heads.
fn read_database(
    graph: &RevisionGraph,
    models: &Schema,
    url: Option<&str>,
    db_args: &apply::DbArgs,
    filter: &FilterArgs,
    output: &mut Output<'_>,
) -> Result<(Dialect, Schema)> {
    let mut db = apply::connect(url)?;
    require_up_to_date(graph, db.as_mut(), db_args, output)?;
    let ledger = db_args.options().ledger;
    let schema = autogenerate::read_database(db.as_mut(), models, &filter.filter(), &ledger)?;
    Ok((db.dialect(), schema))
}

/// The database's dialect and schema, and what it would take to bring it to
/// `models`.
fn diff_database(
    graph: &RevisionGraph,
    models: &Schema,
    url: Option<&str>,
    db_args: &apply::DbArgs,
    filter: &FilterArgs,
    output: &mut Output<'_>,
) -> Result<(Dialect, Schema, Diff)> {
    let (dialect, schema) = read_database(graph, models, url, db_args, filter, output)?;
    let diff = autogenerate::compare(&schema, models, dialect, &filter.filter());
    Ok((dialect, schema, diff))
}

/// `revision --autogenerate -m MSG`: a revision whose SQL brings the database to
/// the models, with the downgrade generated from the same operations, in a pair
/// of sections for each target dialect.
pub fn revision(
    graph: &RevisionGraph,
    dir: &std::path::Path,
    url: Option<&str>,
    args: &RevisionArgs,
    output: &mut Output<'_>,
) -> Result<ExitCode> {
    let models = models()?;
    let (dialect, schema) = read_database(graph, models, url, &args.db, &args.filter, output)?;
    let targets = args.targets.resolve(dialect)?;
    let generated =
        autogenerate::generate_for(&schema, dialect, models, &targets, &args.filter.filter());
    let diff = &generated.diff;
    let mut new = plan_revision(graph, args, String::new(), String::new())?;
    let names: Vec<&str> = targets.iter().map(|d| d.name()).collect();
    new.notes.push(format!(
        "Generated by `migrate revision --autogenerate` against {dialect}, for {}; review it before applying.",
        names.join(" and ")
    ));
    // With nothing to do on any dialect, plain empty sections say so for all.
    if generated.dialects.iter().any(|(_, g)| has_sql(g)) {
        new.dialects = generated
            .dialects
            .iter()
            .map(|(dialect, g)| DialectSql {
                dialect: *dialect,
                up: g.up.script(),
                down: g.down.script(),
                up_transactional: g.up.transactional,
                down_transactional: g.down.transactional,
            })
            .collect();
    }
    for (dialect, g) in &generated.dialects {
        for (direction, rendered) in [("up", &g.up), ("down", &g.down)] {
            if rendered.transactional {
                continue;
            }
            let mut note = format!(
                "The {dialect} {direction} section runs outside a transaction (transaction:false): SQL in the \
                 transaction that runs ALTER TYPE ... ADD VALUE cannot use the new value, so each \
                 statement commits on its own."
            );
            if rendered
                .statements
                .iter()
                .any(|s| !s.contains(" ADD VALUE "))
            {
                note.push_str(
                    " A failure midway leaves the statements before it applied: to keep the other \
                     changes in a transaction, generate the new enum values in a revision of their own.",
                );
            }
            new.notes.push(note);
        }
    }
    new.notes.extend(diff.hints.iter().cloned());
    if diff.is_empty() {
        message(output, "No changes in schema detected.");
    }
    for op in &diff.ops {
        message(output, &format!("Detected {op}"));
    }
    for hint in &diff.hints {
        message(output, &format!("Note: {hint}"));
    }
    let path = write(dir, &new, output)?;
    print(output, &path.display().to_string());
    Ok(ExitCode::SUCCESS)
}

fn has_sql(generated: &Generated) -> bool {
    !generated.up.statements.is_empty() || !generated.down.statements.is_empty()
}

/// `check`: exit 1 and list the differences when the models and the database
/// differ; exit 0 when they match.
pub fn check(
    graph: &RevisionGraph,
    url: Option<&str>,
    args: &CheckArgs,
    output: &mut Output<'_>,
) -> Result<ExitCode> {
    let (_, _, diff) = diff_database(graph, models()?, url, &args.db, &args.filter, output)?;
    if args.json {
        let differences: Vec<serde_json::Value> = diff
            .ops
            .iter()
            .map(|op| {
                serde_json::json!({
                    "kind": op.kind(),
                    "table": op.table().map(|t| t.to_string()),
                    "description": op.to_string(),
                })
            })
            .collect();
        let report = serde_json::json!({ "differences": differences, "hints": diff.hints });
        print(output, &report.to_string());
    } else if diff.is_empty() {
        print(output, "No differences: the database matches the models.");
    } else {
        print(
            output,
            &format!(
                "{} difference(s) between the models and the database:",
                diff.ops.len()
            ),
        );
        for op in &diff.ops {
            print(output, &format!("  - {op}"));
        }
        for hint in &diff.hints {
            print(output, &format!("  note: {hint}"));
        }
        message(
            output,
            "Run `migrate revision --autogenerate -m MSG` to write a revision for them.",
        );
    }
    Ok(if diff.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
