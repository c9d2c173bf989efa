//! MySQL's and MariaDB's catalog, `information_schema`, in six queries whatever
//! the number of tables: the server and database, tables, columns, foreign keys,
//! check constraints and index columns, all of the connection's current database.
//!
//! What the catalog reports in MySQL's own spelling is read back as a model
//! would say it, so that a model created on the server reads back as itself:
//! - types through [`parse_mysql_type`] (`int(11)` is `INT`, `tinyint(1)` is a
//!   boolean), an `enum(...)` column as an enum named `table.column` (MySQL keeps
//!   no type name; comparisons go by the values), and on MariaDB a `longtext`
//!   with its automatic `json_valid` check as JSON;
//! - defaults: MariaDB's `NULL` for "none", MySQL 8's unquoted literals quoted,
//!   a boolean's `0`/`1` as `false`/`true`;
//! - a unique index as a unique constraint (MySQL's `TABLE_CONSTRAINTS` does
//!   the same: they are one object there);
//! - the index MySQL creates for a foreign key, named after it, left out: the
//!   key needs it, and no model declares it;
//! - a generated column, stored or virtual, with its expression as the server
//!   spells it (`` `a` + `b` ``: comparisons canonicalise it, a downgrade runs
//!   it) and no default (MySQL reports none for it);
//! - `RESTRICT` and `NO ACTION` as no action given (InnoDB makes no difference);
//! - the key length of an index on a `TEXT` or `BLOB` column dropped (see
//!   [`dialect::mysql`](crate::dialect::mysql)).
//!
//! Character sets and collations are not part of the model, so the defaults a
//! server gives every text column never show as differences.

use std::collections::BTreeMap;

use mysql::prelude::Queryable;
use mysql::{Row, Value};

use crate::dialect::{parse_mysql_enum, parse_mysql_type, quote_literal_in, Dialect};
use crate::schema::{
    CheckConstraint, Column, ColumnType, EnumType, FkAction, ForeignKey, Generation, Index,
    IndexKey, Schema, Table, UniqueConstraint,
};

const SERVER: &str = "SELECT VERSION(), DATABASE()";

const TABLES: &str = "SELECT TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES \
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME";

const COLUMNS: &str = "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, \
     EXTRA, COLUMN_COMMENT, GENERATION_EXPRESSION FROM information_schema.COLUMNS \
     WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION";

const FOREIGN_KEYS: &str = "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, \
     k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE \
     FROM information_schema.KEY_COLUMN_USAGE k \
     JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA \
       AND r.TABLE_NAME = k.TABLE_NAME AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME \
     WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL \
     ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION";

/// MariaDB names a check per table, and says whether it was a column's.
const MARIADB_CHECKS: &str = "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, LEVEL \
     FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() \
     ORDER BY TABLE_NAME, CONSTRAINT_NAME";

/// MySQL (8.0.16 and later) names a check per database; its table is in
/// `TABLE_CONSTRAINTS`.
const MYSQL_CHECKS: &str = "SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE, 'Table' \
     FROM information_schema.TABLE_CONSTRAINTS tc \
     JOIN information_schema.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA \
       AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME \
     WHERE tc.TABLE_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE = 'CHECK' \
     ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME";

const INDEX_COLUMNS: &str = "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART \
     FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
     ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";

/// What introspection needs from a connection: one round trip per call, so the
/// number of queries is something a test can count. Every `mysql` connection
/// (`Conn`, `PooledConn`, `Transaction`) is one.
pub trait Catalog {
    /// Runs one query (text protocol) and returns its rows.
    fn rows(&mut self, sql: &str) -> Result<Vec<Row>, mysql::Error>;
}

impl<Q: Queryable> Catalog for Q {
    fn rows(&mut self, sql: &str) -> Result<Vec<Row>, mysql::Error> {
        self.query(sql)
    }
}

