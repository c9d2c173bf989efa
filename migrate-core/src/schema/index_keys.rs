//! Index keys written as SQL: `lower(email) DESC, name COLLATE "C" gin_trgm_ops`.
//!
//! One reader for two sources: the key list a `#[model]` declares
//! (`index(keys = "...")`), and the text that follows each key in
//! PostgreSQL's `pg_get_indexdef`, so both end up in the same [`IndexKey`]s.

use super::IndexKey;

/// Parses a comma-separated list of index keys. Each key is a column (a name,
/// double-quoted when it must be), a parenthesised expression or a function
/// call, followed by any of `COLLATE name`, an operator class, `ASC`/`DESC` and
/// `NULLS FIRST`/`NULLS LAST`.
///
/// ```
/// use migrate_core::schema::index_keys::parse_keys;
/// let keys = parse_keys("lower(email) DESC NULLS LAST, (a + b), \"Name\" text_pattern_ops");
/// assert_eq!(keys[0].sql, "lower(email)");
/// assert!(keys[0].expression && keys[0].descending);
/// assert_eq!(keys[0].nulls_first, Some(false));
/// assert_eq!(keys[1].sql, "a + b");
/// assert_eq!((keys[2].sql.as_str(), keys[2].expression), ("Name", false));
/// assert_eq!(keys[2].opclass.as_deref(), Some("text_pattern_ops"));
/// ```
pub fn parse_keys(text: &str) -> Vec<IndexKey> {
    let mut keys = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let end = top_level_end(rest);
        keys.push(parse_key(rest[..end].trim()));
        rest = rest[end..].trim_start_matches([',', ')']).trim();
    }
    keys
}

/// One key: its target, then its options.
fn parse_key(text: &str) -> IndexKey {
    let (mut key, options) = if let Some(inner) = text.strip_prefix('(') {
        let close = matching_paren(inner).unwrap_or(inner.len());
        (
            IndexKey::expr(inner[..close].trim()),
            inner.get(close + 1..).unwrap_or(""),
        )
    } else {
        let words = split_words(text);
        let first = words.first().copied().unwrap_or("");
        match text.find('(') {
            // A function call: its name runs up to the parenthesis.
            Some(open) if !first.starts_with('"') && open <= first.len() => {
                let close = matching_paren(&text[open + 1..]).map_or(text.len(), |c| open + 1 + c);
                (
                    IndexKey::expr(&text[..(close + 1).min(text.len())]),
                    text.get(close + 1..).unwrap_or(""),
                )
            }
            _ => (IndexKey::column(&unquote(first)), &text[first.len()..]),
        }
    };
    key_options(options, &mut key);
    key
}

/// Where a key ends: the first comma or unmatched closing parenthesis outside
/// quotes and parentheses (an operator class may take `(siglen=...)`).
pub(crate) fn top_level_end(text: &str) -> usize {
    let (mut depth, mut quote) = (0usize, None::<char>);
    for (at, c) in text.char_indices() {
        match (c, quote) {
            ('\'' | '"', None) => quote = Some(c),
            (q, Some(open)) if q == open => quote = None,
            (_, Some(_)) => {}
            ('(', None) => depth += 1,
            (')', None) if depth == 0 => return at,
            (')', None) => depth -= 1,
            (',', None) if depth == 0 => return at,
            _ => {}
        }
    }
    text.len()
}

/// The position, in `text` (which follows an opening parenthesis), of the
/// parenthesis that closes it.
fn matching_paren(text: &str) -> Option<usize> {
    let (mut depth, mut quote) = (0usize, None::<char>);
    for (at, c) in text.char_indices() {
        match (c, quote) {
            ('\'' | '"', None) => quote = Some(c),
            (q, Some(open)) if q == open => quote = None,
            (_, Some(_)) => {}
            ('(', None) => depth += 1,
            (')', None) if depth == 0 => return Some(at),
            (')', None) => depth -= 1,
            _ => {}
        }
    }
    None
}

/// ` COLLATE "C" text_pattern_ops DESC NULLS LAST` into the key. Keywords are
/// matched in any case, as SQL does.
pub(crate) fn key_options(text: &str, key: &mut IndexKey) {
    let words = split_words(text);
    let mut opclass: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        match words[i].to_ascii_uppercase().as_str() {
            "COLLATE" if i + 1 < words.len() => {
                key.collation = Some(unquote(words[i + 1]));
                i += 1;
            }
            "DESC" => key.descending = true,
            "ASC" => key.descending = false,
            "NULLS" if i + 1 < words.len() => {
                key.nulls_first = Some(words[i + 1].eq_ignore_ascii_case("FIRST"));
                i += 1;
            }
            _ => opclass.push(words[i]),
        }
        i += 1;
    }
    if !opclass.is_empty() {
        key.opclass = Some(opclass.join(" "));
    }
}

/// Words separated by spaces, a double-quoted word (`"C"`) kept whole.
fn split_words(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let (mut start, mut quoted) = (None, false);
    for (at, c) in text.char_indices() {
        match c {
            '"' => {
                quoted = !quoted;
                start.get_or_insert(at);
            }
            c if c.is_whitespace() && !quoted => {
                if let Some(from) = start.take() {
                    words.push(&text[from..at]);
                }
            }
            _ => {
                start.get_or_insert(at);
            }
        }
    }
    if let Some(from) = start {
        words.push(&text[from..]);
    }
    words
}

/// `"order"` → `order`, `"a""b"` → `a"b`; an unquoted name as it is.
pub(crate) fn unquote(name: &str) -> String {
    match name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_keys;

    #[test]
    fn keys_with_options() {
        let keys = parse_keys("name COLLATE \"C\" gin_trgm_ops, score nulls first, id desc");
        assert_eq!(keys.len(), 3);
        assert_eq!(keys[0].collation.as_deref(), Some("C"));
        assert_eq!(keys[0].opclass.as_deref(), Some("gin_trgm_ops"));
        assert_eq!(keys[1].nulls_first, Some(true));
        assert!(keys[2].descending && !keys[2].expression);
    }

    #[test]
    fn expressions_keep_their_text() {
        let keys = parse_keys("(true), coalesce(a, ')'), (a || ',') DESC");
        assert_eq!(keys.len(), 3);
        assert_eq!(keys[0].sql, "true");
        assert_eq!(keys[1].sql, "coalesce(a, ')')");
        assert!(keys[1].expression);
        assert_eq!(keys[2].sql, "a || ','");
        assert!(keys[2].descending);
    }
}
