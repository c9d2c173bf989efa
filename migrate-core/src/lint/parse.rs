//! Reading one statement for the linter: its tokens, and its syntax tree.
//!
//! # Why sqlparser-rs
//!
//! The two well-kept choices are sqlparser-rs (pure Rust, many dialects) and
//! pg_query.rs (PostgreSQL's own grammar, through libpg_query). pg_query is exact
//! for PostgreSQL, but it compiles PostgreSQL's parser from C with bindgen (so
//! every machine that builds it needs clang) and knows no SQLite. sqlparser is
//! pure Rust with no C toolchain, reads every dialect `migrate` runs, and
//! covers every statement the rules look at (`CREATE TABLE/INDEX`, `ALTER TABLE`
//! with `NOT VALID`, `VALIDATE CONSTRAINT`, `SET DATA TYPE`, `ALTER TYPE ... ADD
//! VALUE`, `DROP`, `LOCK`). It does not parse PostgreSQL's `VACUUM (...)`,
//! `CLUSTER` or `REINDEX`; their grammar is a handful of keywords, so they are
//! recognised from the tokens here. The parser sits behind the `lint` feature so
//! build scripts that only validate the chain never compile it.

use sqlparser::ast::{DataType, Ident, ObjectName, ObjectNamePart, Statement};
use sqlparser::dialect::{Dialect as SqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};

use crate::dialect::Dialect;

/// A statement the rules look at.
#[derive(Debug)]
pub enum Parsed {
    /// `VACUUM`, `CLUSTER` or `REINDEX`, read from the tokens.
    Maintenance(Maintenance),
    /// Anything sqlparser reads.
    Statement(Box<Statement>),
    /// What neither reads, with the parser's reason.
    Unparsed(String),
}

/// One of the maintenance commands sqlparser leaves alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Maintenance {
    /// `VACUUM`, `CLUSTER` or `REINDEX`.
    pub command: &'static str,
    /// `VACUUM FULL` / `VACUUM (FULL)`.
    pub full: bool,
    /// `REINDEX ... CONCURRENTLY`.
    pub concurrently: bool,
    /// The table it names, when it names one.
    pub table: Option<String>,
}

/// What the tokens alone say about a statement.
#[derive(Debug, Default)]
pub struct Tokens {
    /// Unquoted words, upper-cased, in order.
    pub words: Vec<String>,
    /// The single-quoted string literals.
    pub strings: Vec<String>,
}

impl Tokens {
    /// True when the statement has this keyword (outside strings and quotes).
    pub fn has(&self, word: &str) -> bool {
        self.words.iter().any(|w| w == word)
    }

    /// The first keyword.
    pub fn first(&self) -> &str {
        self.words.first().map_or("", String::as_str)
    }
}

fn sql_dialect(dialect: Dialect) -> &'static dyn SqlDialect {
    match dialect {
        Dialect::Postgres => &PostgreSqlDialect {},
        Dialect::Sqlite => &SQLiteDialect {},
        Dialect::Mysql => &MySqlDialect {},
    }
}

/// Reads one statement (as `sql::split` cut it). Never panics.
pub fn parse(sql: &str, dialect: Dialect) -> (Tokens, Parsed) {
    let sql_dialect = sql_dialect(dialect);
    // Tokenized once, for the rules and for the parser: tokenizing is most of
    // what reading a statement costs in an unoptimised build script.
    let raw = match Tokenizer::new(sql_dialect, sql).tokenize_with_location() {
        Ok(raw) => raw,
        Err(e) => return (Tokens::default(), Parsed::Unparsed(e.to_string())),
    };
    let mut tokens = Tokens::default();
    // (word, quoted) for every word, to read table names in maintenance commands.
    let mut names: Vec<(String, bool)> = Vec::new();
    let mut depth = 0usize;
    for token in raw.iter().map(|t| &t.token) {
        match token {
            Token::Word(w) if w.quote_style.is_none() => {
                if depth == 0 {
                    names.push((w.value.clone(), false));
                }
                tokens.words.push(w.value.to_ascii_uppercase());
            }
            Token::Word(w) if depth == 0 => names.push((w.value.clone(), true)),
            Token::SingleQuotedString(s) => tokens.strings.push(s.clone()),
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            Token::Period if depth == 0 => names.push((".".into(), false)),
            _ => {}
        }
    }
    if let Some(m) = maintenance(&tokens, &names) {
        return (tokens, Parsed::Maintenance(m));
    }
    // As `Parser::parse_sql` would, from the tokens already made.
    let parsed = match Parser::new(sql_dialect)
        .with_tokens_with_locations(raw)
        .parse_statements()
    {
        Ok(mut statements) if statements.len() == 1 => {
            Parsed::Statement(Box::new(statements.remove(0)))
        }
        Ok(statements) => Parsed::Unparsed(format!(
            "read as {} statements where one was expected",
            statements.len()
        )),
        Err(e) => Parsed::Unparsed(e.to_string()),
    };
    (tokens, parsed)
}

