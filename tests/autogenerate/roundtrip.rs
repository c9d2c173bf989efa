//! Applying what autogenerate renders and checking that the database reads
//! back as the model: on one database, and across dialects.

use migrate::autogenerate::{compare, generate, generate_for, Filter, Generated, Rendered};
use migrate::backend::{Backend, LedgerConfig};
use migrate::schema::{ColumnType, Schema};
use migrate::Dialect;
use migrate_core::autogenerate::normalize_schema;

pub(crate) fn apply(db: &mut dyn Backend, rendered: &Rendered) -> Result<(), String> {
    if rendered.transactional {
        db.begin().map_err(|e| e.to_string())?;
    }
    for statement in &rendered.statements {
        if let Err(e) = db.execute(statement) {
            let _ = db.rollback();
            return Err(format!("{statement}: {}", e.message));
        }
    }
    if rendered.transactional {
        db.commit().map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The upgrade as `revision --autogenerate` writes it: the revision, then its
/// follow-up of index builds on existing tables (`CREATE INDEX CONCURRENTLY`).
pub(crate) fn apply_up(db: &mut dyn Backend, generated: &Generated) -> Result<(), String> {
    apply(db, &generated.up)?;
    apply(db, &generated.concurrent_up)
}

/// The downgrade in the runner's order: the follow-up's first.
pub(crate) fn apply_down(db: &mut dyn Backend, generated: &Generated) -> Result<(), String> {
    apply(db, &generated.concurrent_down)?;
    apply(db, &generated.down)
}

pub(crate) fn read(db: &mut dyn Backend) -> Schema {
    db.introspect(&[], &LedgerConfig::default())
        .expect("introspect")
}

/// The database as `check` reads it against `models`: what the database holds
/// exactly as the models declare it comes back in the models' spelling.
pub(crate) fn read_against(db: &mut dyn Backend, models: &Schema) -> Schema {
    migrate::autogenerate::read_database(db, models, &Filter::default(), &LedgerConfig::default())
        .expect("introspect")
}

/// `Ok` when the database's schema `got` is `want` as `dialect` stores it;
/// otherwise what differs.
pub(crate) fn expect(
    want: &Schema,
    got: &Schema,
    dialect: Dialect,
    stage: &str,
) -> Result<(), String> {
    let (want, got) = (
        normalize_schema(want, dialect),
        normalize_schema(got, dialect),
    );
    if want == got {
        return Ok(());
    }
    let mut report = format!("{stage} on {dialect}:");
    if want.enums != got.enums {
        report.push_str(&format!(
            "\n enums: database {:?}, models {:?}",
            got.enums, want.enums
        ));
    }
    let names: std::collections::BTreeSet<String> = want
        .tables
        .iter()
        .chain(&got.tables)
        .map(|t| t.name.clone())
        .collect();
    for name in names {
        if want.table(&name) != got.table(&name) {
            report.push_str(&format!(
                "\n table {name}:\n  database {:?}\n  models   {:?}",
                got.table(&name),
                want.table(&name)
            ));
        }
    }
    Err(report)
}

/// Creates M1, moves to M2 and back, checking the database each time.
pub(crate) fn roundtrip(db: &mut dyn Backend, m1: &Schema, m2: &Schema) -> Result<(), String> {
    let dialect = db.dialect();
    let filter = Filter::default();
    let empty = read(db);
    let create = compare(&empty, m1, dialect, &filter);
    apply(db, &generate(&create, &empty, m1, dialect).up)?;
    let at_m1 = read_against(db, m1);
    let expect = |want: &Schema, got: &Schema, stage: &str| expect(want, got, dialect, stage);
    expect(m1, &at_m1, "after creating M1")?;
    let diff = compare(&at_m1, m2, dialect, &filter);
    let generated = generate(&diff, &at_m1, m2, dialect);
    apply_up(db, &generated).map_err(|e| format!("upgrade {:?}: {e}", diff.ops))?;
    let at_m2 = read_against(db, m2);
    expect(m2, &at_m2, "after the upgrade")?;
    if !compare(&at_m2, m2, dialect, &filter).is_empty() {
        return Err("autogenerate still finds differences after the upgrade".into());
    }
    apply_down(db, &generated).map_err(|e| format!("downgrade {:?}: {e}", diff.ops))?;
    expect(m1, &read_against(db, m1), "after the downgrade")
}

/// What SQLite cannot record, taken out of a schema: comments, `i32` columns
/// (SQLite stores them as `INTEGER`, like `i64`, so a table dropped on SQLite
/// comes back as `BIGINT` elsewhere), enum types no column uses, and
/// PostgreSQL's index and constraint options.
pub(crate) fn sqlite_expressible(schema: &mut Schema) {
    for table in &mut schema.tables {
        table.comment = None;
        for index in &mut table.indexes {
            index.method = None;
            index.include.clear();
            index.nulls_not_distinct = false;
            for key in &mut index.columns {
                key.descending = false;
                key.nulls_first = None;
                key.opclass = None;
                key.collation = None;
            }
        }
        for unique in &mut table.uniques {
            unique.deferral = Default::default();
            unique.nulls_not_distinct = false;
        }
        for fk in &mut table.foreign_keys {
            fk.deferral = Default::default();
            fk.match_full = false;
        }
        for check in &mut table.checks {
            check.not_valid = false;
        }
        for column in &mut table.columns {
            column.comment = None;
            if column.ty == ColumnType::Integer {
                column.ty = ColumnType::BigInt;
            }
        }
    }
    let tables = &schema.tables;
    schema.enums.retain(|e| {
        let ty = ColumnType::Enum(e.name.clone());
        tables.iter().flat_map(|t| &t.columns).any(|c| c.ty == ty)
    });
}

/// What MySQL refuses, taken out of a schema: a primary key cannot use a
/// `TEXT` column there (MySQL indexes one only by a prefix), so a model would
/// give such a column a `max_length`; and a column whose foreign key sets it to
/// `NULL` cannot be `NOT NULL`.
pub(crate) fn mysql_expressible(schema: &mut Schema) {
    use migrate::schema::FkAction;
    for table in &mut schema.tables {
        // PostgreSQL's index options: MariaDB has no expression keys, INCLUDE,
        // NULLS ordering or operator classes, and introspection does not read
        // a key's direction. An expression key becomes its column.
        for index in &mut table.indexes {
            index.method = None;
            index.include.clear();
            index.nulls_not_distinct = false;
            for key in &mut index.columns {
                if key.expression {
                    let column = key.sql.split_whitespace().next().unwrap_or_default();
                    *key = migrate::schema::IndexKey::column(column);
                }
                key.descending = false;
                key.nulls_first = None;
                key.opclass = None;
                key.collation = None;
            }
        }
        let set_null: Vec<String> = table
            .foreign_keys
            .iter()
            .filter(|f| [f.on_delete, f.on_update].contains(&Some(FkAction::SetNull)))
            .flat_map(|f| f.columns.clone())
            .collect();
        for column in &mut table.columns {
            if column.ty == ColumnType::Text && table.primary_key.contains(&column.name) {
                column.ty = ColumnType::Varchar(40);
            }
            if set_null.contains(&column.name) {
                column.nullable = true;
            }
        }
    }
}

/// What MariaDB does not keep, taken out of a schema: deferral, `MATCH FULL`,
/// `NULLS NOT DISTINCT` and `NOT VALID` (it has none of them), a foreign key's
/// `RESTRICT` or `NO ACTION` (it reports both, and no action given, alike), and
/// enum types no column uses (its enums are column types). A revision autogenerated against MariaDB recreates what it drops as
/// MariaDB reports it, so another database's downgrade cannot bring these back.
pub(crate) fn mariadb_keeps(schema: &mut Schema) {
    use migrate::schema::FkAction;
    for table in &mut schema.tables {
        for unique in &mut table.uniques {
            unique.deferral = Default::default();
            unique.nulls_not_distinct = false;
        }
        for fk in &mut table.foreign_keys {
            fk.deferral = Default::default();
            fk.match_full = false;
            for action in [&mut fk.on_delete, &mut fk.on_update] {
                if matches!(action, Some(FkAction::Restrict | FkAction::NoAction)) {
                    *action = None;
                }
            }
        }
        for check in &mut table.checks {
            check.not_valid = false;
        }
    }
    let tables = &schema.tables;
    schema.enums.retain(|e| {
        let ty = ColumnType::Enum(e.name.clone());
        tables.iter().flat_map(|t| &t.columns).any(|c| c.ty == ty)
    });
}

/// A revision autogenerated against MariaDB drops and recreates a unique index
/// the models no longer describe as a unique constraint (MariaDB reports both
/// alike; the `postgres` section drops either form, the downgrade recreates a
/// constraint): in `m1`, each unique index on plain columns that `m2` drops is
/// a unique constraint, or is left out where one on its columns exists already
/// (keys are matched by their columns).
pub(crate) fn dropped_unique_indexes_as_constraints(m1: &mut Schema, m2: &Schema) {
    use migrate::schema::UniqueConstraint;
    for table in &mut m1.tables {
        let kept = m2.table(&table.name);
        let (dropped, indexes): (Vec<_>, Vec<_>) = table.indexes.drain(..).partition(|i| {
            i.unique
                && i.columns.iter().all(|k| !k.expression)
                && !kept.is_some_and(|t| t.indexes.iter().any(|k| k.name == i.name))
        });
        table.indexes = indexes;
        for index in dropped {
            let columns = index.column_names();
            if !table.uniques.iter().any(|u| u.columns == columns) {
                table.uniques.push(UniqueConstraint {
                    name: index.name,
                    columns,
                    ..UniqueConstraint::default()
                });
            }
        }
    }
}

/// `revision --autogenerate` against one database, deployed to another: M1 is
/// created on both (as earlier revisions did), the change to M2 is compared on
/// `connected` only and rendered for both dialects, and each database, upgraded
/// and downgraded with its own section, must read back as M2 and as M1, with
/// nothing left for autogenerate to find.
pub(crate) fn cross_roundtrip<'a>(
    connected: &'a mut dyn Backend,
    other: &'a mut dyn Backend,
    m1: &Schema,
    m2: &Schema,
) -> Result<(), String> {
    let targets = [Dialect::Sqlite, Dialect::Postgres];
    cross_roundtrip_for(&targets, connected, other, m1, m2)
}

/// [`cross_roundtrip`] for a project whose revisions have sections for
/// `targets` (which include both databases' dialects): the comparison depends
/// on them, since what no target can see is not a difference.
pub(crate) fn cross_roundtrip_for<'a>(
    targets: &[Dialect],
    connected: &'a mut dyn Backend,
    other: &'a mut dyn Backend,
    m1: &Schema,
    m2: &Schema,
) -> Result<(), String> {
    let filter = Filter::default();
    for db in [&mut *connected, &mut *other] {
        let dialect = db.dialect();
        let empty = read(db);
        let create = compare(&empty, m1, dialect, &filter);
        apply(db, &generate(&create, &empty, m1, dialect).up)?;
        expect(m1, &read(db), dialect, "after creating M1")?;
    }
    let at_m1 = read(connected);
    let out = generate_for(&at_m1, connected.dialect(), m2, targets, &filter);
    for db in [&mut *connected, &mut *other] {
        let dialect = db.dialect();
        let (_, sql) = out.dialects.iter().find(|(d, _)| *d == dialect).unwrap();
        let ops = &out.diff.ops;
        apply_up(db, sql).map_err(|e| format!("upgrade on {dialect} {ops:?}: {e}"))?;
        let at_m2 = read(db);
        expect(m2, &at_m2, dialect, "after the upgrade")?;
        let left = compare(&at_m2, m2, dialect, &filter);
        if !left.is_empty() {
            return Err(format!("{dialect} still differs: {:?}", left.ops));
        }
        apply_down(db, sql).map_err(|e| format!("downgrade on {dialect} {ops:?}: {e}"))?;
        expect(m1, &read(db), dialect, "after the downgrade")?;
    }
    Ok(())
}
