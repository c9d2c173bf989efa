//! Autogenerate: comparing the models with a live database, and writing the
//! difference as SQL (Alembic's `autogenerate`: compare, then render).
//!
//! - [`Backend::introspect`] reads a database's catalog into the same [`Schema`]
//!   that [`metadata`](crate::metadata) assembles from the models.
//! - [`portable()`] lifts what one database reports into terms every dialect
//!   renders correctly, when SQL is written for more than that database.
//! - [`compare()`] lists the [`Op`]s between two schemas, each with its reverse;
//!   [`compare_for`] lists what several dialects need, from one comparison.
//! - [`render()`] turns operations into SQL for a dialect.
//! - [`generate_for`] does all of it for `revision --autogenerate`: one
//!   comparison with the connected database, SQL for every target dialect.
//!
//! ```
//! use migrate_core::autogenerate::{compare, render, Filter};
//! use migrate_core::schema::{Column, ColumnType, Schema, Table};
//! use migrate_core::Dialect;
//! let db = Schema::default();
//! let models = Schema {
//!     tables: vec![Table {
//!         name: "notes".into(),
//!         columns: vec![Column { name: "id".into(), ty: ColumnType::BigInt, nullable: false, default: None, comment: None, generated: None, collation: None }],
//!         primary_key: vec!["id".into()],
//!         ..Table::default()
//!     }],
//!     enums: vec![],
//! };
//! let diff = compare(&db, &models, Dialect::Postgres, &Filter::default());
//! assert_eq!(diff.ops.len(), 1);
//! let up = render(&diff.ops, &db, &models, Dialect::Postgres);
//! assert_eq!(up.statements, ["CREATE TABLE notes (\n    id BIGINT NOT NULL,\n    PRIMARY KEY (id)\n)"]);
//! let down = render(&diff.reversed(), &models, &db, Dialect::Postgres);
//! assert_eq!(down.statements, ["DROP TABLE notes"]);
//! ```

mod compare;
mod normalize;
mod online;
mod portable;
mod render;

pub use compare::{compare, compare_for, Diff};
pub use normalize::normalize_schema;
pub use portable::{portable, Portable};
pub use render::{render, Rendered};

use crate::backend::{Backend, LedgerConfig};
use crate::error::Result;
use crate::operations::{Constraint, Op, TableRef};
use crate::schema::{Schema, Table};
use crate::Dialect;

/// Which tables autogenerate and `check` look at, and which PostgreSQL schemas
/// they read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only tables matching one of these globs (`*`, `?`, `[abc]`) by name or
    /// `schema.name`; empty: every table.
    pub include: Vec<String>,
    /// Never tables matching one of these globs.
    pub exclude: Vec<String>,
    /// PostgreSQL schemas to read besides the current one (schemas that models
    /// name are always read).
    pub schemas: Vec<String>,
}

impl Filter {
    /// Whether `table` is compared.
    pub fn selects(&self, table: &Table) -> bool {
        let qualified = table.qualified_name();
        let hit = |pattern: &String| glob(pattern, &table.name) || glob(pattern, &qualified);
        (self.include.is_empty() || self.include.iter().any(hit)) && !self.exclude.iter().any(hit)
    }
}

/// `*` matches any run of characters, `?` any one, `[abc]` one of a set. A
/// pattern that is not a glob matches nothing; the command line refuses one
/// before it gets here ([`check_glob`]).
fn glob(pattern: &str, text: &str) -> bool {
    glob::Pattern::new(pattern).is_ok_and(|p| p.matches(text))
}

/// `Ok` with the pattern when it is a glob [`Filter`] can use, else why not.
///
/// ```
/// use migrate_core::autogenerate::check_glob;
/// assert_eq!(check_glob("audit_*").unwrap(), "audit_*");
/// assert!(check_glob("audit_[").unwrap_err().contains("`audit_[` is not a glob"));
/// ```
pub fn check_glob(pattern: &str) -> Result<String, String> {
    match glob::Pattern::new(pattern) {
        Ok(_) => Ok(pattern.to_string()),
        Err(e) => Err(format!(
            "`{pattern}` is not a glob: {} at character {}; use `*`, `?` and `[abc]`",
            e.msg, e.pos
        )),
    }
}

/// Reads the database behind `backend` and compares it with `models`: the
/// database's schema, and the operations that bring it to the models. Reads the
/// default schema, the schemas `filter` names and those the models name.
pub fn compare_database(
    backend: &mut dyn Backend,
    models: &Schema,
    filter: &Filter,
    ledger: &LedgerConfig,
) -> Result<(Schema, Diff)> {
    let db = read_database(backend, models, filter, ledger)?;
    let diff = compare(&db, models, backend.dialect(), filter);
    Ok((db, diff))
}

