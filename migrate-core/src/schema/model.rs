//! What `#[model]` registers, and [`metadata`], which assembles it.
//!
//! Each model submits a `'static` [`ModelTable`] (each enum a [`ModelEnum`])
//! through `inventory`, so the schema is every model linked into the binary, with
//! no import list to keep (Alembic's `Base.metadata`).
//!
//! # Linkage
//! Models in a library crate register in every binary that links that crate.
//! A dependency that nothing in the binary references is not linked at all
//! (inventory#7, #50), and then neither are its models. Any use of the crate links
//! it; a binary that needs only the models (a runner, a test) adds one line:
//!
//! ```ignore
//! use my_models as _; // links my_models, so its #[model]s are in metadata()
//! ```

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::index_keys::parse_keys;
use super::names::capped;
use super::{
    CheckConstraint, Column, ColumnType, Deferral, EnumType, ExclusionConstraint, FkAction,
    ForeignKey, Generation, Index, IndexKey, Schema, Sequence, Table, UniqueConstraint,
};
use crate::error::{Error, Result};

/// A `#[model]` struct's table, as registered.
#[derive(Debug)]
pub struct ModelTable {
    /// `module::Type`, for messages.
    pub rust_path: &'static str,
    /// `#[model(schema = "...")]`.
    pub schema: Option<&'static str>,
    /// The table name.
    pub name: &'static str,
    /// The struct's doc comment.
    pub comment: Option<&'static str>,
    /// Columns, in field order.
    pub columns: &'static [ModelColumn],
    /// Table-level `primary_key(a, b)`; empty when columns declare it.
    pub primary_key: &'static [&'static str],
    /// `index(name = .., columns(..), unique)`.
    pub indexes: &'static [ModelIndex],
    /// `unique(name = .., columns(..))`.
    pub uniques: &'static [ModelUnique],
    /// `check(name = .., expr = "..")`.
    pub checks: &'static [ModelCheck],
    /// `foreign_key(name = .., columns(..), references = "table(..)", ..)`.
    pub foreign_keys: &'static [ModelForeignKey],
    /// `exclude(name = .., using = "..")`.
    pub exclusions: &'static [ModelExclusion],
}

/// One column of a [`ModelTable`].
#[derive(Debug)]
pub struct ModelColumn {
    /// The column name.
    pub name: &'static str,
    /// The Rust field, for messages.
    pub field: &'static str,
    /// From the field's [`SqlType`](super::SqlType) (or `sql_type`/`max_length`).
    pub column_type: fn() -> ColumnType,
    /// `Option<T>`.
    pub nullable: bool,
    /// `primary_key`.
    pub primary_key: bool,
    /// `unique`.
    pub unique: bool,
    /// `index`.
    pub index: bool,
    /// `default = "..."`.
    pub default: Option<&'static str>,
    /// `references = "table.column"`.
    pub references: Option<&'static str>,
    /// `on_delete`.
    pub on_delete: Option<&'static str>,
    /// `on_update`.
    pub on_update: Option<&'static str>,
    /// `check = "..."`.
    pub check: Option<&'static str>,
    /// The field's doc comment.
    pub comment: Option<&'static str>,
    /// `serial`, `identity = "..."` or `generated = "..."`.
    pub generated: Option<ModelGenerated>,
    /// `collation = "..."`.
    pub collation: Option<&'static str>,
}

