//! Parsing one revision file: the header keys and the sections (the checksum
//! is `checksum.rs`'s).
//!
//! This is the only parser: the build script, `embed_migrations!` and the runtime
//! all call [`parse`], so what compiles is what runs. It never panics on any input
//! (a proptest fuzzes it) and reports every problem in a file, each with its line.

use super::checksum::checksum;
use super::{Direction, HeaderLines, Revision, Section};
use crate::dialect::Dialect;
use crate::error::{Error, Location, ParseProblem, Result};

/// The header keys, in the order the README lists them.
const KEYS: [&str; 7] = [
    "revision",
    "down_revision",
    "message",
    "create_date",
    "branch_labels",
    "depends_on",
    "replaces",
];

/// The header key that acknowledges lint findings: repeatable, comma-separated
/// rule names (`-- lint_allow: set-not-null, drop`).
const LINT_ALLOW: &str = "lint_allow";

/// Longest id or label accepted.
const MAX_ID_LEN: usize = 64;

/// True for a valid revision id: 1 to 64 characters from `[A-Za-z0-9_]`.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_ID_LEN
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// True for a valid branch label: 1 to 64 characters from `[A-Za-z0-9_-]`.
/// `@`, `:`, `+` and whitespace are excluded because the target grammar uses them.
pub fn is_valid_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_ID_LEN
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// True for a valid lint rule name in `lint_allow`: 1 to 64 characters from
/// `[a-z0-9-]`. Whether the rule exists is the linter's to say, since the parser
/// is also built without it.
pub fn is_valid_rule_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_ID_LEN
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Parses every `(path, text)` pair, reporting every problem of every file at once.
///
/// Large directories are parsed on several threads: files are independent, and the
/// build script, the macro and start-up all wait on this. Results keep the input
/// order, so output and error order are the same as a sequential parse.
pub fn parse_many<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Vec<Revision>> {
    let files: Vec<(&str, &str)> = files.into_iter().collect();
    let mut revisions = Vec::with_capacity(files.len());
    let mut problems = Vec::new();
    for result in parse_in_parallel(&files) {
        match result {
            Ok(r) => revisions.push(r),
            Err(e) => problems.extend(e.into_problems()),
        }
    }
    match Error::from_problems(problems) {
        Some(e) => Err(e),
        None => Ok(revisions),
    }
}

/// Below this many files per thread, starting threads costs more than it saves.
const FILES_PER_THREAD: usize = 1024;

fn parse_in_parallel(files: &[(&str, &str)]) -> Vec<Result<Revision>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(files.len() / FILES_PER_THREAD).max(1);
    let parse_chunk =
        |chunk: &[(&str, &str)]| chunk.iter().map(|(p, t)| parse(p, t)).collect::<Vec<_>>();
    if threads == 1 {
        return parse_chunk(files);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(files.len().div_ceil(threads))
            .map(|chunk| scope.spawn(move || parse_chunk(chunk)))
            .collect();
        handles
            .into_iter()
            // `parse` does not panic; should it ever, the panic carries on here.
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Parses one revision file. `path` is only used in messages and stored in the result.
///
/// ```
/// let text = "-- revision: a1b2c3d4e5f6\n-- down_revision: none\n-- message: init\n\
///             -- migrate:up\nCREATE TABLE t (id INTEGER);\n-- migrate:down\nDROP TABLE t;\n";
/// let rev = migrate_core::revision::parse("migrations/a1b2c3d4e5f6_init.sql", text).unwrap();
/// assert_eq!(rev.id, "a1b2c3d4e5f6");
/// assert!(rev.is_base() && rev.has_down(migrate_core::Dialect::Sqlite));
///
/// // Every problem in the file is reported, each with its line.
/// let err = migrate_core::revision::parse("bad.sql", "-- revison: x\n").unwrap_err();
/// let problems: Vec<String> = err.into_problems().iter().map(|e| e.to_string()).collect();
/// assert!(problems[0].starts_with("bad.sql:1: unknown header key `revison` (did you mean `revision`?)"));
/// assert_eq!(problems.len(), 4); // also: no up section, no revision, no down_revision
/// ```
pub fn parse(path: &str, text: &str) -> Result<Revision> {
    let normalized;
    let text = if text.contains('\r') {
        normalized = text.replace("\r\n", "\n");
        normalized.as_str()
    } else {
        text
    };
    let mut parser = Parser::new(path, text);
    let mut offset = 0;
    for (index, line) in text.split('\n').enumerate() {
        parser.line(index + 1, offset, line);
        offset += line.len() + 1;
    }
    parser.finish()
}

/// A header value with the line it came from.
struct Value<'t> {
    text: &'t str,
    line: usize,
}