/// The statement `sql` is, when sqlparser reads exactly one: what [`parse`]
/// gives for any statement that is not a maintenance command, without the
/// tokens the rules need.
pub fn statement(sql: &str, dialect: Dialect) -> Option<Statement> {
    match Parser::parse_sql(sql_dialect(dialect), sql) {
        Ok(mut statements) if statements.len() == 1 => statements.pop(),
        _ => None,
    }
}

/// A column type alone, as `memo.rs` stores it: `None` unless all of `text`
/// is one type.
pub fn data_type(text: &str, dialect: Dialect) -> Option<DataType> {
    let mut parser = Parser::new(sql_dialect(dialect)).try_with_sql(text).ok()?;
    let ty = parser.parse_data_type().ok()?;
    (parser.peek_token().token == Token::EOF).then_some(ty)
}

/// False when `sql` certainly leaves the tracked schema alone, read from its
/// first keywords alone, so a revision whose findings nobody asked for (one
/// already released) skips the parser for it. Only `CREATE`, `ALTER`, `DROP`
/// and `RENAME` statements can reach `schema_track::ops`, sqlparser chooses a
/// statement's kind by its first keyword, and `CREATE [UNIQUE] INDEX` makes an
/// index; anything the scan does not recognise (a quote, a comment between
/// the first two words) answers true.
pub fn may_change_schema(sql: &str) -> bool {
    let mut words = sql
        .trim_start()
        .split(|c: char| c.is_ascii_whitespace())
        .filter(|w| !w.is_empty());
    let keyword = |w: Option<&str>| -> Option<String> {
        let w = w?;
        let end = w
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(w.len());
        // A word followed by anything but whitespace (`ALTER/*x*/`) is not read.
        (end == w.len() && end > 0 && w.as_bytes()[0].is_ascii_alphabetic())
            .then(|| w.to_ascii_uppercase())
    };
    let Some(first) = keyword(words.next()) else {
        return true;
    };
    match first.as_str() {
        "CREATE" => !matches!(
            keyword(words.next()).as_deref(),
            Some("INDEX") | Some("UNIQUE")
        ),
        "ALTER" | "DROP" | "RENAME" => true,
        _ => false,
    }
}

/// `VACUUM`, `CLUSTER` and `REINDEX`, from their keywords: the name after the
/// options (outside parentheses) is the table.
fn maintenance(tokens: &Tokens, names: &[(String, bool)]) -> Option<Maintenance> {
    let command = match tokens.first() {
        "VACUUM" => "VACUUM",
        "CLUSTER" => "CLUSTER",
        "REINDEX" => "REINDEX",
        _ => return None,
    };
    const OPTIONS: [&str; 12] = [
        "VACUUM",
        "CLUSTER",
        "REINDEX",
        "FULL",
        "FREEZE",
        "VERBOSE",
        "ANALYZE",
        "ANALYSE",
        "CONCURRENTLY",
        "SCHEMA",
        "DATABASE",
        "SYSTEM",
    ];
    let is_option = |(word, quoted): &(String, bool)| {
        !*quoted && OPTIONS.contains(&word.to_ascii_uppercase().as_str())
    };
    let mut rest = names.iter().skip_while(|n| is_option(n)).peekable();
    // `REINDEX TABLE t` names a table; `REINDEX INDEX i` an index.
    let mut table = true;
    if let Some((word, false)) = rest.peek() {
        match word.to_ascii_uppercase().as_str() {
            "TABLE" => {
                rest.next();
            }
            "INDEX" => table = false,
            _ => {}
        }
    }
    let rest: Vec<&(String, bool)> = rest.skip_while(|n| is_option(n)).collect();
    let name: Vec<Ident> = rest
        .iter()
        .take_while(|(w, q)| *q || !matches!(w.to_ascii_uppercase().as_str(), "USING" | "INDEX"))
        .filter(|(w, _)| w != ".")
        .map(|(w, q)| {
            if *q {
                Ident::with_quote('"', w.clone())
            } else {
                Ident::new(w.clone())
            }
        })
        .collect();
    Some(Maintenance {
        command,
        full: tokens.has("FULL"),
        concurrently: tokens.has("CONCURRENTLY"),
        table: (table && !name.is_empty()).then(|| idents_name(&name)),
    })
}

