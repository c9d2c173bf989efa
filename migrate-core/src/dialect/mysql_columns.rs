//! What MySQL's `CREATE TABLE` needs to know about one column or index key:
//! whether a key column auto-increments, and how a key covers a `TEXT` column.
//! Shared by the common DDL (`ddl.rs`) and MySQL's own rendering (`mysql.rs`).

use super::quote::quote_ident_in;
use super::types::type_key;
use super::Dialect;
use crate::schema::{Column, ColumnType, Generation, Index, IndexKey, Table};

const MYSQL: Dialect = Dialect::Mysql;

/// How many leading characters (bytes for a blob) of a `TEXT` or `BLOB` column a
/// plain index covers: 255 `utf8mb4` characters are 1,020 bytes, within the
/// 3,072-byte key limit of InnoDB's default (`DYNAMIC`) row format.
pub const KEY_LENGTH: u32 = 255;

/// Whether `column` of `table` gets `AUTO_INCREMENT` (see the module documentation).
pub(crate) fn auto_increment(table: &Table, column: &Column) -> bool {
    table.primary_key.len() == 1
        && table.primary_key[0] == column.name
        && matches!(
            column.ty,
            ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
        )
        && column.default.is_none()
        && !table
            .foreign_keys
            .iter()
            .any(|fk| fk.columns.contains(&column.name))
        // MySQL refuses a check or a generated column on an auto-incremented
        // column.
        && !table.checks.iter().any(|c| mentions(&c.expr, &column.name))
        && !table.columns.iter().any(|c| match &c.generated {
            Some(Generation::Stored(expr) | Generation::Virtual(expr)) => {
                mentions(expr, &column.name)
            }
            _ => false,
        })
}

/// Whether the SQL `expr` names `column` (MySQL's column names ignore case).
/// Conservative: a string literal with the same word counts too.
fn mentions(expr: &str, column: &str) -> bool {
    expr.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .any(|word| word.eq_ignore_ascii_case(column))
}

/// Whether MySQL indexes a column of this type only by a prefix.
pub(crate) fn needs_key_length(ty: &ColumnType) -> bool {
    let key = type_key(ty, &[], MYSQL);
    key.ends_with("TEXT") || key.ends_with("BLOB") || key == "JSON"
}

/// One key of an index of `table`: the column, quoted, with [`KEY_LENGTH`] when
/// it is a `TEXT` or `BLOB` column of a plain (not unique) index, and `DESC`;
/// an expression in parentheses (MySQL 8.0.13 and later).
pub(crate) fn key_part(table: &Table, index: &Index, key: &IndexKey) -> String {
    let mut sql = if key.expression {
        format!("({})", key.sql)
    } else {
        quote_ident_in(&key.sql, MYSQL)
    };
    let prefix = !key.expression
        && !index.unique
        && table
            .column(&key.sql)
            .is_some_and(|c| needs_key_length(&c.ty));
    if prefix {
        sql.push_str(&format!("({KEY_LENGTH})"));
    }
    if key.descending {
        sql.push_str(" DESC");
    }
    sql
}
