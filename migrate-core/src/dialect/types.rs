//! Column types per dialect: the name each database gives a [`ColumnType`], and
//! the key by which two spellings of one type compare equal.

use super::quote::quote_ident;
use super::Dialect;
use crate::schema::{parse_type, ColumnType, EnumType};

/// The SQL type of a column.
pub fn column_type_sql(ty: &ColumnType, dialect: Dialect) -> String {
    match dialect {
        Dialect::Sqlite => sqlite_type(ty),
        Dialect::Postgres => postgres_type(ty),
        Dialect::Mysql => mysql_type(ty),
    }
}

/// MySQL's type. `BOOLEAN` is MySQL's alias of `TINYINT(1)`; a model enum is an
/// inline `ENUM(...)` column, which needs the enum's values: without them (this
/// function sees only the type) it is `TEXT`, and the dialect's DDL writes the list.
fn mysql_type(ty: &ColumnType) -> String {
    match ty {
        ColumnType::Boolean => "BOOLEAN".into(),
        ColumnType::SmallInt => "SMALLINT".into(),
        ColumnType::Integer => "INT".into(),
        ColumnType::BigInt => "BIGINT".into(),
        ColumnType::Real => "FLOAT".into(),
        ColumnType::Double => "DOUBLE".into(),
        ColumnType::Text | ColumnType::Enum(_) => "TEXT".into(),
        ColumnType::Varchar(n) => format!("VARCHAR({n})"),
        ColumnType::Blob => "LONGBLOB".into(),
        ColumnType::Date => "DATE".into(),
        ColumnType::Time => "TIME".into(),
        ColumnType::Timestamp | ColumnType::TimestampTz => "DATETIME(6)".into(),
        ColumnType::Uuid => "CHAR(36)".into(),
        ColumnType::Json => "JSON".into(),
        ColumnType::Numeric(None) => "DECIMAL".into(),
        ColumnType::Numeric(Some((p, s))) => format!("DECIMAL({p}, {s})"),
        ColumnType::Custom(sql) => sql.clone(),
    }
}

/// PostgreSQL's type: the canonical spelling, with an enum type's name quoted.
fn postgres_type(ty: &ColumnType) -> String {
    match ty {
        ColumnType::Enum(name) => quote_ident(name),
        other => other.to_string(),
    }
}

/// SQLite's type. SQLite stores by affinity, so sizes are informational, but
/// they are kept so the schema reads as declared.
fn sqlite_type(ty: &ColumnType) -> String {
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

/// What a type read from a `dialect` database means in every dialect.
/// PostgreSQL's types already say it. SQLite stores every integer in up to 64
/// bits, and autogenerate writes both `i32` and `i64` as `INTEGER`, so an
/// `INTEGER` no model describes any more is read as `BIGINT`: it holds whatever
/// the column held.
pub fn portable_type(ty: &ColumnType, dialect: Dialect) -> ColumnType {
    match (ty, dialect) {
        (ColumnType::Integer, Dialect::Sqlite) => ColumnType::BigInt,
        (other, _) => other.clone(),
    }
}

/// The type as the dialect would store it, so two spellings of one type compare
/// equal. On SQLite an enum is `TEXT` plus its values, which its `CHECK` enforces.
pub fn type_key(ty: &ColumnType, enums: &[EnumType], dialect: Dialect) -> String {
    let ty = match ty {
        ColumnType::Custom(text) => parse_type(text),
        other => other.clone(),
    };
    match (&ty, dialect) {
        (ColumnType::Enum(name), Dialect::Sqlite) => {
            let values = enums
                .iter()
                .find(|e| &e.name == name)
                .map(|e| e.variants.join("', '"))
                .unwrap_or_default();
            format!("TEXT IN ('{values}')")
        }
        _ => column_type_sql(&ty, dialect)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_uppercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_per_dialect() {
        let enum_type = ColumnType::Enum("Mood".into());
        assert_eq!(column_type_sql(&enum_type, Dialect::Postgres), "\"Mood\"");
        assert_eq!(column_type_sql(&enum_type, Dialect::Sqlite), "TEXT");
        assert_eq!(
            column_type_sql(&ColumnType::BigInt, Dialect::Sqlite),
            "INTEGER"
        );
        assert_eq!(
            column_type_sql(&ColumnType::Double, Dialect::Sqlite),
            "DOUBLE"
        );
        let numeric = ColumnType::Numeric(Some((10, 2)));
        for dialect in [Dialect::Sqlite, Dialect::Postgres] {
            assert_eq!(column_type_sql(&numeric, dialect), "NUMERIC(10, 2)");
        }
        assert_eq!(column_type_sql(&numeric, Dialect::Mysql), "DECIMAL(10, 2)");
    }

    #[test]
    fn spellings_of_one_type_share_a_key() {
        let custom = ColumnType::Custom("character varying(40)".into());
        for dialect in Dialect::ALL {
            assert_eq!(
                type_key(&custom, &[], dialect),
                type_key(&ColumnType::Varchar(40), &[], dialect)
            );
        }
    }
}
