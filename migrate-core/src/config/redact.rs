//! Hiding passwords in any text that may hold a database URL or a libpq keyword
//! string, well-formed or not.
//!
//! The rules do not parse URLs: a parser that rejects a malformed URL would leave
//! its password in the clear, and malformed input is exactly what error messages
//! echo. They look for the two shapes a password takes instead:
//!
//! - `user:secret@host`: everything between the first `:` of the user info and the
//!   `@` that ends it, whatever comes before (`postgres://`, `postgres:/`,
//!   `postgres//` or nothing);
//! - `password=secret` (also `sslpassword`, `PGPASSWORD`, any case, spaces around
//!   `=`, single-quoted values with `\'` escapes): the value.

/// What replaces a password.
const MASK: &str = "***";

/// `text` with every password replaced by `***`. `text` may be a message holding
/// URLs among other words: each whitespace-separated word is redacted on its own.
///
/// ```
/// use migrate_core::config::redact;
/// assert_eq!(redact("postgres://u:p%40ss@h/db"), "postgres://u:***@h/db");
/// assert_eq!(redact("postgres://h/db?user=u&password=x&sslmode=disable"), "postgres://h/db?user=u&password=***&sslmode=disable");
/// assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
/// // Malformed URLs and keyword strings too:
/// assert_eq!(redact("postgres//alice:S3cret@host/db"), "postgres//alice:***@host/db");
/// assert_eq!(redact("alice:S3cret@host/db"), "alice:***@host/db");
/// assert_eq!(redact("host=h user=alice password=S3cret dbname=db"), "host=h user=alice password=*** dbname=db");
/// assert_eq!(redact("password = 'S3 cret' host=h"), "password = *** host=h");
/// ```
pub fn redact(text: &str) -> String {
    let text = redact_keywords(text);
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while !rest.is_empty() {
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        out.push_str(&redact_user_info(&rest[..word_end]));
        let space_end = rest[word_end..]
            .find(|c: char| !c.is_whitespace())
            .map_or(rest.len(), |i| word_end + i);
        out.push_str(&rest[word_end..space_end]);
        rest = &rest[space_end..];
    }
    out
}

/// One value that is meant to be a URL, redacted as a whole: unlike [`redact`], a
/// password holding spaces is hidden up to its `@` too.
///
/// ```
/// use migrate_core::config::redact_url;
/// assert_eq!(redact_url("postgres://u:my secret@h/db"), "postgres://u:***@h/db");
/// ```
pub fn redact_url(value: &str) -> String {
    redact_user_info(&redact_keywords(value))
}

/// Hides the value of every `...password = value`.
fn redact_keywords(text: &str) -> String {
    const KEY: &str = "password";
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = lower[search..].find(KEY) {
        let key_end = search + found + KEY.len();
        search = key_end;
        let bytes = text.as_bytes();
        let mut i = skip_spaces(bytes, key_end);
        if bytes.get(i) != Some(&b'=') {
            continue;
        }
        i = skip_spaces(bytes, i + 1);
        let value_end = value_end(bytes, i);
        if value_end == i {
            continue;
        }
        out.push_str(&text[copied..i]);
        out.push_str(MASK);
        copied = value_end;
        search = value_end;
    }
    out.push_str(&text[copied..]);
    out
}

fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
        i += 1;
    }
    i
}

/// Where a keyword value starting at `start` ends: a quoted value at its closing
/// quote (or the end of the text), any other at whitespace or `&`.
fn value_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    if bytes.get(i) == Some(&b'\'') {
        i += 1;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'\'' => return i + 1,
                _ => i += 1,
            }
        }
        return bytes.len();
    }
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'&' {
        i += 1;
    }
    i
}

/// Hides the password of a `user:password@` in one word.
fn redact_user_info(word: &str) -> String {
    // The user info ends at the last `@` before the query, if there is one before
    // it (a `@` in an option value comes after `?`); else at the last `@`, since a
    // password may hold `?` or unescaped `@`.
    let before_query = word.find('?').map_or(word, |q| &word[..q]);
    let at = match before_query.rfind('@') {
        Some(at) => at,
        None => match word.rfind('@') {
            Some(at) => at,
            None => return word.to_string(),
        },
    };
    let start = user_info_start(word);
    if start > at {
        return word.to_string();
    }
    match word[start..at].find(':') {
        Some(colon) => format!("{}{MASK}{}", &word[..start + colon + 1], &word[at..]),
        None => word.to_string(),
    }
}

