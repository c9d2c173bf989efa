//! Comparing a database's schema with the models': an ordered list of operations
//! that turns the first into the second (Alembic's `autogenerate.compare`).
//!
//! The order is one the database accepts: enum types first, then dropping what
//! stands in the way (constraints, indexes, tables, referencing first), creating
//! tables (referenced first), columns and primary keys, adding indexes and
//! constraints, and dropping unused enum types last. The downgrade is the same list reversed,
//! each operation reversed.
//!
//! One comparison can serve several dialects ([`compare_for`]): an operation is
//! listed when any of them needs it (enum types and comments for PostgreSQL, an
//! enum's values for SQLite's `CHECK`), and each dialect's renderer leaves out
//! what it cannot see. So every dialect's SQL comes from the same operations.

use std::collections::BTreeMap;

use super::normalize::{as_seen_by, column_differs, fk_action, generation_for};
use super::Filter;
use crate::dialect::{type_key, Dialect};
use crate::operations::{Constraint, EnumColumn, Op, TableRef};
use crate::schema::{Column, ColumnType, ForeignKey, Generation, Index, IndexKey, Schema, Table};
use crate::sql::normalize_default;

/// What autogenerate found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// The upgrade, in order; the downgrade is [`Diff::reversed`].
    pub ops: Vec<Op>,
    /// Notes for the author, such as a dropped and an added column that look like a
    /// rename.
    pub hints: Vec<String>,
}

impl Diff {
    /// No differences.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The downgrade: the operations reversed, in reverse order.
    pub fn reversed(&self) -> Vec<Op> {
        self.ops.iter().rev().map(Op::reverse).collect()
    }
}

/// The operations that turn `db` into `models` on `dialect`, for the tables
/// `filter` selects.
pub fn compare(db: &Schema, models: &Schema, dialect: Dialect, filter: &Filter) -> Diff {
    compare_for(db, models, &[dialect], filter)
}

/// The operations that turn `db` into `models` on every one of `dialects` (at
/// least one), for the tables `filter` selects: what any of them needs, for
/// each dialect's renderer to take what applies to it.
///
/// ```
/// use migrate_core::autogenerate::{compare_for, Filter};
/// use migrate_core::schema::{Column, ColumnType, Schema, Table};
/// use migrate_core::Dialect;
/// let table = |comment: &str| Schema {
///     tables: vec![Table {
///         name: "notes".into(),
///         columns: vec![Column { name: "id".into(), ty: ColumnType::BigInt, nullable: false, default: None, comment: None, generated: None, collation: None }],
///         comment: Some(comment.into()),
///         ..Table::default()
///     }],
///     enums: vec![],
/// };
/// let (before, after) = (table("Old."), table("New."));
/// // SQLite keeps no comments; PostgreSQL does.
/// assert!(compare_for(&before, &after, &[Dialect::Sqlite], &Filter::default()).is_empty());
/// let both = compare_for(&before, &after, &[Dialect::Sqlite, Dialect::Postgres], &Filter::default());
/// assert_eq!(both.ops[0].kind(), "set_table_comment");
/// ```
pub fn compare_for(db: &Schema, models: &Schema, dialects: &[Dialect], filter: &Filter) -> Diff {
    let (db, models) = (as_seen_by(db, dialects), as_seen_by(models, dialects));
    let (db, models) = (db.as_ref(), models.as_ref());
    let targets = Targets(dialects);
    let db_tables = selected(db, filter);
    let model_tables = selected(models, filter);
    let mut diff = Diff::default();
    let mut late: Vec<Op> = Vec::new();

    if targets.any(Dialect::has_enum_types) {
        compare_enums(
            (db, models),
            (&db_tables, &model_tables),
            filter,
            &mut diff.ops,
            &mut late,
        );
    }
    // The tables both sides have, each with the columns dropped and added back.
    let kept: Vec<(&Table, &Table, Vec<String>)> = model_tables
        .iter()
        .filter_map(|(key, model)| {
            let current = db_tables.get(key)?;
            Some((*current, *model, recreated_columns(current, model, targets)))
        })
        .collect();
    // Constraints and indexes that go or change, before columns move under them.
    for (current, model, rebuilt) in &kept {
        drop_table_items(current, model, Sight::of(targets), rebuilt, &mut diff.ops);
    }
    // Tables go before any key they reference changes under them.
    drop_tables(&db_tables, &model_tables, targets, &mut diff.ops);
    create_tables(
        &db_tables,
        models,
        &model_tables,
        targets,
        &mut diff.ops,
        &mut late,
    );
    for (current, model, rebuilt) in &kept {
        compare_columns((current, db), (model, models), rebuilt, targets, &mut diff);
    }
    for (current, model, rebuilt) in &kept {
        add_table_items(current, model, targets, rebuilt, &mut diff.ops);
    }
    diff.ops.append(&mut late);
    diff
}

