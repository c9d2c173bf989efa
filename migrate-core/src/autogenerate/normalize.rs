//! What counts as "the same" when a model meets a database: types compared as
//! the dialect stores them ([`type_key`]: `int4` = `integer` = `i32`), defaults
//! in canonical spelling ([`normalize_default`]: casts and redundant parentheses
//! stripped, alembic#1454), and each dialect's blind spots (SQLite has no enum
//! types or comments; MySQL has no partial indexes, cannot tell a unique index
//! from a unique constraint, and means the same by `RESTRICT` and `NO ACTION`)
//! taken out of both sides.

use std::borrow::Cow;

use crate::dialect::{type_key, Dialect};
use crate::schema::{
    Column, ColumnType, Deferral, EnumType, FkAction, Generation, Schema, Table, UniqueConstraint,
};
use crate::sql::expr::normalize_mysql_expression;
use crate::sql::normalize_default;

/// A column as the dialect can see it: its type as stored, a primary-key column
/// NOT NULL whatever the model says, its default in canonical spelling, and no
/// comment where the dialect keeps none. Two columns are the same when these are.
fn normalize_column(
    column: &Column,
    enums: &[EnumType],
    primary_key: bool,
    dialect: Dialect,
) -> Column {
    let generated = generation_for(column, dialect);
    // MariaDB has no NOT NULL for a generated column, and reports it nullable.
    let computed = matches!(
        generated,
        Some(Generation::Stored(_) | Generation::Virtual(_))
    );
    Column {
        name: column.name.clone(),
        ty: ColumnType::Custom(type_key(&column.ty, enums, dialect)),
        nullable: (column.nullable || (computed && dialect == Dialect::Mysql)) && !primary_key,
        default: column
            .default
            .as_deref()
            .and_then(|d| default_for(d, &column.ty, dialect)),
        comment: column.comment.clone().filter(|_| dialect.has_comments()),
        generated,
        collation: column
            .collation
            .clone()
            .filter(|_| dialect.compares_generation()),
    }
}

/// What fills `column` as `dialect` compares it: a generated column's expression
/// in canonical spelling where the dialect reads them back (PostgreSQL, MySQL);
/// serial and identity columns on PostgreSQL alone (SQLite's introspection reads
/// none of these, MySQL's `AUTO_INCREMENT` follows its own rule).
pub(crate) fn generation_for(column: &Column, dialect: Dialect) -> Option<Generation> {
    let expression = |expr: &str| generation_expression(expr, dialect).unwrap_or_default();
    match column.generated.as_ref()? {
        _ if !dialect.compares_generated_columns() => None,
        Generation::Stored(expr) => Some(Generation::Stored(expression(expr))),
        Generation::Virtual(expr) => Some(Generation::Virtual(expression(expr))),
        other => Some(other.clone()).filter(|_| dialect.compares_generation()),
    }
}

/// A generated column's expression in `dialect`'s canonical spelling: MySQL
/// and MariaDB report `a + b` as `` `a` + `b` `` ([`normalize_mysql_expression`]).
pub(crate) fn generation_expression(expr: &str, dialect: Dialect) -> Option<String> {
    match dialect {
        Dialect::Mysql => normalize_mysql_expression(expr),
        _ => normalize_default(expr),
    }
}

/// A default in canonical spelling ([`normalize_default`]) and, on MySQL, with
/// the server's own spellings folded: `current_timestamp(6)`, `now()` and
/// `localtimestamp` are `current_timestamp`, and a boolean's `0`/`1` (how MySQL
/// reports `false`/`true` for its `TINYINT(1)`) are `false`/`true`.
pub(crate) fn default_for(default: &str, ty: &ColumnType, dialect: Dialect) -> Option<String> {
    let text = normalize_default(default)?;
    if dialect != Dialect::Mysql {
        return Some(text);
    }
    let function = text
        .split_once('(')
        .filter(|(_, rest)| rest.ends_with(')'))
        .map_or(text.as_str(), |(name, _)| name.trim());
    if matches!(
        function,
        "current_timestamp" | "now" | "localtimestamp" | "localtime"
    ) {
        return Some("current_timestamp".to_string());
    }
    match (ty, text.as_str()) {
        (ColumnType::Boolean, "0") => Some("false".to_string()),
        (ColumnType::Boolean, "1") => Some("true".to_string()),
        _ => Some(text),
    }
}

