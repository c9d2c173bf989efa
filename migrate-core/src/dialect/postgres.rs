//! How PostgreSQL alters a schema: every operation in place, inside the
//! revision's transaction, except adding enum values, which PostgreSQL cannot
//! use in the transaction that adds them.

use std::collections::BTreeMap;

use super::ddl::{
    check_sql, collation_sql, column_sql, comment_on, create_enum_sql, create_index_on,
    create_sequence_sql, create_table_whole, exclusion_sql, foreign_key_sql, nextval_sql,
    not_valid_sql, owned_by_sql, sequence_after, sequence_before, sequence_name, sequence_options,
    sequence_type, table_name, unique_sql,
};
use super::quote::{list, qualified, quote_ident, quote_literal};
use super::types::{column_type_sql, type_key};
use super::{Dialect, Rendered};
use crate::operations::{Constraint, Op, TableRef};
use crate::schema::names::{clip, MAX_NAME_BYTES};
use crate::schema::{Column, ColumnType, Generation, Schema, Sequence, UniqueConstraint};
use crate::sql::normalize_default;

/// Renders `ops`, which turn `before` into `to`.
pub(crate) fn render(ops: &[Op], before: &Schema, to: &Schema) -> Rendered {
    let mut out = Rendered {
        statements: Vec::new(),
        transactional: true,
    };
    // The primary keys the statements so far have changed, as they left them.
    let mut keys: BTreeMap<&TableRef, &[String]> = BTreeMap::new();
    for (i, op) in ops.iter().enumerate() {
        let in_key = |table: &TableRef, column: &str| match keys.get(table) {
            Some(key) => key.iter().any(|c| c == column),
            None => before
                .table(&table.to_string())
                .is_some_and(|t| t.primary_key.iter().any(|c| c == column)),
        };
        render_op(op, (before, to), &in_key, &ops[i + 1..], &mut out);
        if let Op::AlterPrimaryKey {
            table, to: wanted, ..
        } = op
        {
            keys.insert(table, wanted);
        }
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

/// `in_key` says whether a column is in its table's primary key when `op`
/// runs; `later` are the operations after it.
fn render_op(
    op: &Op,
    (before, to): (&Schema, &Schema),
    in_key: &dyn Fn(&TableRef, &str) -> bool,
    later: &[Op],
    out: &mut Rendered,
) {
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
            sql.extend(sequence_before(table, column));
            sql.push(format!(
                "ALTER TABLE {} ADD COLUMN {}",
                table_name(table, dialect),
                column_sql(column, table, &to.enums, dialect)
            ));
            sql.extend(sequence_after(table, column));
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
        } => {
            // PostgreSQL makes no key column nullable: one in the key now keeps
            // its NOT NULL, which the key's own change then drops.
            let key_aware = |c: &Column| Column {
                nullable: c.nullable && !in_key(table, &c.name),
                ..c.clone()
            };
            alter_column(table, &key_aware(from), &key_aware(wanted), to, sql)
        }
        Op::AlterPrimaryKey {
            table,
            from,
            to: wanted,
        } => alter_primary_key(table, (from, wanted), (before, to), later, sql),
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
        Op::DropConstraint { table, constraint } => {
            sql.push(drop_constraint_sql(table, constraint.name()))
        }
        Op::SetTableComment {
            table, to: comment, ..
        } => sql.push(comment_on(
            &format!("TABLE {}", table_name(table, dialect)),
            comment.as_deref(),
        )),
    }
}

fn drop_constraint_sql(table: &TableRef, name: &str) -> String {
    format!(
        "ALTER TABLE {} DROP CONSTRAINT {}",
        table_name(table, Dialect::Postgres),
        quote_ident(name)
    )
}

/// In `rendered`, the drop of each unique key of `keys` (a table and a key's
/// name) made to work whether PostgreSQL holds a unique constraint or a unique
/// index by that name. A revision generated against MySQL, which reports both
/// alike, cannot know which of them an earlier revision created here; `ALTER
/// TABLE ... DROP CONSTRAINT` refuses an index and `DROP INDEX` a constraint's
/// index, so each is tried where it applies.
pub(crate) fn drop_unique_keys_of_either_form(
    rendered: &mut Rendered,
    keys: &[(TableRef, String)],
) {
    for (table, name) in keys {
        let drop = drop_constraint_sql(table, name);
        let Some(at) = rendered.statements.iter().position(|s| *s == drop) else {
            continue;
        };
        let either = [
            format!(
                "ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}",
                table_name(table, Dialect::Postgres),
                quote_ident(name)
            ),
            format!(
                "DROP INDEX IF EXISTS {}",
                qualified(table.schema.as_deref(), name, Dialect::Postgres)
            ),
        ];
        rendered.statements.splice(at..=at, either);
    }
}

