//! SQLite's catalog: `sqlite_master` and the `pragma_*` table functions, one query
//! per kind of object for the whole database. Constraint names and check
//! expressions, which the pragmas do not report, come from the stored
//! `CREATE TABLE` text.

use std::collections::BTreeMap;

use rusqlite::Connection;

use super::table_sql::{self, Item};
use crate::schema::types::parse_type;
use crate::schema::{
    CheckConstraint, Column, ColumnType, EnumType, FkAction, ForeignKey, Index, IndexKey, Schema,
    Table, UniqueConstraint,
};

const TABLES: &str =
    "m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m.name <> ?1";

/// Reads every table but `ledger_table`.
pub fn introspect(conn: &Connection, ledger_table: &str) -> rusqlite::Result<Schema> {
    let mut tables: BTreeMap<String, (Table, Vec<Item>)> = BTreeMap::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT m.name, m.sql FROM sqlite_master m WHERE {TABLES} ORDER BY m.name"
    ))?;
    let mut rows = stmt.query([ledger_table])?;
    while let Some(row) = rows.next()? {
        let name: String = row.get(0)?;
        let sql: Option<String> = row.get(1)?;
        let items = sql.as_deref().map(table_sql::items).unwrap_or_default();
        let table = Table {
            name: name.clone(),
            ..Table::default()
        };
        tables.insert(name, (table, items));
    }
    read_columns(conn, ledger_table, &mut tables)?;
    read_indexes(conn, ledger_table, &mut tables)?;
    read_foreign_keys(conn, ledger_table, &mut tables)?;
    let mut enums = Vec::new();
    let tables = tables
        .into_values()
        .map(|(mut table, items)| {
            apply_items(&mut table, &items, &mut enums);
            table
        })
        .collect();
    Ok(Schema { tables, enums })
}

fn read_columns(
    conn: &Connection,
    ledger_table: &str,
    tables: &mut BTreeMap<String, (Table, Vec<Item>)>,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(&format!(
        "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE {TABLES} ORDER BY m.name, p.cid"
    ))?;
    let mut rows = stmt.query([ledger_table])?;
    let mut keys: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    while let Some(row) = rows.next()? {
        let table: String = row.get(0)?;
        let name: String = row.get(1)?;
        let declared: String = row.get(2)?;
        let pk: i64 = row.get(5)?;
        if pk > 0 {
            keys.entry(table.clone())
                .or_default()
                .push((pk, name.clone()));
        }
        if let Some((t, _)) = tables.get_mut(&table) {
            t.columns.push(Column {
                name,
                ty: parse_type(&declared),
                nullable: row.get::<_, i64>(3)? == 0,
                default: row.get(4)?,
                comment: None,
                generated: None,
                collation: None,
            });
        }
    }
    for (table, mut key) in keys {
        key.sort();
        if let Some((t, _)) = tables.get_mut(&table) {
            t.primary_key = key.into_iter().map(|(_, c)| c).collect();
        }
    }
    Ok(())
}

/// An index as `pragma_index_list` and `pragma_index_info` report it.
struct FoundIndex {
    unique: bool,
    /// `c` (CREATE INDEX), `u` (UNIQUE constraint) or `pk`.
    origin: String,
    columns: Vec<String>,
    /// The `CREATE INDEX` text (none for automatic indexes).
    sql: Option<String>,
}

fn read_indexes(
    conn: &Connection,
    ledger_table: &str,
    tables: &mut BTreeMap<String, (Table, Vec<Item>)>,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(&format!(
        "SELECT m.name, il.name, il.\"unique\", il.origin, ii.name, s.sql \
         FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii \
         LEFT JOIN sqlite_master s ON s.type = 'index' AND s.name = il.name \
         WHERE {TABLES} ORDER BY m.name, il.name, ii.seqno"
    ))?;
    let mut rows = stmt.query([ledger_table])?;
    let mut found: BTreeMap<(String, String), FoundIndex> = BTreeMap::new();
    while let Some(row) = rows.next()? {
        let entry = found
            .entry((row.get(0)?, row.get(1)?))
            .or_insert(FoundIndex {
                unique: row.get::<_, i64>(2)? != 0,
                origin: row.get(3)?,
                columns: Vec::new(),
                sql: row.get(5)?,
            });
        // An expression column has no name.
        entry
            .columns
            .push(row.get::<_, Option<String>>(4)?.unwrap_or_default());
    }
    for ((table, name), index) in found {
        let FoundIndex {
            unique,
            origin,
            columns,
            sql,
        } = index;
        let Some((t, items)) = tables.get_mut(&table) else {
            continue;
        };
        match origin.as_str() {
            "c" => t.indexes.push(Index {
                name,
                columns: match sql.as_deref().and_then(table_sql::index_keys) {
                    // An expression key has no name: its text is in the SQL.
                    Some(keys)
                        if keys.len() == columns.len() && columns.contains(&String::new()) =>
                    {
                        keys
                    }
                    _ => columns.into_iter().map(IndexKey::from).collect(),
                },
                unique,
                predicate: sql.as_deref().and_then(table_sql::index_predicate),
                ..Index::default()
            }),
            "u" => {
                // The constraint's own name, when the table's SQL gives one.
                t.uniques.push(UniqueConstraint {
                    name: declared_name(items, "UNIQUE", &columns).unwrap_or(name),
                    columns,
                    ..UniqueConstraint::default()
                });
            }
            _ => {}
        }
    }
    Ok(())
}