struct Parser<'p, 't> {
    path: &'p str,
    /// The whole file, line endings already normalised.
    text: &'t str,
    header: [Option<Value<'t>>; 7],
    sections: Vec<Section>,
    /// Byte offset of the first `-- migrate:` marker, once seen.
    body_start: Option<usize>,
    /// Byte offset where the SQL of the last section starts; `None` after an
    /// unknown marker, whose SQL belongs to no section.
    open_section: Option<usize>,
    /// Byte ranges of the down sections' SQL: without them, the checksum the file
    /// had while its down was empty (see [`Revision::checksum_before_down`]).
    down_sql: Vec<(usize, usize)>,
    /// Rule names from every `lint_allow` line, and the first such line.
    lint_allow: Vec<String>,
    lint_allow_line: usize,
    problems: Vec<Error>,
    last_line: usize,
}

impl<'p, 't> Parser<'p, 't> {
    fn new(path: &'p str, text: &'t str) -> Self {
        Parser {
            path,
            text,
            header: Default::default(),
            sections: Vec::new(),
            body_start: None,
            open_section: None,
            down_sql: Vec::new(),
            lint_allow: Vec::new(),
            lint_allow_line: 0,
            problems: Vec::new(),
            last_line: 1,
        }
    }

    fn problem(&mut self, line: usize, problem: ParseProblem) {
        self.problems.push(Error::Parse {
            location: Location::new(self.path, line),
            problem,
        });
    }

    fn line(&mut self, number: usize, offset: usize, line: &'t str) {
        self.last_line = number;
        if let Some(marker) = marker_text(line) {
            self.close_section(offset);
            self.body_start.get_or_insert(offset);
            if self.marker(number, marker) {
                self.open_section = Some((offset + line.len() + 1).min(self.text.len()));
            }
        } else if self.body_start.is_none() {
            self.header_line(number, line);
        }
    }

    /// Gives the last section its SQL: the text from its marker up to `end`.
    fn close_section(&mut self, end: usize) {
        if let (Some(start), Some(section)) = (self.open_section.take(), self.sections.last_mut()) {
            let end = end.max(start);
            section.sql = self.text[start..end].to_string();
            if section.direction == Direction::Down {
                self.down_sql.push((start, end));
            }
        }
    }

    fn header_line(&mut self, number: usize, line: &'t str) {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            return;
        }
        let Some(comment) = trimmed.strip_prefix("--") else {
            self.problem(number, ParseProblem::SqlBeforeUp);
            return;
        };
        let Some((key, value)) = split_key(comment.trim_start()) else {
            return; // an ordinary comment
        };
        if key == LINT_ALLOW {
            self.lint_allow_line(number, value);
            return;
        }
        let Some(slot) = KEYS.iter().position(|k| *k == key) else {
            self.problem(
                number,
                ParseProblem::UnknownKey {
                    key: key.to_string(),
                    suggestion: nearest_key(key),
                },
            );
            return;
        };
        if let Some(first) = &self.header[slot] {
            let first_line = first.line;
            self.problem(
                number,
                ParseProblem::RepeatedKey {
                    key: key.to_string(),
                    first_line,
                },
            );
            return;
        }
        self.header[slot] = Some(Value {
            text: value.trim(),
            line: number,
        });
    }

