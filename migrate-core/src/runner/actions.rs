//! The action list: a plan turned into begin, a revision's SQL, a ledger row and
//! commit, with the transactions opened and closed only where the safety rules
//! allow. Both the executor and the offline script follow this list.

use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::revision::{Direction, Plan, Revision, Section};

use super::RunOptions;

/// One unit of work, shared by online execution and offline rendering.
///
/// The list is the only thing that opens and commits transactions: every
/// `Begin` has its `Commit`, and a `transaction:false` section runs between them,
/// never inside. So does, on MySQL, the ledger row right after such a section
/// (see [`ledger_row_in_autocommit`]).
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
        /// The revision whose file holds the section.
        revision: &'g Revision,
        /// Whether this runs the upgrade or the downgrade section.
        direction: Direction,
        /// The SQL to run, with its position in the file.
        section: &'g Section,
    },
    /// Record a revision in the ledger.
    Record {
        /// The revision to add to the ledger.
        revision: &'g Revision,
    },
    /// Remove a revision (and, for a squash, what it replaces) from the ledger.
    Forget {
        /// The revision to take out of the ledger.
        revision: &'g Revision,
    },
}

/// What the steps of a plan do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Apply {
    /// Run each step's SQL and record it (`upgrade`, `downgrade`).
    Sql,
    /// Only record the steps (`stamp`); with `purge`, empty the ledger first.
    RecordOnly {
        /// Empty the ledger before recording (`stamp --purge`).
        purge: bool,
    },
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
    if transactional_ddl(dialect) {
        list.inside(Action::CreateLedger);
    } else {
        // `CREATE TABLE` would commit the transaction it sits in, and what
        // follows would run in autocommit: it goes first, on its own.
        list.outside(Action::CreateLedger);
    }
    if apply == (Apply::RecordOnly { purge: true }) {
        list.inside(Action::ClearLedger);
    }
    for step in &plan.steps {
        let revision = step.revision;
        // SQL that committed on its own needs its ledger row committed at once:
        // a later failure must not roll back the row of SQL that stays.
        let mut commit_record = options.transaction_per_migration;
        // Whether the revision's last section ran outside any transaction.
        let mut ran_outside_last = false;
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
                ran_outside_last = !runs_in_transaction(section, dialect);
                let run = Action::Run {
                    revision,
                    direction: step.direction,
                    section,
                };
                if !ran_outside_last {
                    list.inside(run);
                } else {
                    // What came before must not share the fate of SQL that cannot be
                    // rolled back, and such SQL cannot run inside a transaction
                    // (or, on MySQL, would commit it halfway).
                    list.outside(run);
                    commit_record = true;
                }
            }
        }
        let row = match step.direction {
            Direction::Up => Action::Record { revision },
            Direction::Down => Action::Forget { revision },
        };
        if ran_outside_last && ledger_row_in_autocommit(dialect) {
            // Nothing of this revision is left to commit with the row, and the
            // row is one statement, atomic on its own: one round trip, not three.
            list.outside(row);
        } else {
            list.inside(row);
            if commit_record {
                list.close();
            }
        }
    }
    list.close();
    Ok(list.actions)
}

/// Whether DDL can roll back with its transaction. MySQL commits every DDL
/// statement implicitly (and with it the open transaction), so there a revision
/// with DDL runs statement by statement and its ledger row is written after its
/// last statement, in autocommit, as Alembic does with `transactional_ddl = False`.
pub fn transactional_ddl(dialect: Dialect) -> bool {
    !matches!(dialect, Dialect::Mysql)
}

/// Whether a ledger row ([`Action::Record`], [`Action::Forget`]) may be written
/// in autocommit, right after a section that ran outside any transaction: where
/// DDL is not transactional (MySQL), so the revision's SQL has committed already
/// and a transaction would hold nothing but the row. The row is one statement
/// (`ledger::insert_sql`, `ledger::delete_sql` with every id of a squash in one
/// `IN` list), so it commits whole or not at all either way. Where DDL is
/// transactional the row keeps its transaction, and with it the lock timeouts
/// and retries that transactions get.
pub fn ledger_row_in_autocommit(dialect: Dialect) -> bool {
    !transactional_ddl(dialect)
}

/// Whether `section` runs inside a transaction on `dialect`: unless it is
/// `transaction:false`, always where DDL is transactional, and elsewhere only
/// when every statement is DML (which MySQL does roll back).
///
/// ```
/// use migrate_core::dialect::Dialect;
/// use migrate_core::runner::runs_in_transaction;
/// let revision = migrate_core::revision::parse("a.sql", "-- revision: a\n-- down_revision: none\n\
///     -- migrate:up\nINSERT INTO t VALUES (1);\n/* why */ update t SET x = 2;\n\
///     -- migrate:down\nDELETE FROM t;\nDROP TABLE t;\n").unwrap();
/// let (up, down) = (&revision.sections[0], &revision.sections[1]);
/// assert!(runs_in_transaction(up, Dialect::Mysql));
/// assert!(!runs_in_transaction(down, Dialect::Mysql));
/// assert!(runs_in_transaction(down, Dialect::Postgres));
/// ```
pub fn runs_in_transaction(section: &Section, dialect: Dialect) -> bool {
    section.transactional && (transactional_ddl(dialect) || is_pure_dml(&section.sql, dialect))
}