type Tables<'a> = BTreeMap<String, &'a Table>;

/// The dialects a comparison serves.
#[derive(Clone, Copy)]
struct Targets<'d>(&'d [Dialect]);

impl Targets<'_> {
    /// Whether any of them has the capability.
    fn any(self, capability: fn(Dialect) -> bool) -> bool {
        self.0.iter().any(|&d| capability(d))
    }
}

fn selected<'a>(schema: &'a Schema, filter: &Filter) -> Tables<'a> {
    schema
        .tables
        .iter()
        .filter(|t| filter.selects(t))
        .map(|t| (t.qualified_name(), t))
        .collect()
}

fn compare_enums(
    (db, models): (&Schema, &Schema),
    (db_tables, model_tables): (&Tables<'_>, &Tables<'_>),
    filter: &Filter,
    ops: &mut Vec<Op>,
    late: &mut Vec<Op>,
) {
    // With a table filter, only the types the selected tables use are compared.
    let narrowed = !filter.include.is_empty() || !filter.exclude.is_empty();
    let in_scope = |name: &str| {
        !narrowed
            || db_tables.values().any(|t| uses_enum(t, name))
            || model_tables.values().any(|t| uses_enum(t, name))
    };
    for wanted in models.enums.iter().filter(|e| in_scope(&e.name)) {
        match db.enum_type(&wanted.name) {
            None => ops.push(Op::CreateEnum(wanted.clone())),
            Some(current) if current.variants != wanted.variants => {
                // Every column of the type is converted when it is recreated,
                // selected or not, or the old type could not be dropped.
                let columns = db
                    .tables
                    .iter()
                    .flat_map(|t| {
                        t.columns
                            .iter()
                            .filter(|c| is_enum(c, &wanted.name))
                            .map(|c| EnumColumn {
                                table: TableRef::of(t),
                                column: c.name.clone(),
                                default: c.default.clone(),
                            })
                    })
                    .collect();
                ops.push(Op::AlterEnum {
                    from: current.clone(),
                    to: wanted.clone(),
                    columns,
                });
            }
            Some(_) => {}
        }
    }
    // An enum type goes when no model uses it and no table left behind does.
    let used_outside = |name: &str| {
        db.tables.iter().any(|t| {
            !model_tables.contains_key(&t.qualified_name())
                && !db_tables.contains_key(&t.qualified_name())
                && uses_enum(t, name)
        })
    };
    for current in db.enums.iter().filter(|e| in_scope(&e.name)) {
        if models.enum_type(&current.name).is_none() && !used_outside(&current.name) {
            late.push(Op::DropEnum(current.clone()));
        }
    }
}

fn is_enum(column: &Column, name: &str) -> bool {
    matches!(&column.ty, ColumnType::Enum(n) if n == name)
}

fn uses_enum(table: &Table, name: &str) -> bool {
    table.columns.iter().any(|c| is_enum(c, name))
}

/// What a comparison can see: PostgreSQL's index and constraint options only
/// when PostgreSQL is a target, as SQLite keeps none of them.
#[derive(Clone, Copy)]
struct Sight {
    postgres: bool,
}

