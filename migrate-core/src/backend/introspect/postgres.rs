//! PostgreSQL's catalog, in six queries whatever the number of tables: the current
//! schema, tables, columns, constraints, indexes and enum types. Tables in the
//! current schema come back with `schema: None`, as models without
//! `schema = "..."` describe them.

use std::collections::BTreeMap;

use postgres::types::ToSql;
use postgres::{Client, Row};

use crate::schema::types::parse_type;
use crate::schema::{
    CheckConstraint, Column, ColumnType, EnumType, FkAction, ForeignKey, Index, Schema, Table,
    UniqueConstraint,
};

const TABLES: &str =
    "SELECT c.oid::int8, n.nspname::text, c.relname::text, obj_description(c.oid, 'pg_class') \
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY($1) \
     ORDER BY n.nspname, c.relname";

const COLUMNS: &str =
    "SELECT a.attrelid::int8, a.attname::text, format_type(a.atttypid, a.atttypmod), \
     a.attnotnull, pg_get_expr(d.adbin, d.adrelid), col_description(a.attrelid, a.attnum), \
     t.typtype = 'e', t.typname::text \
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
     JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid \
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY($1) \
       AND a.attnum > 0 AND NOT a.attisdropped \
     ORDER BY a.attrelid, a.attnum";

const CONSTRAINTS: &str = "SELECT con.conrelid::int8, con.conname::text, con.contype::text, \
     ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord) \
           JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord), \
     ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord) \
           JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord), \
     fn.nspname::text, fc.relname::text, con.confupdtype::text, con.confdeltype::text, \
     pg_get_constraintdef(con.oid, true) \
     FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     LEFT JOIN pg_class fc ON fc.oid = con.confrelid \
     LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace \
     WHERE con.contype IN ('p', 'u', 'f', 'c') AND n.nspname = ANY($1) \
     ORDER BY con.conrelid, con.conname";

const INDEXES: &str = "SELECT i.indrelid::int8, ic.relname::text, i.indisunique, \
     ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k ORDER BY k), \
     pg_get_expr(i.indpred, i.indrelid, true) \
     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid \
     JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1) \
       AND NOT EXISTS (SELECT 1 FROM pg_constraint con \
                       WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x')) \
     ORDER BY i.indrelid, ic.relname";

const ENUMS: &str = "SELECT t.typname::text, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) \
     FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace \
     WHERE n.nspname = ANY($1) GROUP BY t.typname ORDER BY t.typname";

/// What introspection needs from a connection: one round trip per call, so the
/// number of queries is something a test can count.
pub trait Catalog {
    /// Runs one query and returns its rows.
    fn query(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, postgres::Error>;
}

impl Catalog for Client {
    fn query(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, postgres::Error> {
        Client::query(self, sql, params)
    }
}

/// Reads the current schema and `schemas`, leaving out the table `ledger` (in
/// `ledger_schema`, default the current schema). Always six queries.
pub fn introspect(
    client: &mut impl Catalog,
    schemas: &[String],
    ledger: (&str, Option<&str>),
) -> Result<Schema, postgres::Error> {
    let current: String = client
        .query("SELECT current_schema()::text", &[])?
        .first()
        .map(|row| row.get(0))
        .unwrap_or_else(|| "public".to_string());
    let mut all: Vec<String> = vec![current.clone()];
    all.extend(schemas.iter().filter(|s| **s != current).cloned());
    let mut tables: BTreeMap<i64, Table> = BTreeMap::new();
    for row in client.query(TABLES, &[&all])? {
        let schema: String = row.get(1);
        let name: String = row.get(2);
        let is_ledger = name == ledger.0 && ledger.1.unwrap_or(current.as_str()) == schema.as_str();
        if is_ledger {
            continue;
        }
        tables.insert(
            row.get(0),
            Table {
                schema: (schema != current).then_some(schema),
                name,
                comment: row.get(3),
                ..Table::default()
            },
        );
    }
    for row in client.query(COLUMNS, &[&all])? {
        let Some(table) = tables.get_mut(&row.get::<_, i64>(0)) else {
            continue;
        };
        let is_enum: bool = row.get(6);
        table.columns.push(Column {
            name: row.get(1),
            ty: if is_enum {
                ColumnType::Enum(row.get(7))
            } else {
                parse_type(&row.get::<_, String>(2))
            },
            nullable: !row.get::<_, bool>(3),
            default: row.get(4),
            comment: row.get(5),
        });
    }
    for row in client.query(CONSTRAINTS, &[&all])? {
        let Some(table) = tables.get_mut(&row.get::<_, i64>(0)) else {
            continue;
        };
        add_constraint(table, &row, &current);
    }
    for row in client.query(INDEXES, &[&all])? {
        let Some(table) = tables.get_mut(&row.get::<_, i64>(0)) else {
            continue;
        };
        let columns: Vec<String> = row.get(3);
        table.indexes.push(Index {
            name: row.get(1),
            columns: columns.iter().map(|c| unquote(c)).collect(),
            unique: row.get(2),
            predicate: row.get(4),
        });
    }
    let enums = client
        .query(ENUMS, &[&vec![current.clone()]])?
        .iter()
        .map(|row| EnumType {
            name: row.get(0),
            variants: row.get(1),
        })
        .collect();
    let mut tables: Vec<Table> = tables.into_values().collect();
    tables.sort_by_key(Table::qualified_name);
    Ok(Schema { tables, enums })
}

fn add_constraint(table: &mut Table, row: &postgres::Row, current: &str) {
    let name: String = row.get(1);
    let columns: Vec<String> = row.get(3);
    match row.get::<_, String>(2).as_str() {
        "p" => {
            table.primary_key = columns;
            table.primary_key_name = Some(name);
        }
        "u" => table.uniques.push(UniqueConstraint { name, columns }),
        "f" => {
            let ref_schema: Option<String> = row.get(5);
            table.foreign_keys.push(ForeignKey {
                name,
                columns,
                ref_schema: ref_schema.filter(|s| s != current),
                ref_table: row.get::<_, Option<String>>(6).unwrap_or_default(),
                ref_columns: row.get(4),
                on_update: action(&row.get::<_, String>(7)),
                on_delete: action(&row.get::<_, String>(8)),
            });
        }
        _ => {
            let definition: String = row.get(9);
            let expr = definition
                .strip_prefix("CHECK ")
                .unwrap_or(&definition)
                .trim();
            let expr = expr
                .strip_prefix('(')
                .and_then(|e| e.strip_suffix(')'))
                .unwrap_or(expr);
            table.checks.push(CheckConstraint {
                name,
                expr: expr.to_string(),
            });
        }
    }
}

/// `pg_constraint`'s one-letter action codes; `NO ACTION` is the default, `None`.
fn action(code: &str) -> Option<FkAction> {
    match code {
        "c" => Some(FkAction::Cascade),
        "n" => Some(FkAction::SetNull),
        "d" => Some(FkAction::SetDefault),
        "r" => Some(FkAction::Restrict),
        _ => None,
    }
}

/// `pg_get_indexdef` quotes a column name when it must: `"order"` → `order`.
fn unquote(name: &str) -> String {
    match name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => name.to_string(),
    }
}