/// An identifier as PostgreSQL and SQLite compare it: unquoted names fold to
/// lower case.
pub fn ident(i: &Ident) -> String {
    match i.quote_style {
        Some(_) => i.value.clone(),
        None => i.value.to_lowercase(),
    }
}

/// A table name as the schema tracker keys it: identifiers folded, and the
/// default schema (`public.`, SQLite's `main.`) dropped, so `public.users` and
/// `users` are one table.
pub fn object_name(name: &ObjectName) -> String {
    let parts: Vec<Ident> = name
        .0
        .iter()
        .map(|p| match p {
            ObjectNamePart::Identifier(i) => i.clone(),
            ObjectNamePart::Function(f) => f.name.clone(),
        })
        .collect();
    idents_name(&parts)
}

fn idents_name(parts: &[Ident]) -> String {
    let mut folded: Vec<String> = parts.iter().map(ident).collect();
    if folded.len() == 2 && (folded[0] == "public" || folded[0] == "main") {
        folded.remove(0);
    }
    folded.join(".")
}

#[cfg(test)]
mod tests {
    use super::{parse, Parsed};
    use crate::dialect::Dialect;

    #[test]
    fn maintenance_commands_are_read_from_their_keywords() {
        let m = |sql: &str| match parse(sql, Dialect::Postgres).1 {
            Parsed::Maintenance(m) => (m.command, m.full, m.concurrently, m.table),
            other => panic!("{sql}: {other:?}"),
        };
        assert_eq!(
            m("VACUUM (FULL, ANALYZE) public.Users;"),
            ("VACUUM", true, false, Some("users".into()))
        );
        assert_eq!(m("VACUUM;"), ("VACUUM", false, false, None));
        assert_eq!(
            m("CLUSTER VERBOSE orders USING ix_orders_created;"),
            ("CLUSTER", false, false, Some("orders".into()))
        );
        assert_eq!(
            m("REINDEX TABLE CONCURRENTLY \"Orders\";"),
            ("REINDEX", false, true, Some("Orders".into()))
        );
        assert_eq!(m("REINDEX INDEX ix_a;").3, None);
    }

    proptest::proptest! {
        /// Any text, SQL-shaped or not, is read or reported, never a panic
        /// (deep nesting included: sqlparser has a recursion limit).
        #[test]
        fn any_statement_is_read_or_reported(
            sql in "(ALTER|TABLE|CREATE|INDEX|VACUUM|REINDEX|CLUSTER|LOCK|TYPE|ADD|VALUE|CONCURRENTLY|NOT|VALID|[a-z]{1,3}|\\(|\\)|'|\"|;|,|\\.| ){0,40}"
        ) {
            for dialect in crate::Dialect::ALL {
                // Reading from the tokens already made is `parse_sql`'s answer.
                let expected = match sqlparser::parser::Parser::parse_sql(super::sql_dialect(dialect), &sql) {
                    Ok(statements) if statements.len() == 1 => format!("{:?}", statements[0]),
                    Ok(statements) => format!("{} statements", statements.len()),
                    Err(e) => e.to_string(),
                };
                match parse(&sql, dialect).1 {
                    Parsed::Statement(s) => proptest::prop_assert_eq!(format!("{s:?}"), expected),
                    Parsed::Unparsed(reason) if !reason.starts_with("read as") => {
                        proptest::prop_assert!(expected.ends_with(&reason), "{reason} / {expected}")
                    }
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn deep_nesting_is_reported_not_a_stack_overflow() {
        let sql = format!("SELECT {}1{};", "(".repeat(5000), ")".repeat(5000));
        assert!(matches!(
            parse(&sql, Dialect::Postgres).1,
            Parsed::Unparsed(_)
        ));
    }

    #[test]
    fn what_cannot_be_parsed_is_reported_not_a_panic() {
        for sql in [
            "CREATE TABLE (",
            "ALTER TABLE t FROBNICATE;",
            "'unterminated",
        ] {
            assert!(
                matches!(parse(sql, Dialect::Postgres).1, Parsed::Unparsed(_)),
                "{sql}"
            );
        }
    }
}