impl Sight {
    fn of(targets: Targets<'_>) -> Sight {
        Sight {
            postgres: targets.0.contains(&Dialect::Postgres),
        }
    }
}

fn same_fk(a: &ForeignKey, b: &ForeignKey, sight: Sight) -> bool {
    a.columns == b.columns
        && a.ref_schema == b.ref_schema
        && a.ref_table == b.ref_table
        && a.ref_columns == b.ref_columns
        && fk_action(a.on_delete) == fk_action(b.on_delete)
        && fk_action(a.on_update) == fk_action(b.on_update)
        && (!sight.postgres
            || (a.match_full == b.match_full
                && a.deferral == b.deferral
                && a.not_valid == b.not_valid))
}

/// Foreign keys and unique constraints are matched by what they do (databases may
/// name them differently); check and exclusion constraints and indexes by name.
fn constraints(table: &Table, sight: Sight) -> Vec<Constraint> {
    let mut out: Vec<Constraint> = Vec::new();
    out.extend(table.uniques.iter().cloned().map(Constraint::Unique));
    out.extend(
        table
            .foreign_keys
            .iter()
            .cloned()
            .map(Constraint::ForeignKey),
    );
    out.extend(table.checks.iter().cloned().map(Constraint::Check));
    if sight.postgres {
        out.extend(table.exclusions.iter().cloned().map(Constraint::Exclusion));
    }
    out
}

/// Each of `these` with whether one of `those` is it, each of `those` standing
/// for one only (a same-named one first): two unique keys on the same columns
/// are two keys, and one of them does not make up for the other.
fn unmatched(
    these: Vec<Constraint>,
    those: &[Constraint],
    sight: Sight,
) -> Vec<(Constraint, bool)> {
    let mut taken = vec![false; those.len()];
    let mut matched = vec![false; these.len()];
    for by_name in [true, false] {
        for (i, this) in these.iter().enumerate() {
            if matched[i] {
                continue;
            }
            let found = those.iter().enumerate().position(|(j, that)| {
                !taken[j]
                    && (!by_name || that.name() == this.name())
                    && same_constraint(this, that, sight)
            });
            if let Some(j) = found {
                taken[j] = true;
                matched[i] = true;
            }
        }
    }
    these.into_iter().zip(matched).collect()
}

fn same_constraint(a: &Constraint, b: &Constraint, sight: Sight) -> bool {
    match (a, b) {
        (Constraint::Unique(a), Constraint::Unique(b)) => {
            a.columns == b.columns
                && (!sight.postgres
                    || (a.deferral == b.deferral
                        && a.nulls_not_distinct == b.nulls_not_distinct
                        && a.include == b.include))
        }
        (Constraint::ForeignKey(a), Constraint::ForeignKey(b)) => same_fk(a, b, sight),
        (Constraint::Check(a), Constraint::Check(b)) => {
            a.name == b.name && (!sight.postgres || a.not_valid == b.not_valid)
        }
        (Constraint::Exclusion(a), Constraint::Exclusion(b)) => {
            a.name == b.name && a.definition == b.definition && a.deferral == b.deferral
        }
        _ => false,
    }
}

fn same_index(a: &Index, b: &Index, sight: Sight) -> bool {
    a.name == b.name && a.unique == b.unique && index_shape(a, sight) == index_shape(b, sight)
}

/// An index as a comparison sees it: the predicate in canonical spelling, the
/// default method and ordering spelled out, and on SQLite alone the keys'
/// texts and the predicate.
fn index_shape(index: &Index, sight: Sight) -> Index {
    let mut shape = index.clone();
    shape.predicate = index.predicate.as_deref().and_then(normalize_default);
    shape.method = Some(index.method_or_default().to_string());
    for key in &mut shape.columns {
        key.nulls_first = Some(key.nulls_sort_first());
    }
    if !sight.postgres {
        shape.method = None;
        shape.include.clear();
        shape.nulls_not_distinct = false;
        for key in &mut shape.columns {
            *key = IndexKey {
                sql: key.sql.clone(),
                expression: key.expression,
                ..IndexKey::default()
            };
        }
    }
    shape
}