/// How a [`ModelColumn`] fills itself: [`Generation`], as `#[model]` writes it.
#[derive(Debug)]
pub enum ModelGenerated {
    /// `serial`, with `sequence(...)`.
    Serial(ModelSequence),
    /// `identity = "always"` or `identity = "by default"`, with `sequence(...)`.
    Identity {
        /// `"always"`.
        always: bool,
        /// `sequence(...)`.
        sequence: ModelSequence,
    },
    /// `generated = "expr"`: `GENERATED ALWAYS AS (expr) STORED`.
    Stored(&'static str),
}

/// `sequence(name = "...", start = 1, increment = 1, min_value = 1,
/// max_value = 100, cache = 1, cycle)`: a [`Sequence`].
#[derive(Debug, Default)]
pub struct ModelSequence {
    /// `name = "..."`.
    pub name: Option<&'static str>,
    /// `start = n`.
    pub start: Option<i64>,
    /// `increment = n`.
    pub increment: Option<i64>,
    /// `min_value = n`.
    pub min_value: Option<i64>,
    /// `max_value = n`.
    pub max_value: Option<i64>,
    /// `cache = n`.
    pub cache: Option<i64>,
    /// `cycle`.
    pub cycle: bool,
}

impl ModelSequence {
    fn sequence(&self) -> Sequence {
        Sequence {
            name: self.name.map(str::to_string),
            start: self.start,
            increment: self.increment,
            min_value: self.min_value,
            max_value: self.max_value,
            cache: self.cache,
            cycle: self.cycle,
        }
    }
}

impl ModelGenerated {
    fn generated(&self) -> Generation {
        match self {
            ModelGenerated::Serial(s) => Generation::Serial(s.sequence()),
            ModelGenerated::Identity { always, sequence } => Generation::Identity {
                always: *always,
                sequence: sequence.sequence(),
            },
            ModelGenerated::Stored(expr) => Generation::Stored(expr.to_string()),
        }
    }
}

/// A table-level index.
#[derive(Debug)]
pub struct ModelIndex {
    /// Index name; generated when `None`.
    pub name: Option<&'static str>,
    /// Columns.
    pub columns: &'static [&'static str],
    /// Unique index.
    pub unique: bool,
    /// `keys = "..."`: the keys as SQL (expressions, operator classes,
    /// ordering), in place of `columns`.
    pub keys: Option<&'static str>,
    /// `method = "gin"`.
    pub method: Option<&'static str>,
    /// `include(a, b)`.
    pub include: &'static [&'static str],
    /// `nulls_not_distinct`.
    pub nulls_not_distinct: bool,
    /// `where = "..."`: a partial index's condition.
    pub predicate: Option<&'static str>,
}

/// A table-level unique constraint.
#[derive(Debug)]
pub struct ModelUnique {
    /// Constraint name; generated when `None`.
    pub name: Option<&'static str>,
    /// Columns.
    pub columns: &'static [&'static str],
    /// `include(a, b)`: the constraint index's `INCLUDE` columns (PostgreSQL).
    pub include: &'static [&'static str],
    /// `nulls_not_distinct` (PostgreSQL 15+).
    pub nulls_not_distinct: bool,
    /// `deferrable`.
    pub deferrable: bool,
    /// `initially_deferred` (with `deferrable`).
    pub initially_deferred: bool,
}

/// A table-level check constraint.
#[derive(Debug)]
pub struct ModelCheck {
    /// Constraint name; generated when `None`.
    pub name: Option<&'static str>,
    /// The expression.
    pub expr: &'static str,
    /// `not_valid`: `NOT VALID` (PostgreSQL), existing rows not checked.
    pub not_valid: bool,
}

/// A table-level foreign key: [`ForeignKey`], as `#[model]` writes it.
#[derive(Debug)]
pub struct ModelForeignKey {
    /// Constraint name; generated when `None`.
    pub name: Option<&'static str>,
    /// Local columns.
    pub columns: &'static [&'static str],
    /// `"table(a, b)"` or `"schema.table(a, b)"`.
    pub references: &'static str,
    /// `on_delete`.
    pub on_delete: Option<&'static str>,
    /// `on_update`.
    pub on_update: Option<&'static str>,
    /// `match_full`.
    pub match_full: bool,
    /// `deferrable`.
    pub deferrable: bool,
    /// `initially_deferred` (with `deferrable`).
    pub initially_deferred: bool,
    /// `not_valid`.
    pub not_valid: bool,
}

/// A table-level exclusion constraint (PostgreSQL): [`ExclusionConstraint`].
#[derive(Debug)]
pub struct ModelExclusion {
    /// Constraint name.
    pub name: &'static str,
    /// What follows `EXCLUDE USING`: `gist (a WITH =, b WITH &&)`, with any
    /// `WHERE (...)`.
    pub using: &'static str,
    /// `deferrable`.
    pub deferrable: bool,
    /// `initially_deferred` (with `deferrable`).
    pub initially_deferred: bool,
}

/// A `#[model]` enum, as registered.
#[derive(Debug)]
pub struct ModelEnum {
    /// `module::Type`, for messages.
    pub rust_path: &'static str,
    /// The SQL type name.
    pub name: &'static str,
    /// The values.
    pub variants: &'static [&'static str],
}

inventory::collect!(ModelTable);
inventory::collect!(ModelEnum);

