//! Rendering operations as SQL for one dialect (Alembic's `autogenerate.render`,
//! with the per-database statements its `ddl` package would give).
//!
//! PostgreSQL alters in place. SQLite cannot alter columns or constraints, so a
//! table with such changes is rebuilt by SQLite's documented recipe inside the
//! revision's transaction (see `rebuild_sqlite`).
//!
//! Operations may come from a comparison made for several dialects
//! ([`compare_for`](super::compare_for)), so each renderer leaves out what its
//! dialect cannot see: SQLite has no enum types or comments, and a column change
//! it would store identically (`i32` to `i64`) is nothing to do there.

use std::collections::BTreeSet;

use super::normalize::{column_differs, normalize_default, type_key};
use crate::dialect::{
    check_sql, column_sql, column_type_sql, create_index_sql, create_table_sql, foreign_key_sql,
    list, postgres, qualified, quote_ident, quote_literal, table_extras_sql, unique_sql, Dialect,
};
use crate::operations::{Constraint, Op, TableRef};
use crate::schema::{Column, ColumnType, Schema, Table};

/// SQL for a list of operations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The statements, without trailing semicolons.
    pub statements: Vec<String>,
    /// `false` when a statement cannot run inside a transaction (PostgreSQL's
    /// `ALTER TYPE ... ADD VALUE`): the revision is then marked `transaction:false`.
    pub transactional: bool,
}

