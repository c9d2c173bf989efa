//! How MySQL and MariaDB alter a schema: `ALTER TABLE ... MODIFY COLUMN` with the
//! column's whole definition, `ADD`/`DROP INDEX`, named foreign keys, and enums
//! as inline `ENUM(...)` columns (a changed list is a `MODIFY COLUMN`; there are
//! no enum types to create or drop). Every DDL statement commits implicitly on
//! these servers, so a revision's statements are independent steps (see the
//! backend's guarantees in the README).
//!
//! What MySQL does differently, and what `migrate` writes for it:
//! - **`AUTO_INCREMENT`**: a table's single-column integer primary key without a
//!   default, not itself a foreign key and named by no check or generated
//!   column (MySQL refuses those), gets `AUTO_INCREMENT` (SQLAlchemy's rule; SQLite's
//!   `INTEGER PRIMARY KEY` assigns keys the same way). The catalog reports it,
//!   but it is not compared: the rule decides it from the model, and a change
//!   that turns the rule's answer around redefines the column in its statement.
//! - **`TEXT` and `BLOB` in indexes**: MySQL indexes them only by a prefix. A plain
//!   index on such a column covers its first [`KEY_LENGTH`] characters (bytes for
//!   a blob), which changes nothing but the index's size; reading the database
//!   back, that prefix is the whole column. A unique constraint or index is
//!   written without a prefix, since a prefix would change what counts as a
//!   duplicate: MariaDB (10.4 and later) enforces it with a hash, MySQL refuses
//!   it. A primary key cannot use such a column on either: give the field a
//!   `max_length` (`VARCHAR(n)`).
//! - **Foreign keys need an index** on their columns: MySQL creates one named
//!   after the key when none covers them, drops it silently when an index that
//!   covers the key is added later, and drops it with the key only when told. So
//!   dropping a foreign key drops that index too, and dropping the index (or
//!   unique constraint) that was covering a foreign key that stays drops the key
//!   with it and adds the key back after, which has the server create the key's
//!   own index again. Adding that index by name instead would make it one the
//!   server keeps when a covering index comes back, and a later drop of that
//!   index would then collide with it.
//! - **No partial indexes**: an index's condition is left out, and the index
//!   covers every row.

use std::collections::BTreeSet;

use super::ddl::{
    check_sql, column_def, create_index_sql, create_table_sql, foreign_key_sql, table_name,
    unique_sql,
};
use super::quote::{list_in, quote_ident_in, quote_literal_in};
use super::{Dialect, Rendered};
use crate::operations::{Constraint, Op, TableRef};
use crate::schema::{
    Column, ColumnType, FkAction, ForeignKey, Index, Schema, Table, UniqueConstraint,
};

use super::mysql_columns::auto_increment;
pub use super::mysql_columns::KEY_LENGTH;

const MYSQL: Dialect = Dialect::Mysql;

/// Renders `ops`, which turn `from` into `to`, as MySQL statements. DDL commits
/// implicitly on MySQL, so the statements are not marked non-transactional: the
/// backend runs DDL one statement at a time whatever the marker says.
///
/// A column whose `AUTO_INCREMENT` the rule turns around (its key changes, or a
/// check or foreign key naming it comes or goes) loses it before every other
/// statement and gains it after them all, when whatever forbade it is gone.
pub(crate) fn render(ops: &[Op], from: &Schema, to: &Schema) -> Rendered {
    let mut out = Rendered {
        statements: Vec::new(),
        transactional: true,
    };
    let touched: BTreeSet<TableRef> = ops.iter().filter_map(Op::table).collect();
    for table in &touched {
        if let (Some(before), Some(after)) = (lookup(from, table), lookup(to, table)) {
            for column in auto_increment_turns(before, after) {
                let steady = Column {
                    nullable: column.nullable && !before.primary_key.contains(&column.name),
                    ..column.clone()
                };
                out.statements.push(format!(
                    "ALTER TABLE {} MODIFY COLUMN {}",
                    table_name(table, MYSQL),
                    column_def(&steady, table, &from.enums, MYSQL, false)
                ));
            }
        }
    }
    // Tables whose primary key has changed by the current operation.
    let mut new_keys: BTreeSet<TableRef> = BTreeSet::new();
    for op in ops {
        render_op(op, (from, to), &new_keys, &mut out.statements);
        if let Op::AlterPrimaryKey { table, .. } = op {
            new_keys.insert(table.clone());
        }
    }
    for table in &touched {
        if let (Some(before), Some(after)) = (lookup(from, table), lookup(to, table)) {
            for column in auto_increment_turns(after, before) {
                let steady = Column {
                    nullable: column.nullable && !after.primary_key.contains(&column.name),
                    ..column.clone()
                };
                out.statements.push(format!(
                    "ALTER TABLE {} MODIFY COLUMN {}",
                    table_name(table, MYSQL),
                    column_def(&steady, table, &to.enums, MYSQL, true)
                ));
            }
        }
    }
    out
}

