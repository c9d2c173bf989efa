//! The connected database's schema in terms every target dialect renders
//! correctly: the step between introspection and comparison when autogenerate
//! writes SQL for more databases than the one it reads.
//!
//! A database reports its schema in its own spelling. SQLite says `INTEGER` for
//! an `i32` and an `i64` alike, keeps no comments, and knows an enum only by its
//! `CHECK`; PostgreSQL writes casts into defaults (`'x'::text`). Rendered for
//! another dialect, those spellings would be wrong. So:
//! - where the connected database cannot tell a column from the model's, the
//!   model's definition stands in for it: its type, the spelling of its default,
//!   and what the database does not store (comments);
//! - what no model describes any more (dropped tables and columns, which the
//!   downgrade recreates) gets the dialect's portable reading of its type (SQLite's
//!   `INTEGER` holds 64 bits: `BIGINT`) and its default without casts;
//! - on a database without enum types, an enum type exists where a column uses
//!   it, and the models' enum types count only where their columns use them.
//!
//! What the connected database cannot see is not found here either: a model's
//! `i32` becoming `i64` on SQLite, or a changed comment, needs a comparison
//! against a database that stores it.

use crate::dialect::{self, type_key, Dialect};
use crate::schema::{Column, ColumnType, EnumType, FkAction, Index, Schema, Table};
use crate::sql::normalize_default;

/// The database's schema and the models, both as every target dialect should
/// compare them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Portable {
    /// The connected database's schema.
    pub db: Schema,
    /// The models.
    pub models: Schema,
}

/// Lifts `db`, read from a `dialect` database, and `models` into dialect-neutral
/// terms (see the module documentation).
pub fn portable(db: &Schema, dialect: Dialect, models: &Schema) -> Portable {
    let mut tables: Vec<Table> = db
        .tables
        .iter()
        .map(|table| {
            let model = models.table(&table.qualified_name());
            lift_table(table, model, (&db.enums, &models.enums), dialect)
        })
        .collect();
    if dialect.has_enum_types() {
        return Portable {
            db: Schema {
                tables,
                enums: db.enums.clone(),
            },
            models: models.clone(),
        };
    }
    name_enums_by_their_kin(&mut tables, &db.tables, &db.enums, &models.enums);
    // Each enum type the lifted columns name, with the values the database holds.
    let mut enums: Vec<EnumType> = Vec::new();
    for (table, original) in tables.iter().zip(&db.tables) {
        for (column, read) in table.columns.iter().zip(&original.columns) {
            let (ColumnType::Enum(name), ColumnType::Enum(read_name)) = (&column.ty, &read.ty)
            else {
                continue;
            };
            if enums.iter().any(|e| &e.name == name) {
                continue;
            }
            if let Some(values) = db.enum_type(read_name) {
                enums.push(EnumType {
                    name: name.clone(),
                    variants: values.variants.clone(),
                });
            }
        }
    }
    let used = |schema: &Schema, name: &str| {
        schema
            .tables
            .iter()
            .flat_map(|t| &t.columns)
            .any(|c| matches!(&c.ty, ColumnType::Enum(n) if n == name))
    };
    let mut models = models.clone();
    let used_by_models: Vec<EnumType> = models
        .enums
        .iter()
        .filter(|e| used(&models, &e.name))
        .cloned()
        .collect();
    models.enums = used_by_models;
    Portable {
        db: Schema { tables, enums },
        models,
    }
}

