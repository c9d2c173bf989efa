//! The forms that keep a PostgreSQL table that exists already open for writes
//! while it changes: what `migrate lint` asks for, written by autogenerate.
//!
//! A new table is empty and nobody uses it yet, so its indexes and constraints
//! come with it in the plain forms. On a table that exists:
//!
//! - an index is built with `CREATE INDEX CONCURRENTLY`;
//! - a unique constraint is a unique index built `CONCURRENTLY`, then `ADD
//!   CONSTRAINT ... UNIQUE USING INDEX` (no scan);
//! - a foreign key or check constraint is added `NOT VALID` in the revision's
//!   transaction (a short lock; new rows are checked from then on), and
//!   `VALIDATE CONSTRAINT` checks the rows already there afterwards, under a
//!   lock that lets writes through;
//! - a column becoming `NOT NULL` gets a `CHECK (col IS NOT NULL) NOT VALID` in
//!   the transaction; afterwards it is validated, `SET NOT NULL` uses it instead
//!   of scanning the table (PostgreSQL 12+), and it is dropped.
//!
//! The "afterwards" steps ([`Step`]) run outside any transaction, each
//! statement committing on its own, after the revision's transaction has
//! committed: `CREATE INDEX CONCURRENTLY` cannot run in a transaction, and a
//! `VALIDATE` in the transaction of its `ADD ... NOT VALID` would hold the ADD's
//! lock through the whole validation. A `transaction:false` section is the one
//! place the runner guarantees both in either run mode (it commits what came
//! before, and `upgrade` otherwise runs every revision of a run in one
//! transaction, so a plain later revision would share it). The `ADD` stays in
//! the transaction rather than moving out with its `VALIDATE`: what is left
//! outside is then all steps that can run again after a failure (a failed
//! `VALIDATE` leaves the constraint `NOT VALID`; fix the rows and rerun).

use super::render::render;
use crate::dialect::{postgres, quote_ident, Dialect};
use crate::operations::{Constraint, Op, TableRef};
use crate::schema::names::{clip, MAX_NAME_BYTES};
use crate::schema::{CheckConstraint, Column, ForeignKey, Schema};

/// One change made outside the revision's transaction, with its undo.
#[derive(Debug, Clone, Default)]
pub(super) struct Step {
    /// The statements, in order.
    pub up: Vec<String>,
    /// What puts the database back to where the revision's transaction left
    /// it, in order.
    pub down: Vec<String>,
}

/// `ops` (from `db` to `models`) split into what runs in the revision's
/// transaction, some of it in its `NOT VALID` form, and the steps that follow
/// outside it. Everything stays in the transaction on other dialects, and for
/// tables the revision creates.
pub(super) fn split(
    ops: &[Op],
    db: &Schema,
    models: &Schema,
    dialect: Dialect,
) -> (Vec<Op>, Vec<Step>) {
    if dialect != Dialect::Postgres {
        return (ops.to_vec(), Vec::new());
    }
    let exists = |table: &TableRef| {
        db.tables
            .iter()
            .any(|t| t.name == table.name && t.schema == table.schema)
    };
    let one = |op: Op| single(&op, db, models);
    let mut main = Vec::new();
    // The `NOT NULL` checks go last in the transaction, after every change to
    // their columns.
    let mut not_null_checks = Vec::new();
    let mut steps = Vec::new();
    for op in ops {
        let step = match op {
            Op::CreateIndex { table, .. } if exists(table) => concurrently(op, db, models),
            Op::AddConstraint {
                table,
                constraint: Constraint::Unique(unique),
            } if exists(table) && !referenced_by_new_key(ops, table, &unique.columns) => {
                let build = Op::CreateIndex {
                    table: table.clone(),
                    index: unique.as_index(),
                };
                concurrently(&build, db, models).and_then(|build| {
                    Some(Step {
                        up: vec![
                            build.up.into_iter().next()?,
                            postgres::unique_using_index_sql(table, unique),
                        ],
                        // Dropping the constraint drops its index.
                        down: vec![one(op.reverse())?],
                    })
                })
            }
            Op::AddConstraint { table, constraint } if exists(table) => {
                match not_valid(constraint) {
                    Some(unchecked) => {
                        let add = Op::AddConstraint {
                            table: table.clone(),
                            constraint: unchecked,
                        };
                        let step = validate(&add, db, models);
                        if step.is_some() {
                            main.push(add);
                            steps.extend(step);
                            continue;
                        }
                        None
                    }
                    None => None,
                }
            }
            Op::AlterColumn { table, from, to }
                if exists(table)
                    && from.nullable
                    && !to.nullable
                    && from.generated == to.generated
                    && !in_new_primary_key(ops, table, &to.name) =>
            {
                let nullable = Column {
                    nullable: true,
                    ..to.clone()
                };
                let check = Op::AddConstraint {
                    table: table.clone(),
                    constraint: Constraint::Check(CheckConstraint {
                        name: not_null_check_name(&table.name, &to.name),
                        expr: format!("{} IS NOT NULL", quote_ident(&to.name)),
                        not_valid: true,
                    }),
                };
                let set = Op::AlterColumn {
                    table: table.clone(),
                    from: nullable.clone(),
                    to: to.clone(),
                };
                let step = (|| {
                    let validate = validate(&check, db, models)?;
                    Some(Step {
                        up: vec![
                            validate.up.into_iter().next()?,
                            one(set.clone())?,
                            one(check.reverse())?,
                        ],
                        down: vec![one(check.clone())?, one(set.reverse())?],
                    })
                })();
                if let Some(step) = step {
                    main.push(Op::AlterColumn {
                        table: table.clone(),
                        from: from.clone(),
                        to: nullable,
                    });
                    not_null_checks.push(check);
                    steps.push(step);
                    continue;
                }
                None
            }
            _ => None,
        };
        match step {
            Some(step) => steps.push(step),
            None => main.push(op.clone()),
        }
    }
    main.append(&mut not_null_checks);
    (main, steps)
}

