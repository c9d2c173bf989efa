//! Checks for an application's own test suite: what pytest-alembic gives Python
//! services. Each runs the real revisions against a real database (in-memory
//! SQLite, or an empty PostgreSQL database: a [`ScratchDatabase`] gives each test
//! its own) and returns an error that says what failed.
//!
//! ```
//! # fn main() -> Result<(), migrate_core::Error> {
//! use migrate_core::{testing, EmbeddedMigrations};
//! static MIGRATIONS: EmbeddedMigrations = EmbeddedMigrations { source_dir: "migrations", files: &[] };
//! testing::single_head(&MIGRATIONS).unwrap_err(); // no revisions: no head
//! # Ok(()) }
//! ```
//!
//! In an application, with `embed_migrations!`:
//!
//! ```ignore
//! static MIGRATIONS: migrate::EmbeddedMigrations = migrate::embed_migrations!("migrations");
//! #[test] fn single_head() { migrate::testing::single_head(&MIGRATIONS).unwrap(); }
//! #[test] fn upgrade() { migrate::testing::upgrade_from_base(&MIGRATIONS, "sqlite::memory:").unwrap(); }
//! #[test] fn roundtrip() { migrate::testing::up_down_roundtrip(&MIGRATIONS, "sqlite::memory:").unwrap(); }
//! #[test] fn models_match() { migrate::testing::models_match(&MIGRATIONS, "sqlite::memory:").unwrap(); }
//! ```

mod scratch;

pub use scratch::{ScratchDatabase, SERVER_VAR};

use crate::autogenerate::{self, normalize_schema, Filter};
use crate::backend::{self, Backend, ConnectOptions};
use crate::config::DatabaseUrl;
use crate::error::{Error, Result};
use crate::revision::RevisionGraph;
use crate::runner::{self, Command, RunOptions};
use crate::schema::Schema;
use crate::EmbeddedMigrations;

fn failed(check: &'static str, details: impl Into<String>) -> Error {
    Error::CheckFailed {
        check,
        details: details.into(),
    }
}

/// The history has exactly one head.
pub fn single_head(migrations: &EmbeddedMigrations) -> Result<()> {
    let graph = migrations.graph()?;
    match graph.heads().as_slice() {
        [_] => Ok(()),
        [] => Err(failed("single head", "there are no revisions")),
        several => Err(failed(
            "single head",
            format!(
                "{} heads ({}); merge them with `migrate merge heads -m MSG`",
                several.len(),
                several.join(", ")
            ),
        )),
    }
}

fn connect_empty(url: &str) -> Result<Box<dyn Backend>> {
    let url = DatabaseUrl::parse(url)?;
    let mut db = backend::connect(&url, &ConnectOptions::default())?;
    let ledger = RunOptions::default().ledger;
    let existing = db.introspect(&[], &ledger)?;
    if !existing.tables.is_empty() || !db.read_ledger(&ledger)?.is_empty() {
        return Err(failed(
            "fresh database",
            format!(
                "{} already has tables ({}); give each check an empty database, e.g. `ScratchDatabase::create(url)?.url()`",
                url.redacted(),
                table_names(&existing)
            ),
        ));
    }
    Ok(db)
}

fn table_names(schema: &Schema) -> String {
    let names: Vec<String> = schema.tables.iter().map(|t| t.qualified_name()).collect();
    names.join(", ")
}

fn run(db: &mut dyn Backend, graph: &RevisionGraph, command: Command<'_>) -> Result<()> {
    runner::run(db, graph, command, &RunOptions::default(), &mut |_| {}).map(|_| ())
}

/// Upgrading an empty database from base to every head succeeds.
pub fn upgrade_from_base(migrations: &EmbeddedMigrations, url: &str) -> Result<()> {
    let graph = migrations.graph()?;
    let mut db = connect_empty(url)?;
    run(db.as_mut(), &graph, Command::Upgrade("heads"))
}