/// A cell as text; `None` for `NULL`. The text protocol sends every value as
/// bytes; numbers are formatted should a caller's connection send them typed.
fn text(row: &Row, i: usize) -> Option<String> {
    match row.as_ref(i)? {
        Value::NULL => None,
        Value::Bytes(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
        Value::Int(n) => Some(n.to_string()),
        Value::UInt(n) => Some(n.to_string()),
        other => Some(other.as_sql(true)),
    }
}

fn string(row: &Row, i: usize) -> String {
    text(row, i).unwrap_or_default()
}

/// Reads every table of the connection's current database but `ledger_table`.
/// Always six queries.
pub fn introspect(conn: &mut impl Catalog, ledger_table: &str) -> Result<Schema, mysql::Error> {
    let server = conn.rows(SERVER)?;
    let mariadb = server
        .first()
        .and_then(|row| text(row, 0))
        .is_some_and(|v| v.contains("MariaDB"));
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    for row in conn.rows(TABLES)? {
        let name = string(&row, 0);
        if name == ledger_table {
            continue;
        }
        let comment = text(&row, 1).filter(|c| !c.is_empty());
        tables.insert(
            name.clone(),
            Table {
                name,
                comment,
                ..Table::default()
            },
        );
    }
    let mut enums: Vec<EnumType> = Vec::new();
    for row in conn.rows(COLUMNS)? {
        let Some(table) = tables.get_mut(&string(&row, 0)) else {
            continue;
        };
        let name = string(&row, 1);
        let column_type = string(&row, 2);
        let ty = match parse_mysql_enum(&column_type) {
            Some(variants) => {
                let enum_name = format!("{}.{name}", table.name);
                enums.push(EnumType {
                    name: enum_name.clone(),
                    variants,
                });
                ColumnType::Enum(enum_name)
            }
            None => parse_mysql_type(&column_type),
        };
        let extra = string(&row, 5);
        let generated = text(&row, 7).and_then(|expr| generation(&extra, expr));
        let default = text(&row, 4)
            .filter(|_| generated.is_none())
            .and_then(|d| default(&d, &ty, &extra, mariadb));
        table.columns.push(Column {
            name,
            ty,
            nullable: string(&row, 3) == "YES",
            default,
            comment: text(&row, 6).filter(|c| !c.is_empty()),
            generated,
            collation: None,
        });
    }
    let mut keys: BTreeMap<(String, String), ForeignKey> = BTreeMap::new();
    for row in conn.rows(FOREIGN_KEYS)? {
        let (table, name) = (string(&row, 0), string(&row, 1));
        let fk = keys
            .entry((table, name.clone()))
            .or_insert_with(|| ForeignKey {
                name,
                columns: Vec::new(),
                ref_schema: None,
                ref_table: string(&row, 3),
                ref_columns: Vec::new(),
                on_update: action(&string(&row, 5)),
                on_delete: action(&string(&row, 6)),
                ..ForeignKey::default()
            });
        fk.columns.push(string(&row, 2));
        fk.ref_columns.push(string(&row, 4));
    }
    for ((table, _), fk) in keys {
        if let Some(t) = tables.get_mut(&table) {
            t.foreign_keys.push(fk);
        }
    }
    let checks = if mariadb {
        MARIADB_CHECKS
    } else {
        MYSQL_CHECKS
    };
    for row in conn.rows(checks)? {
        let Some(table) = tables.get_mut(&string(&row, 0)) else {
            continue;
        };
        let (name, clause) = (string(&row, 1), string(&row, 2));
        // MariaDB's JSON is LONGTEXT with this check, named after the column.
        let json =
            string(&row, 3) == "Column" && clause.replace('`', "") == format!("json_valid({name})");
        match table.columns.iter_mut().find(|c| c.name == name) {
            Some(column) if json => column.ty = ColumnType::Json,
            _ => table.checks.push(CheckConstraint {
                name,
                expr: clause,
                not_valid: false,
            }),
        }
    }
    let mut found: BTreeMap<(String, String), (bool, Vec<String>)> = BTreeMap::new();
    for row in conn.rows(INDEX_COLUMNS)? {
        let entry = found
            .entry((string(&row, 0), string(&row, 1)))
            .or_insert_with(|| (string(&row, 2) == "0", Vec::new()));
        // An expression key part (MySQL 8) has no column name.
        entry.1.push(string(&row, 3));
    }
    for ((table, name), (unique, columns)) in found {
        let Some(t) = tables.get_mut(&table) else {
            continue;
        };
        if name == "PRIMARY" {
            t.primary_key = columns;
        } else if unique {
            t.uniques.push(UniqueConstraint {
                name,
                columns,
                ..UniqueConstraint::default()
            });
        } else if !t
            .foreign_keys
            .iter()
            .any(|fk| fk.name == name && columns.starts_with(&fk.columns))
        {
            t.indexes.push(Index {
                name,
                columns: columns.into_iter().map(IndexKey::from).collect(),
                ..Index::default()
            });
        }
    }
    enums.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Schema {
        tables: tables.into_values().collect(),
        enums,
    })
}

