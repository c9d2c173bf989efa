//! Splitting a SQL script into statements.
//!
//! Needed twice: `transaction:false` sections run one statement at a time, and a
//! failing statement is reported by its line in the revision file. The scanner
//! knows every place a `;` does not end a statement: single-quoted strings (with
//! `''`, and backslash escapes in PostgreSQL's `E'...'`), quoted identifiers
//! (`"..."` and SQLite's backticks), PostgreSQL dollar quoting (`$$` and `$tag$`),
//! `--` and nested `/* */` comments, and the bodies of SQLite's
//! `CREATE TRIGGER ... BEGIN ...; END` and PostgreSQL's `BEGIN ATOMIC ... END`.
//! sqlx (#3693) and diesel (#4552) split dollar-quoted bodies wrongly; see the tests.
//!
//! MySQL reads the same text differently ([`Syntax::Mysql`], [`split_as`]):
//! a backslash escapes the next character in every `'...'` and `"..."` string,
//! `#` starts a line comment and `--` only does when whitespace follows it,
//! `/* */` comments do not nest, `/*! ... */` and `/*+ ... */` are executed
//! (so they belong to a statement), `$` is an identifier character, and
//! stored-program bodies (`CREATE PROCEDURE ... BEGIN ... END`) keep their `;`.
//! The server's `NO_BACKSLASH_ESCAPES` and `ANSI_QUOTES` modes are not followed.

/// Which database's lexical rules a script is read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Syntax {
    /// PostgreSQL's and SQLite's (they agree on everything the splitter needs).
    #[default]
    Standard,
    /// MySQL's and MariaDB's.
    Mysql,
}

/// One statement of a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statement<'a> {
    /// The statement's text, from its first token through its `;` (if any).
    pub sql: &'a str,
    /// Byte offset of the statement in the script.
    pub offset: usize,
    /// 1-based line of the script on which the statement starts.
    pub line: usize,
}

/// Splits `script` into statements; whitespace and comments between statements are
/// dropped. Never panics, whatever the input.
///
/// ```
/// use migrate_core::sql::split;
/// let script = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n-- done\nSELECT ';';";
/// let statements = split(script);
/// assert_eq!(statements.len(), 2);
/// assert_eq!(statements[1].sql, "SELECT ';';");
/// assert_eq!(statements[1].line, 3);
/// ```
pub fn split(script: &str) -> Vec<Statement<'_>> {
    split_as(script, Syntax::Standard)
}