/// The columns of `current` that the comparison drops and adds back as `model`
/// has them ([`recreated`]).
fn recreated_columns(current: &Table, model: &Table, targets: Targets<'_>) -> Vec<String> {
    model
        .columns
        .iter()
        .filter(|wanted| {
            current
                .column(&wanted.name)
                .is_some_and(|existing| targets.0.iter().any(|&d| recreated(existing, wanted, d)))
        })
        .map(|c| c.name.clone())
        .collect()
}

/// Whether `index` has a key over one of `columns`: the database drops it with
/// the column, so a column dropped and added back needs it dropped before and
/// added after, in the comparison's order.
fn index_on(columns: &[String], index: &Index) -> bool {
    index.include.iter().any(|c| columns.contains(c))
        || index.columns.iter().any(|k| {
            if k.expression {
                mentions(&k.sql, columns)
            } else {
                columns.contains(&k.sql)
            }
        })
}

/// Whether the expression `sql` names one of `columns` as a word. A string
/// literal holding the name counts too: dropping and re-adding a constraint
/// that did not need it costs a validation, missing one loses it.
fn mentions(sql: &str, columns: &[String]) -> bool {
    sql.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|word| columns.iter().any(|c| c == word))
}

/// Whether `constraint` is over one of `columns`, as [`index_on`]: a unique or
/// foreign key by its columns, a check or an exclusion by its expression.
fn constraint_on(columns: &[String], constraint: &Constraint) -> bool {
    match constraint {
        Constraint::Unique(u) => u.columns.iter().any(|c| columns.contains(c)),
        Constraint::ForeignKey(fk) => fk.columns.iter().any(|c| columns.contains(c)),
        Constraint::Check(check) => mentions(&check.expr, columns),
        Constraint::Exclusion(exclusion) => mentions(&exclusion.definition, columns),
    }
}

fn drop_table_items(
    current: &Table,
    model: &Table,
    sight: Sight,
    rebuilt: &[String],
    ops: &mut Vec<Op>,
) {
    let table = TableRef::of(current);
    let wanted = constraints(model, sight);
    // Foreign keys first: a unique constraint may be what one of them references.
    let mut gone: Vec<Constraint> = unmatched(constraints(current, sight), &wanted, sight)
        .into_iter()
        .filter(|(c, matched)| !matched || constraint_on(rebuilt, c))
        .map(|(c, _)| c)
        .collect();
    gone.sort_by_key(|c| !matches!(c, Constraint::ForeignKey(_)));
    ops.extend(gone.into_iter().map(|constraint| Op::DropConstraint {
        table: table.clone(),
        constraint,
    }));
    for index in &current.indexes {
        if !model.indexes.iter().any(|w| same_index(index, w, sight)) || index_on(rebuilt, index) {
            ops.push(Op::DropIndex {
                table: table.clone(),
                index: index.clone(),
            });
        }
    }
}

fn add_table_items(
    current: &Table,
    model: &Table,
    targets: Targets<'_>,
    rebuilt: &[String],
    ops: &mut Vec<Op>,
) {
    let table = TableRef::of(model);
    let sight = Sight::of(targets);
    for index in &model.indexes {
        if !current.indexes.iter().any(|c| same_index(index, c, sight)) || index_on(rebuilt, index)
        {
            ops.push(Op::CreateIndex {
                table: table.clone(),
                index: index.clone(),
            });
        }
    }
    let existing = constraints(current, sight);
    let mut new: Vec<Constraint> = unmatched(constraints(model, sight), &existing, sight)
        .into_iter()
        .filter(|(w, matched)| !matched || constraint_on(rebuilt, w))
        .map(|(w, _)| w)
        .collect();
    // Unique constraints first: a new foreign key may reference one.
    new.sort_by_key(|c| matches!(c, Constraint::ForeignKey(_)));
    ops.extend(new.into_iter().map(|constraint| Op::AddConstraint {
        table: table.clone(),
        constraint,
    }));
    if targets.any(Dialect::has_comments) && current.comment != model.comment {
        ops.push(Op::SetTableComment {
            table,
            from: current.comment.clone(),
            to: model.comment.clone(),
        });
    }
}

