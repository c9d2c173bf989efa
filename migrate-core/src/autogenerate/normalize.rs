//! What counts as "the same" when a model meets a database: types compared after
//! normalisation (`int4` = `integer` = `i32`), defaults compared after stripping
//! casts and redundant parentheses (alembic#1454), and each dialect's blind spots
//! (SQLite has no enum types or comments) taken out of both sides.

use crate::dialect::{column_type_sql, Dialect};
use crate::schema::{Column, ColumnType, EnumType, FkAction, Schema, Table};

/// Parses a type as a database reports it or a model's `sql_type` spells it.
/// Unknown types come back as [`ColumnType::Custom`], as written.
///
/// ```
/// use migrate_core::autogenerate::parse_type;
/// use migrate_core::schema::ColumnType;
/// assert_eq!(parse_type("int4"), ColumnType::Integer);
/// assert_eq!(parse_type("character varying(40)"), ColumnType::Varchar(40));
/// assert_eq!(parse_type("NUMERIC(10, 2)"), ColumnType::Numeric(Some((10, 2))));
/// assert_eq!(parse_type("point"), ColumnType::Custom("point".into()));
/// ```
pub fn parse_type(text: &str) -> ColumnType {
    let lower = text.trim().to_ascii_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let lower = words.join(" ");
    let (base, args) = match lower.split_once('(') {
        Some((base, rest)) => (base.trim(), rest.strip_suffix(')').map(str::trim)),
        None => (lower.as_str(), None),
    };
    let numbers: Option<Vec<u32>> = args
        .map(|a| {
            a.split(',')
                .map(|n| n.trim().parse().ok())
                .collect::<Option<Vec<u32>>>()
        })
        .unwrap_or(Some(Vec::new()));
    match (base, numbers.as_deref()) {
        ("boolean" | "bool", Some([])) => ColumnType::Boolean,
        ("smallint" | "int2", Some([])) => ColumnType::SmallInt,
        ("integer" | "int" | "int4", Some([])) => ColumnType::Integer,
        ("bigint" | "int8", Some([])) => ColumnType::BigInt,
        ("real" | "float4", Some([])) => ColumnType::Real,
        ("double precision" | "double" | "float8", Some([])) => ColumnType::Double,
        ("text", Some([])) => ColumnType::Text,
        ("varchar" | "character varying", Some([n])) => ColumnType::Varchar(*n),
        ("bytea" | "blob", Some([])) => ColumnType::Blob,
        ("date", Some([])) => ColumnType::Date,
        ("time" | "time without time zone", Some([])) => ColumnType::Time,
        ("timestamp" | "timestamp without time zone", Some([])) => ColumnType::Timestamp,
        ("timestamptz" | "timestamp with time zone", Some([])) => ColumnType::TimestampTz,
        ("uuid", Some([])) => ColumnType::Uuid,
        ("jsonb", Some([])) => ColumnType::Json,
        ("numeric" | "decimal", Some([])) => ColumnType::Numeric(None),
        ("numeric" | "decimal", Some([p, s])) => ColumnType::Numeric(Some((*p, *s))),
        _ => ColumnType::Custom(text.trim().to_string()),
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

/// A default expression in a canonical spelling: outer parentheses and `::type`
/// casts removed, keywords lower-cased (quoted text kept), quoted numbers unquoted,
/// and sequence defaults (`nextval(...)`, which serial columns get) dropped.
///
/// ```
/// use migrate_core::autogenerate::normalize_default;
/// assert_eq!(normalize_default("('active'::character varying)"), Some("'active'".into()));
/// assert_eq!(normalize_default("'-1'::integer"), normalize_default("-1"));
/// assert_eq!(normalize_default("CURRENT_TIMESTAMP"), Some("current_timestamp".into()));
/// assert_eq!(normalize_default("nextval('t_id_seq'::regclass)"), None);
/// assert_eq!(normalize_default("'on'::\"my status\""), Some("'on'".into()));
/// ```
pub fn normalize_default(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = text.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                out.push(c);
                while let Some(q) = chars.next() {
                    out.push(q);
                    if q == '\'' {
                        if chars.peek() == Some(&'\'') {
                            out.push('\'');
                            chars.next();
                        } else {
                            break;
                        }
                    }
                }
            }
            ':' if chars.peek() == Some(&':') => {
                chars.next();
                skip_type_name(&mut chars);
            }
            c if c.is_whitespace() => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
            c => out.push(c.to_ascii_lowercase()),
        }
    }
    let mut text = out.trim().to_string();
    while let Some(inner) = strip_outer_parens(&text) {
        text = inner.trim().to_string();
    }
    if text.starts_with("nextval(") || text.is_empty() {
        return None;
    }
    // `'-1'` (how PostgreSQL shows a negative number) is the number -1.
    if let Some(inner) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        if !inner.is_empty() && inner.parse::<f64>().is_ok() {
            return Some(inner.to_string());
        }
    }
    Some(text)
}