/// An enum column no model describes (one the revision drops), named after the
/// model's enum type that another column of the database holding the same
/// values was found to be. Without a type of its own (MySQL's `ENUM(...)`) or
/// once the models change the type's values, nothing else tells its type, and
/// the downgrade and PostgreSQL's `DROP TYPE` need the name.
fn name_enums_by_their_kin(
    lifted: &mut [Table],
    read: &[Table],
    db_enums: &[EnumType],
    model_enums: &[EnumType],
) {
    let values = |name: &str| {
        db_enums
            .iter()
            .find(|e| e.name == name)
            .map(|e| &e.variants)
    };
    let modelled = |name: &str| model_enums.iter().any(|e| e.name == name);
    // The model's name for each list of values, as the columns it describes show.
    let mut known: Vec<(&Vec<String>, String)> = Vec::new();
    for (table, original) in lifted.iter().zip(read) {
        for (column, read) in table.columns.iter().zip(&original.columns) {
            if let (ColumnType::Enum(name), ColumnType::Enum(read_name)) = (&column.ty, &read.ty) {
                if let (true, Some(values)) = (modelled(name), values(read_name)) {
                    known.push((values, name.clone()));
                }
            }
        }
    }
    for (table, original) in lifted.iter_mut().zip(read) {
        for (column, read) in table.columns.iter_mut().zip(&original.columns) {
            let (ColumnType::Enum(name), ColumnType::Enum(read_name)) = (&column.ty, &read.ty)
            else {
                continue;
            };
            if modelled(name) {
                continue;
            }
            let kin = values(read_name).and_then(|v| known.iter().find(|(k, _)| *k == v));
            if let Some((_, model_name)) = kin {
                column.ty = ColumnType::Enum(model_name.clone());
            }
        }
    }
}

fn lift_table(
    table: &Table,
    model: Option<&Table>,
    enums: (&[EnumType], &[EnumType]),
    dialect: Dialect,
) -> Table {
    let mut lifted = table.clone();
    for column in &mut lifted.columns {
        let wanted = model.and_then(|m| m.column(&column.name));
        lift_column(column, wanted, enums, dialect);
    }
    if !dialect.has_comments() {
        lifted.comment = model.and_then(|m| m.comment.clone());
    }
    if let (Some(model), Dialect::Mysql) = (model, dialect) {
        lift_mysql_keys(&mut lifted, model);
    }
    lifted
}

/// What MySQL cannot tell apart, in the model's terms where the model says it
/// so: a unique constraint that is the model's unique index, an index that is
/// the model's partial one (MySQL has no conditions), a foreign key's
/// `RESTRICT` or `NO ACTION` (one action there, reported as none).
fn lift_mysql_keys(table: &mut Table, model: &Table) {
    let mut indexes = Vec::new();
    table.uniques.retain(|u| {
        let declared = model.indexes.iter().find(|i| {
            i.unique && i.name == u.name && i.column_names() == u.columns && !has_expressions(i)
        });
        match declared {
            Some(index) => {
                indexes.push(index.clone());
                false
            }
            None => true,
        }
    });
    table.indexes.extend(indexes);
    for index in &mut table.indexes {
        if let Some(declared) = model.indexes.iter().find(|i| {
            i.name == index.name
                && i.unique == index.unique
                && i.column_names() == index.column_names()
        }) {
            *index = declared.clone();
        }
    }
    for fk in &mut table.foreign_keys {
        let Some(declared) = model.foreign_keys.iter().find(|f| {
            f.columns == fk.columns
                && f.ref_table == fk.ref_table
                && f.ref_columns == fk.ref_columns
        }) else {
            continue;
        };
        let same = |read: Option<FkAction>, wanted: Option<FkAction>| {
            read.is_none() && matches!(wanted, Some(FkAction::Restrict | FkAction::NoAction))
        };
        if same(fk.on_delete, declared.on_delete) {
            fk.on_delete = declared.on_delete;
        }
        if same(fk.on_update, declared.on_update) {
            fk.on_update = declared.on_update;
        }
    }
}

fn has_expressions(index: &Index) -> bool {
    index.columns.iter().any(|k| k.expression)
}