/// The columns of `from` that auto-increment there and exist in `to` without
/// auto-incrementing.
fn auto_increment_turns<'t>(from: &'t Table, to: &Table) -> Vec<&'t Column> {
    from.columns
        .iter()
        .filter(|c| auto_increment(from, c))
        .filter(|c| to.column(&c.name).is_some_and(|d| !auto_increment(to, d)))
        .collect()
}

/// Whether the server builds `index` of an existing `table` in place without
/// blocking writes, so that autogenerate can say `ALGORITHM=INPLACE LOCK=NONE`
/// (what `migrate lint` asks for) and the server holds to it: a B-tree index on
/// columns. Not an expression key (a hidden virtual column), nor a unique key
/// longer than InnoDB's 3,072 bytes (MariaDB enforces it with a hash, which it
/// builds only by copying the table); a type this cannot size is left alone.
/// Nor any index of a table that has such a hashed unique key: its hash is a
/// hidden virtual column, and MariaDB then builds no index in place ("INPLACE
/// ADD or DROP of virtual columns cannot be combined with other ALTER TABLE
/// actions").
fn builds_online(table: &Table, index: &Index) -> bool {
    let hashed = |u: &UniqueConstraint| !fits_btree(table, &u.as_index());
    index.method.is_none()
        && fits_btree(table, index)
        && !table.uniques.iter().any(hashed)
        && !table
            .indexes
            .iter()
            .any(|i| i.unique && i.columns.iter().all(|k| !k.expression) && !fits_btree(table, i))
}

/// Whether InnoDB keeps `index` of `table` as a B-tree over its columns: keys
/// that are columns of a type this can size, within 3,072 bytes when unique.
fn fits_btree(table: &Table, index: &Index) -> bool {
    const MAX_KEY_BYTES: u32 = 3072;
    let mut bytes = 0u32;
    for key in &index.columns {
        let Some(column) = table.column(&key.sql).filter(|_| !key.expression) else {
            return false;
        };
        bytes += match &column.ty {
            ColumnType::Varchar(n) => n.saturating_mul(4),
            ColumnType::Text | ColumnType::Blob | ColumnType::Json if !index.unique => {
                KEY_LENGTH * 4
            }
            ColumnType::Custom(_) | ColumnType::Text | ColumnType::Blob | ColumnType::Json => {
                return false
            }
            ColumnType::Uuid => 36 * 4,
            _ => 32,
        };
    }
    !index.unique || bytes <= MAX_KEY_BYTES
}

fn lookup<'s>(schema: &'s Schema, table: &TableRef) -> Option<&'s Table> {
    schema.table(&table.to_string())
}

/// The full definition of `column` of `table` as `to` has it, for
/// `ADD`/`MODIFY COLUMN`, with `AUTO_INCREMENT` where the column has it on both
/// sides (a change of that is [`render`]'s).
fn definition(column: &Column, table: &TableRef, (from, to): (&Schema, &Schema)) -> String {
    let auto = |schema: &Schema| {
        lookup(schema, table)
            .is_some_and(|t| t.column(&column.name).is_some_and(|c| auto_increment(t, c)))
    };
    column_def(column, table, &to.enums, MYSQL, auto(from) && auto(to))
}

