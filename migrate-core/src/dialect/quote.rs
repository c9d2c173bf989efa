//! Quoting identifiers and literals: the one place that knows how, for every
//! dialect. SQLite and PostgreSQL take standard double-quoted identifiers;
//! MySQL reads `"x"` as a string (unless the session sets `ANSI_QUOTES`), so
//! its identifiers take backticks, and its literals escape backslashes too.
//!
//! Two ways to quote an identifier, for two readers: [`quote_ident`] quotes only
//! when it must, so generated DDL reads as a person would write it;
//! [`quote_ident_always`] quotes every time, for the ledger statements that
//! `migrate` runs itself. Both speak standard SQL; [`quote_ident_in`],
//! [`quote_ident_always_in`] and [`quote_literal_in`] are their dialect-aware
//! forms, which the DDL of every dialect goes through.

use super::Dialect;

/// Words that must be quoted as identifiers in either dialect.
const RESERVED: &[&str] = &[
    "abort",
    "all",
    "alter",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "binary",
    "both",
    "by",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "delete",
    "desc",
    "distinct",
    "do",
    "drop",
    "else",
    "end",
    "escape",
    "except",
    "exists",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "glob",
    "grant",
    "group",
    "having",
    "if",
    "ilike",
    "in",
    "index",
    "initially",
    "inner",
    "insert",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "key",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "match",
    "natural",
    "not",
    "notnull",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "regexp",
    "returning",
    "right",
    "select",
    "session_user",
    "set",
    "similar",
    "some",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "to",
    "trailing",
    "transaction",
    "trigger",
    "true",
    "union",
    "unique",
    "update",
    "user",
    "using",
    "values",
    "variadic",
    "verbose",
    "view",
    "when",
    "where",
    "window",
    "with",
];

