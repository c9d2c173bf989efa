//! SQLite's DDL: its type names, and its quirks (no enum types, no comments,
//! constraints only inline; see the capability flags on [`Dialect`](super::Dialect)).

use crate::schema::ColumnType;

/// The SQLite type for a column type. SQLite stores by affinity, so sizes are
/// informational, but they are kept so the schema reads as declared.
pub fn type_sql(ty: &ColumnType) -> String {
    match ty {
        ColumnType::Boolean => "BOOLEAN".into(),
        ColumnType::SmallInt => "SMALLINT".into(),
        // `INTEGER PRIMARY KEY` is SQLite's rowid alias: an i64 key must say INTEGER.
        ColumnType::Integer | ColumnType::BigInt => "INTEGER".into(),
        ColumnType::Real => "REAL".into(),
        ColumnType::Double => "DOUBLE".into(),
        ColumnType::Text | ColumnType::Enum(_) | ColumnType::Uuid | ColumnType::Json => {
            "TEXT".into()
        }
        ColumnType::Varchar(n) => format!("VARCHAR({n})"),
        ColumnType::Blob => "BLOB".into(),
        ColumnType::Date => "DATE".into(),
        ColumnType::Time => "TIME".into(),
        ColumnType::Timestamp | ColumnType::TimestampTz => "TIMESTAMP".into(),
        ColumnType::Numeric(None) => "NUMERIC".into(),
        ColumnType::Numeric(Some((p, s))) => format!("NUMERIC({p}, {s})"),
        ColumnType::Custom(sql) => sql.clone(),
    }
}

/// What a type SQLite reports means elsewhere. SQLite stores every integer in up
/// to 64 bits, and autogenerate writes both `i32` and `i64` as `INTEGER`, so an
/// `INTEGER` no model describes any more is read as `BIGINT`: it holds whatever
/// the column held.
pub fn portable_type(ty: &ColumnType) -> ColumnType {
    match ty {
        ColumnType::Integer => ColumnType::BigInt,
        other => other.clone(),
    }
}
