//! SQL expressions in a canonical spelling, so that two spellings of one default
//! or index predicate compare equal: what a model writes and what a database
//! reports back after rewriting it.

/// A default expression in a canonical spelling: outer parentheses and `::type`
/// casts removed, keywords lower-cased (quoted text kept), quoted numbers
/// unquoted. A serial column's `nextval(...)` never gets here: introspection
/// reads it as the column's sequence, so a `nextval` of any other sequence is
/// compared as the default it is.
///
/// ```
/// use migrate_core::sql::normalize_default;
/// assert_eq!(normalize_default("('active'::character varying)"), Some("'active'".into()));
/// assert_eq!(normalize_default("'-1'::integer"), normalize_default("-1"));
/// assert_eq!(normalize_default("CURRENT_TIMESTAMP"), Some("current_timestamp".into()));
/// assert_eq!(normalize_default("nextval('counter'::regclass)"), Some("nextval('counter')".into()));
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
    if text.is_empty() {
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

/// A MySQL expression in a canonical spelling, for comparing what a model
/// writes with what MySQL or MariaDB reports back (a generated column's
/// `GENERATION_EXPRESSION`): `` `a` + `b` `` is `a+b`, `concat('x',`a`)` is
/// `concat('x',a)`. Backtick-quoted identifiers are unquoted when they are plain
/// words, whitespace outside string literals goes (but for one space between
/// two words), a string's `\'` escape is written `''` and MySQL 8's character
/// set introducer (`_utf8mb4'x'`) is dropped; then as [`normalize_default`].
///
/// The result is for comparing, not for running: `a - -1` becomes `a--1`.
///
/// ```
/// use migrate_core::sql::expr::normalize_mysql_expression;
/// let same = |a: &str, b: &str| normalize_mysql_expression(a) == normalize_mysql_expression(b);
/// assert!(same("`a` + `b`", "a+b"));
/// assert!(same("concat('x',`a`)", "CONCAT('x', a)"));
/// assert!(same("concat(_utf8mb4'it\\'s',`a`)", "concat('it''s', a)"));
/// assert!(same("`id` DIV 2", "id div 2"));
/// assert!(!same("concat('a  b', x)", "concat('a b', x)"));
/// assert!(!same("`my col` + 1", "my col + 1"));
/// ```
pub fn normalize_mysql_expression(text: &str) -> Option<String> {
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut out = String::new();
    let mut chars = text.trim().chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                if let Some(start) = introducer_start(&out) {
                    out.truncate(start);
                }
                out.push('\'');
                while let Some(q) = chars.next() {
                    match q {
                        '\\' => match chars.next() {
                            Some('\'') => out.push_str("''"),
                            Some(e @ ('"' | '\\')) => out.push(e),
                            Some(e) => {
                                out.push('\\');
                                out.push(e);
                            }
                            None => break,
                        },
                        q if q == c && chars.peek() == Some(&c) => {
                            chars.next();
                            out.push_str(if c == '\'' { "''" } else { "\"" });
                        }
                        q if q == c => break,
                        '\'' => out.push_str("''"),
                        q => out.push(q),
                    }
                }
                out.push('\'');
            }
            '`' => {
                let mut name = String::new();
                while let Some(q) = chars.next() {
                    if q == '`' {
                        if chars.peek() == Some(&'`') {
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    name.push(q);
                }
                let name = name.to_lowercase();
                if space && out.ends_with(word) {
                    out.push(' ');
                }
                if !name.is_empty() && name.chars().all(word) {
                    out.push_str(&name);
                } else {
                    out.push('`');
                    out.push_str(&name.replace('`', "``"));
                    out.push('`');
                }
            }
            c if c.is_whitespace() => {
                space = true;
                continue;
            }
            c => {
                if space && word(c) && out.ends_with(word) {
                    out.push(' ');
                }
                out.extend(c.to_lowercase());
            }
        }
        space = false;
    }
    normalize_default(&out)
}

/// Where a character set introducer (`_utf8mb4`) ends `text`, if one does: it
/// names how the string after it is encoded, which the value does not depend on.
fn introducer_start(text: &str) -> Option<usize> {
    let start = text.rfind('_')?;
    let name = &text[start + 1..];
    let before = text[..start].chars().next_back();
    let bare = before.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
    (bare && !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric())).then_some(start)
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