fn create_tables(
    db_tables: &Tables<'_>,
    models: &Schema,
    model_tables: &Tables<'_>,
    targets: Targets<'_>,
    ops: &mut Vec<Op>,
    late: &mut Vec<Op>,
) {
    let mut exists: Vec<String> = db_tables.keys().cloned().collect();
    // The models' order puts referenced tables first.
    for model in models
        .tables
        .iter()
        .filter(|t| model_tables.contains_key(&t.qualified_name()))
    {
        let key = model.qualified_name();
        if db_tables.contains_key(&key) {
            continue;
        }
        let mut table = model.clone();
        if targets.any(Dialect::can_add_constraints) {
            // A key to a table created later (a cycle) is added once both exist.
            let (now, later): (Vec<ForeignKey>, Vec<ForeignKey>) =
                table.foreign_keys.into_iter().partition(|fk| {
                    let target = TableRef {
                        schema: fk.ref_schema.clone(),
                        name: fk.ref_table.clone(),
                    }
                    .to_string();
                    target == key || exists.contains(&target)
                });
            table.foreign_keys = now;
            late.extend(later.into_iter().map(|fk| Op::AddConstraint {
                table: TableRef::of(model),
                constraint: Constraint::ForeignKey(fk),
            }));
        }
        exists.push(key);
        ops.push(Op::CreateTable(table));
    }
}

fn compare_columns(
    (current, db): (&Table, &Schema),
    (model, models): (&Table, &Schema),
    rebuilt: &[String],
    targets: Targets<'_>,
    diff: &mut Diff,
) {
    let table = TableRef::of(model);
    let mut added = Vec::new();
    for column in &model.columns {
        match current.column(&column.name) {
            None => added.push(column),
            Some(existing) => {
                let primary_key = model.primary_key.contains(&column.name);
                let differs = |dialect| {
                    column_differs(
                        existing,
                        &db.enums,
                        column,
                        &models.enums,
                        primary_key,
                        dialect,
                    )
                };
                if rebuilt.contains(&column.name) {
                    // The column's values are derived, so nothing is lost.
                    diff.ops.push(Op::DropColumn {
                        table: table.clone(),
                        column: existing.clone(),
                    });
                    diff.ops.push(Op::AddColumn {
                        table: table.clone(),
                        column: column.clone(),
                    });
                } else if targets.0.iter().any(|&d| differs(d)) {
                    // A key column is NOT NULL whatever the model says, each
                    // side counting its own key: a column joining the key is
                    // still nullable here, and this step makes it NOT NULL
                    // (PostgreSQL adds an identity to no other column); one in
                    // both keys keeps NOT NULL (PostgreSQL drops it from no key
                    // column).
                    let key_aware = |c: &Column, key: &[String]| Column {
                        nullable: c.nullable && !key.contains(&c.name),
                        ..c.clone()
                    };
                    diff.ops.push(Op::AlterColumn {
                        table: table.clone(),
                        from: key_aware(existing, &current.primary_key),
                        to: key_aware(column, &model.primary_key),
                    });
                }
            }
        }
    }
    let dropped: Vec<_> = current
        .columns
        .iter()
        .filter(|c| model.column(&c.name).is_none())
        .collect();
    for column in &added {
        if !column.nullable && column.default.is_none() && column.generated.is_none() {
            diff.hints.push(format!(
                "{table}.{} is NOT NULL without a default: the upgrade fails if {table} has rows; \
                 give the column a default, or add it nullable, backfill, then set NOT NULL",
                column.name
            ));
        }
        diff.ops.push(Op::AddColumn {
            table: table.clone(),
            column: (*column).clone(),
        });
    }
    for column in &dropped {
        diff.ops.push(Op::DropColumn {
            table: table.clone(),
            column: (*column).clone(),
        });
    }
    let same_type = |old: &Column, new: &Column| {
        targets
            .0
            .iter()
            .all(|&d| type_key(&old.ty, &db.enums, d) == type_key(&new.ty, &models.enums, d))
    };
    for old in &dropped {
        if let Some(new) = added.iter().find(|new| same_type(old, new)) {
            diff.hints.push(format!(
                "{table}.{} is dropped and {table}.{} added with the same type: if this is a rename, \
                 replace both with ALTER TABLE {table} RENAME COLUMN {} TO {} to keep the data",
                old.name, new.name, old.name, new.name
            ));
        }
    }
    if current.primary_key != model.primary_key {
        diff.ops.push(Op::AlterPrimaryKey {
            table,
            from: current.primary_key.clone(),
            to: model.primary_key.clone(),
        });
    }
}