fn render_op(
    op: &Op,
    (from, to): (&Schema, &Schema),
    new_keys: &BTreeSet<TableRef>,
    sql: &mut Vec<String>,
) {
    match op {
        // No enum types: each column carries its list, and a changed list shows
        // as a change of each column that uses it.
        Op::CreateEnum(_) | Op::DropEnum(_) | Op::AlterEnum { .. } => {}
        Op::CreateTable(table) => {
            // The whole table as `to` has it would repeat keys to tables created
            // later, which the comparison adds once those exist.
            sql.push(create_table_sql(table, &to.enums, MYSQL, &|_| true));
            let whole = lookup(to, &TableRef::of(table)).unwrap_or(table);
            sql.extend(
                table
                    .indexes
                    .iter()
                    .map(|i| create_index_sql(whole, i, MYSQL)),
            );
        }
        Op::DropTable(table) => sql.push(format!(
            "DROP TABLE {}",
            table_name(&TableRef::of(table), MYSQL)
        )),
        Op::AddColumn { table, column } => sql.push(format!(
            "ALTER TABLE {} ADD COLUMN {}",
            table_name(table, MYSQL),
            definition(column, table, (from, to))
        )),
        Op::DropColumn { table, column } => sql.push(format!(
            "ALTER TABLE {} DROP COLUMN {}",
            table_name(table, MYSQL),
            quote_ident_in(&column.name, MYSQL)
        )),
        Op::AlterColumn {
            table, to: wanted, ..
        } => {
            // `MODIFY COLUMN` states the nullability: the one the column ends
            // with, unless it is in a primary key now (the old one, not yet
            // changed), which keeps it NOT NULL until the key changes.
            let key_now = |column: &str| {
                let schema = if new_keys.contains(table) { to } else { from };
                lookup(schema, table).is_some_and(|t| t.primary_key.iter().any(|c| c == column))
            };
            let target = lookup(to, table).and_then(|t| {
                let column = t.column(&wanted.name)?;
                Some(column.nullable && !t.primary_key.contains(&column.name))
            });
            let column = Column {
                nullable: target.unwrap_or(wanted.nullable) && !key_now(&wanted.name),
                ..wanted.clone()
            };
            sql.push(format!(
                "ALTER TABLE {} MODIFY COLUMN {}",
                table_name(table, MYSQL),
                definition(&column, table, (from, to))
            ))
        }
        Op::AlterPrimaryKey {
            table,
            from: old,
            to: wanted,
        } => alter_primary_key(table, old, wanted, (from, to), sql),
        Op::CreateIndex { table, index } => {
            let bare = Table {
                name: table.name.clone(),
                ..Table::default()
            };
            let whole = lookup(to, table).unwrap_or(&bare);
            let mut statement = create_index_sql(whole, index, MYSQL);
            if lookup(from, table).is_some() && builds_online(whole, index) {
                statement.push_str(" ALGORITHM=INPLACE LOCK=NONE");
            }
            sql.push(statement);
        }
        Op::DropIndex { table, index } => {
            drop_index(table, index, (from, to), sql);
        }
        Op::AddConstraint { table, constraint } => {
            let text = match constraint {
                Constraint::Unique(u) => unique_sql(u, MYSQL),
                Constraint::ForeignKey(fk) => foreign_key_sql(fk, MYSQL),
                Constraint::Check(c) => check_sql(c, MYSQL),
                // PostgreSQL's alone: a comparison for MySQL never lists one.
                Constraint::Exclusion(_) => return,
            };
            let online = match (constraint, lookup(from, table), lookup(to, table)) {
                (Constraint::Unique(u), Some(_), Some(whole)) => {
                    builds_online(whole, &u.as_index())
                }
                _ => false,
            };
            sql.push(format!(
                "ALTER TABLE {} ADD {text}{}",
                table_name(table, MYSQL),
                if online {
                    ", ALGORITHM=INPLACE, LOCK=NONE"
                } else {
                    ""
                }
            ));
        }
        Op::DropConstraint { table, constraint } => {
            let name = quote_ident_in(constraint.name(), MYSQL);
            let clause = match constraint {
                Constraint::Unique(u) => return drop_index(table, &u.as_index(), (from, to), sql),
                Constraint::ForeignKey(fk) => {
                    let own_index =
                        lookup(from, table).is_none_or(|t| !covered(t, &fk.columns, None));
                    if own_index {
                        format!("DROP FOREIGN KEY {name}, DROP INDEX {name}")
                    } else {
                        format!("DROP FOREIGN KEY {name}")
                    }
                }
                Constraint::Check(_) => format!("DROP CONSTRAINT {name}"),
                Constraint::Exclusion(_) => return,
            };
            sql.push(format!("ALTER TABLE {} {clause}", table_name(table, MYSQL)));
        }
        Op::SetTableComment {
            table, to: comment, ..
        } => sql.push(format!(
            "ALTER TABLE {} COMMENT = {}",
            table_name(table, MYSQL),
            quote_literal_in(comment.as_deref().unwrap_or(""), MYSQL)
        )),
    }
}