    /// `lint_allow` may be given on several lines: each adds its rules.
    fn lint_allow_line(&mut self, number: usize, value: &str) {
        if self.lint_allow_line == 0 {
            self.lint_allow_line = number;
        }
        for rule in value.split(',').map(str::trim).filter(|r| !r.is_empty()) {
            if !is_valid_rule_name(rule) {
                self.problem(
                    number,
                    ParseProblem::BadRuleName {
                        value: rule.to_string(),
                    },
                );
            } else if !self.lint_allow.iter().any(|r| r == rule) {
                self.lint_allow.push(rule.to_string());
            }
        }
    }

    /// Handles a `-- migrate:` line; `true` when it opened a section.
    fn marker(&mut self, number: usize, marker: &str) -> bool {
        let mut words = marker.split_whitespace();
        let direction = match words.next() {
            Some("up") => Direction::Up,
            Some("down") => Direction::Down,
            other => {
                self.problem(
                    number,
                    ParseProblem::UnknownMarker {
                        marker: other.unwrap_or("").to_string(),
                    },
                );
                return false;
            }
        };
        let mut dialect = None;
        let mut transactional = true;
        for word in words {
            match word {
                "transaction:false" => transactional = false,
                "transaction:true" => transactional = true,
                other => match other.parse::<Dialect>() {
                    Ok(d) => dialect = Some(d),
                    Err(()) => self.problem(
                        number,
                        ParseProblem::UnknownOption {
                            option: other.to_string(),
                        },
                    ),
                },
            }
        }
        if direction == Direction::Down
            && !self.sections.iter().any(|s| s.direction == Direction::Up)
        {
            self.problem(number, ParseProblem::DownBeforeUp);
        }
        if let Some(first) = self
            .sections
            .iter()
            .find(|s| s.direction == direction && s.dialect == dialect)
        {
            let first_line = first.first_line - 1;
            self.problem(
                number,
                ParseProblem::RepeatedSection {
                    direction: direction.as_str(),
                    dialect: dialect.map(Dialect::name),
                    first_line,
                },
            );
        } else if self
            .sections
            .iter()
            .any(|s| s.direction == direction && s.dialect.is_some() != dialect.is_some())
        {
            self.problem(
                number,
                ParseProblem::MixedSections {
                    direction: direction.as_str(),
                },
            );
        }
        self.sections.push(Section {
            direction,
            dialect,
            transactional,
            sql: String::new(),
            first_line: number + 1,
        });
        true
    }

    fn finish(mut self) -> Result<Revision> {
        self.close_section(self.text.len());
        if !self.sections.iter().any(|s| s.direction == Direction::Up) {
            let line = self.last_line;
            self.problem(line, ParseProblem::MissingUp);
        }
        let path = self.path;
        let mut lines = HeaderLines {
            lint_allow: self.lint_allow_line,
            ..HeaderLines::default()
        };
        let id = self.required_id(0, "revision", &mut lines.revision);
        let down_revisions = self.down_revisions(&mut lines.down_revision);
        let depends_on = self.list(5, "depends_on", is_valid_label, &mut lines.depends_on);
        let branch_labels = self.list(4, "branch_labels", is_valid_label, &mut lines.branch_labels);
        let replaces = self.list(6, "replaces", is_valid_id, &mut lines.replaces);
        let message = self.header[2]
            .as_ref()
            .map(|v| v.text.to_string())
            .unwrap_or_default();
        let create_date = self.header[3]
            .as_ref()
            .map(|v| v.text.to_string())
            .filter(|s| !s.is_empty());
        // Report in file order, whichever check found the problem.
        self.problems.sort_by_key(|e| match e {
            Error::Parse { location, .. } => location.line,
            _ => 0,
        });
        if let Some(e) = Error::from_problems(std::mem::take(&mut self.problems)) {
            return Err(e);
        }
        let body_start = self.body_start.unwrap_or(self.text.len());
        let has_down_sql = self.down_sql.iter().any(|&(start, end)| end > start);
        let checksum_before_down =
            has_down_sql.then(|| checksum(self.text, body_start, &self.down_sql));
        Ok(Revision {
            id,
            down_revisions,
            depends_on,
            branch_labels,
            replaces,
            message,
            create_date,
            sections: self.sections,
            lint_allow: std::mem::take(&mut self.lint_allow),
            checksum: checksum(self.text, body_start, &[]),
            checksum_before_down,
            path: path.to_string(),
            lines,
        })
    }