/// A column's default as a model writes it, or `None` for none. MariaDB (10.2.7
/// and later) quotes literals and reports `NULL` for "none"; MySQL reports a
/// literal unquoted, and marks an expression `DEFAULT_GENERATED` in `EXTRA`.
fn default(reported: &str, ty: &ColumnType, extra: &str, mariadb: bool) -> Option<String> {
    let text = if mariadb {
        if reported.eq_ignore_ascii_case("NULL") {
            return None;
        }
        reported.to_string()
    } else {
        let numeric = matches!(
            ty,
            ColumnType::Boolean
                | ColumnType::SmallInt
                | ColumnType::Integer
                | ColumnType::BigInt
                | ColumnType::Real
                | ColumnType::Double
                | ColumnType::Numeric(_)
        );
        if extra.contains("DEFAULT_GENERATED") || numeric {
            reported.to_string()
        } else {
            quote_literal_in(reported, Dialect::Mysql)
        }
    };
    match (ty, text.as_str()) {
        (ColumnType::Boolean, "0") => Some("false".into()),
        (ColumnType::Boolean, "1") => Some("true".into()),
        _ => Some(text),
    }
}

/// A generated column, from `EXTRA` (`STORED GENERATED`, `VIRTUAL GENERATED`;
/// MariaDB before 10.2 said `PERSISTENT` and `VIRTUAL`) and the expression, as
/// the server spells it: a comparison canonicalises it, and a downgrade that
/// recreates the column runs it as it is.
fn generation(extra: &str, expr: String) -> Option<Generation> {
    let extra = extra.to_ascii_uppercase();
    if expr.trim().is_empty() {
        None
    } else if extra.contains("VIRTUAL") {
        Some(Generation::Virtual(expr))
    } else if extra.contains("STORED") || extra.contains("PERSISTENT") {
        Some(Generation::Stored(expr))
    } else {
        None
    }
}

/// `RESTRICT` and `NO ACTION` are one action in InnoDB (and the default), so
/// neither is reported.
fn action(rule: &str) -> Option<FkAction> {
    FkAction::parse(rule).filter(|a| !matches!(a, FkAction::Restrict | FkAction::NoAction))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_read_as_models_write_them() {
        let b = ColumnType::Boolean;
        assert_eq!(default("NULL", &ColumnType::Text, "", true), None);
        assert_eq!(
            default("'x'", &ColumnType::Text, "", true).as_deref(),
            Some("'x'")
        );
        assert_eq!(default("0", &b, "", true).as_deref(), Some("false"));
        assert_eq!(default("1", &b, "", false).as_deref(), Some("true"));
        assert_eq!(
            default("it's", &ColumnType::Text, "", false).as_deref(),
            Some("'it''s'")
        );
        assert_eq!(
            default(
                "CURRENT_TIMESTAMP(6)",
                &ColumnType::Timestamp,
                "DEFAULT_GENERATED",
                false
            )
            .as_deref(),
            Some("CURRENT_TIMESTAMP(6)")
        );
        assert_eq!(action("RESTRICT"), None);
        assert_eq!(
            generation("STORED GENERATED", "`a` + 1".into()),
            Some(Generation::Stored("`a` + 1".into()))
        );
        assert_eq!(
            generation("VIRTUAL GENERATED", "`a` + 1".into()),
            Some(Generation::Virtual("`a` + 1".into()))
        );
        assert_eq!(
            generation("PERSISTENT", "a".into()),
            Some(Generation::Stored("a".into()))
        );
        // MySQL 8 reports an empty expression for every other column.
        assert_eq!(generation("", String::new()), None);
        assert_eq!(generation("DEFAULT_GENERATED", "now()".into()), None);
        assert_eq!(action("CASCADE"), Some(FkAction::Cascade));
    }
}