/// Every statement reads or changes rows only: none commits implicitly on MySQL.
/// Unknown first words count as not DML, which only costs the transaction.
fn is_pure_dml(sql: &str, dialect: Dialect) -> bool {
    const DML: [&str; 6] = ["INSERT", "UPDATE", "DELETE", "REPLACE", "SELECT", "WITH"];
    crate::sql::split_as(sql, dialect.into())
        .iter()
        .all(|statement| {
            let word: String = statement
                .sql
                .chars()
                .take_while(char::is_ascii_alphabetic)
                .collect();
            DML.iter().any(|dml| word.eq_ignore_ascii_case(dml))
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::revision::{parse, RevisionGraph};

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
    fn words(list: &[Action<'_>]) -> String {
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

    fn shape(plan: Plan<'_>, per_migration: bool, apply: Apply) -> String {
        let options = RunOptions {
            transaction_per_migration: per_migration,
            ..RunOptions::default()
        };
        words(&actions(&plan, Dialect::Sqlite, &options, apply).unwrap())
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

    /// `(id, parent, up, down)` revisions as a graph.
    fn graph_of(revisions: &[(&str, &str, &str, &str)]) -> RevisionGraph {
        let revisions = revisions
            .iter()
            .map(|(id, parent, up, down)| {
                let text = format!(
                    "-- revision: {id}\n-- down_revision: {parent}\n-- migrate:up\n{up}\n-- migrate:down\n{down}\n"
                );
                parse(&format!("{id}.sql"), &text).unwrap()
            })
            .collect();
        RevisionGraph::new(revisions).unwrap()
    }

    /// On MySQL: the ledger's creation and DDL revisions outside any transaction,
    /// each DDL revision's row right after its SQL in autocommit (one statement,
    /// no transaction around it), DML revisions inside one with their rows.
    #[test]
    fn mysql_runs_ddl_outside_transactions_and_dml_inside() {
        let graph = graph_of(&[
            ("r1", "none", "CREATE TABLE t (id INT);", "DROP TABLE t;"),
            (
                "r2",
                "r1",
                "INSERT INTO t VALUES (1);\nUPDATE t SET id = 2;",
                "DELETE FROM t;",
            ),
            ("r3", "r2", "DELETE FROM t;", "SELECT 1;"),
            (
                "r4",
                "r3",
                "ALTER TABLE t ADD COLUMN x INT;\nINSERT INTO t VALUES (3, 3);",
                "ALTER TABLE t DROP COLUMN x;",
            ),
            ("r5", "r4", "UPDATE t SET x = 1;", "UPDATE t SET x = NULL;"),
        ]);
        let mysql = |plan: Plan<'_>, per_migration: bool| {
            let options = RunOptions {
                transaction_per_migration: per_migration,
                ..RunOptions::default()
            };
            words(&actions(&plan, Dialect::Mysql, &options, Apply::Sql).unwrap())
        };
        let plan = || graph.upgrade_plan(&[] as &[&str], "heads").unwrap();
        assert_eq!(
            mysql(plan(), false),
            "L r1 +1 [ r2 +2 r3 +3 ] r4 +4 [ r5 +5 ]"
        );
        assert_eq!(
            mysql(plan(), true),
            "L r1 +1 [ r2 +2 ] [ r3 +3 ] r4 +4 [ r5 +5 ]"
        );
        let applied = ["r1", "r2", "r3", "r4", "r5"];
        let plan = graph.downgrade_plan(&applied, "base").unwrap();
        assert_eq!(
            mysql(plan, false),
            "L [ r5 -5 ] r4 -4 [ r3 -3 r2 -2 ] r1 -1"
        );
        // `stamp` runs no SQL: its rows keep their transaction.
        let plan = graph.stamp_plan(&[] as &[&str], "r4").unwrap();
        let stamp = actions(
            &plan,
            Dialect::Mysql,
            &RunOptions::default(),
            Apply::RecordOnly { purge: false },
        );
        assert_eq!(words(&stamp.unwrap()), "L [ +1 +2 +3 +4 ]");
        // Where DDL is transactional, a `transaction:false` revision's row still
        // commits in a transaction of its own.
        let graph = chain(&[true]);
        let plan = graph.upgrade_plan(&[] as &[&str], "heads").unwrap();
        let list = actions(&plan, Dialect::Postgres, &RunOptions::default(), Apply::Sql);
        assert_eq!(words(&list.unwrap()), "[ L ] r1 [ +1 ]");
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