/// An identifier, quoted only when it must be: anything but a lowercase word
/// (`[a-z_][a-z0-9_]*`) that is not reserved is wrapped in double quotes, with
/// inner quotes doubled. For the DDL that `migrate` writes into revisions, which
/// people read.
///
/// ```
/// use migrate_core::dialect::quote_ident;
/// assert_eq!(quote_ident("users"), "users");
/// assert_eq!(quote_ident("user"), "\"user\"");
/// assert_eq!(quote_ident("Mixed Case"), "\"Mixed Case\"");
/// assert_eq!(quote_ident("say \"hi\""), "\"say \"\"hi\"\"\"");
/// ```
pub fn quote_ident(name: &str) -> String {
    let plain = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && RESERVED.binary_search(&name).is_err();
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// An identifier, always in double quotes, with inner quotes doubled. For the
/// statements `migrate` runs itself (the ledger's): the name comes from
/// configuration, and quoting it every time keeps them right whatever it is,
/// without relying on the list of reserved words being complete.
///
/// ```
/// use migrate_core::dialect::quote_ident_always;
/// assert_eq!(quote_ident_always("migrate_version"), "\"migrate_version\"");
/// assert_eq!(quote_ident_always("say \"hi\""), "\"say \"\"hi\"\"\"");
/// ```
pub fn quote_ident_always(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `'text'` with inner quotes doubled.
///
/// ```
/// use migrate_core::dialect::quote_literal;
/// assert_eq!(quote_literal("it's"), "'it''s'");
/// ```
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// An identifier as `dialect` reads it, quoted only when it must be on SQLite
/// and PostgreSQL ([`quote_ident`]). On MySQL always in backticks, as MySQL's
/// own `SHOW CREATE TABLE` writes it: its list of reserved words is long and
/// grows with each server version (`rank` in MySQL 8, `offset` in MariaDB
/// 10.6), so quoting every name keeps a revision valid on the next server too.
///
/// ```
/// use migrate_core::dialect::quote_ident_in;
/// use migrate_core::Dialect;
/// assert_eq!(quote_ident_in("users", Dialect::Postgres), "users");
/// assert_eq!(quote_ident_in("users", Dialect::Mysql), "`users`");
/// assert_eq!(quote_ident_in("a`b", Dialect::Mysql), "`a``b`");
/// ```
pub fn quote_ident_in(name: &str, dialect: Dialect) -> String {
    match dialect {
        Dialect::Mysql => quote_ident_always_in(name, dialect),
        Dialect::Sqlite | Dialect::Postgres => quote_ident(name),
    }
}

/// An identifier always quoted, as `dialect` reads it: backticks on MySQL, double
/// quotes elsewhere ([`quote_ident_always`]), inner quote characters doubled. For
/// the statements `migrate` runs itself (the ledger's).
///
/// ```
/// use migrate_core::dialect::quote_ident_always_in;
/// use migrate_core::Dialect;
/// assert_eq!(quote_ident_always_in("migrate_version", Dialect::Mysql), "`migrate_version`");
/// assert_eq!(quote_ident_always_in("migrate_version", Dialect::Sqlite), "\"migrate_version\"");
/// ```
pub fn quote_ident_always_in(name: &str, dialect: Dialect) -> String {
    match dialect {
        Dialect::Mysql => format!("`{}`", name.replace('`', "``")),
        Dialect::Sqlite | Dialect::Postgres => quote_ident_always(name),
    }
}

/// A string literal as `dialect` reads it: [`quote_literal`], and on MySQL with
/// backslashes doubled as well, since MySQL treats `\` in a literal as an escape
/// (unless the session sets `NO_BACKSLASH_ESCAPES`, which `migrate` never does).
///
/// ```
/// use migrate_core::dialect::quote_literal_in;
/// use migrate_core::Dialect;
/// assert_eq!(quote_literal_in("C:\\it's", Dialect::Mysql), "'C:\\\\it''s'");
/// assert_eq!(quote_literal_in("C:\\it's", Dialect::Postgres), "'C:\\it''s'");
/// ```
pub fn quote_literal_in(text: &str, dialect: Dialect) -> String {
    match dialect {
        Dialect::Mysql => quote_literal(&text.replace('\\', "\\\\")),
        Dialect::Sqlite | Dialect::Postgres => quote_literal(text),
    }
}

/// `schema.name` on PostgreSQL when a schema is given, else `name`; each part
/// quoted as [`quote_ident_in`] does.
pub(crate) fn qualified(schema: Option<&str>, name: &str, dialect: Dialect) -> String {
    match (schema, dialect) {
        (Some(schema), Dialect::Postgres) => {
            format!("{}.{}", quote_ident(schema), quote_ident(name))
        }
        _ => quote_ident_in(name, dialect),
    }
}

/// Column names, quoted as [`quote_ident`] does, joined by `, `.
pub(crate) fn list(columns: &[String]) -> String {
    list_in(columns, Dialect::Postgres)
}

/// Column names, quoted as [`quote_ident_in`] does, joined by `, `.
pub(crate) fn list_in(columns: &[String], dialect: Dialect) -> String {
    columns
        .iter()
        .map(|c| quote_ident_in(c, dialect))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_words_are_sorted_for_the_binary_search() {
        assert!(RESERVED.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn quotes_only_what_must_be_quoted() {
        assert_eq!(quote_ident("users"), "users");
        assert_eq!(quote_ident("_tmp2"), "_tmp2");
        for name in ["order", "user", "select", "check"] {
            assert_eq!(quote_ident(name), format!("\"{name}\""));
        }
        assert_eq!(quote_ident("Users"), "\"Users\"");
        assert_eq!(quote_ident("2fa"), "\"2fa\"");
        assert_eq!(quote_ident("with space"), "\"with space\"");
        assert_eq!(quote_ident("é"), "\"é\"");
        assert_eq!(quote_ident(""), "\"\"");
    }

    #[test]
    fn always_quotes_and_doubles_inner_quotes() {
        assert_eq!(quote_ident_always("users"), "\"users\"");
        assert_eq!(quote_ident_always("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_ident("a\"b"), quote_ident_always("a\"b"));
    }

    #[test]
    fn both_agree_whenever_quoting_is_needed() {
        for name in ["order", "Mixed", "x y", "a\"b", ""] {
            assert_eq!(quote_ident(name), quote_ident_always(name), "{name}");
        }
    }

    #[test]
    fn qualifies_only_on_postgres() {
        assert_eq!(
            qualified(Some("app"), "user", Dialect::Postgres),
            "app.\"user\""
        );
        assert_eq!(qualified(Some("app"), "user", Dialect::Sqlite), "\"user\"");
        assert_eq!(qualified(None, "notes", Dialect::Postgres), "notes");
    }

    #[test]
    fn literals_double_inner_quotes() {
        assert_eq!(quote_literal(""), "''");
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(list(&["id".into(), "order".into()]), "id, \"order\"");
        assert_eq!(
            list_in(&["id".into(), "order".into()], Dialect::Mysql),
            "`id`, `order`"
        );
    }

    #[test]
    fn mysql_takes_backticks_and_escapes_backslashes() {
        assert_eq!(quote_ident_in("order", Dialect::Mysql), "`order`");
        assert_eq!(quote_ident_in("say \"hi\"", Dialect::Mysql), "`say \"hi\"`");
        assert_eq!(quote_ident_in("a`b", Dialect::Mysql), "`a``b`");
        assert_eq!(quote_ident_always_in("x", Dialect::Postgres), "\"x\"");
        assert_eq!(quote_literal_in("a\\b'c", Dialect::Mysql), "'a\\\\b''c'");
        assert_eq!(quote_literal_in("a\\b", Dialect::Sqlite), "'a\\b'");
        assert_eq!(
            qualified(Some("app"), "user", Dialect::Mysql),
            "`user`",
            "MySQL has no schemas inside a database"
        );
    }
}