fn lift_column(
    column: &mut Column,
    model: Option<&Column>,
    (db_enums, model_enums): (&[EnumType], &[EnumType]),
    dialect: Dialect,
) {
    column.ty = match (model, &column.ty) {
        (Some(m), ty)
            if type_key(ty, db_enums, dialect) == type_key(&m.ty, model_enums, dialect) =>
        {
            m.ty.clone()
        }
        // An enum column keeps the model's type name; its values stay the
        // database's (a changed list is then a change of the type).
        (
            Some(Column {
                ty: ColumnType::Enum(name),
                ..
            }),
            ColumnType::Enum(_),
        ) => ColumnType::Enum(name.clone()),
        // A check written by hand or by an older version names no type: a model
        // enum type with the same values is taken to be it.
        (_, ColumnType::Enum(read)) if !dialect.has_enum_types() => {
            let values = db_enums.iter().find(|e| &e.name == read);
            match model_enums
                .iter()
                .find(|e| values.is_some_and(|v| v.variants == e.variants))
            {
                Some(e) => ColumnType::Enum(e.name.clone()),
                None => column.ty.clone(),
            }
        }
        (_, ty) => dialect::portable_type(ty, dialect),
    };
    let model_default = model.map(|m| &m.default);
    column.default = match model_default {
        Some(default)
            if column.default.as_deref().and_then(normalize_default)
                == default.as_deref().and_then(normalize_default) =>
        {
            default.clone()
        }
        _ => column
            .default
            .as_deref()
            .and_then(|d| portable_default(d, &column.ty)),
    };
    if !dialect.has_comments() {
        column.comment = model.and_then(|m| m.comment.clone());
    }
}