/// `VALIDATE CONSTRAINT`: checks the rows a `NOT VALID` constraint skipped,
/// under a lock that lets reads and writes through (`SHARE UPDATE EXCLUSIVE`).
pub(crate) fn validate_constraint_sql(table: &TableRef, name: &str) -> String {
    format!(
        "ALTER TABLE {} VALIDATE CONSTRAINT {}",
        table_name(table, Dialect::Postgres),
        quote_ident(name)
    )
}

/// `ADD CONSTRAINT ... UNIQUE USING INDEX`: turns a unique index of the
/// constraint's name, built beforehand, into the constraint, without a scan.
/// The index carries the columns, `INCLUDE` and `NULLS NOT DISTINCT`; only the
/// deferral is the constraint's own.
pub(crate) fn unique_using_index_sql(table: &TableRef, unique: &UniqueConstraint) -> String {
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} UNIQUE USING INDEX {}{}",
        table_name(table, Dialect::Postgres),
        quote_ident(&unique.name),
        quote_ident(&unique.name),
        unique.deferral.sql()
    )
}

/// A new primary key. The old one is dropped by its name where the database
/// reported it, else by the name PostgreSQL gives a key it names itself; the
/// new one gets the name `to` gives it (a downgrade restores a named key).
/// `later` are the operations after this one.
fn alter_primary_key(
    table: &TableRef,
    (from, wanted): (&[String], &[String]),
    (before, to): (&Schema, &Schema),
    later: &[Op],
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
    // nullability the target schema gives it, here unless a later change to
    // the column does it: that one first takes away what PostgreSQL keeps
    // NOT NULL, an identity.
    let target = to.table(&key);
    let made_nullable_later = |column: &str| {
        later.iter().any(|op| {
            matches!(op, Op::AlterColumn { table: t, from, to }
                if t == table && to.name == column && to.nullable && !from.nullable)
        })
    };
    for column in from.iter().filter(|c| !wanted.contains(c)) {
        if target
            .and_then(|t| t.column(column))
            .is_some_and(|c| c.nullable)
            && !made_nullable_later(column)
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
    let type_changes = type_key(&from.ty, &[], dialect) != type_key(&to.ty, &schema.enums, dialect);
    let retype = type_changes || from.collation != to.collation;
    let default_changes = from.default.as_deref().and_then(normalize_default)
        != to.default.as_deref().and_then(normalize_default);
    // A new stored expression is a new column (autogenerate's compare), so only
    // the kind of source matters here.
    let kind = |g: &Option<Generation>| g.as_ref().map(std::mem::discriminant);
    let source_changes = kind(&from.generated) != kind(&to.generated);
    // What generated the values goes first: a sequence's default, an identity
    // or an expression stands in the way of a new type or default.
    if source_changes {
        match &from.generated {
            Some(Generation::Serial(sequence)) => {
                sql.push(format!("{prefix} DROP DEFAULT"));
                let name = sequence_name(table, &from.name, sequence);
                sql.push(format!(
                    "DROP SEQUENCE {}",
                    qualified(table.schema.as_deref(), &name, dialect)
                ));
            }
            Some(Generation::Identity { .. }) => sql.push(format!("{prefix} DROP IDENTITY")),
            Some(Generation::Stored(_) | Generation::Virtual(_)) => {
                sql.push(format!("{prefix} DROP EXPRESSION"))
            }
            None => {}
        }
    }
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
        // Without COLLATE a new type takes its own default collation, and a
        // type that has none (numbers, dates) refuses the clause, even "default".
        let collate = match &to.collation {
            Some(collation) => format!(" COLLATE {}", collation_sql(collation)),
            None if from.collation.is_some() && !type_changes => " COLLATE \"default\"".to_string(),
            None => String::new(),
        };
        sql.push(format!(
            "{prefix} TYPE {ty}{collate} USING {column}{via}::{ty}"
        ));
    }
    if from.nullable != to.nullable {
        let action = if to.nullable { "DROP" } else { "SET" };
        sql.push(format!("{prefix} {action} NOT NULL"));
    }
    if let (true, Some(default)) = (retype || default_changes, &to.default) {
        sql.push(format!("{prefix} SET DEFAULT {default}"));
    }
    match (&from.generated, &to.generated) {
        (_, Some(Generation::Serial(sequence))) if source_changes => {
            sql.push(create_sequence_sql(table, to, sequence));
            let name = sequence_name(table, &to.name, sequence);
            sql.push(format!(
                "{prefix} SET DEFAULT {}",
                nextval_sql(table, &name)
            ));
            sql.push(owned_by_sql(table, to, sequence));
        }
        (_, Some(Generation::Identity { always, sequence })) if source_changes => {
            let mut options: Vec<String> = sequence
                .name
                .iter()
                .map(|n| format!("SEQUENCE NAME {}", quote_ident(n)))
                .collect();
            options.extend(sequence_options(sequence));
            let options = if options.is_empty() {
                String::new()
            } else {
                format!(" ({})", options.join(" "))
            };
            sql.push(format!(
                "{prefix} ADD GENERATED {} AS IDENTITY{options}",
                generated_when(*always)
            ));
        }
        (Some(Generation::Serial(old)), Some(Generation::Serial(new)))
            if old != new || type_changes =>
        {
            let name = rename_sequence(table, &from.name, old, new, sql);
            // A new type for the column is none for its sequence, which would
            // keep the old one's limits (an identity's follows by itself).
            let mut options: Vec<String> = sequence_type(&to.ty)
                .filter(|_| type_changes)
                .map(|ty| format!("AS {ty}"))
                .into_iter()
                .collect();
            if old != new {
                options.extend(reset_options(new, &to.ty));
            }
            if !options.is_empty() {
                sql.push(format!("ALTER SEQUENCE {name} {}", options.join(" ")));
            }
        }
        (
            Some(Generation::Identity { sequence: old, .. }),
            Some(Generation::Identity {
                always,
                sequence: new,
            }),
        ) => {
            if old != new {
                rename_sequence(table, &from.name, old, new, sql);
            }
            let mut steps = vec![format!("SET GENERATED {}", generated_when(*always))];
            steps.extend(
                reset_options(new, &to.ty)
                    .into_iter()
                    .map(|o| format!("SET {o}")),
            );
            sql.push(format!("{prefix} {}", steps.join(" ")));
        }
        _ => {}
    }
    if from.comment != to.comment {
        sql.push(column_comment(table, &to.name, to.comment.as_deref()));
    }
}

