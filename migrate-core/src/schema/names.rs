//! PostgreSQL's limit on names: it keeps the first 63 bytes of an identifier
//! (`NAMEDATALEN - 1`) and drops the rest without a word.

/// The longest name PostgreSQL keeps whole, in bytes.
pub const MAX_NAME_BYTES: usize = 63;

/// The longest prefix of `name` that fits in `max` bytes without splitting a
/// character, as PostgreSQL cuts names.
pub fn clip(name: &str, max: usize) -> &str {
    let mut end = max.min(name.len());
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_at_a_character_boundary() {
        assert_eq!(clip("users", 63), "users");
        assert_eq!(clip("abcdef", 3), "abc");
        // `é` is two bytes: cutting after one would split it.
        assert_eq!(clip("aé", 2), "a");
    }
}