/// Revision by revision: upgrade to it, downgrade it, and check that the schema is
/// what it was before; then upgrade again and check the schema matches the first
/// upgrade. Finally downgrade to base, which must leave no table behind. A
/// revision whose downgrade would also revert a sibling branch is only upgraded.
pub fn up_down_roundtrip(migrations: &EmbeddedMigrations, url: &str) -> Result<()> {
    let graph = migrations.graph()?;
    let mut db = connect_empty(url)?;
    let dialect = db.dialect();
    let ledger = RunOptions::default().ledger;
    let snapshot = |db: &mut dyn Backend| -> Result<Schema> {
        Ok(normalize_schema(&db.introspect(&[], &ledger)?, dialect))
    };
    let order = graph.upgrade_plan(&[] as &[&str], "heads")?;
    let mut applied: Vec<String> = Vec::new();
    for step in &order.steps {
        let rev = step.revision;
        let before = snapshot(db.as_mut())?;
        run(db.as_mut(), &graph, Command::Upgrade(&rev.id))?;
        applied.push(rev.id.clone());
        let after = snapshot(db.as_mut())?;
        let parent = match rev.down_revisions.as_slice() {
            [] => "base".to_string(),
            [one] => one.clone(),
            _ => continue,
        };
        if graph.downgrade_plan(&applied, &parent)?.ids() != [rev.id.as_str()] {
            continue;
        }
        run(db.as_mut(), &graph, Command::Downgrade(&parent))?;
        let restored = snapshot(db.as_mut())?;
        if restored != before {
            return Err(failed(
                "up/down roundtrip",
                format!(
                    "downgrading {} ({}) does not restore the schema it started from{}",
                    rev.id,
                    rev.path,
                    differences(&restored, &before, dialect)
                ),
            ));
        }
        run(db.as_mut(), &graph, Command::Upgrade(&rev.id))?;
        let again = snapshot(db.as_mut())?;
        if again != after {
            return Err(failed(
                "up/down roundtrip",
                format!(
                    "upgrading {} ({}) a second time gives a different schema{}",
                    rev.id,
                    rev.path,
                    differences(&again, &after, dialect)
                ),
            ));
        }
    }
    run(db.as_mut(), &graph, Command::Downgrade("base"))?;
    let left = snapshot(db.as_mut())?;
    if !left.tables.is_empty() {
        return Err(failed(
            "up/down roundtrip",
            format!(
                "downgrading to base leaves tables behind: {}",
                table_names(&left)
            ),
        ));
    }
    Ok(())
}

/// What it would take to turn `got` into `wanted`, as autogenerate's operations, so
/// that a failed roundtrip points at the object the downgrade forgot.
fn differences(got: &Schema, wanted: &Schema, dialect: crate::dialect::Dialect) -> String {
    let diff = autogenerate::compare(got, wanted, dialect, &Filter::default());
    if diff.is_empty() {
        return String::new();
    }
    let lines: Vec<String> = diff.ops.iter().map(|op| format!("\n  - {op}")).collect();
    format!("; getting back would still take:{}", lines.concat())
}

/// After upgrading an empty database to the heads, autogenerate finds nothing:
/// the `#[model]`s linked into the test binary match the migrations.
pub fn models_match(migrations: &EmbeddedMigrations, url: &str) -> Result<()> {
    models_match_schema(migrations, url, crate::metadata()?)
}

/// [`models_match`] against an explicit schema.
pub fn models_match_schema(
    migrations: &EmbeddedMigrations,
    url: &str,
    models: &Schema,
) -> Result<()> {
    let graph = migrations.graph()?;
    let mut db = connect_empty(url)?;
    run(db.as_mut(), &graph, Command::Upgrade("heads"))?;
    let ledger = RunOptions::default().ledger;
    let (_, diff) =
        autogenerate::compare_database(db.as_mut(), models, &Filter::default(), &ledger)?;
    if diff.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = diff.ops.iter().map(|op| format!("  - {op}")).collect();
    Err(failed(
        "models match migrations",
        format!(
            "after upgrading to heads, autogenerate would still:\n{}\nwrite a revision with `migrate revision --autogenerate -m MSG`",
            lines.join("\n")
        ),
    ))
}
