//! PostgreSQL's limit on names: it keeps the first 63 bytes of an identifier
//! (`NAMEDATALEN - 1`) and drops the rest without a word. A generated name
//! longer than that would never match the name the database reports, so
//! `check` would find it changed forever: generated names are [`capped`].

use sha2::{Digest, Sha256};

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

/// `name` itself when it fits in [`MAX_NAME_BYTES`]; otherwise its beginning,
/// `_`, and 8 hex digits of a SHA-256 of the whole name: 63 bytes, the same on
/// every run and every machine, and different for names that differ only past
/// the cut.
///
/// ```
/// use migrate_core::schema::names::{capped, MAX_NAME_BYTES};
/// assert_eq!(capped("ix_users_email".into()), "ix_users_email");
/// let long = format!("ix_{}_email", "customer_loyalty_programme".repeat(3));
/// let name = capped(long.clone());
/// assert_eq!(name.len(), MAX_NAME_BYTES);
/// assert!(name.starts_with("ix_customer_loyalty_programme"));
/// assert_eq!(name, capped(long));
/// ```
pub fn capped(name: String) -> String {
    if name.len() <= MAX_NAME_BYTES {
        return name;
    }
    let digest = Sha256::digest(name.as_bytes());
    let hash: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}_{hash}", clip(&name, MAX_NAME_BYTES - 1 - hash.len()))
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

    #[test]
    fn long_names_are_capped_the_same_way_every_time() {
        let exact = "n".repeat(MAX_NAME_BYTES);
        assert_eq!(capped(exact.clone()), exact);
        let base = "ix_".to_string() + &"a".repeat(70);
        let (one, two) = (capped(base.clone() + "_x"), capped(base.clone() + "_y"));
        assert_eq!(one.len(), MAX_NAME_BYTES);
        assert_ne!(one, two, "names that differ past the cut stay apart");
        assert_eq!(one, capped(base.clone() + "_x"));
        // Fixed, so a name generated today matches one in yesterday's database.
        assert_eq!(&one[..MAX_NAME_BYTES - 9], &base[..MAX_NAME_BYTES - 9]);
        assert_eq!(one, format!("{}_{}", &base[..54], &one[55..]));
        // Multi-byte characters are never split.
        let wide = capped("ix_".to_string() + &"é".repeat(40));
        assert!(wide.len() <= MAX_NAME_BYTES && wide.is_char_boundary(wide.len() - 9));
    }
}