/// Whether `dialect` changes the column from `db` to `model` by dropping and
/// adding it. PostgreSQL, when its stored generation expression comes, goes or
/// changes: `ALTER COLUMN` cannot give a column one; it can take one away
/// (`DROP EXPRESSION`), but the downgrade could not give it back. MySQL, when a
/// virtual column comes, goes or changes: `MODIFY COLUMN` changes a stored
/// expression (MariaDB too), but refuses ("not yet supported for generated
/// columns") to turn a virtual column into anything else.
fn recreated(db: &Column, model: &Column, dialect: Dialect) -> bool {
    match dialect {
        Dialect::Postgres => {
            let stored = |c: &Column| match generation_for(c, dialect) {
                Some(Generation::Stored(expr)) => Some(expr),
                _ => None,
            };
            stored(model) != stored(db)
        }
        Dialect::Mysql => {
            let virtual_ = |g: &Option<Generation>| matches!(g, Some(Generation::Virtual(_)));
            let (before, after) = (generation_for(db, dialect), generation_for(model, dialect));
            before != after && (virtual_(&before) || virtual_(&after))
        }
        Dialect::Sqlite => false,
    }
}

/// Tables the models no longer have, each dropped before the tables it references.
/// On a cycle of references, the keys into the table dropped first are dropped
/// before it (and added back after it in the downgrade) where the database checks
/// them.
fn drop_tables(
    db_tables: &Tables<'_>,
    model_tables: &Tables<'_>,
    targets: Targets<'_>,
    ops: &mut Vec<Op>,
) {
    let mut left: Vec<Table> = db_tables
        .iter()
        .filter(|(key, _)| !model_tables.contains_key(*key))
        .map(|(_, t)| (*t).clone())
        .collect();
    let points_to =
        |fk: &ForeignKey, t: &Table| fk.ref_table == t.name && fk.ref_schema == t.schema;
    while !left.is_empty() {
        let referenced = |t: &Table| {
            left.iter().any(|other| {
                other.qualified_name() != t.qualified_name()
                    && other.foreign_keys.iter().any(|fk| points_to(fk, t))
            })
        };
        let next = match left.iter().position(|t| !referenced(t)) {
            Some(next) => next,
            // SQLite checks no references while a migration runs.
            None if !targets.any(Dialect::can_add_constraints) => 0,
            None => {
                // A cycle: take the first by name, and first the keys into it.
                let target = left[0].clone();
                for other in left.iter_mut().skip(1) {
                    let (into, keep): (Vec<ForeignKey>, Vec<ForeignKey>) = other
                        .foreign_keys
                        .drain(..)
                        .partition(|fk| points_to(fk, &target));
                    other.foreign_keys = keep;
                    ops.extend(into.into_iter().map(|fk| Op::DropConstraint {
                        table: TableRef::of(other),
                        constraint: Constraint::ForeignKey(fk),
                    }));
                }
                0
            }
        };
        ops.push(Op::DropTable(left.remove(next)));
    }
}
