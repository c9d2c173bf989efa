//! "Did you mean ...?" for a misspelt name: one rule for revision header keys,
//! `#[model]` options and field names alike.

/// The name in `known` nearest to `given`, when it is near enough to be a typo:
/// a Levenshtein distance of at most one plus a third of the candidate's length,
/// so short names need a closer match than long ones. Ties go to the name that
/// sorts first.
///
/// ```
/// use migrate_core::suggest::nearest;
/// assert_eq!(nearest("tabel", ["table", "schema"]), Some("table"));
/// assert_eq!(nearest("down_revison", ["revision", "down_revision"]), Some("down_revision"));
/// assert_eq!(nearest("colour", ["name", "skip"]), None);
/// ```
pub fn nearest<S: AsRef<str>>(given: &str, known: impl IntoIterator<Item = S>) -> Option<S> {
    known
        .into_iter()
        .map(|k| (strsim::levenshtein(given, k.as_ref()), k))
        .filter(|(distance, k)| *distance <= 1 + k.as_ref().chars().count() / 3)
        .min_by(|(da, a), (db, b)| da.cmp(db).then_with(|| a.as_ref().cmp(b.as_ref())))
        .map(|(_, k)| k)
}
