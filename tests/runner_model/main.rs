//! A model-based property test of the runner, on a real SQLite file, a real
//! PostgreSQL schema and a real MariaDB database.
//!
//! Proptest draws a revision graph (branches, merges, `depends_on`, labels, several
//! bases; `transaction:false` sections anywhere, per-dialect sections, irreversible
//! revisions, SQL that fails at some statement; revisions that create a table,
//! insert a row, or both) and a sequence of `upgrade`, `downgrade` and
//! `stamp [--purge]` commands whose targets come from the whole grammar. Each
//! command runs through the CLI, through `runner::run` over a connection the test
//! holds, or as `--sql` applied with `sqlite3`/`psql`/`mysql`. After each one, the
//! database is compared with a reference model computed from the graph semantics
//! alone (README "The graph and targets", "Revision files", "When a migration
//! fails"):
//!
//! - the ledger holds exactly the revisions the model says are applied;
//! - the schema holds a marker table `m_<rev>` for exactly the revisions whose up
//!   created it (DDL) and was not reverted, and `data_rows` a row for exactly
//!   those whose up inserted it (DML) and was not reverted. On MySQL, where DDL
//!   commits on its own, a revision with DDL that fails halfway keeps what its
//!   earlier statements did, rows included, and is not recorded, while a
//!   pure-DML revision rolls back whole;
//! - the command succeeded exactly when the model says it should;
//! - `migrate current` names the model's current heads;
//! - the held connection is back in autocommit, with no lock held, no other
//!   session in a transaction and SQLite's `foreign_keys` as it was.
//!
//! The order of independent revisions within a plan is the runner's choice, so the
//! model reads it from the progress output (or the script), checks that it is a
//! valid order for the plan, and then simulates that order.
//!
//! `transaction:false` sections hold SQL that refuses to run inside a
//! transaction (`VACUUM` on SQLite, `CREATE INDEX CONCURRENTLY` on PostgreSQL,
//! `SET TRANSACTION` on MariaDB), so a runner that runs them inside one fails
//! where the model succeeds.

#[path = "../common/mod.rs"]
mod common;

mod drive;
mod graph;
mod model;
mod strategies;
mod target;

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

use drive::check_case;
use strategies::case_strategy;

/// Runs `cases` cases; the PostgreSQL database is one per test, with a schema
/// per case (creating a database per case would cost a second each); MariaDB's
/// schemas are databases, one per case. A server that does not answer is
/// skipped with a notice, unless `MIGRATE_REQUIRE_POSTGRES=1` /
/// `MIGRATE_REQUIRE_MYSQL=1`.
fn run_cases(test: &str, cases: u32) {
    let pg = common::postgres_db(test);
    let mysql = common::mysql_db(test).map(|_| test);
    let config = ProptestConfig {
        cases,
        max_shrink_iters: 100,
        // Each shrink step reruns a whole case; a failure should report soon.
        max_shrink_time: 60_000,
        source_file: Some(file!()),
        // Next to this file (`main.proptest-regressions`): the default looks for the
        // directory holding `main.rs`, which is this one, and would write
        // `tests/proptest-regressions/main.txt`, shared by every such test crate.
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    };
    let mut runner = proptest::test_runner::TestRunner::new(config);
    if let Err(e) = runner.run(&case_strategy(), |case| {
        check_case(&case, pg.as_ref(), mysql)
    }) {
        panic!("{e}");
    }
}

/// CI: 40 cases, each on every backend.
#[test]
fn the_runner_matches_the_model() {
    run_cases("runner_model", 40);
}

/// Ten times as many: `cargo test --test runner_model -- --ignored`.
#[test]
#[ignore]
fn the_runner_matches_the_model_at_length() {
    run_cases("runner_model_long", 400);
}
