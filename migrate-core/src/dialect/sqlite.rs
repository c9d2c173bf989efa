//! How SQLite alters a schema. It has no enum types or comments and takes
//! constraints only inline (see the capability flags on [`Dialect`]), and its
//! `ALTER TABLE` adds, drops and renames, nothing more: a table with any other
//! change is rebuilt by SQLite's documented recipe, inside the revision's
//! transaction (see `rebuild_table`).

use std::collections::BTreeSet;

use super::ddl::{
    column_sql, create_index_on, create_index_sql, create_table_sql, create_table_whole,
};
use super::quote::{list, quote_ident};
use super::{Dialect, Rendered};
use crate::operations::{Op, TableRef};
use crate::schema::{ColumnType, Generation, Schema, Table};

/// Whether SQLite can do `op` in place (or has nothing to do for it); otherwise
/// its table is rebuilt.
fn in_place(op: &Op, from: &Schema) -> bool {
    match op {
        Op::AddColumn { column, .. } => column.nullable || column.default.is_some(),
        Op::DropColumn { table, column } => from
            .table(&table.to_string())
            .is_some_and(|t| can_drop(t, &column.name)),
        // Only changes SQLite stores differently come here (a comment, or i32
        // to i64, is left out before: see `autogenerate::render`).
        Op::AlterColumn { .. }
        | Op::AlterPrimaryKey { .. }
        | Op::AddConstraint { .. }
        | Op::DropConstraint { .. } => false,
        _ => true,
    }
}

/// `ALTER TABLE ... DROP COLUMN` (SQLite 3.35) refuses a column that a key,
/// constraint or `CHECK` uses; indexes on it are dropped before it.
fn can_drop(table: &Table, column: &str) -> bool {
    let named = |columns: &[String]| columns.iter().any(|c| c == column);
    !named(&table.primary_key)
        && !table.uniques.iter().any(|u| named(&u.columns))
        && !table.foreign_keys.iter().any(|f| named(&f.columns))
        // Conservative: any check that mentions the name.
        && !table.checks.iter().any(|c| c.expr.contains(column))
        && table
            .column(column)
            .is_some_and(|c| !matches!(c.ty, ColumnType::Enum(_)))
}

/// Renders `ops`, which turn `from` into `to`.
pub(crate) fn render(ops: &[Op], from: &Schema, to: &Schema) -> Rendered {
    let mut out = Rendered {
        statements: Vec::new(),
        transactional: true,
    };
    let dialect = Dialect::Sqlite;
    // Tables created or dropped here are never rebuilt.
    let whole: BTreeSet<TableRef> = ops
        .iter()
        .filter(|op| matches!(op, Op::CreateTable(_) | Op::DropTable(_)))
        .filter_map(Op::table)
        .collect();
    let rebuild: BTreeSet<TableRef> = ops
        .iter()
        .filter(|op| !in_place(op, from))
        .filter_map(Op::table)
        .filter(|t| !whole.contains(t))
        .collect();
    let sql = &mut out.statements;
    let mut drops = Vec::new();
    for op in ops {
        if op.table().is_some_and(|t| rebuild.contains(&t)) {
            continue;
        }
        match op {
            // Whole, with the keys a comparison for PostgreSQL adds separately
            // (SQLite takes them all inline).
            Op::CreateTable(table) => {
                let whole = to.table(&TableRef::of(table).to_string()).unwrap_or(table);
                sql.extend(create_table_whole(whole, &to.enums, dialect))
            }
            Op::DropTable(table) => drops.push(format!("DROP TABLE {}", quote_ident(&table.name))),
            Op::AddColumn { table, column } => sql.push(format!(
                "ALTER TABLE {} ADD COLUMN {}",
                quote_ident(&table.name),
                column_sql(column, table, &to.enums, dialect)
            )),
            Op::CreateIndex { table, index } => sql.push(create_index_on(table, index, dialect)),
            Op::DropColumn { table, column } => sql.push(format!(
                "ALTER TABLE {} DROP COLUMN {}",
                quote_ident(&table.name),
                quote_ident(&column.name)
            )),
            Op::DropIndex { index, .. } => {
                sql.push(format!("DROP INDEX {}", quote_ident(&index.name)))
            }
            // No enum types (enums are TEXT + CHECK, changed by a rebuild) and no comments.
            _ => {}
        }
    }
    // Rebuilds come once every table they may reference exists, and before the
    // tables they stop referencing are dropped.
    for table in &rebuild {
        rebuild_table(table, from, to, sql);
    }
    sql.append(&mut drops);
    out
}

/// SQLite's documented recipe for changes `ALTER TABLE` cannot make: create the
/// new table under a temporary name, copy the rows, drop the old table, rename.
/// It relies on foreign keys being off for the transaction (the SQLite backend
/// does that, and checks them before commit), so the drop does not cascade and
/// other tables' references to the name survive.
fn rebuild_table(table: &TableRef, from: &Schema, to: &Schema, sql: &mut Vec<String>) {
    let dialect = Dialect::Sqlite;
    let key = table.to_string();
    let (Some(old), Some(new)) = (from.table(&key), to.table(&key)) else {
        return;
    };
    let temporary = format!("_migrate_new_{}", new.name);
    let mut staged = new.clone();
    staged.name = temporary.clone();
    sql.push(create_table_sql(&staged, &to.enums, dialect, &|_| true));
    let common: Vec<String> = new
        .columns
        .iter()
        .filter(|c| old.column(&c.name).is_some())
        // A stored generated column computes its values; it takes none.
        .filter(|c| {
            !matches!(
                c.generated,
                Some(Generation::Stored(_) | Generation::Virtual(_))
            )
        })
        .map(|c| c.name.clone())
        .collect();
    if !common.is_empty() {
        sql.push(format!(
            "INSERT INTO {} ({cols}) SELECT {cols} FROM {}",
            quote_ident(&temporary),
            quote_ident(&old.name),
            cols = list(&common)
        ));
    }
    sql.push(format!("DROP TABLE {}", quote_ident(&old.name)));
    sql.push(format!(
        "ALTER TABLE {} RENAME TO {}",
        quote_ident(&temporary),
        quote_ident(&new.name)
    ));
    sql.extend(
        new.indexes
            .iter()
            .map(|i| create_index_sql(new, i, dialect)),
    );
}