/// The one statement `op` renders to on PostgreSQL, if it is one.
fn single(op: &Op, db: &Schema, models: &Schema) -> Option<String> {
    let mut statements = render(std::slice::from_ref(op), db, models, Dialect::Postgres).statements;
    (statements.len() == 1).then(|| statements.remove(0))
}

/// `CREATE [UNIQUE] INDEX CONCURRENTLY`, undone by `DROP INDEX CONCURRENTLY`.
fn concurrently(op: &Op, db: &Schema, models: &Schema) -> Option<Step> {
    let up = single(op, db, models)?;
    let down = single(&op.reverse(), models, db)?;
    let up = ["CREATE INDEX ", "CREATE UNIQUE INDEX "]
        .iter()
        .find(|prefix| up.starts_with(*prefix))
        .map(|prefix| format!("{prefix}CONCURRENTLY {}", &up[prefix.len()..]))?;
    let down = down
        .strip_prefix("DROP INDEX ")
        .map(|rest| format!("DROP INDEX CONCURRENTLY {rest}"))?;
    Some(Step {
        up: vec![up],
        down: vec![down],
    })
}

/// The `NOT VALID` form of a foreign key or check constraint that the model
/// wants validated; `None` for other constraints, and for one the model itself
/// declares `NOT VALID` (it stays unchecked, so it is already the safe form).
fn not_valid(constraint: &Constraint) -> Option<Constraint> {
    match constraint {
        Constraint::ForeignKey(fk) if !fk.not_valid => Some(Constraint::ForeignKey(ForeignKey {
            not_valid: true,
            ..fk.clone()
        })),
        Constraint::Check(check) if !check.not_valid => Some(Constraint::Check(CheckConstraint {
            not_valid: true,
            ..check.clone()
        })),
        _ => None,
    }
}

/// `VALIDATE CONSTRAINT` for the `NOT VALID` constraint `add` adds. PostgreSQL
/// cannot make a constraint unchecked again, so the undo drops it and adds it
/// back `NOT VALID`, as the revision's transaction left it.
fn validate(add: &Op, db: &Schema, models: &Schema) -> Option<Step> {
    let Op::AddConstraint { table, constraint } = add else {
        return None;
    };
    Some(Step {
        up: vec![postgres::validate_constraint_sql(table, constraint.name())],
        down: vec![
            single(&add.reverse(), db, models)?,
            single(add, db, models)?,
        ],
    })
}

/// The name of the temporary `CHECK (col IS NOT NULL)`, cut to PostgreSQL's
/// limit as the server would cut it.
fn not_null_check_name(table: &str, column: &str) -> String {
    clip(&format!("{table}_{column}_not_null"), MAX_NAME_BYTES).to_string()
}

/// Whether a foreign key the operations create (with a new table, or added)
/// references `columns` of `table`: the unique constraint it needs must exist
/// within the revision's transaction, so that one keeps the plain form.
fn referenced_by_new_key(ops: &[Op], table: &TableRef, columns: &[String]) -> bool {
    let points_here = |fk: &ForeignKey| {
        fk.ref_table == table.name && fk.ref_schema == table.schema && fk.ref_columns == columns
    };
    ops.iter().any(|op| match op {
        Op::CreateTable(t) => t.foreign_keys.iter().any(points_here),
        Op::AddConstraint {
            constraint: Constraint::ForeignKey(fk),
            ..
        } => points_here(fk),
        _ => false,
    })
}

/// Whether `column` joins `table`'s primary key in this revision: adding the
/// key sets `NOT NULL` itself, in the transaction.
fn in_new_primary_key(ops: &[Op], table: &TableRef, column: &str) -> bool {
    ops.iter().any(|op| {
        matches!(op, Op::AlterPrimaryKey { table: t, to, .. }
            if t == table && to.iter().any(|c| c == column))
    })
}