fn generated_when(always: bool) -> &'static str {
    if always {
        "ALWAYS"
    } else {
        "BY DEFAULT"
    }
}

/// Renames a column's sequence if its name changes; its (new) qualified name.
fn rename_sequence(
    table: &TableRef,
    column: &str,
    old: &Sequence,
    new: &Sequence,
    sql: &mut Vec<String>,
) -> String {
    let schema = table.schema.as_deref();
    let (old_name, new_name) = (
        sequence_name(table, column, old),
        sequence_name(table, column, new),
    );
    if old_name != new_name {
        sql.push(format!(
            "ALTER SEQUENCE {} RENAME TO {}",
            qualified(schema, &old_name, Dialect::Postgres),
            quote_ident(&new_name)
        ));
    }
    qualified(schema, &new_name, Dialect::Postgres)
}

/// Every option of `sequence`, defaults written out, so that an option going
/// back to its default is reset too (`ALTER SEQUENCE` changes only what it names).
fn reset_options(sequence: &Sequence, ty: &ColumnType) -> Vec<String> {
    let v = sequence.values(ty);
    vec![
        format!("INCREMENT BY {}", v.increment),
        format!("MINVALUE {}", v.min_value),
        format!("MAXVALUE {}", v.max_value),
        format!("START WITH {}", v.start),
        format!("CACHE {}", v.cache),
        if v.cycle { "CYCLE" } else { "NO CYCLE" }.to_string(),
    ]
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
