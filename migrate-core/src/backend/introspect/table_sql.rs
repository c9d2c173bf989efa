//! Just enough of a `CREATE TABLE` statement's grammar to recover what SQLite's
//! pragmas do not report: constraint names, check expressions, and the `CHECK
//! (col IN (...))` that stands in for an enum type.

/// A top-level item of a `CREATE TABLE (...)` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    /// A column: its name and, when its inline `CHECK` is `name IN ('a', ...)`,
    /// those values; the check's expression, and its name when it has one.
    Column {
        name: String,
        enum_values: Option<Vec<String>>,
        check: Option<String>,
        check_name: Option<String>,
    },
    /// A table constraint: its name (when given), its kind keyword (`CHECK`,
    /// `UNIQUE`, `FOREIGN`, `PRIMARY`), its first parenthesised group, as written.
    Constraint {
        name: Option<String>,
        kind: String,
        group: String,
    },
}

/// The items of a `CREATE TABLE` statement's body.
pub(crate) fn items(create_sql: &str) -> Vec<Item> {
    let Some((body, _)) = group(create_sql) else {
        return Vec::new();
    };
    split_commas(body).into_iter().filter_map(item).collect()
}

fn item(text: &str) -> Option<Item> {
    let (first, rest) = token(text)?;
    let keyword = |t: &str| t.to_ascii_uppercase();
    match keyword(&first).as_str() {
        "CONSTRAINT" => {
            let (name, rest) = token(rest)?;
            let (kind, rest) = token(rest)?;
            Some(Item::Constraint {
                name: Some(unquote(&name)),
                kind: keyword(&kind),
                group: group(rest)
                    .map(|(g, _)| g.trim().to_string())
                    .unwrap_or_default(),
            })
        }
        "CHECK" | "UNIQUE" | "FOREIGN" | "PRIMARY" => Some(Item::Constraint {
            name: None,
            kind: keyword(&first),
            group: group(rest)
                .map(|(g, _)| g.trim().to_string())
                .unwrap_or_default(),
        }),
        _ => {
            let name = unquote(&first);
            let at = find_keyword(rest, "CHECK");
            let check = at
                .and_then(|at| group(&rest[at..]))
                .map(|(g, _)| g.trim().to_string());
            let check_name = at.and_then(|at| constraint_name(&rest[..at]));
            let enum_values = check.as_deref().and_then(|c| in_list(c, &name));
            Some(Item::Column {
                name,
                enum_values,
                check,
                check_name,
            })
        }
    }
}

/// The name a column constraint is given: `... CONSTRAINT name` just before it.
fn constraint_name(before: &str) -> Option<String> {
    let mut tokens = Vec::new();
    let mut rest = before;
    while let Some((t, after)) = token(rest) {
        tokens.push(t);
        rest = after;
    }
    match tokens.as_slice() {
        [.., keyword, name] if keyword.eq_ignore_ascii_case("CONSTRAINT") => Some(unquote(name)),
        _ => None,
    }
}

/// `col IN ('a', 'b')` → `["a", "b"]`.
fn in_list(check: &str, column: &str) -> Option<Vec<String>> {
    let (first, rest) = token(check)?;
    if unquote(&first) != column {
        return None;
    }
    let (word, rest) = token(rest)?;
    if !word.eq_ignore_ascii_case("IN") {
        return None;
    }
    let (inner, after) = group(rest)?;
    if !after.trim().is_empty() {
        return None;
    }
    split_commas(inner)
        .into_iter()
        .map(|v| {
            let v = v.trim();
            let body = v.strip_prefix('\'')?.strip_suffix('\'')?;
            Some(body.replace("''", "'"))
        })
        .collect()
}

/// The first token: a quoted identifier, a word, or one other character; and the
/// rest of the text.
fn token(text: &str) -> Option<(String, &str)> {
    let text = text.trim_start();
    let first = text.chars().next()?;
    let end = match first {
        '"' | '`' | '\'' => closing(text, first)?,
        '[' => text.find(']')? + 1,
        c if c.is_alphanumeric() || c == '_' => text
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
            .unwrap_or(text.len()),
        c => c.len_utf8(),
    };
    Some((text[..end].to_string(), &text[end..]))
}

/// The end (exclusive) of a quoted run starting at byte 0, with doubled quotes.
fn closing(text: &str, quote: char) -> Option<usize> {
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c == quote {
            if chars.peek().map(|&(_, n)| n) == Some(quote) {
                chars.next();
            } else {
                return Some(i + 1);
            }
        }
    }
    None
}

pub(crate) fn unquote(name: &str) -> String {
    let mut chars = name.chars();
    match (chars.next(), name.chars().last()) {
        (Some(q @ ('"' | '`')), Some(e)) if e == q && name.len() >= 2 => {
            name[1..name.len() - 1].replace(&format!("{q}{q}"), &q.to_string())
        }
        (Some('['), Some(']')) => name[1..name.len() - 1].to_string(),
        _ => name.to_string(),
    }
}