/// Splits `script` read with `syntax`'s lexical rules: a script that runs on
/// MySQL must be split with [`Syntax::Mysql`], or a `\'` inside a string ends it.
///
/// ```
/// use migrate_core::sql::{split_as, Syntax};
/// let script = "INSERT INTO t VALUES ('a\\';b'); # note; here\nSELECT 2;";
/// let statements = split_as(script, Syntax::Mysql);
/// assert_eq!(statements.len(), 2);
/// assert_eq!(statements[0].sql, "INSERT INTO t VALUES ('a\\';b');");
/// ```
pub fn split_as(script: &str, syntax: Syntax) -> Vec<Statement<'_>> {
    Scanner::new(script, syntax == Syntax::Mysql).run()
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    out: Vec<Statement<'a>>,
    /// Start of the current statement: (offset, line).
    start: Option<(usize, usize)>,
    /// The first words of the current statement, upper-cased, to recognise blocks.
    words: Vec<String>,
    /// Depth of `BEGIN ... END` blocks inside a trigger or `BEGIN ATOMIC` body.
    depth: usize,
    /// MySQL's lexical rules rather than PostgreSQL's and SQLite's.
    mysql: bool,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str, mysql: bool) -> Self {
        Scanner {
            mysql,
            text,
            bytes: text.as_bytes(),
            pos: 0,
            line: 1,
            out: Vec::new(),
            start: None,
            words: Vec::new(),
            depth: 0,
        }
    }

    fn run(mut self) -> Vec<Statement<'a>> {
        while self.pos < self.bytes.len() {
            let b = self.bytes[self.pos];
            let next = self.bytes.get(self.pos + 1).copied();
            match b {
                b'-' if next == Some(b'-') && self.dash_comment() => self.skip_line_comment(),
                b'#' if self.mysql => self.skip_line_comment(),
                // Executed by MySQL: part of a statement, whatever it holds.
                b'/' if next == Some(b'*')
                    && self.mysql
                    && matches!(self.bytes.get(self.pos + 2), Some(b'!' | b'+')) =>
                {
                    self.begin_statement();
                    self.skip_block_comment();
                }
                b'/' if next == Some(b'*') => self.skip_block_comment(),
                b'\n' => {
                    self.line += 1;
                    self.pos += 1;
                }
                _ if b.is_ascii_whitespace() => self.pos += 1,
                b';' => {
                    self.begin_statement();
                    self.pos += 1;
                    if self.depth == 0 {
                        self.end_statement(self.pos);
                    }
                }
                b'\'' | b'"' if self.mysql => {
                    self.begin_statement();
                    self.skip_quoted(b, true);
                }
                b'\'' => {
                    self.begin_statement();
                    let escapes = self.pos > 0
                        && matches!(self.bytes[self.pos - 1], b'E' | b'e')
                        && !self.ident_before(self.pos - 1);
                    self.skip_quoted(b'\'', escapes);
                }
                b'"' | b'`' => {
                    self.begin_statement();
                    self.skip_quoted(b, false);
                }
                b'$' if !self.mysql => {
                    self.begin_statement();
                    match self.dollar_tag() {
                        Some(tag_len) => self.skip_dollar_quoted(tag_len),
                        None => self.pos += 1,
                    }
                }
                _ if is_word_start(b) => {
                    self.begin_statement();
                    self.word();
                }
                _ => {
                    self.begin_statement();
                    self.pos += 1;
                }
            }
        }
        if self.start.is_some() {
            self.end_statement(self.bytes.len());
        }
        self.out
    }

    fn begin_statement(&mut self) {
        if self.start.is_none() {
            self.start = Some((self.pos, self.line));
            self.words.clear();
            self.depth = 0;
        }
    }

    fn end_statement(&mut self, end: usize) {
        if let Some((offset, line)) = self.start.take() {
            let sql = self.text[offset..end].trim_end();
            if !sql.is_empty() {
                self.out.push(Statement { sql, offset, line });
            }
        }
    }

    /// Advances past `count` bytes, counting newlines.
    fn advance(&mut self, count: usize) {
        let end = (self.pos + count).min(self.bytes.len());
        self.line += self.bytes[self.pos..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.pos = end;
    }

    /// `--` starts a comment; on MySQL only when whitespace (or the end) follows,
    /// since `1--1` is `1 - -1` there.
    fn dash_comment(&self) -> bool {
        !self.mysql
            || self
                .bytes
                .get(self.pos + 2)
                .is_none_or(|b| b.is_ascii_whitespace() || b.is_ascii_control())
    }

    fn skip_line_comment(&mut self) {
        let rest = &self.bytes[self.pos..];
        let len = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        self.pos += len; // the newline itself is counted by the main loop
    }

    /// `/* ... */`, nested as in PostgreSQL (not on MySQL); an unterminated comment
    /// runs to the end.
    fn skip_block_comment(&mut self) {
        if self.mysql {
            let len = match self.text[self.pos + 2..].find("*/") {
                Some(at) => at + 4,
                None => self.bytes.len() - self.pos,
            };
            self.advance(len);
            return;
        }
        let mut depth = 0usize;
        let mut i = self.pos;
        while i < self.bytes.len() {
            match (self.bytes[i], self.bytes.get(i + 1)) {
                (b'/', Some(b'*')) => {
                    depth += 1;
                    i += 2;
                }
                (b'*', Some(b'/')) => {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                }
                _ => i += 1,
            }
        }
        self.advance(i - self.pos);
    }

    /// A quoted string or identifier; a doubled quote stays inside. With `escapes`,
    /// a backslash escapes the next character (PostgreSQL's `E'...'`).
    fn skip_quoted(&mut self, quote: u8, escapes: bool) {
        let mut i = self.pos + 1;
        while i < self.bytes.len() {
            let b = self.bytes[i];
            if escapes && b == b'\\' {
                i += 2;
            } else if b == quote {
                if self.bytes.get(i + 1) == Some(&quote) {
                    i += 2;
                } else {
                    i += 1;
                    break;
                }
            } else {
                i += 1;
            }
        }
        self.advance(i.min(self.bytes.len()) - self.pos);
    }

    /// The length of a `$tag$` opening at `pos`, if it is one. `$1` (a parameter)
    /// and `a$b` (an identifier) are not.
    fn dollar_tag(&self) -> Option<usize> {
        if self.ident_before(self.pos) {
            return None;
        }
        let rest = &self.bytes[self.pos + 1..];
        let tag = rest
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80)
            .count();
        if rest.first().is_some_and(u8::is_ascii_digit) {
            return None;
        }
        (rest.get(tag) == Some(&b'$')).then_some(tag + 2)
    }

    fn skip_dollar_quoted(&mut self, tag_len: usize) {
        let tag = &self.text[self.pos..self.pos + tag_len];
        let body_start = self.pos + tag_len;
        let len = match self.text[body_start..].find(tag) {
            Some(at) => tag_len + at + tag_len,
            None => self.bytes.len() - self.pos,
        };
        self.advance(len);
    }

    /// A keyword or identifier: tracked so trigger and `BEGIN ATOMIC` bodies keep
    /// their inner `;`.
    fn word(&mut self) {
        let len = self.bytes[self.pos..]
            .iter()
            .take_while(|&&b| is_word_start(b) || b.is_ascii_digit() || b == b'$')
            .count();
        let word = self.text[self.pos..self.pos + len].to_ascii_uppercase();
        self.pos += len;
        let in_block_statement = self.words.first().is_some_and(|w| w == "CREATE")
            && (self.words.iter().any(|w| {
                w == "TRIGGER"
                    || (self.mysql && matches!(w.as_str(), "PROCEDURE" | "FUNCTION" | "EVENT"))
            }) || self.next_word_is("ATOMIC"));
        match word.as_str() {
            "BEGIN" if in_block_statement => self.depth += 1,
            // MySQL's `END IF`, `END LOOP`, ...: their openings were not counted.
            "END"
                if self.mysql
                    && ["IF", "LOOP", "WHILE", "REPEAT"]
                        .iter()
                        .any(|w| self.next_word_is(w)) => {}
            "CASE" if self.depth > 0 => self.depth += 1,
            "END" if self.depth > 0 => self.depth -= 1,
            _ => {}
        }
        if self.words.len() < 16 {
            self.words.push(word);
        }
    }

    fn next_word_is(&self, expected: &str) -> bool {
        let rest = self.text[self.pos..].trim_start();
        rest.len() >= expected.len()
            && rest[..expected.len()].eq_ignore_ascii_case(expected)
            && !rest
                .as_bytes()
                .get(expected.len())
                .is_some_and(|&b| is_word_start(b) || b.is_ascii_digit())
    }

    fn ident_before(&self, at: usize) -> bool {
        at > 0 && {
            let b = self.bytes[at - 1];
            is_word_start(b) || b.is_ascii_digit() || b == b'$'
        }
    }
}

fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::{split, split_as, Syntax};

    fn mysql(script: &str) -> Vec<&str> {
        split_as(script, Syntax::Mysql)
            .into_iter()
            .map(|s| s.sql)
            .collect()
    }

    fn sqls(script: &str) -> Vec<&str> {
        split(script).into_iter().map(|s| s.sql).collect()
    }

    #[test]
    fn plain_statements_and_lines() {
        let s = split("CREATE TABLE a (x INT);\n\n  INSERT INTO a VALUES (1);\nSELECT 1");
        assert_eq!(s.len(), 3);
        assert_eq!((s[0].sql, s[0].line), ("CREATE TABLE a (x INT);", 1));
        assert_eq!((s[1].sql, s[1].line), ("INSERT INTO a VALUES (1);", 3));
        assert_eq!((s[2].sql, s[2].line), ("SELECT 1", 4));
    }

    #[test]
    fn semicolons_inside_strings_and_identifiers() {
        assert_eq!(
            sqls("SELECT 'a;b', 'it''s;'; SELECT \"we;ird\""),
            ["SELECT 'a;b', 'it''s;';", "SELECT \"we;ird\""]
        );
        assert_eq!(
            sqls("SELECT E'\\';'; SELECT 2;"),
            ["SELECT E'\\';';", "SELECT 2;"]
        );
        assert_eq!(
            sqls("SELECT `a;b` FROM t; SELECT 2"),
            ["SELECT `a;b` FROM t;", "SELECT 2"]
        );
    }

    #[test]
    fn dollar_quoted_bodies() {
        let f = "CREATE FUNCTION f() RETURNS trigger AS $body$\nBEGIN\n  NEW.x := 1; RETURN NEW;\nEND;\n$body$ LANGUAGE plpgsql;";
        assert_eq!(sqls(&format!("{f}\nSELECT 1;")), [f, "SELECT 1;"]);
        assert_eq!(
            sqls("DO $$ BEGIN PERFORM 1; END $$; SELECT $1;"),
            ["DO $$ BEGIN PERFORM 1; END $$;", "SELECT $1;"]
        );
        // `$` inside an identifier does not open a quote.
        assert_eq!(
            sqls("SELECT a$b$; SELECT 2;"),
            ["SELECT a$b$;", "SELECT 2;"]
        );
    }

    #[test]
    fn comments_are_not_statements() {
        assert_eq!(
            sqls("-- only a comment; really\n/* and; /* nested; */ this */\n"),
            Vec::<&str>::new()
        );
        let s = split("-- lead;\nSELECT 1; -- trail;\n/* x; */ SELECT 2;");
        assert_eq!((s[0].sql, s[0].line), ("SELECT 1;", 2));
        assert_eq!((s[1].sql, s[1].line), ("SELECT 2;", 3));
    }

    #[test]
    fn trigger_and_atomic_bodies_stay_whole() {
        let t = "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE b SET n = n + 1;\n  SELECT CASE WHEN 1 THEN 1 END;\nEND;";
        assert_eq!(sqls(&format!("{t}\nSELECT 1;")), [t, "SELECT 1;"]);
        let f =
            "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;";
        assert_eq!(sqls(&format!("{f} SELECT 3;")), [f, "SELECT 3;"]);
        // A transaction's BEGIN is an ordinary statement.
        assert_eq!(
            sqls("BEGIN; SELECT 1; END;"),
            ["BEGIN;", "SELECT 1;", "END;"]
        );
    }

    #[test]
    fn unterminated_constructs_run_to_the_end() {
        assert_eq!(sqls("SELECT 'open; SELECT 2;"), ["SELECT 'open; SELECT 2;"]);
        assert_eq!(sqls("SELECT $$ open; "), ["SELECT $$ open;"]);
        assert_eq!(sqls("SELECT 1 /* open; "), ["SELECT 1 /* open;"]);
    }

    #[test]
    fn mysql_strings_take_backslash_escapes() {
        assert_eq!(
            mysql("INSERT INTO t VALUES ('a\\';b'); SELECT 2;"),
            ["INSERT INTO t VALUES ('a\\';b');", "SELECT 2;"]
        );
        assert_eq!(
            mysql("SELECT 'O\\'Brien;', 'a\\\\'; SELECT 'it''s;';"),
            ["SELECT 'O\\'Brien;', 'a\\\\';", "SELECT 'it''s;';"]
        );
        assert_eq!(
            mysql("SELECT \"x\\\";y\", `a;b\\`; SELECT 2"),
            ["SELECT \"x\\\";y\", `a;b\\`;", "SELECT 2"]
        );
        // The same text read as PostgreSQL: `\'` does not escape there.
        assert_eq!(
            sqls("SELECT 'a\\'; SELECT 2;"),
            ["SELECT 'a\\';", "SELECT 2;"]
        );
    }

    #[test]
    fn mysql_comments() {
        assert_eq!(
            mysql("# lead; here\nSELECT 1; -- trail;\nSELECT 2--1;\nSELECT 3 /* a /* b; */ ;"),
            ["SELECT 1;", "SELECT 2--1;", "SELECT 3 /* a /* b; */ ;"]
        );
        // Executable comments are statements, or part of one.
        assert_eq!(
            mysql("/*!40101 SET NAMES utf8mb4 */;\nSELECT /*+ MAX_EXECUTION_TIME(1) */ 1;"),
            [
                "/*!40101 SET NAMES utf8mb4 */;",
                "SELECT /*+ MAX_EXECUTION_TIME(1) */ 1;"
            ]
        );
        // `$` is an identifier character, not a dollar quote.
        assert_eq!(mysql("SELECT $$a; SELECT 2;"), ["SELECT $$a;", "SELECT 2;"]);
    }

    #[test]
    fn mysql_stored_program_bodies_stay_whole() {
        let p = "CREATE PROCEDURE p() BEGIN\n  IF 1 THEN SELECT 1; END IF;\n  WHILE 0 DO SELECT 2; END WHILE;\n  SELECT CASE WHEN 1 THEN 1 END;\nEND;";
        assert_eq!(mysql(&format!("{p}\nSELECT 3;")), [p, "SELECT 3;"]);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_statements_are_in_order(
            script in "(\\PC|[;'\"`$#!\\\\\\n\\-*/])*",
            mysql: bool,
        ) {
            let syntax = if mysql { Syntax::Mysql } else { Syntax::Standard };
            let statements = split_as(&script, syntax);
            let mut last = 0;
            for s in &statements {
                proptest::prop_assert!(s.offset >= last);
                proptest::prop_assert_eq!(&script[s.offset..s.offset + s.sql.len()], s.sql);
                proptest::prop_assert_eq!(s.line, 1 + script[..s.offset].matches('\n').count());
                last = s.offset + s.sql.len();
            }
        }
    }
}
