//! PostgreSQL's DDL: type names, enum types and comments.

use super::ddl::{quote_ident, quote_literal};
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

/// `COMMENT ON` statements for a table and its columns.
pub fn comment_sql(table: &Table) -> Vec<String> {
    let name = match &table.schema {
        Some(schema) => format!("{}.{}", quote_ident(schema), quote_ident(&table.name)),
        None => quote_ident(&table.name),
    };
    let mut out = Vec::new();
    if let Some(comment) = &table.comment {
        out.push(format!(
            "COMMENT ON TABLE {name} IS {}",
            quote_literal(comment)
        ));
    }
    for column in &table.columns {
        if let Some(comment) = &column.comment {
            out.push(format!(
                "COMMENT ON COLUMN {name}.{} IS {}",
                quote_ident(&column.name),
                quote_literal(comment)
            ));
        }
    }
    let _ = Dialect::Postgres;
    out
}
