//! A revision's checksum, which the ledger records: SHA-256 over the file's
//! sections (header edits are not drift), or, for a revision with dialect
//! sections, over the sections that run on one dialect.

use std::fmt;

use sha2::{Digest, Sha256};

use super::{Direction, Section};

/// SHA-256 over a revision's sections, with line endings normalised to `\n`
/// (see [`Revision::matches_recorded`](super::Revision::matches_recorded) and, for dialect sections,
/// [`Revision::checksum_for`](super::Revision::checksum_for)).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Checksum(pub [u8; 32]);

impl Checksum {
    /// Lowercase hex, as stored in the ledger.
    pub fn to_hex(&self) -> String {
        use fmt::Write;
        let mut s = String::with_capacity(64);
        for b in self.0 {
            let _ = write!(s, "{b:02x}");
        }
        s
    }
}

impl fmt::Display for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Checksum({})", self.to_hex())
    }
}

/// SHA-256 of everything from the first marker (`body_start`) on, leaving out the
/// byte ranges in `skip`, so an edited section, option or dialect counts as drift
/// while header edits do not. A missing final newline is added, so editors that
/// strip or add it do not change the checksum.
pub(crate) fn checksum(text: &str, body_start: usize, skip: &[(usize, usize)]) -> Checksum {
    let mut hasher = Sha256::new();
    let mut from = body_start;
    let mut last = None;
    for &(start, end) in skip.iter().chain([&(text.len(), text.len())]) {
        let piece = &text[from..start.max(from)];
        hasher.update(piece.as_bytes());
        last = piece.as_bytes().last().copied().or(last);
        from = end.max(from);
    }
    if last != Some(b'\n') {
        hasher.update(b"\n");
    }
    Checksum(hasher.finalize().into())
}

/// SHA-256 of some sections, as a database records a revision with dialect
/// sections: each one's marker, written canonically (so a changed direction,
/// dialect or option counts, spacing does not), then its SQL; a down's SQL only
/// `with_down` (see [`Revision::matches_recorded_on`](super::Revision::matches_recorded_on)).
/// A missing final newline is added, as for [`checksum`].
pub(crate) fn sections_checksum<'s>(
    sections: impl IntoIterator<Item = &'s Section>,
    with_down: bool,
) -> Checksum {
    let mut hasher = Sha256::new();
    for section in sections {
        let mut marker = format!("-- migrate:{}", section.direction);
        if let Some(dialect) = section.dialect {
            marker.push(' ');
            marker.push_str(dialect.name());
        }
        if !section.transactional {
            marker.push_str(" transaction:false");
        }
        marker.push('\n');
        hasher.update(marker.as_bytes());
        if with_down || section.direction == Direction::Up {
            hasher.update(section.sql.as_bytes());
            if !section.sql.is_empty() && !section.sql.ends_with('\n') {
                hasher.update(b"\n");
            }
        }
    }
    Checksum(hasher.finalize().into())
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::revision::{parse, Revision};

    #[test]
    fn a_revision_without_dialect_sections_keeps_the_files_checksum() {
        let rev = parse(
            "a1.sql",
            "-- revision: a1\n-- down_revision: none\n\
             -- migrate:up\nCREATE TABLE t (id INT);\n-- migrate:down\nDROP TABLE t;\n",
        )
        .unwrap();
        for dialect in Dialect::ALL {
            assert_eq!(rev.checksum_for(dialect), rev.checksum);
        }
    }

    #[test]
    fn dialect_checksums_cover_the_sections_that_run_there() {
        let file = |pg: &str, lite: &str, down: &str| {
            parse(
                "a1.sql",
                &format!(
                    "-- revision: a1\n-- down_revision: none\n\
                     -- migrate:up postgres\n{pg}\n--  migrate:up   sqlite\n{lite}\n-- migrate:down\n{down}"
                ),
            )
            .unwrap()
        };
        let base = file("SELECT 1;", "SELECT 2;", "SELECT 3;");
        let (pg, lite) = (Dialect::Postgres, Dialect::Sqlite);
        let recorded = |rev: &Revision, dialect| rev.checksum_for(dialect).to_hex();
        // The other dialect's SQL does not count; this one's and the shared down do.
        let edited_lite = file("SELECT 1;", "SELECT 20;", "SELECT 3;");
        assert!(edited_lite.matches_recorded_on(&recorded(&base, pg), pg));
        assert!(!edited_lite.matches_recorded_on(&recorded(&base, lite), lite));
        let edited_down = file("SELECT 1;", "SELECT 2;", "SELECT 30;");
        assert!(!edited_down.matches_recorded_on(&recorded(&base, pg), pg));
        // A down filled in after applying is not drift: it never ran.
        let empty_down = file("SELECT 1;", "SELECT 2;", "");
        assert!(base.matches_recorded_on(&recorded(&empty_down, pg), pg));
        // A missing final newline is not an edit, spacing in a marker neither; an
        // option is.
        let with_newline = file("SELECT 1;", "SELECT 2;", "SELECT 3;\n");
        assert_eq!(base.checksum_for(lite), with_newline.checksum_for(lite));
        let option = parse(
            "a1.sql",
            "-- revision: a1\n-- down_revision: none\n\
             -- migrate:up postgres transaction:false\nSELECT 1;\n-- migrate:up sqlite\nSELECT 2;\n-- migrate:down\nSELECT 3;",
        )
        .unwrap();
        assert_ne!(option.checksum_for(pg), base.checksum_for(pg));
        assert_eq!(option.checksum_for(lite), base.checksum_for(lite));
        // What older versions recorded, the whole file's checksum, still matches.
        assert!(base.matches_recorded_on(&base.checksum.to_hex(), pg));
        assert!(!edited_lite.matches_recorded_on(&base.checksum.to_hex(), pg));
    }
}