/// Where the user info of a word may start: after leading quotes or brackets, a
/// `NAME=` (as in `.env` lines), and `scheme:` followed by at least one `/`.
/// Without the slash, `alice:pw@h` reads as user `alice` with a password, never as
/// a scheme.
fn user_info_start(word: &str) -> usize {
    const OPENERS: [char; 6] = ['`', '\'', '"', '(', '<', '['];
    let mut start = word.len() - word.trim_start_matches(OPENERS).len();
    let name_len = word[start..]
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    if name_len > 0 && word[start + name_len..].starts_with('=') {
        let value = &word[start + name_len + 1..];
        start = word.len() - value.trim_start_matches(OPENERS).len();
    }
    let rest = &word[start..];
    let scheme_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        .count();
    let starts_with_letter = rest.bytes().next().is_some_and(|b| b.is_ascii_alphabetic());
    if starts_with_letter && rest[scheme_len..].starts_with(":/") {
        let slashes = rest[scheme_len + 1..]
            .bytes()
            .take_while(|b| *b == b'/')
            .count();
        return start + scheme_len + 1 + slashes;
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "S3cretPw";

    #[test]
    fn every_shape_hides_the_password() {
        let shapes = [
            "postgres://alice:S3cretPw@host/db",
            "postgresql://alice:S3cretPw@host:5432/db?sslmode=disable",
            "postgres//alice:S3cretPw@host/db",
            "postgres:/alice:S3cretPw@host/db",
            "postgres:alice:S3cretPw@host/db",
            "alice:S3cretPw@host/db",
            ":S3cretPw@host",
            "postgres://alice:S3cretPw@",
            "postgres://alice:S3c@retPw@host/db",
            "postgres://alice:S3c/retPw@host/db",
            "postgres://alice:S3c?retPw@host/db",
            "postgres://a@b.com:S3cretPw@host/db",
            "postgres://alice:S3cretPw@host/db?options=x@y",
            "`postgres://alice:S3cretPw@host/db`",
            "host=h user=alice password=S3cretPw dbname=db",
            "host=h user=alice PASSWORD = S3cretPw dbname=db",
            "host=h password='S3cretPw with \\' quote' dbname=db",
            "host=h password='S3cretPw",
            "postgres://h/db?user=alice&password=S3cretPw",
            "postgres://h/db?sslpassword=S3cretPw&password=S3cretPw",
            "PGPASSWORD=S3cretPw",
            "DATABASE_URL=\"postgres://alice:S3cretPw@host/db",
        ];
        for shape in shapes {
            let redacted = redact(shape);
            assert!(!redacted.contains(SECRET), "{shape} -> {redacted}");
            assert!(!redacted.contains("retPw"), "{shape} -> {redacted}");
            let message = format!("bad database URL `{shape}`: not a URL");
            assert!(!redact(&message).contains("retPw"), "{message}");
            assert!(!redact_url(shape).contains("retPw"), "{shape}");
        }
    }

    #[test]
    fn what_is_not_a_password_stays() {
        for text in [
            "postgres://alice@host/db",
            "sqlite://data/app.db",
            "sqlite::memory:",
            "password authentication failed for user \"alice\"",
            "auth@head",
            "no URL here: just words",
        ] {
            assert_eq!(redact(text), text);
        }
        assert_eq!(
            redact("postgres://u:p@h/db?options=-c%20x@y&password="),
            "postgres://u:***@h/db?options=-c%20x@y&password="
        );
    }

    #[test]
    fn spaces_in_a_password_are_hidden_in_a_url_value() {
        assert_eq!(
            redact_url("postgres://u:my S3cretPw@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(
            redact_url("DATABASE_URL='postgres://u:my S3cretPw@h/db"),
            "DATABASE_URL='postgres://u:***@h/db"
        );
    }
}
