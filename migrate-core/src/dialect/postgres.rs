//! PostgreSQL's DDL: type names, enum types and comments.

use super::ddl::{qualified, quote_ident, quote_literal};
use super::Dialect;
use crate::schema::{ColumnType, EnumType, Table};

/// The PostgreSQL type for a column type.
pub fn type_sql(ty: &ColumnType) -> String {
    match ty {
        ColumnType::Boolean => "BOOLEAN".into(),
        ColumnType::SmallInt => "SMALLINT".into(),
        ColumnType::Integer => "INTEGER".into(),
        ColumnType::BigInt => "BIGINT".into(),
        ColumnType::Real => "REAL".into(),
        ColumnType::Double => "DOUBLE PRECISION".into(),
        ColumnType::Text => "TEXT".into(),
        ColumnType::Varchar(n) => format!("VARCHAR({n})"),
        ColumnType::Blob => "BYTEA".into(),
        ColumnType::Date => "DATE".into(),
        ColumnType::Time => "TIME".into(),
        ColumnType::Timestamp => "TIMESTAMP".into(),
        ColumnType::TimestampTz => "TIMESTAMPTZ".into(),
        ColumnType::Uuid => "UUID".into(),
        ColumnType::Json => "JSONB".into(),
        ColumnType::Numeric(None) => "NUMERIC".into(),
        ColumnType::Numeric(Some((p, s))) => format!("NUMERIC({p}, {s})"),
        ColumnType::Enum(name) => quote_ident(name),
        ColumnType::Custom(sql) => sql.clone(),
    }
}

/// `CREATE TYPE name AS ENUM (...)`.
pub fn create_enum_sql(e: &EnumType) -> String {
    let values: Vec<String> = e.variants.iter().map(|v| quote_literal(v)).collect();
    format!(
        "CREATE TYPE {} AS ENUM ({})",
        quote_ident(&e.name),
        values.join(", ")
    )
}

/// `COMMENT ON <object> IS '...'`, or `IS NULL` to remove a comment.
pub(crate) fn comment_on(object: &str, comment: Option<&str>) -> String {
    format!(
        "COMMENT ON {object} IS {}",
        comment.map_or_else(|| "NULL".to_string(), quote_literal)
    )
}

/// `COMMENT ON` statements for a table and its columns.
pub fn comment_sql(table: &Table) -> Vec<String> {
    let name = qualified(table.schema.as_deref(), &table.name, Dialect::Postgres);
    let mut out = Vec::new();
    if let Some(comment) = &table.comment {
        out.push(comment_on(&format!("TABLE {name}"), Some(comment)));
    }
    for column in &table.columns {
        if let Some(comment) = &column.comment {
            let object = format!("COLUMN {name}.{}", quote_ident(&column.name));
            out.push(comment_on(&object, Some(comment)));
        }
    }
    out
}