    fn required_id(&mut self, slot: usize, key: &'static str, line_out: &mut usize) -> String {
        let Some(value) = &self.header[slot] else {
            self.problem(1, ParseProblem::MissingKey { key });
            return String::new();
        };
        let (text, line) = (value.text, value.line);
        *line_out = line;
        if !is_valid_id(text) {
            self.problem(
                line,
                ParseProblem::BadId {
                    key,
                    value: text.to_string(),
                },
            );
        }
        text.to_string()
    }

    fn down_revisions(&mut self, line_out: &mut usize) -> Vec<String> {
        let Some(value) = &self.header[1] else {
            self.problem(
                1,
                ParseProblem::MissingKey {
                    key: "down_revision",
                },
            );
            return Vec::new();
        };
        let (text, line) = (value.text, value.line);
        *line_out = line;
        let items: Vec<&str> = text.split(',').map(str::trim).collect();
        if items.iter().any(|i| i.eq_ignore_ascii_case("none")) {
            if items.len() > 1 {
                self.problem(line, ParseProblem::NoneWithOthers);
            }
            return Vec::new();
        }
        self.checked_items("down_revision", items, line, is_valid_id)
    }

    fn list(
        &mut self,
        slot: usize,
        key: &'static str,
        valid: fn(&str) -> bool,
        line_out: &mut usize,
    ) -> Vec<String> {
        let Some(value) = &self.header[slot] else {
            return Vec::new();
        };
        let (text, line) = (value.text, value.line);
        *line_out = line;
        if text.is_empty() {
            return Vec::new();
        }
        let items = text.split(',').map(str::trim).collect();
        self.checked_items(key, items, line, valid)
    }

    fn checked_items(
        &mut self,
        key: &'static str,
        items: Vec<&str>,
        line: usize,
        valid: fn(&str) -> bool,
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::with_capacity(items.len());
        for item in items {
            if !valid(item) {
                let problem = if key == "branch_labels" {
                    ParseProblem::BadLabel {
                        value: item.to_string(),
                    }
                } else if key == "depends_on" {
                    ParseProblem::BadDependency {
                        value: item.to_string(),
                    }
                } else {
                    ParseProblem::BadId {
                        key,
                        value: item.to_string(),
                    }
                };
                self.problem(line, problem);
            } else if out.iter().any(|o| o == item) {
                self.problem(
                    line,
                    ParseProblem::RepeatedId {
                        key,
                        value: item.to_string(),
                    },
                );
            } else {
                out.push(item.to_string());
            }
        }
        out
    }
}

/// The text after `-- migrate:` when `line` is a section marker.
fn marker_text(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix("--")?;
    rest.trim_start().strip_prefix("migrate:")
}

/// Splits `key: value` where key is `[a-z][a-z_]*`; anything else is a plain comment.
pub(crate) fn split_key(comment: &str) -> Option<(&str, &str)> {
    let colon = comment.find(':')?;
    let key = &comment[..colon];
    let is_key = key.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    is_key.then(|| (key, &comment[colon + 1..]))
}

/// The known key closest to a misspelt one, if any is close enough to be a typo.
fn nearest_key(key: &str) -> Option<&'static str> {
    crate::suggest::nearest(key, KEYS.into_iter().chain([LINT_ALLOW]))
}

#[cfg(test)]
mod tests {
    use super::parse;

    fn revision(text: &str) -> crate::revision::Revision {
        parse("x.sql", text).unwrap()
    }