/// Skips the type name after `::`: words, quotes, dots, `[]`, the second word of
/// `double precision` and the like, and a `(n)`.
fn skip_type_name(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(&t) = chars.peek() {
        if t == '"' {
            // A quoted type name, spaces and all.
            chars.next();
            for q in chars.by_ref() {
                if q == '"' {
                    break;
                }
            }
            continue;
        }
        let more = t.is_alphanumeric()
            || matches!(t, '_' | '.' | '[' | ']')
            || (t == ' ' && type_continues(chars));
        if !more {
            break;
        }
        chars.next();
    }
    if chars.peek() == Some(&'(') {
        for t in chars.by_ref() {
            if t == ')' {
                break;
            }
        }
    }
}

/// After a space inside a cast: does the type name go on (`double precision`,
/// `character varying`, `time with time zone`)?
fn type_continues(chars: &std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    let rest: String = chars.clone().skip(1).take(9).collect();
    ["precision", "varying", "with", "without", "time", "zone"]
        .iter()
        .any(|w| rest.to_ascii_lowercase().starts_with(w))
}

/// `(x)` → `x` when the parentheses enclose the whole text.
fn strip_outer_parens(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('(')?.strip_suffix(')')?;
    let mut depth = 0i32;
    let mut quoted = false;
    for c in inner.chars() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
            }
            _ => {}
        }
    }
    (depth == 0).then_some(inner)
}

/// A column as the dialect can see it: its type as stored, a primary-key column
/// NOT NULL whatever the model says, its default in canonical spelling, and no
/// comment where the dialect keeps none. Two columns are the same when these are.
fn normalize_column(
    column: &Column,
    enums: &[EnumType],
    primary_key: bool,
    dialect: Dialect,
) -> Column {
    Column {
        name: column.name.clone(),
        ty: ColumnType::Custom(type_key(&column.ty, enums, dialect)),
        nullable: column.nullable && !primary_key,
        default: column.default.as_deref().and_then(normalize_default),
        comment: column.comment.clone().filter(|_| dialect.has_comments()),
    }
}

/// Whether two columns differ in a way the dialect can see.
pub fn column_differs(
    db: &Column,
    db_enums: &[EnumType],
    model: &Column,
    model_enums: &[EnumType],
    primary_key: bool,
    dialect: Dialect,
) -> bool {
    normalize_column(db, db_enums, primary_key, dialect)
        != normalize_column(model, model_enums, primary_key, dialect)
}

/// A foreign-key action, with "none given" meaning `NO ACTION`.
pub fn fk_action(action: Option<FkAction>) -> FkAction {
    action.unwrap_or(FkAction::NoAction)
}

/// `schema` as `dialect` can represent it, in a canonical order: what a database
/// of that dialect, introspected, should equal. Used to compare whole schemas in
/// tests: `normalize_schema(introspected) == normalize_schema(models)`.
pub fn normalize_schema(schema: &Schema, dialect: Dialect) -> Schema {
    let mut tables: Vec<Table> = schema
        .tables
        .iter()
        .map(|t| normalize_table(t, &schema.enums, dialect))
        .collect();
    tables.sort_by_key(Table::qualified_name);
    let enums = if dialect.has_enum_types() {
        let mut enums = schema.enums.clone();
        enums.sort_by(|a, b| a.name.cmp(&b.name));
        enums
    } else {
        Vec::new()
    };
    Schema { tables, enums }
}

fn normalize_table(table: &Table, enums: &[EnumType], dialect: Dialect) -> Table {
    let mut t = table.clone();
    t.columns = table
        .columns
        .iter()
        .map(|c| normalize_column(c, enums, table.primary_key.contains(&c.name), dialect))
        .collect();
    if !dialect.has_comments() {
        t.comment = None;
    }
    for fk in &mut t.foreign_keys {
        fk.on_delete = Some(fk_action(fk.on_delete));
        fk.on_update = Some(fk_action(fk.on_update));
    }
    // Check expressions are compared by name only: databases rewrite them.
    for check in &mut t.checks {
        check.expr.clear();
    }
    // Column order is not compared: a dropped column that a downgrade adds back
    // comes last, and neither database reorders columns.
    t.columns.sort_by(|a, b| a.name.cmp(&b.name));
    t.uniques.sort_by(|a, b| a.name.cmp(&b.name));
    t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
    t.checks.sort_by(|a, b| a.name.cmp(&b.name));
    for index in &mut t.indexes {
        index.predicate = index.predicate.as_deref().and_then(normalize_default);
    }
    t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
    t
}
