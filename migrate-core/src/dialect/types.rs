//! Column types per dialect: the name each database gives a [`ColumnType`], and
//! the key by which two spellings of one type compare equal.

use super::quote::{quote_ident, quote_literal_in};
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
/// `DECIMAL` without precision is `DECIMAL(10, 0)` on MySQL, which would round
/// every fraction away, so an unconstrained numeric (`rust_decimal::Decimal`)
/// takes MySQL's widest, `DECIMAL(65, 30)`.
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
        ColumnType::Numeric(None) => "DECIMAL(65, 30)".into(),
        ColumnType::Numeric(Some((p, s))) => format!("DECIMAL({p}, {s})"),
        ColumnType::Custom(sql) => sql.clone(),
    }
}

/// Reads a type as MySQL's `information_schema.COLUMNS.COLUMN_TYPE` reports it
/// (or a model's `sql_type` spells it for MySQL): integer display widths go
/// (`int(11)` is `INT`), `tinyint(1)` is MySQL's `BOOLEAN`, `datetime(6)` is the
/// timestamp `migrate` writes, `longblob` its blob. An `enum(...)` comes back as
/// [`ColumnType::Custom`]; its values are read with [`parse_mysql_enum`].
///
/// ```
/// use migrate_core::dialect::parse_mysql_type;
/// use migrate_core::schema::ColumnType;
/// assert_eq!(parse_mysql_type("int(11)"), ColumnType::Integer);
/// assert_eq!(parse_mysql_type("tinyint(1)"), ColumnType::Boolean);
/// assert_eq!(parse_mysql_type("bigint(20) unsigned"), ColumnType::Custom("BIGINT UNSIGNED".into()));
/// assert_eq!(parse_mysql_type("decimal(10,2)"), ColumnType::Numeric(Some((10, 2))));
/// ```
pub fn parse_mysql_type(text: &str) -> ColumnType {
    let lower = text.trim().to_ascii_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let (base, modifiers) = match words.split_first() {
        Some((base, rest)) => (*base, rest.join(" ")),
        None => return ColumnType::Custom(text.trim().to_string()),
    };
    let (name, args) = match base.split_once('(') {
        Some((name, rest)) => (name, rest.strip_suffix(')')),
        None => (base, None),
    };
    let integer = matches!(
        name,
        "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint"
    );
    if name == "enum" || name == "set" {
        return ColumnType::Custom(text.trim().to_string());
    }
    if !modifiers.is_empty() {
        if integer {
            // A display width means nothing: `int(10) unsigned` is `INT UNSIGNED`.
            return ColumnType::Custom(format!("{name} {modifiers}").to_ascii_uppercase());
        }
        // `double precision` and the like, in standard SQL.
        return parse_type(text);
    }
    match (name, args) {
        ("tinyint", Some("1")) | ("bool" | "boolean", None) => ColumnType::Boolean,
        ("tinyint", _) => ColumnType::Custom("TINYINT".into()),
        ("mediumint", _) => ColumnType::Custom("MEDIUMINT".into()),
        ("smallint", _) => ColumnType::SmallInt,
        ("int" | "integer", _) => ColumnType::Integer,
        ("bigint", _) => ColumnType::BigInt,
        ("float", None) => ColumnType::Real,
        ("double" | "real", None) => ColumnType::Double,
        ("text", None) => ColumnType::Text,
        ("longblob", None) => ColumnType::Blob,
        ("date", None) => ColumnType::Date,
        ("time", None) => ColumnType::Time,
        ("datetime", Some("6")) => ColumnType::Timestamp,
        ("json", None) => ColumnType::Json,
        ("decimal" | "numeric", _) => match args.map(|a| {
            a.split(',')
                .map(|n| n.trim().parse::<u32>().ok())
                .collect::<Option<Vec<u32>>>()
        }) {
            None => ColumnType::Numeric(Some((10, 0))),
            Some(Some(n)) if n.len() == 1 => ColumnType::Numeric(Some((n[0], 0))),
            Some(Some(n)) if n.len() == 2 => ColumnType::Numeric(Some((n[0], n[1]))),
            _ => ColumnType::Custom(text.trim().to_string()),
        },
        ("varchar", Some(n)) => match n.trim().parse() {
            Ok(n) => ColumnType::Varchar(n),
            Err(_) => ColumnType::Custom(text.trim().to_string()),
        },
        _ => match parse_type(text) {
            ColumnType::Custom(_) => ColumnType::Custom(text.trim().to_ascii_uppercase()),
            known => known,
        },
    }
}