    #[test]
    fn the_checksum_covers_every_section_and_tolerates_a_filled_in_down() {
        let head = "-- revision: a1\n-- down_revision: none\n";
        let applied = revision(&format!(
            "{head}\n-- migrate:up\nCREATE TABLE t (id INT);\n\n-- migrate:down\n"
        ))
        .checksum
        .to_hex();
        // Filling in the empty down is not drift: that SQL never ran.
        for text in [
            "\n-- migrate:up\nCREATE TABLE t (id INT);\n\n-- migrate:down\nDROP TABLE t;\n",
            "\n-- migrate:up\nCREATE TABLE t (id INT);\n\n-- migrate:down\n\n\nDROP TABLE t;",
            "\n-- migrate:up\nCREATE TABLE t (id INT);\n\n-- migrate:down",
            "-- message: renamed\n\n-- migrate:up\nCREATE TABLE t (id INT);\n\n-- migrate:down\n",
        ] {
            assert!(
                revision(&format!("{head}{text}")).matches_recorded(&applied),
                "{text}"
            );
        }
        // The up, its options and the markers are covered.
        for text in [
            "\n-- migrate:up\nCREATE TABLE t (id BIGINT);\n\n-- migrate:down\n",
            "\n-- migrate:up transaction:false\nCREATE TABLE t (id INT);\n\n-- migrate:down\n",
            "\n-- migrate:up\nCREATE TABLE t (id INT);\n\n-- migrate:down transaction:false\n",
            "\n-- migrate:up\nCREATE TABLE t (id INT);\n",
        ] {
            assert!(
                !revision(&format!("{head}{text}")).matches_recorded(&applied),
                "{text}"
            );
        }
        // A down that was there when the revision was applied is covered too, and
        // the checksum over the whole body is what earlier versions recorded.
        let body = "-- migrate:up\nCREATE TABLE t (id INT);\n-- migrate:down\nDROP TABLE t;\n";
        let with_down = revision(&format!("{head}{body}"));
        use sha2::{Digest, Sha256};
        let whole: [u8; 32] = Sha256::digest(body.as_bytes()).into();
        assert_eq!(with_down.checksum.0, whole);
        let edited = revision(&format!(
            "{head}{}",
            body.replace("DROP TABLE t;", "SELECT 1;")
        ));
        assert!(!edited.matches_recorded(&with_down.checksum.to_hex()));
    }

    #[test]
    fn a_bad_depends_on_entry_names_the_characters_ids_and_labels_allow() {
        let text = "-- revision: b2\n-- down_revision: none\n-- depends_on: a1, has space, feature-x\n\n-- migrate:up\nSELECT 1;\n";
        let err = parse("b2.sql", text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "b2.sql:3: `has space` in `depends_on` is neither a revision id nor a branch label: use 1 to 64 characters from [A-Za-z0-9_-]"
        );
        // A label with a dash is a valid entry.
        let text = text.replace("has space, ", "");
        assert_eq!(
            parse("b2.sql", &text).unwrap().depends_on,
            ["a1", "feature-x"]
        );
    }

    #[test]
    fn empty_ups_can_be_downgraded() {
        let rev = |body: &str| {
            parse(
                "x.sql",
                &format!("-- revision: a1\n-- down_revision: none\n{body}"),
            )
            .unwrap()
        };
        let (pg, lite) = (crate::Dialect::Postgres, crate::Dialect::Sqlite);
        assert!(rev("-- migrate:up\n\n-- migrate:down\n").can_downgrade(pg));
        assert!(rev("-- migrate:up\n-- nothing yet\n").can_downgrade(pg));
        assert!(rev("-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n").can_downgrade(pg));
        assert!(!rev("-- migrate:up\nSELECT 1;\n-- migrate:down\n").can_downgrade(lite));
        // Per dialect: only the sections that run on the database count.
        let split = rev("-- migrate:up postgres\nSELECT 1;\n-- migrate:up sqlite\n");
        assert!(!split.can_downgrade(pg));
        assert!(split.can_downgrade(lite));
        let empty_pg_down = rev("-- migrate:up\nSELECT 1;\n-- migrate:down postgres\n\n-- migrate:down sqlite\nSELECT 2;\n");
        assert!(!empty_pg_down.can_downgrade(pg));
        assert!(empty_pg_down.can_downgrade(lite));
    }
}