fn read_foreign_keys(
    conn: &Connection,
    ledger_table: &str,
    tables: &mut BTreeMap<String, (Table, Vec<Item>)>,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(&format!(
        "SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete \
         FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE {TABLES} \
         ORDER BY m.name, f.id, f.seq"
    ))?;
    let mut rows = stmt.query([ledger_table])?;
    let mut found: BTreeMap<(String, i64), ForeignKey> = BTreeMap::new();
    while let Some(row) = rows.next()? {
        let table: String = row.get(0)?;
        let id: i64 = row.get(1)?;
        let action = |text: String| FkAction::parse(&text).filter(|a| *a != FkAction::NoAction);
        let fk = found.entry((table.clone(), id)).or_insert(ForeignKey {
            name: String::new(),
            columns: Vec::new(),
            ref_schema: None,
            ref_table: row.get(2)?,
            ref_columns: Vec::new(),
            on_delete: action(row.get(6)?),
            on_update: action(row.get(5)?),
            ..ForeignKey::default()
        });
        fk.columns.push(row.get(3)?);
        // `to` is NULL when the key references the parent's primary key implicitly.
        if let Some(to) = row.get::<_, Option<String>>(4)? {
            fk.ref_columns.push(to);
        }
    }
    for ((table, id), mut fk) in found {
        let Some((t, items)) = tables.get_mut(&table) else {
            continue;
        };
        fk.name = declared_name(items, "FOREIGN", &fk.columns)
            .unwrap_or_else(|| format!("fk_{table}_{id}"));
        t.foreign_keys.push(fk);
    }
    Ok(())
}

/// The name the table's SQL gives a `kind` constraint over `columns`, if any.
fn declared_name(items: &[Item], kind: &str, columns: &[String]) -> Option<String> {
    items.iter().find_map(|item| match item {
        Item::Constraint {
            name: Some(name),
            kind: k,
            group,
        } if k == kind && table_sql::column_list(group) == columns => Some(name.clone()),
        _ => None,
    })
}

/// Check constraints, and enum columns (`TEXT` with `CHECK (col IN (...))`).
fn apply_items(table: &mut Table, items: &[Item], enums: &mut Vec<EnumType>) {
    let mut unnamed = 0;
    for item in items {
        match item {
            Item::Column {
                name,
                enum_values: Some(values),
                check_name,
                ..
            } => {
                if let Some(column) = table.columns.iter_mut().find(|c| &c.name == name) {
                    // The check is named after the enum type. An unnamed one (written
                    // by hand, or by an older version), or one whose values differ
                    // from another column's of that name, gets a name of its own.
                    let own = format!("{}.{name}", table.name);
                    let enum_name = match check_name {
                        Some(n) if enums.iter().all(|e| &e.name != n || &e.variants == values) => {
                            n.clone()
                        }
                        _ => own,
                    };
                    column.ty = ColumnType::Enum(enum_name.clone());
                    if !enums.iter().any(|e| e.name == enum_name) {
                        enums.push(EnumType {
                            name: enum_name,
                            variants: values.clone(),
                        });
                    }
                }
            }
            Item::Column {
                name,
                check: Some(expr),
                enum_values: None,
                check_name,
            } => table.checks.push(CheckConstraint {
                name: check_name
                    .clone()
                    .unwrap_or_else(|| format!("ck_{}_{name}", table.name)),
                expr: expr.clone(),
                not_valid: false,
            }),
            Item::Constraint { name, kind, group } if kind == "CHECK" => {
                unnamed += usize::from(name.is_none());
                table.checks.push(CheckConstraint {
                    name: name
                        .clone()
                        .unwrap_or_else(|| format!("ck_{}_{unnamed}", table.name)),
                    expr: group.clone(),
                    not_valid: false,
                });
            }
            _ => {}
        }
    }
}