/// A default without the database's casts, to render for every dialect.
/// [`normalize_default`] reads a quoted number as the number (PostgreSQL shows
/// `-1` as `'-1'::integer`), which is right for a numeric column only: a text
/// column's `'0'` rendered as `0` would come back as another default.
fn portable_default(text: &str, ty: &ColumnType) -> Option<String> {
    let normalized = normalize_default(text)?;
    let numeric = matches!(
        ty,
        ColumnType::SmallInt
            | ColumnType::Integer
            | ColumnType::BigInt
            | ColumnType::Real
            | ColumnType::Double
            | ColumnType::Numeric(_)
    );
    let quoted = format!("'{normalized}'");
    if !numeric && normalize_default(&quoted).as_deref() == Some(normalized.as_str()) {
        let literal = text.trim().trim_start_matches('(');
        if literal.starts_with(&quoted) {
            return Some(quoted);
        }
    }
    Some(normalized)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, ty: ColumnType, default: Option<&str>) -> Column {
        Column {
            name: name.into(),
            ty,
            nullable: false,
            default: default.map(Into::into),
            comment: None,
            generated: None,
            collation: None,
        }
    }

    fn schema(columns: Vec<Column>, enums: Vec<EnumType>) -> Schema {
        Schema {
            tables: vec![Table {
                name: "t".into(),
                columns,
                comment: None,
                ..Table::default()
            }],
            enums,
        }
    }

    fn mood(name: &str, values: &[&str]) -> EnumType {
        EnumType {
            name: name.into(),
            variants: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    #[test]
    fn sqlite_columns_take_the_models_types_and_dropped_ones_a_portable_type() {
        let db = schema(
            vec![
                column("id", ColumnType::Integer, None),
                column("small", ColumnType::Integer, Some("(0)")),
                column("gone", ColumnType::Integer, Some("'-1'")),
                column("mood", ColumnType::Enum("t.mood".into()), None),
            ],
            vec![mood("t.mood", &["calm"])],
        );
        let mut models = schema(
            vec![
                column("id", ColumnType::BigInt, None),
                column("small", ColumnType::Integer, Some("0")),
                column("mood", ColumnType::Enum("mood".into()), None),
            ],
            vec![mood("mood", &["calm", "busy"]), mood("unused", &["x"])],
        );
        models.tables[0].comment = Some("Kept by PostgreSQL only.".into());
        let lifted = portable(&db, Dialect::Sqlite, &models);
        let t = &lifted.db.tables[0];
        assert_eq!(t.column("id").unwrap().ty, ColumnType::BigInt);
        assert_eq!(t.column("small").unwrap().ty, ColumnType::Integer);
        assert_eq!(t.column("small").unwrap().default.as_deref(), Some("0"));
        assert_eq!(t.column("gone").unwrap().ty, ColumnType::BigInt);
        assert_eq!(t.column("gone").unwrap().default.as_deref(), Some("-1"));
        assert_eq!(
            t.column("mood").unwrap().ty,
            ColumnType::Enum("mood".into())
        );
        assert_eq!(t.comment, models.tables[0].comment);
        assert_eq!(lifted.db.enums, [mood("mood", &["calm"])]);
        // An enum type no model column uses does not exist on SQLite's side.
        assert_eq!(lifted.models.enums, [mood("mood", &["calm", "busy"])]);
    }

    #[test]
    fn a_dropped_mysql_enum_column_is_of_the_type_its_kin_is() {
        let db = schema(
            vec![
                column("a", ColumnType::Enum("t.a".into()), None),
                column("b", ColumnType::Enum("t.b".into()), None),
            ],
            vec![
                mood("t.a", &["calm", "busy"]),
                mood("t.b", &["calm", "busy"]),
            ],
        );
        let models = schema(
            vec![column("a", ColumnType::Enum("mood".into()), None)],
            vec![mood("mood", &["calm", "busy", "late"])],
        );
        let lifted = portable(&db, Dialect::Mysql, &models);
        let t = &lifted.db.tables[0];
        assert_eq!(t.column("b").unwrap().ty, ColumnType::Enum("mood".into()));
        assert_eq!(lifted.db.enums, [mood("mood", &["calm", "busy"])]);
    }

    #[test]
    fn mysql_keys_take_the_models_spelling_where_mysql_cannot_tell() {
        use crate::schema::{ForeignKey, UniqueConstraint};
        let mut db = schema(vec![column("a", ColumnType::Text, None)], vec![]);
        db.tables[0].uniques.push(UniqueConstraint {
            name: "ix_t_a".into(),
            columns: vec!["a".into()],
            ..UniqueConstraint::default()
        });
        db.tables[0].indexes.push(Index::on("ix_t_partial", &["a"]));
        db.tables[0].foreign_keys.push(ForeignKey {
            name: "fk".into(),
            columns: vec!["a".into()],
            ref_table: "t".into(),
            ref_columns: vec!["a".into()],
            ..ForeignKey::default()
        });
        let mut models = db.clone();
        let t = &mut models.tables[0];
        t.uniques.clear();
        t.indexes = vec![
            Index {
                unique: true,
                ..Index::on("ix_t_a", &["a"])
            },
            Index {
                predicate: Some("a IS NOT NULL".into()),
                ..Index::on("ix_t_partial", &["a"])
            },
        ];
        t.foreign_keys[0].on_delete = Some(FkAction::Restrict);
        let lifted = portable(&db, Dialect::Mysql, &models);
        let mut got = lifted.db.tables[0].clone();
        got.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        assert_eq!(got, models.tables[0]);
    }

    #[test]
    fn postgres_defaults_lose_their_casts_where_no_model_spells_them() {
        let db = schema(
            vec![
                column("a", ColumnType::Text, Some("'x'::text")),
                column("b", ColumnType::Text, Some("'y'::text")),
            ],
            vec![],
        );
        let models = schema(vec![column("a", ColumnType::Text, Some("'x'"))], vec![]);
        let lifted = portable(&db, Dialect::Postgres, &models);
        let t = &lifted.db.tables[0];
        assert_eq!(t.column("a").unwrap().default.as_deref(), Some("'x'"));
        assert_eq!(t.column("b").unwrap().default.as_deref(), Some("'y'"));
        assert_eq!(lifted.models, models);
    }

    #[test]
    fn a_quoted_number_stays_a_string_in_a_text_column() {
        let db = schema(
            vec![
                column("path", ColumnType::Text, Some("'0'::text")),
                column("n", ColumnType::Integer, Some("'-1'::integer")),
            ],
            vec![],
        );
        let lifted = portable(&db, Dialect::Postgres, &schema(vec![], vec![]));
        let t = &lifted.db.tables[0];
        assert_eq!(t.column("path").unwrap().default.as_deref(), Some("'0'"));
        assert_eq!(t.column("n").unwrap().default.as_deref(), Some("-1"));
    }
}
