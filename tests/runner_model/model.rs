//! The reference model: what the database holds, the commands a case runs,
//! and what each command should do to that state.

use std::collections::BTreeSet;

use crate::graph::*;

/// What the database holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct State {
    pub(crate) ledger: BTreeSet<usize>,
    pub(crate) markers: BTreeSet<usize>,
    /// Revisions with a row in `data_rows`.
    pub(crate) rows: BTreeSet<usize>,
}

/// One command of a sequence.
#[derive(Debug, Clone)]
pub(crate) enum Cmd {
    Upgrade(T),
    Downgrade(T),
    Stamp(T, bool),
}

/// How a command reaches the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Via {
    /// The `migrate` binary.
    Cli,
    /// `runner::run` over a connection the test holds across the sequence.
    Library,
    /// `--sql` from the binary, applied with `sqlite3`/`psql`/`mysql` (online when the
    /// database's state cannot be written as one `FROM`).
    Sql,
}

#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub(crate) cmd: Cmd,
    pub(crate) via: Via,
    pub(crate) per_migration: bool,
    /// Offline: write FROM as a prefix rather than the full id.
    pub(crate) from_as_prefix: bool,
}

/// What the model expects of one command, before the order is known.
pub(crate) enum Expect {
    /// The command fails before anything runs (bad target, missing section,
    /// irreversible step); nothing changes.
    Refused,
    /// The plan: these revisions, in this direction; `stamp` only records.
    Plan {
        dir: Dir,
        set: BTreeSet<usize>,
        stamp: bool,
        purge: bool,
    },
}

pub(crate) fn expect(graph: &Graph, d: Dialect, state: &State, cmd: &Cmd) -> Expect {
    let applied = &state.ledger;
    let (dir, set, stamp, purge) = match cmd {
        Cmd::Upgrade(t) => match graph.upgrade_set(applied, t) {
            Ok(set) => (Dir::Up, set, false, false),
            Err(()) => return Expect::Refused,
        },
        Cmd::Downgrade(t) => match graph.downgrade_set(applied, t) {
            Ok(set) => (Dir::Down, set, false, false),
            Err(()) => return Expect::Refused,
        },
        Cmd::Stamp(t, purge) => {
            let empty = BTreeSet::new();
            let from = if *purge { &empty } else { applied };
            match graph.stamp_set(from, t) {
                Ok((dir, set)) => (dir, set, true, *purge),
                Err(()) => return Expect::Refused,
            }
        }
    };
    if !stamp {
        for &r in &set {
            let rev = &graph.revs[r];
            if rev.body(dir).section(d).is_err() {
                return Expect::Refused;
            }
            if dir == Dir::Down && !rev.can_downgrade(d) {
                return Expect::Refused;
            }
        }
    }
    Expect::Plan {
        dir,
        set,
        stamp,
        purge,
    }
}

/// Runs a plan in `order` (a valid order of the whole plan) from `state`:
/// returns the state afterwards, and `Err(rev)` when `rev` failed.
///
/// README ("When a migration fails"): by default the run is one transaction;
/// with `--transaction-per-migration` each revision's SQL and ledger row commit
/// together; a section that runs outside a transaction (`transaction:false`,
/// and on MySQL any section with DDL) first commits what came before, runs
/// statement by statement, each committing on its own, and its ledger row
/// commits right after it. A failure rolls back the open transaction only: on
/// MySQL a pure-DML revision rolls back whole (with the DML revisions before it
/// in the same transaction), while a DDL revision keeps the statements before
/// the failing one and gets no ledger row.
pub(crate) fn simulate(
    graph: &Graph,
    d: Dialect,
    state: &State,
    dir: Dir,
    order: &[usize],
    per_migration: bool,
) -> (State, Result<(), usize>) {
    let mut committed = state.clone();
    let mut current = state.clone();
    for &r in order {
        let rev = &graph.revs[r];
        let sec = rev.body(dir).section(d).expect("checked up front");
        let in_transaction = sec.is_none_or(|s| runs_in_transaction(s, dir, d));
        if let Some(sec) = sec {
            if !in_transaction {
                committed = current.clone();
            }
            for stmt in statements(sec, dir) {
                let ok = match stmt {
                    Stmt::CreateMarker => current.markers.insert(r),
                    Stmt::DropMarker => current.markers.remove(&r),
                    // The column is the primary key.
                    Stmt::InsertRow => current.rows.insert(r),
                    Stmt::DeleteRow => {
                        current.rows.remove(&r);
                        true
                    }
                    Stmt::OutsideOnly => !in_transaction,
                    Stmt::Bad => false,
                };
                if !ok {
                    return (committed, Err(r));
                }
                if !in_transaction {
                    committed = current.clone();
                }
            }
        }
        match dir {
            Dir::Up => current.ledger.insert(r),
            Dir::Down => current.ledger.remove(&r),
        };
        // README "When a migration fails": a section outside the transaction
        // splits the run, and its ledger row commits right after it.
        if per_migration || !in_transaction {
            committed = current.clone();
        }
    }
    (current, Ok(()))
}
