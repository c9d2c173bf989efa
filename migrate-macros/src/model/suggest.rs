//! "Did you mean ...?" for a misspelt key or field name.

/// ` (did you mean `x`?)` when `given` looks like a typo of one of `known`
/// (migrate-core's rule, shared with revision header keys), else nothing.
pub fn did_you_mean<S: AsRef<str>>(given: &str, known: impl IntoIterator<Item = S>) -> String {
    migrate_core::suggest::nearest(given, known)
        .map(|k| format!(" (did you mean `{}`?)", k.as_ref()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_only_close_names() {
        assert_eq!(
            did_you_mean("tabel", ["table", "schema"]),
            " (did you mean `table`?)"
        );
        assert_eq!(
            did_you_mean("emial", ["id", "email"]),
            " (did you mean `email`?)"
        );
        assert_eq!(did_you_mean("colour", ["name", "skip"]), "");
    }
}