/// Whether an index of `table` other than `except` (its primary key, a unique
/// constraint or an index) starts with `columns`, so that MySQL can use it for a
/// foreign key over them.
fn covered(table: &Table, columns: &[String], except: Option<&str>) -> bool {
    let starts = |key: &[String]| key.len() >= columns.len() && key[..columns.len()] == *columns;
    starts(&table.primary_key)
        || table
            .uniques
            .iter()
            .filter(|u| Some(u.name.as_str()) != except)
            .any(|u| starts(&u.columns))
        || table
            .indexes
            .iter()
            .filter(|i| Some(i.name.as_str()) != except)
            .any(|i| starts(&key_columns(i)))
}

/// An index's leading plain columns, up to its first expression: what MySQL can
/// use of it for a foreign key.
fn key_columns(index: &Index) -> Vec<String> {
    index
        .columns
        .iter()
        .take_while(|k| !k.expression)
        .map(|k| k.sql.clone())
        .collect()
}

/// `ALTER TABLE ... DROP INDEX`, and around it the foreign keys that stay and
/// that only `index` covers: MySQL refuses to drop an index a foreign key needs
/// ("needed in a foreign key constraint"), so each such key is dropped in the
/// same statement and added back in the next, when the server gives it its own
/// index.
fn drop_index(
    table: &TableRef,
    index: &Index,
    (from, to): (&Schema, &Schema),
    sql: &mut Vec<String>,
) {
    let keys = uncovered_keys(table, index, from, to);
    let mut clauses: Vec<String> = keys
        .iter()
        .map(|fk| format!("DROP FOREIGN KEY {}", quote_ident_in(&fk.name, MYSQL)))
        .collect();
    clauses.push(format!("DROP INDEX {}", quote_ident_in(&index.name, MYSQL)));
    let name = table_name(table, MYSQL);
    sql.push(format!("ALTER TABLE {name} {}", clauses.join(", ")));
    sql.extend(
        keys.iter()
            .map(|fk| format!("ALTER TABLE {name} ADD {}", foreign_key_sql(fk, MYSQL))),
    );
}

/// The foreign keys of `table` that stay and that only `index` covers: those
/// `from` and `to` both have (the comparison drops one that changes before any
/// index), over columns `index` starts with, which no other index that both
/// have covers.
fn uncovered_keys<'s>(
    table: &TableRef,
    index: &Index,
    from: &'s Schema,
    to: &Schema,
) -> Vec<&'s ForeignKey> {
    let (Some(before), Some(after)) = (lookup(from, table), lookup(to, table)) else {
        return Vec::new();
    };
    let columns = key_columns(index);
    let mut keys: Vec<&ForeignKey> = Vec::new();
    for fk in &before.foreign_keys {
        let stays = after.foreign_keys.iter().any(|f| same_key(f, fk));
        let uses = columns.starts_with(&fk.columns);
        if stays
            && uses
            && !covered(&kept(before, after), &fk.columns, Some(&index.name))
            && !keys.iter().any(|k| k.columns == fk.columns)
        {
            keys.push(fk);
        }
    }
    keys
}