/// Walks `text` outside quotes, calling `visit(byte index, char, depth)`; stops
/// when `visit` returns `true`.
fn walk(text: &str, mut visit: impl FnMut(usize, char, i32) -> bool) {
    let mut depth = 0;
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        match c {
            '"' | '`' | '\'' => {
                i += closing(&text[i..], c).unwrap_or(text.len() - i);
                continue;
            }
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if visit(i, c, depth) {
            return;
        }
        i += c.len_utf8();
    }
}

/// The first parenthesised group: its inside, and what follows it.
fn group(text: &str) -> Option<(&str, &str)> {
    let mut open = None;
    let mut close = None;
    walk(text, |i, c, depth| {
        if c == '(' && depth == 1 && open.is_none() {
            open = Some(i);
        } else if c == ')' && depth == 0 && open.is_some() {
            close = Some(i);
            return true;
        }
        false
    });
    let (open, close) = (open?, close?);
    Some((&text[open + 1..close], &text[close + 1..]))
}

fn split_commas(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    walk(text, |i, c, depth| {
        if c == ',' && depth == 0 {
            parts.push(&text[start..i]);
            start = i + 1;
        }
        false
    });
    parts.push(&text[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// The byte offset of a keyword at depth 0, outside quotes.
fn find_keyword(text: &str, keyword: &str) -> Option<usize> {
    let mut found = None;
    let bytes = text.as_bytes();
    walk(text, |i, _, depth| {
        let boundary_before =
            i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        let end = i + keyword.len();
        if depth == 0
            && boundary_before
            && text
                .get(i..end)
                .is_some_and(|w| w.eq_ignore_ascii_case(keyword))
            && bytes
                .get(end)
                .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        {
            found = Some(i);
            return true;
        }
        false
    });
    found
}

/// A partial index's condition: what follows the top-level `WHERE`.
pub(crate) fn index_predicate(create_index_sql: &str) -> Option<String> {
    find_keyword(create_index_sql, "WHERE")
        .map(|at| create_index_sql[at + "WHERE".len()..].trim().to_string())
}

/// The keys of `CREATE INDEX name ON table (keys) ...`, expressions included
/// (SQLite reports no name for an expression key).
pub(crate) fn index_keys(create_index_sql: &str) -> Option<Vec<crate::schema::IndexKey>> {
    use crate::schema::index_keys::{parse_keys, top_level_end};
    let on = find_keyword(create_index_sql, "ON")?;
    let open = on + create_index_sql[on..].find('(')?;
    let inner = &create_index_sql[open + 1..];
    Some(parse_keys(&inner[..top_level_end(inner)]))
}

/// The column list of a constraint group: `a, "b"` → `["a", "b"]`.
pub(crate) fn column_list(group: &str) -> Vec<String> {
    split_commas(group)
        .into_iter()
        .map(|c| unquote(c.trim()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_our_own_ddl() {
        let sql = "CREATE TABLE \"order\" (\n    id INTEGER NOT NULL,\n    status TEXT NOT NULL CHECK (status IN ('new', 'it''s')),\n    \"select\" TEXT DEFAULT 'a,b',\n    PRIMARY KEY (id),\n    CONSTRAINT uq_order_select UNIQUE (\"select\"),\n    CONSTRAINT fk_x FOREIGN KEY (id) REFERENCES t (id) ON DELETE CASCADE,\n    CONSTRAINT ck_order_1 CHECK (id > (0)),\n    mood TEXT DEFAULT 'calm' CONSTRAINT \"my mood\" CHECK (mood IN ('calm'))\n)";
        let items = items(sql);
        assert_eq!(items.len(), 8, "{items:?}");
        assert_eq!(
            items[1],
            Item::Column {
                name: "status".into(),
                enum_values: Some(vec!["new".into(), "it's".into()]),
                check: Some("status IN ('new', 'it''s')".into()),
                check_name: None,
            }
        );
        assert_eq!(
            items[7],
            Item::Column {
                name: "mood".into(),
                enum_values: Some(vec!["calm".into()]),
                check: Some("mood IN ('calm')".into()),
                check_name: Some("my mood".into()),
            }
        );
        assert!(matches!(&items[2], Item::Column { name, check: None, .. } if name == "select"));
        assert_eq!(
            items[6],
            Item::Constraint {
                name: Some("ck_order_1".into()),
                kind: "CHECK".into(),
                group: "id > (0)".into(),
            }
        );
        assert_eq!(column_list("a, \"b c\""), ["a", "b c"]);
        assert_eq!(
            index_predicate("CREATE INDEX ix ON t (a) WHERE a > 0").as_deref(),
            Some("a > 0")
        );
        assert_eq!(index_predicate("CREATE INDEX \"where\" ON t (a)"), None);
    }
}