/// Reads the schema of the database behind `backend`: the default schema, the
/// schemas `filter` names and those the models name.
///
/// Where the database rewrites SQL (PostgreSQL spells `lower(email)` as
/// `lower((email)::text)`), an index or exclusion constraint that is what a
/// model declares comes back in the model's own spelling, so that comparing
/// them finds nothing; one that differs keeps the database's, which a
/// downgrade then recreates exactly. The database decides which is which
/// ([`Backend::canonical_models`]).
pub fn read_database(
    backend: &mut dyn Backend,
    models: &Schema,
    filter: &Filter,
    ledger: &LedgerConfig,
) -> Result<Schema> {
    let mut schemas = filter.schemas.clone();
    schemas.extend(models.tables.iter().filter_map(|t| t.schema.clone()));
    schemas.sort();
    schemas.dedup();
    let mut db = backend.introspect(&schemas, ledger)?;
    // Asking the server costs a scratch table per model table; a table whose
    // indexes and exclusions the database already holds exactly as declared
    // has nothing to align, so only the others are asked about.
    let pending = Schema {
        tables: models
            .tables
            .iter()
            .filter(|model| !held_verbatim(&db, model))
            .cloned()
            .collect(),
        enums: models.enums.clone(),
    };
    if pending.tables.is_empty() {
        return Ok(db);
    }
    if let Some(canonical) = backend.canonical_models(&pending)? {
        align(&mut db, &pending, &canonical);
    }
    Ok(db)
}

/// Whether `db` has `model`'s table with every index and exclusion constraint
/// exactly as the model declares it.
fn held_verbatim(db: &Schema, model: &Table) -> bool {
    let Some(table) = db
        .tables
        .iter()
        .find(|t| t.qualified_name() == model.qualified_name())
    else {
        return false;
    };
    model.indexes.iter().all(|i| table.indexes.contains(i))
        && model
            .exclusions
            .iter()
            .all(|x| table.exclusions.contains(x))
}

/// Looks at what depends on the tables `diff` drops, among the objects
/// autogenerate does not manage: a view or materialized view would make the
/// upgrade fail, so it is an error naming them; a trigger or policy goes with
/// its table and is not restored by the downgrade, so it becomes a hint.
pub fn check_dependents(backend: &mut dyn Backend, diff: &mut Diff) -> Result<()> {
    let dropped: Vec<TableRef> = diff
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::DropTable(t) => Some(TableRef::of(t)),
            _ => None,
        })
        .collect();
    let dependents = backend.dependents(&dropped)?;
    let (blocking, carried): (Vec<_>, Vec<_>) =
        dependents.into_iter().partition(|d| d.blocks_drop());
    if !blocking.is_empty() {
        let mut tables: Vec<String> = blocking.iter().map(|d| d.table.clone()).collect();
        tables.dedup();
        return Err(crate::error::Error::UnmanagedDependents {
            tables,
            dependents: blocking.iter().map(ToString::to_string).collect(),
        });
    }
    for d in carried {
        diff.hints.push(format!(
            "dropping {} also drops {d}, which `migrate` does not manage: the downgrade does not recreate it",
            d.table
        ));
    }
    Ok(())
}

/// Puts the models' spelling into `db` wherever the database reports exactly
/// what the model, created, would be (`canonical`, in the models' order).
fn align(db: &mut Schema, models: &Schema, canonical: &Schema) {
    for (model, wanted) in models.tables.iter().zip(&canonical.tables) {
        let Some(table) = db
            .tables
            .iter_mut()
            .find(|t| t.qualified_name() == model.qualified_name())
        else {
            continue;
        };
        for (declared, server) in model.indexes.iter().zip(&wanted.indexes) {
            if let Some(found) = table.indexes.iter_mut().find(|i| *i == server) {
                *found = declared.clone();
            }
        }
        for (declared, server) in model.exclusions.iter().zip(&wanted.exclusions) {
            if let Some(found) = table.exclusions.iter_mut().find(|x| *x == server) {
                *found = declared.clone();
            }
        }
    }
}

/// A generated revision's SQL: the upgrade and the downgrade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The upgrade.
    pub up: Rendered,
    /// The downgrade.
    pub down: Rendered,
    /// What runs after `up`, outside any transaction, so that tables that
    /// exist already stay open for writes while they change (PostgreSQL):
    /// `CREATE INDEX CONCURRENTLY`, a unique constraint built on such an index
    /// (`ADD CONSTRAINT ... UNIQUE USING INDEX`), `VALIDATE CONSTRAINT` for a
    /// foreign key or check that `up` added `NOT VALID`, and for a column
    /// becoming `NOT NULL` the validation of the `CHECK (col IS NOT NULL) NOT
    /// VALID` that `up` added, `SET NOT NULL` (which then skips its scan) and
    /// dropping the check. None of it can share `up`'s transaction: an index
    /// cannot be built concurrently in one, and a validation in the
    /// transaction of its `ADD` would hold the ADD's lock throughout. Its
    /// section is `transaction:false`, and `revision --autogenerate` writes it
    /// into a revision of its own when `up` has anything else. Empty on other
    /// dialects and for new tables, which get the plain forms.
    pub concurrent_up: Rendered,
    /// The downgrade of `concurrent_up`, back to what `up` left: `DROP INDEX
    /// CONCURRENTLY`, dropping the unique constraints, and a validated
    /// constraint dropped and added back `NOT VALID`.
    pub concurrent_down: Rendered,
}