/// Every `#[model]` linked into the binary, as one [`Schema`]: tables sorted so each
/// comes after the tables it references (ties by name), enums by name, foreign
/// keys resolved. Inventory's order is unspecified, so everything is sorted.
///
/// Two models claiming one table, a foreign key to a table or column that does not
/// exist, and two enums with one name are errors naming both sides.
///
/// The models linked into a binary cannot change while it runs, so the schema is
/// assembled on the first call and later calls return the same value.
///
/// ```
/// let schema = migrate_core::metadata().unwrap();
/// assert!(std::ptr::eq(schema, migrate_core::metadata().unwrap()));
/// ```
pub fn metadata() -> Result<&'static Schema> {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    if let Some(schema) = SCHEMA.get() {
        return Ok(schema);
    }
    // An error is not cached: it is rebuilt (and reported) on every call.
    let schema = assemble(inventory::iter::<ModelTable>, inventory::iter::<ModelEnum>)?;
    Ok(SCHEMA.get_or_init(|| schema))
}

/// [`metadata`] over an explicit list of models (tests, tools).
pub fn assemble<'a>(
    tables: impl IntoIterator<Item = &'a ModelTable>,
    enums: impl IntoIterator<Item = &'a ModelEnum>,
) -> Result<Schema> {
    let mut problems = Vec::new();
    let mut by_name: BTreeMap<Cow<'static, str>, &ModelTable> = BTreeMap::new();
    for model in tables {
        let key = qualified(model.schema, model.name);
        if let Some(first) = by_name.get(&key) {
            problems.push(Error::DuplicateModelTable {
                table: key.into_owned(),
                first: first.rust_path.to_string(),
                second: model.rust_path.to_string(),
            });
            continue;
        }
        by_name.insert(key, model);
    }
    let mut enum_map: BTreeMap<&str, &ModelEnum> = BTreeMap::new();
    for e in enums {
        if let Some(first) = enum_map.get(e.name) {
            problems.push(Error::DuplicateModelTable {
                table: format!("enum type {}", e.name),
                first: first.rust_path.to_string(),
                second: e.rust_path.to_string(),
            });
            continue;
        }
        enum_map.insert(e.name, e);
    }
    let mut tables: Vec<Table> = Vec::with_capacity(by_name.len());
    for model in by_name.values() {
        let mut table = table_of(model);
        table.foreign_keys = foreign_keys(model, &by_name, &mut problems);
        tables.push(table);
    }
    if let Some(e) = Error::from_problems(problems) {
        return Err(e);
    }
    Ok(Schema {
        tables: creation_order(tables),
        enums: enum_map
            .values()
            .map(|e| EnumType {
                name: e.name.to_string(),
                variants: e.variants.iter().map(|v| v.to_string()).collect(),
            })
            .collect(),
    })
}

/// `schema.name`, or `name` itself (borrowed: assembling 1,000 tables is
/// allocation-bound).
fn qualified<'a>(schema: Option<&str>, name: &'a str) -> Cow<'a, str> {
    match schema {
        Some(schema) => Cow::Owned(format!("{schema}.{name}")),
        None => Cow::Borrowed(name),
    }
}

