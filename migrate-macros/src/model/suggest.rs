//! "Did you mean ...?" for a misspelt key or field name.

/// ` (did you mean `x`?)` when `given` looks like a typo of one of `known`, else
/// nothing. A typo is a small edit distance relative to the length of the
/// candidate, so short keys need a closer match than long ones.
pub fn did_you_mean<S: AsRef<str> + Ord>(
    given: &str,
    known: impl IntoIterator<Item = S>,
) -> String {
    known
        .into_iter()
        .map(|k| (edit_distance(given, k.as_ref()), k))
        .filter(|(d, k)| *d <= 1 + k.as_ref().len() / 3)
        .min()
        .map(|(_, k)| format!(" (did you mean `{}`?)", k.as_ref()))
        .unwrap_or_default()
}

/// Levenshtein distance, one row at a time.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
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