/// `schema` as every one of `dialects` sees it, where they all share a blind
/// spot (borrowed unchanged otherwise): without index conditions where none has
/// partial indexes; unique indexes on plain columns as unique constraints where
/// none tells them apart; `RESTRICT` as `NO ACTION` (none given) on MySQL,
/// where they are one action (InnoDB checks both at once).
pub(crate) fn as_seen_by<'s>(schema: &'s Schema, dialects: &[Dialect]) -> Cow<'s, Schema> {
    let none = |capability: fn(Dialect) -> bool| !dialects.iter().any(|&d| capability(d));
    let no_predicates = none(Dialect::has_partial_indexes);
    let unique_is_constraint = none(Dialect::distinguishes_unique_indexes);
    let restrict_is_no_action = dialects.iter().all(|&d| d == Dialect::Mysql);
    if !(no_predicates || unique_is_constraint || restrict_is_no_action) {
        return Cow::Borrowed(schema);
    }
    let mut schema = schema.clone();
    for table in &mut schema.tables {
        if no_predicates {
            for index in &mut table.indexes {
                index.predicate = None;
            }
        }
        if unique_is_constraint {
            let (unique, plain): (Vec<_>, Vec<_>) = table
                .indexes
                .drain(..)
                .partition(|i| i.unique && i.columns.iter().all(|k| !k.expression));
            table.indexes = plain;
            // Each is a key of its own there, even beside a unique constraint
            // on the same columns: the database reports both.
            for index in unique {
                table.uniques.push(UniqueConstraint {
                    columns: index.column_names(),
                    name: index.name,
                    ..UniqueConstraint::default()
                });
            }
        }
        if restrict_is_no_action {
            for fk in &mut table.foreign_keys {
                for action in [&mut fk.on_delete, &mut fk.on_update] {
                    if matches!(action, Some(FkAction::Restrict | FkAction::NoAction)) {
                        *action = None;
                    }
                }
            }
        }
    }
    Cow::Owned(schema)
}

/// Whether two columns differ in a way the dialect can see.
pub fn column_differs(
    db: &Column,
    db_enums: &[EnumType],
    model: &Column,
    model_enums: &[EnumType],
    primary_key: bool,
    dialect: Dialect,
) -> bool {
    normalize_column(db, db_enums, primary_key, dialect)
        != normalize_column(model, model_enums, primary_key, dialect)
}

/// A foreign-key action, with "none given" meaning `NO ACTION`.
pub fn fk_action(action: Option<FkAction>) -> FkAction {
    action.unwrap_or(FkAction::NoAction)
}

/// `schema` as `dialect` can represent it, in a canonical order: what a database
/// of that dialect, introspected, should equal. Used to compare whole schemas in
/// tests: `normalize_schema(introspected) == normalize_schema(models)`.
pub fn normalize_schema(schema: &Schema, dialect: Dialect) -> Schema {
    let schema = as_seen_by(schema, &[dialect]);
    let mut tables: Vec<Table> = schema
        .tables
        .iter()
        .map(|t| normalize_table(t, &schema.enums, dialect))
        .collect();
    tables.sort_by_key(Table::qualified_name);
    let enums = if dialect.has_enum_types() {
        let mut enums = schema.enums.clone();
        enums.sort_by(|a, b| a.name.cmp(&b.name));
        enums
    } else {
        Vec::new()
    };
    Schema { tables, enums }
}

fn normalize_table(table: &Table, enums: &[EnumType], dialect: Dialect) -> Table {
    let mut t = table.clone();
    t.columns = table
        .columns
        .iter()
        .map(|c| normalize_column(c, enums, table.primary_key.contains(&c.name), dialect))
        .collect();
    if !dialect.has_comments() {
        t.comment = None;
    }
    // Models leave the key's name to the database.
    t.primary_key_name = None;
    for fk in &mut t.foreign_keys {
        fk.on_delete = Some(fk_action(fk.on_delete));
        fk.on_update = Some(fk_action(fk.on_update));
    }
    // Check expressions are compared by name only: databases rewrite them.
    for check in &mut t.checks {
        check.expr.clear();
    }
    // Column order is not compared: a dropped column that a downgrade adds back
    // comes last, and neither database reorders columns.
    t.columns.sort_by(|a, b| a.name.cmp(&b.name));
    t.uniques.sort_by(|a, b| a.name.cmp(&b.name));
    t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
    t.checks.sort_by(|a, b| a.name.cmp(&b.name));
    let postgres = dialect == Dialect::Postgres;
    for index in &mut t.indexes {
        index.predicate = index.predicate.as_deref().and_then(normalize_default);
        if index.method.as_deref() == Some("btree") {
            index.method = None;
        }
        for key in &mut index.columns {
            key.nulls_first = Some(key.nulls_sort_first()).filter(|&first| first != key.descending);
        }
        if !postgres {
            index.method = None;
            index.include.clear();
            index.nulls_not_distinct = false;
            for key in &mut index.columns {
                key.opclass = None;
                key.nulls_first = None;
                key.collation = None;
                key.descending = false;
            }
        }
    }
    // SQLite keeps none of PostgreSQL's constraint options.
    if !postgres {
        t.exclusions.clear();
        for fk in &mut t.foreign_keys {
            fk.match_full = false;
            fk.deferral = Deferral::NotDeferrable;
            fk.not_valid = false;
        }
        for unique in &mut t.uniques {
            unique.deferral = Deferral::NotDeferrable;
            unique.nulls_not_distinct = false;
            unique.include.clear();
        }
        for check in &mut t.checks {
            check.not_valid = false;
        }
    }
    t.exclusions.sort_by(|a, b| a.name.cmp(&b.name));
    t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
    t
}