fn table_of(model: &ModelTable) -> Table {
    let name = model.name;
    let columns = model
        .columns
        .iter()
        .map(|c| Column {
            name: c.name.to_string(),
            ty: (c.column_type)(),
            nullable: c.nullable,
            default: c.default.map(str::to_string),
            comment: c.comment.map(str::to_string),
            generated: c.generated.as_ref().map(ModelGenerated::generated),
            collation: c.collation.map(str::to_string),
        })
        .collect();
    let primary_key = if model.primary_key.is_empty() {
        model
            .columns
            .iter()
            .filter(|c| c.primary_key)
            .map(|c| c.name.to_string())
            .collect()
    } else {
        model.primary_key.iter().map(|c| c.to_string()).collect()
    };
    let strings = |cols: &[&str]| cols.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let mut uniques: Vec<UniqueConstraint> = model
        .columns
        .iter()
        .filter(|c| c.unique)
        .map(|c| UniqueConstraint {
            name: capped(format!("uq_{name}_{}", c.name)),
            columns: vec![c.name.to_string()],
            ..UniqueConstraint::default()
        })
        .collect();
    uniques.extend(model.uniques.iter().map(|u| UniqueConstraint {
        name: u.name.map_or_else(
            || capped(format!("uq_{name}_{}", u.columns.join("_"))),
            str::to_string,
        ),
        columns: strings(u.columns),
        deferral: Deferral::from_flags(u.deferrable, u.initially_deferred),
        nulls_not_distinct: u.nulls_not_distinct,
        include: strings(u.include),
    }));
    let mut indexes: Vec<Index> = model
        .columns
        .iter()
        .filter(|c| c.index)
        .map(|c| Index::on(&capped(format!("ix_{name}_{}", c.name)), &[c.name]))
        .collect();
    indexes.extend(model.indexes.iter().map(|i| Index {
        name: i.name.map_or_else(
            || capped(format!("ix_{name}_{}", i.columns.join("_"))),
            str::to_string,
        ),
        columns: match i.keys {
            Some(keys) => parse_keys(keys),
            None => i.columns.iter().map(|c| IndexKey::column(c)).collect(),
        },
        unique: i.unique,
        predicate: i.predicate.map(str::to_string),
        method: i.method.map(str::to_string),
        include: strings(i.include),
        nulls_not_distinct: i.nulls_not_distinct,
    }));
    let mut checks: Vec<CheckConstraint> = model
        .columns
        .iter()
        .filter_map(|c| {
            c.check.map(|expr| CheckConstraint {
                name: capped(format!("ck_{name}_{}", c.name)),
                expr: expr.to_string(),
                not_valid: false,
            })
        })
        .collect();
    checks.extend(model.checks.iter().enumerate().map(|(i, c)| {
        CheckConstraint {
            name: c
                .name
                .map_or_else(|| capped(format!("ck_{name}_{}", i + 1)), str::to_string),
            expr: c.expr.to_string(),
            not_valid: c.not_valid,
        }
    }));
    Table {
        schema: model.schema.map(str::to_string),
        name: name.to_string(),
        columns,
        primary_key,
        primary_key_name: None,
        uniques,
        foreign_keys: Vec::new(),
        checks,
        exclusions: model
            .exclusions
            .iter()
            .map(|x| ExclusionConstraint {
                name: x.name.to_string(),
                definition: format!("USING {}", x.using.trim()),
                deferral: Deferral::from_flags(x.deferrable, x.initially_deferred),
            })
            .collect(),
        indexes,
        comment: model.comment.map(str::to_string),
    }
}

fn foreign_keys(
    model: &ModelTable,
    tables: &BTreeMap<Cow<'static, str>, &ModelTable>,
    problems: &mut Vec<Error>,
) -> Vec<ForeignKey> {
    let mut out = Vec::new();
    for column in model.columns {
        let Some(target) = column.references else {
            continue;
        };
        let bad = |reason: String| Error::BadForeignKey {
            model: model.rust_path.to_string(),
            field: column.field.to_string(),
            target: target.to_string(),
            reason,
        };
        // `table.column` or `schema.table.column`.
        let Some((table, ref_column)) = target.rsplit_once('.') else {
            problems.push(bad("write it as \"table.column\"".to_string()));
            continue;
        };
        let Some(referenced) = tables.get(table) else {
            problems.push(bad(format!("no #[model] has the table `{table}`")));
            continue;
        };
        if !referenced.columns.iter().any(|c| c.name == ref_column) {
            problems.push(bad(format!(
                "{} (table `{table}`) has no column `{ref_column}`",
                referenced.rust_path
            )));
            continue;
        }
        let action = |text: Option<&str>| text.and_then(FkAction::parse);
        out.push(ForeignKey {
            name: capped(format!(
                "fk_{}_{}_{}",
                model.name, column.name, referenced.name
            )),
            columns: vec![column.name.to_string()],
            ref_schema: referenced.schema.map(str::to_string),
            ref_table: referenced.name.to_string(),
            ref_columns: vec![ref_column.to_string()],
            on_delete: action(column.on_delete),
            on_update: action(column.on_update),
            ..ForeignKey::default()
        });
    }
    for fk in model.foreign_keys {
        if let Some(key) = table_foreign_key(model, fk, tables, problems) {
            out.push(key);
        }
    }
    out
}

