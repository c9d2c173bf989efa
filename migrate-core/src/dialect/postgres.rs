//! How PostgreSQL alters a schema: every operation in place, inside the
//! revision's transaction, except adding enum values, which PostgreSQL cannot
//! use in the transaction that adds them.

use super::ddl::{
    check_sql, column_sql, comment_on, create_enum_sql, create_index_on, create_table_whole,
    exclusion_sql, foreign_key_sql, not_valid_sql, table_name, unique_sql,
};
use super::quote::{list, qualified, quote_ident, quote_literal};
use super::types::{column_type_sql, type_key};
use super::{Dialect, Rendered};
use crate::operations::{Constraint, Op, TableRef};
use crate::schema::names::{clip, MAX_NAME_BYTES};
use crate::schema::{Column, ColumnType, Schema};
use crate::sql::normalize_default;

/// Renders `ops`, which turn `before` into `to`.
pub(crate) fn render(ops: &[Op], before: &Schema, to: &Schema) -> Rendered {
    let mut out = Rendered {
        statements: Vec::new(),
        transactional: true,
    };
    for op in ops {
        render_op(op, before, to, &mut out);
    }
    out
}

/// A constraint after `ALTER TABLE ... ADD`, which alone can leave it `NOT VALID`.
fn constraint_sql(constraint: &Constraint, dialect: Dialect) -> String {
    match constraint {
        Constraint::Unique(u) => unique_sql(u, dialect),
        Constraint::ForeignKey(fk) => {
            foreign_key_sql(fk, dialect) + not_valid_sql(fk.not_valid, dialect)
        }
        Constraint::Check(c) => check_sql(c, dialect) + not_valid_sql(c.not_valid, dialect),
        Constraint::Exclusion(x) => exclusion_sql(x),
    }
}

fn render_op(op: &Op, before: &Schema, to: &Schema, out: &mut Rendered) {
    let dialect = Dialect::Postgres;
    let sql = &mut out.statements;
    match op {
        Op::CreateEnum(e) => sql.push(create_enum_sql(e)),
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
                sql.push(create_enum_sql(wanted));
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
        Op::CreateTable(table) => sql.extend(create_table_whole(table, &to.enums, dialect)),
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
        } => alter_column(table, from, wanted, to, sql),
        Op::AlterPrimaryKey {
            table,
            from,
            to: wanted,
        } => alter_primary_key(table, from, wanted, before, to, sql),
        Op::CreateIndex { table, index } => sql.push(create_index_on(table, index, dialect)),
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
        } => sql.push(comment_on(
            &format!("TABLE {}", table_name(table, dialect)),
            comment.as_deref(),
        )),
    }
}

/// A new primary key. The old one is dropped by its name where the database
/// reported it, else by the name PostgreSQL gives a key it names itself; the
/// new one gets the name `to` gives it (a downgrade restores a named key).
fn alter_primary_key(
    table: &TableRef,
    from: &[String],
    wanted: &[String],
    before: &Schema,
    to: &Schema,
    sql: &mut Vec<String>,
) {
    let name = table_name(table, Dialect::Postgres);
    let key = table.to_string();
    let own_name = |schema: &Schema| {
        schema
            .table(&key)
            .and_then(|t| t.primary_key_name.clone())
            .filter(|n| *n != default_primary_key_name(&table.name))
    };
    if !from.is_empty() {
        let old = own_name(before).unwrap_or_else(|| default_primary_key_name(&table.name));
        sql.push(format!(
            "ALTER TABLE {name} DROP CONSTRAINT {}",
            quote_ident(&old)
        ));
    }
    // A key column is NOT NULL; one that leaves the key gets back the
    // nullability the target schema gives it.
    let target = to.table(&key);
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
        let constraint = own_name(to)
            .map(|n| format!("CONSTRAINT {} ", quote_ident(&n)))
            .unwrap_or_default();
        sql.push(format!(
            "ALTER TABLE {name} ADD {constraint}PRIMARY KEY ({})",
            list(wanted)
        ));
    }
}

/// The name PostgreSQL gives a primary key that it names itself:
/// `{table}_pkey`, with the table's name cut so that the whole fits its limit.
fn default_primary_key_name(table: &str) -> String {
    const SUFFIX: &str = "_pkey";
    format!("{}{SUFFIX}", clip(table, MAX_NAME_BYTES - SUFFIX.len()))
}

fn column_comment(table: &TableRef, column: &str, comment: Option<&str>) -> String {
    let object = format!(
        "COLUMN {}.{}",
        table_name(table, Dialect::Postgres),
        quote_ident(column)
    );
    comment_on(&object, comment)
}

fn alter_column(
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

#[cfg(test)]
mod tests {
    use super::default_primary_key_name;

    #[test]
    fn a_key_postgres_names_fits_its_limit() {
        assert_eq!(default_primary_key_name("users"), "users_pkey");
        let long = "t".repeat(70);
        assert_eq!(
            default_primary_key_name(&long),
            format!("{}_pkey", "t".repeat(58))
        );
    }
}