/// Two foreign keys that do the same, whatever their names (as the comparison
/// matches them).
fn same_key(a: &ForeignKey, b: &ForeignKey) -> bool {
    let action =
        |x: Option<FkAction>| x.filter(|x| !matches!(x, FkAction::Restrict | FkAction::NoAction));
    a.columns == b.columns
        && a.ref_schema == b.ref_schema
        && a.ref_table == b.ref_table
        && a.ref_columns == b.ref_columns
        && action(a.on_delete) == action(b.on_delete)
        && action(a.on_update) == action(b.on_update)
}

/// The keys of `before` that `after` has too, and its primary key: what stays
/// through a migration's drops, so what a foreign key can rely on while they run.
fn kept(before: &Table, after: &Table) -> Table {
    Table {
        // A new primary key comes after the drops, both ways.
        primary_key: before.primary_key.clone(),
        uniques: before
            .uniques
            .iter()
            .filter(|u| {
                after
                    .uniques
                    .iter()
                    .any(|w| w.name == u.name && w.columns == u.columns)
            })
            .cloned()
            .collect(),
        indexes: before
            .indexes
            .iter()
            .filter(|i| {
                after
                    .indexes
                    .iter()
                    .any(|w| w.name == i.name && key_columns(w) == key_columns(i))
            })
            .cloned()
            .collect(),
        ..Table::default()
    }
}

/// A new primary key, in one statement (MySQL checks the table once, at its
/// end): the old key dropped, columns that leave the key and may be `NULL`
/// redefined (MySQL made them `NOT NULL` for the key), the new key added.
fn alter_primary_key(
    table: &TableRef,
    old: &[String],
    wanted: &[String],
    (from, to): (&Schema, &Schema),
    sql: &mut Vec<String>,
) {
    let mut clauses = Vec::new();
    if !old.is_empty() {
        clauses.push("DROP PRIMARY KEY".to_string());
    }
    if let Some(after) = lookup(to, table) {
        for column in &after.columns {
            if old.contains(&column.name) && !wanted.contains(&column.name) && column.nullable {
                clauses.push(format!(
                    "MODIFY COLUMN {}",
                    definition(column, table, (from, to))
                ));
            }
        }
    }
    if !wanted.is_empty() {
        clauses.push(format!("ADD PRIMARY KEY ({})", list_in(wanted, MYSQL)));
    }
    sql.push(format!(
        "ALTER TABLE {} {}",
        table_name(table, MYSQL),
        clauses.join(", ")
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::mysql_columns::key_part;
    use crate::schema::ColumnType;

    fn column(name: &str, ty: ColumnType) -> Column {
        Column {
            name: name.into(),
            ty,
            nullable: false,
            default: None,
            comment: None,
            generated: None,
            collation: None,
        }
    }

    #[test]
    fn a_single_integer_key_auto_increments() {
        let mut table = Table {
            name: "t".into(),
            columns: vec![
                column("id", ColumnType::BigInt),
                column("n", ColumnType::Text),
            ],
            primary_key: vec!["id".into()],
            ..Table::default()
        };
        assert!(auto_increment(&table, &table.columns[0].clone()));
        assert!(!auto_increment(&table, &table.columns[1].clone()));
        table.primary_key.push("n".into());
        assert!(!auto_increment(&table, &table.columns[0].clone()));
    }

    #[test]
    fn plain_indexes_on_text_take_a_prefix() {
        let table = Table {
            name: "t".into(),
            columns: vec![
                column("a", ColumnType::Text),
                column("b", ColumnType::Integer),
            ],
            ..Table::default()
        };
        let mut index = Index::on("ix", &["a", "b"]);
        let parts = |index: &Index| {
            index
                .columns
                .iter()
                .map(|k| key_part(&table, index, k))
                .collect::<Vec<_>>()
        };
        assert_eq!(parts(&index), ["`a`(255)", "`b`"]);
        index.unique = true;
        assert_eq!(parts(&index), ["`a`", "`b`"]);
    }
}