/// `foreign_key(columns(a, b), references = "table(c, d)", ...)`, resolved
/// like a column's `references`; `None` once the problem is recorded.
fn table_foreign_key(
    model: &ModelTable,
    fk: &ModelForeignKey,
    tables: &BTreeMap<Cow<'static, str>, &ModelTable>,
    problems: &mut Vec<Error>,
) -> Option<ForeignKey> {
    let mut bad = |reason: String| {
        problems.push(Error::BadForeignKey {
            model: model.rust_path.to_string(),
            field: format!("foreign_key({})", fk.columns.join(", ")),
            target: fk.references.to_string(),
            reason,
        });
        None
    };
    let parsed = fk.references.trim().strip_suffix(')').and_then(|rest| {
        let (table, columns) = rest.split_once('(')?;
        let columns: Vec<String> = columns.split(',').map(|c| c.trim().to_string()).collect();
        Some((table.trim(), columns))
    });
    let Some((table, ref_columns)) = parsed else {
        return bad("write it as \"table(a, b)\"".to_string());
    };
    let Some(referenced) = tables.get(table) else {
        return bad(format!("no #[model] has the table `{table}`"));
    };
    if ref_columns.len() != fk.columns.len() {
        return bad(format!(
            "{} column(s) reference {} column(s)",
            fk.columns.len(),
            ref_columns.len()
        ));
    }
    if let Some(missing) = ref_columns
        .iter()
        .find(|r| !referenced.columns.iter().any(|c| c.name == r.as_str()))
    {
        return bad(format!(
            "{} (table `{table}`) has no column `{missing}`",
            referenced.rust_path
        ));
    }
    let action = |text: Option<&str>| text.and_then(FkAction::parse);
    Some(ForeignKey {
        name: fk.name.map_or_else(
            || {
                capped(format!(
                    "fk_{}_{}_{}",
                    model.name,
                    fk.columns.join("_"),
                    referenced.name
                ))
            },
            str::to_string,
        ),
        columns: fk.columns.iter().map(|c| c.to_string()).collect(),
        ref_schema: referenced.schema.map(str::to_string),
        ref_table: referenced.name.to_string(),
        ref_columns,
        on_delete: action(fk.on_delete),
        on_update: action(fk.on_update),
        match_full: fk.match_full,
        deferral: Deferral::from_flags(fk.deferrable, fk.initially_deferred),
        not_valid: fk.not_valid,
    })
}

/// Referenced tables first (Kahn's algorithm, ties broken by name); tables on a
/// foreign-key cycle keep name order, and the DDL adds those keys afterwards.
/// `tables` arrive sorted by qualified name.
fn creation_order(tables: Vec<Table>) -> Vec<Table> {
    let order = dependency_order(&tables);
    let mut slots: Vec<Option<Table>> = tables.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// The positions of `tables` in creation order.
fn dependency_order(tables: &[Table]) -> Vec<usize> {
    let count = tables.len();
    let names: Vec<Cow<'_, str>> = tables
        .iter()
        .map(|t| qualified(t.schema.as_deref(), &t.name))
        .collect();
    let position: FxHashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, name)| (name.as_ref(), i))
        .collect();
    let mut waiting = vec![0usize; count];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (i, table) in tables.iter().enumerate() {
        let mut referenced: Vec<usize> = table
            .foreign_keys
            .iter()
            .filter_map(|fk| {
                position
                    .get(qualified(fk.ref_schema.as_deref(), &fk.ref_table).as_ref())
                    .copied()
            })
            .filter(|&r| r != i)
            .collect();
        referenced.sort_unstable();
        referenced.dedup();
        waiting[i] = referenced.len();
        for r in referenced {
            dependents[r].push(i);
        }
    }
    let mut ready: BinaryHeap<Reverse<usize>> = (0..count)
        .filter(|&i| waiting[i] == 0)
        .map(Reverse)
        .collect();
    let mut done = vec![false; count];
    let mut order = Vec::with_capacity(count);
    let mut next_undone = 0;
    while order.len() < count {
        let next = match ready.pop() {
            Some(Reverse(i)) => i,
            None => {
                // A cycle: take the first table left, by name.
                while done[next_undone] {
                    next_undone += 1;
                }
                next_undone
            }
        };
        if std::mem::replace(&mut done[next], true) {
            continue;
        }
        order.push(next);
        for &d in &dependents[next] {
            waiting[d] = waiting[d].saturating_sub(1);
            if waiting[d] == 0 && !done[d] {
                ready.push(Reverse(d));
            }
        }
    }
    order
}