/// Renders `diff` (from `db` to `models`) both ways.
pub fn generate(diff: &Diff, db: &Schema, models: &Schema, dialect: Dialect) -> Generated {
    let (ops, steps) = online::split(&diff.ops, db, models, dialect);
    let outside = |statements: Vec<String>| Rendered {
        statements,
        transactional: false,
    };
    let concurrent_up = outside(steps.iter().flat_map(|s| s.up.clone()).collect());
    let concurrent_down = outside(steps.iter().rev().flat_map(|s| s.down.clone()).collect());
    let reversed: Vec<Op> = ops.iter().rev().map(Op::reverse).collect();
    Generated {
        up: render(&ops, db, models, dialect),
        down: render(&reversed, models, db, dialect),
        concurrent_up,
        concurrent_down,
    }
}

/// One comparison with the connected database, rendered for every target dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Autogenerated {
    /// The operations, which serve every target.
    pub diff: Diff,
    /// Each target's SQL, in the order the targets were given.
    pub dialects: Vec<(Dialect, Generated)>,
}

/// Compares `db`, read from a `connected` database, with `models`, and renders
/// the difference for each of `targets` (at least one): what
/// `revision --autogenerate` writes.
///
/// When a target is not the connected dialect, both schemas are first lifted
/// into dialect-neutral terms ([`portable`]), so that, say, a revision generated
/// on SQLite creates `BIGINT` keys on PostgreSQL for `i64` fields.
///
/// ```
/// use migrate_core::autogenerate::{generate_for, Filter};
/// use migrate_core::schema::{Column, ColumnType, Schema, Table};
/// use migrate_core::Dialect;
/// let id = |ty| Column { name: "id".into(), ty, nullable: false, default: None, comment: None, generated: None, collation: None };
/// let table = |name: &str, ty| Table { name: name.into(), columns: vec![id(ty)], primary_key: vec!["id".into()], ..Table::default() };
/// // SQLite reports INTEGER for the model's i64 key of `notes`.
/// let db = Schema { tables: vec![table("notes", ColumnType::Integer)], enums: vec![] };
/// let models = Schema { tables: vec![table("notes", ColumnType::BigInt), table("tags", ColumnType::BigInt)], enums: vec![] };
/// let out = generate_for(&db, Dialect::Sqlite, &models, &[Dialect::Sqlite, Dialect::Postgres], &Filter::default());
/// assert_eq!(out.diff.ops.len(), 1, "only `tags` is new");
/// let (dialect, pg) = &out.dialects[1];
/// assert_eq!(*dialect, Dialect::Postgres);
/// assert_eq!(pg.up.statements, ["CREATE TABLE tags (\n    id BIGINT NOT NULL,\n    PRIMARY KEY (id)\n)"]);
/// ```
pub fn generate_for(
    db: &Schema,
    connected: Dialect,
    models: &Schema,
    targets: &[Dialect],
    filter: &Filter,
) -> Autogenerated {
    let lifted;
    let (db, models) = if targets == [connected] {
        // The database's own spelling is right for the database itself.
        (db, models)
    } else {
        lifted = portable(db, connected, models);
        (&lifted.db, &lifted.models)
    };
    let diff = compare_for(db, models, targets, filter);
    // MySQL reports a unique index as a unique constraint: a dropped one may be
    // either on PostgreSQL.
    let unknown_form: Vec<(TableRef, String)> = match connected {
        Dialect::Mysql => diff
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::DropConstraint {
                    table,
                    constraint: Constraint::Unique(u),
                } => Some((table.clone(), u.name.clone())),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let dialects = targets
        .iter()
        .map(|&target| {
            let mut generated = generate(&diff, db, models, target);
            if target == Dialect::Postgres {
                crate::dialect::postgres::drop_unique_keys_of_either_form(
                    &mut generated.up,
                    &unknown_form,
                );
            }
            (target, generated)
        })
        .collect();
    Autogenerated { diff, dialects }
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs() {
        assert!(glob("*", "anything"));
        assert!(glob("audit_*", "audit_log"));
        assert!(!glob("audit_*", "users"));
        assert!(glob("t?", "t1"));
        assert!(!glob("t?", "t12"));
        assert!(glob("*_tmp", "a_b_tmp"));
        assert!(glob("app.*", "app.users"));
        assert!(glob("t[12]", "t2"));
        assert!(!glob("t[", "t["));
    }
}