impl Rendered {
    /// The statements as a script, one per paragraph.
    pub fn script(&self) -> String {
        self.statements
            .iter()
            .map(|s| format!("{s};\n"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Renders `ops`, which turn `from` into `to`, for `dialect`.
pub fn render(ops: &[Op], from: &Schema, to: &Schema, dialect: Dialect) -> Rendered {
    let mut out = Rendered {
        statements: Vec::new(),
        transactional: true,
    };
    match dialect {
        Dialect::Postgres => ops.iter().for_each(|op| render_postgres(op, to, &mut out)),
        Dialect::Sqlite => render_sqlite(ops, from, to, &mut out),
    }
    out
}

fn table_name(table: &TableRef, dialect: Dialect) -> String {
    qualified(table.schema.as_deref(), &table.name, dialect)
}

fn bare_table(table: &TableRef) -> Table {
    Table {
        schema: table.schema.clone(),
        name: table.name.clone(),
        ..Table::default()
    }
}

fn constraint_sql(constraint: &Constraint, dialect: Dialect) -> String {
    match constraint {
        Constraint::Unique(u) => unique_sql(u),
        Constraint::ForeignKey(fk) => foreign_key_sql(fk, dialect),
        Constraint::Check(c) => check_sql(c),
    }
}

fn create_table(table: &Table, to: &Schema, dialect: Dialect, out: &mut Vec<String>) {
    out.push(create_table_sql(table, &to.enums, dialect, &|_| true));
    out.extend(table_extras_sql(table, dialect));
}

fn render_postgres(op: &Op, to: &Schema, out: &mut Rendered) {
    let dialect = Dialect::Postgres;
    let sql = &mut out.statements;
    match op {
        Op::CreateEnum(e) => sql.push(postgres::create_enum_sql(e)),
        Op::DropEnum(e) => sql.push(format!("DROP TYPE {}", quote_ident(&e.name))),
        Op::AlterEnum {
            from,
            to: wanted,
            columns,
        } => {
            if wanted.variants.starts_with(&from.variants) {
                // Cannot be used in the transaction that adds it, so none is opened.
                out.transactional = false;
                for value in &wanted.variants[from.variants.len()..] {
                    sql.push(format!(
                        "ALTER TYPE {} ADD VALUE IF NOT EXISTS {}",
                        quote_ident(&wanted.name),
                        quote_literal(value)
                    ));
                }
            } else {
                // Values cannot be removed or reordered: recreate the type.
                let name = quote_ident(&wanted.name);
                let old = quote_ident(&format!("{}__old", wanted.name));
                sql.push(format!("ALTER TYPE {name} RENAME TO {old}"));
                sql.push(postgres::create_enum_sql(wanted));
                for c in columns {
                    let prefix = format!(
                        "ALTER TABLE {} ALTER COLUMN {}",
                        table_name(&c.table, dialect),
                        quote_ident(&c.column)
                    );
                    // The default names the old type; it cannot be cast across.
                    if c.default.is_some() {
                        sql.push(format!("{prefix} DROP DEFAULT"));
                    }
                    sql.push(format!(
                        "{prefix} TYPE {name} USING {}::text::{name}",
                        quote_ident(&c.column)
                    ));
                    if let Some(default) = &c.default {
                        sql.push(format!("{prefix} SET DEFAULT {default}"));
                    }
                }
                sql.push(format!("DROP TYPE {old}"));
            }
        }
        Op::CreateTable(table) => create_table(table, to, dialect, sql),
        Op::DropTable(table) => sql.push(format!(
            "DROP TABLE {}",
            qualified(table.schema.as_deref(), &table.name, dialect)
        )),
        Op::AddColumn { table, column } => {
            sql.push(format!(
                "ALTER TABLE {} ADD COLUMN {}",
                table_name(table, dialect),
                column_sql(column, &to.enums, dialect)
            ));
            if let Some(comment) = &column.comment {
                sql.push(column_comment(table, &column.name, Some(comment)));
            }
        }
        Op::DropColumn { table, column } => sql.push(format!(
            "ALTER TABLE {} DROP COLUMN {}",
            table_name(table, dialect),
            quote_ident(&column.name)
        )),
        Op::AlterColumn {
            table,
            from,
            to: wanted,
        } => alter_column_postgres(table, from, wanted, to, sql),
        Op::AlterPrimaryKey {
            table,
            from,
            to: wanted,
        } => {
            let name = table_name(table, dialect);
            if !from.is_empty() {
                sql.push(format!(
                    "ALTER TABLE {name} DROP CONSTRAINT {}",
                    quote_ident(&format!("{}_pkey", table.name))
                ));
            }
            // A key column is NOT NULL; one that leaves the key gets back the
            // nullability the target schema gives it.
            let target = to.table(&table.to_string());
            for column in from.iter().filter(|c| !wanted.contains(c)) {
                if target
                    .and_then(|t| t.column(column))
                    .is_some_and(|c| c.nullable)
                {
                    sql.push(format!(
                        "ALTER TABLE {name} ALTER COLUMN {} DROP NOT NULL",
                        quote_ident(column)
                    ));
                }
            }
            if !wanted.is_empty() {
                sql.push(format!(
                    "ALTER TABLE {name} ADD PRIMARY KEY ({})",
                    list(wanted)
                ));
            }
        }
        Op::CreateIndex { table, index } => {
            sql.push(create_index_sql(&bare_table(table), index, dialect))
        }
        Op::DropIndex { table, index } => sql.push(format!(
            "DROP INDEX {}",
            qualified(table.schema.as_deref(), &index.name, dialect)
        )),
        Op::AddConstraint { table, constraint } => sql.push(format!(
            "ALTER TABLE {} ADD {}",
            table_name(table, dialect),
            constraint_sql(constraint, dialect)
        )),
        Op::DropConstraint { table, constraint } => sql.push(format!(
            "ALTER TABLE {} DROP CONSTRAINT {}",
            table_name(table, dialect),
            quote_ident(constraint.name())
        )),
        Op::SetTableComment {
            table, to: comment, ..
        } => sql.push(postgres::comment_on(
            &format!("TABLE {}", table_name(table, dialect)),
            comment.as_deref(),
        )),
    }
}

fn column_comment(table: &TableRef, column: &str, comment: Option<&str>) -> String {
    let object = format!(
        "COLUMN {}.{}",
        table_name(table, Dialect::Postgres),
        quote_ident(column)
    );
    postgres::comment_on(&object, comment)
}

fn alter_column_postgres(
    table: &TableRef,
    from: &Column,
    to: &Column,
    schema: &Schema,
    sql: &mut Vec<String>,
) {
    let dialect = Dialect::Postgres;
    let prefix = format!(
        "ALTER TABLE {} ALTER COLUMN {}",
        table_name(table, dialect),
        quote_ident(&to.name)
    );
    let retype = type_key(&from.ty, &[], dialect) != type_key(&to.ty, &schema.enums, dialect);
    let default_changes = from.default.as_deref().and_then(normalize_default)
        != to.default.as_deref().and_then(normalize_default);
    // An old default may not cast to the new type: drop it first.
    if (retype || default_changes) && from.default.is_some() {
        sql.push(format!("{prefix} DROP DEFAULT"));
    }
    if retype {
        let ty = column_type_sql(&to.ty, dialect);
        let column = quote_ident(&to.name);
        // An enum casts only to and from text.
        let via = if matches!(from.ty, ColumnType::Enum(_)) || matches!(to.ty, ColumnType::Enum(_))
        {
            "::text"
        } else {
            ""
        };
        sql.push(format!("{prefix} TYPE {ty} USING {column}{via}::{ty}"));
    }
    if from.nullable != to.nullable {
        let action = if to.nullable { "DROP" } else { "SET" };
        sql.push(format!("{prefix} {action} NOT NULL"));
    }
    if let (true, Some(default)) = (retype || default_changes, &to.default) {
        sql.push(format!("{prefix} SET DEFAULT {default}"));
    }
    if from.comment != to.comment {
        sql.push(column_comment(table, &to.name, to.comment.as_deref()));
    }
}

/// Whether SQLite can do `op` in place (or has nothing to do for it); otherwise
/// its table is rebuilt.
fn sqlite_in_place(op: &Op, from: &Schema, to: &Schema) -> bool {
    match op {
        Op::AddColumn { column, .. } => column.nullable || column.default.is_some(),
        Op::DropColumn { table, column } => from
            .table(&table.to_string())
            .is_some_and(|t| sqlite_can_drop(t, &column.name)),
        // A change SQLite would store the same way (a comment, i32 to i64).
        Op::AlterColumn {
            from: before,
            to: after,
            ..
        } => !column_differs(
            before,
            &from.enums,
            after,
            &to.enums,
            false,
            Dialect::Sqlite,
        ),
        Op::AlterPrimaryKey { .. } | Op::AddConstraint { .. } | Op::DropConstraint { .. } => false,
        _ => true,
    }
}

/// `ALTER TABLE ... DROP COLUMN` (SQLite 3.35) refuses a column that a key,
/// constraint or `CHECK` uses; indexes on it are dropped before it.
fn sqlite_can_drop(table: &Table, column: &str) -> bool {
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

fn render_sqlite(ops: &[Op], from: &Schema, to: &Schema, out: &mut Rendered) {
    let dialect = Dialect::Sqlite;
    // Tables created or dropped here are never rebuilt.
    let whole: BTreeSet<TableRef> = ops
        .iter()
        .filter(|op| matches!(op, Op::CreateTable(_) | Op::DropTable(_)))
        .filter_map(Op::table)
        .collect();
    let rebuild: BTreeSet<TableRef> = ops
        .iter()
        .filter(|op| !sqlite_in_place(op, from, to))
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
                create_table(whole, to, dialect, sql)
            }
            Op::DropTable(table) => drops.push(format!("DROP TABLE {}", quote_ident(&table.name))),
            Op::AddColumn { table, column } => sql.push(format!(
                "ALTER TABLE {} ADD COLUMN {}",
                quote_ident(&table.name),
                column_sql(column, &to.enums, dialect)
            )),
            Op::CreateIndex { table, index } => {
                sql.push(create_index_sql(&bare_table(table), index, dialect))
            }
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
        rebuild_sqlite(table, from, to, sql);
    }
    sql.append(&mut drops);
}

/// SQLite's documented recipe for changes `ALTER TABLE` cannot make: create the
/// new table under a temporary name, copy the rows, drop the old table, rename.
/// It relies on foreign keys being off for the transaction (the SQLite backend
/// does that, and checks them before commit), so the drop does not cascade and
/// other tables' references to the name survive.
fn rebuild_sqlite(table: &TableRef, from: &Schema, to: &Schema, sql: &mut Vec<String>) {
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