/// The values of a MySQL `enum('a','it''s')` type as `COLUMN_TYPE` reports it, or
/// `None` when `text` is not an enum.
///
/// ```
/// use migrate_core::dialect::parse_mysql_enum;
/// assert_eq!(parse_mysql_enum("enum('calm','it''s')").unwrap(), ["calm", "it's"]);
/// assert_eq!(parse_mysql_enum("text"), None);
/// ```
pub fn parse_mysql_enum(text: &str) -> Option<Vec<String>> {
    let trimmed = text.trim();
    let head = trimmed.get(..5)?;
    if !head.eq_ignore_ascii_case("enum(") {
        return None;
    }
    let inner = trimmed[5..].strip_suffix(')')?;
    let mut values = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ',' || c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            None => return Some(values),
            Some('\'') => {}
            Some(_) => return None,
        }
        let mut value = String::new();
        loop {
            match chars.next()? {
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    value.push('\'');
                }
                '\'' => break,
                '\\' => value.push(chars.next()?),
                c => value.push(c),
            }
        }
        values.push(value);
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
    let ty = match (ty, dialect) {
        (ColumnType::Custom(text), Dialect::Mysql) => match parse_mysql_enum(text) {
            Some(values) => return enum_type_sql(&values),
            None => parse_mysql_type(text),
        },
        (ColumnType::Custom(text), _) => parse_type(text),
        (other, _) => other.clone(),
    };
    match (&ty, dialect) {
        // MySQL stores an enum as its list of values: the type's name is gone.
        (ColumnType::Enum(name), Dialect::Mysql) => {
            let values = enums
                .iter()
                .find(|e| &e.name == name)
                .map(|e| e.variants.clone())
                .unwrap_or_default();
            enum_type_sql(&values)
        }
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

/// MySQL's inline enum column type: `ENUM('a', 'b')`.
pub(crate) fn enum_type_sql(values: &[String]) -> String {
    let list: Vec<String> = values
        .iter()
        .map(|v| quote_literal_in(v, Dialect::Mysql))
        .collect();
    format!("ENUM({})", list.join(", "))
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
    fn mysql_spellings_share_a_key() {
        let key = |ty: ColumnType| type_key(&ty, &[], Dialect::Mysql);
        let custom = |text: &str| key(ColumnType::Custom(text.into()));
        assert_eq!(custom("int(11)"), key(ColumnType::Integer));
        assert_eq!(custom("tinyint(1)"), key(ColumnType::Boolean));
        assert_eq!(custom("bigint(20)"), key(ColumnType::BigInt));
        assert_eq!(custom("decimal(65,30)"), key(ColumnType::Numeric(None)));
        assert_eq!(custom("datetime(6)"), key(ColumnType::Timestamp));
        assert_eq!(custom("datetime(6)"), key(ColumnType::TimestampTz));
        assert_ne!(custom("tinyint(4)"), key(ColumnType::Boolean));
        assert_ne!(custom("int(10) unsigned"), key(ColumnType::Integer));
        let mood = EnumType {
            name: "mood".into(),
            variants: vec!["calm".into(), "it's".into()],
        };
        assert_eq!(
            type_key(&ColumnType::Enum("mood".into()), &[mood], Dialect::Mysql),
            custom("enum('calm','it''s')")
        );
        assert_eq!(parse_mysql_enum("enum('a\\\\b','')").unwrap(), ["a\\b", ""]);
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
